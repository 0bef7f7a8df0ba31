import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ConversationStore } from '../../src/store/conversationStore.js';
import type { Stores } from '../../src/store/stores.js';

/**
 * What every RatingStore promises (ratings, on the conversations they rate), run against memory,
 * SQLite and PostgreSQL so they cannot drift apart. `make` opens a fresh set of stores; each test
 * closes it.
 */
export function describeRatingStore(label: string, make: () => Promise<Stores>): void {
  describe(`${label} rating store`, () => {
    async function withConversation(store: ConversationStore, agent = 'alice', customer = 'bob') {
      const id = randomUUID();
      await store.startConversation({ id, agent, customer, startedAt: 1000, resumeHash: `h-${id}` });
      return id;
    }

    it('stores one rating per conversation and shows it with the conversation', async () => {
      const stores = await make();
      const c = await withConversation(stores.conversations);
      await stores.conversations.endConversation(c, 3000, 'customer_left');
      expect(await stores.ratings.rateConversation(c, { score: 4, comment: '很好 <b>', ratedAt: 4000 })).toBe(true);
      expect(await stores.ratings.rateConversation(c, { score: 1, comment: null, ratedAt: 5000 })).toBe(false);
      const rating = { score: 4, comment: '很好 <b>', ratedAt: 4000 };
      expect(await stores.conversations.getConversation(c)).toMatchObject({ rating });
      expect((await stores.conversations.listConversations(10)).conversations[0]).toMatchObject({ id: c, rating });
      expect(await stores.conversations.conversationByResumeHash(`h-${c}`)).toMatchObject({ rating });
      expect(await stores.ratings.rateConversation('no-such-conversation', rating)).toBe(false);
      await stores.close();
    });

    it('stores exactly one of two ratings that race', async () => {
      const stores = await make();
      const c = await withConversation(stores.conversations);
      const results = await Promise.all([1, 2, 3, 4, 5].map((score) => stores.ratings.rateConversation(c, { score, comment: null, ratedAt: score })));
      expect(results.filter(Boolean)).toHaveLength(1);
      const stored = (await stores.conversations.getConversation(c))?.rating;
      expect(stored?.score).toBe(results.indexOf(true) + 1);
      await stores.close();
    });

    it('counts ratings by agent and score', async () => {
      const stores = await make();
      const rate = async (agent: string, score: number, comment: string | null = null) => {
        const c = await withConversation(stores.conversations, agent, 'someone');
        await stores.ratings.rateConversation(c, { score, comment, ratedAt: 1 });
      };
      await rate('alice', 5);
      await rate('alice', 5, 'great');
      await rate('alice', 3);
      await rate('dave', 1);
      await withConversation(stores.conversations, 'erin', 'unrated');
      const counts = (await stores.ratings.ratingCounts()).sort((a, b) => a.agent.localeCompare(b.agent) || a.score - b.score);
      expect(counts).toEqual([
        { agent: 'alice', score: 3, count: 1 },
        { agent: 'alice', score: 5, count: 2 },
        { agent: 'dave', score: 1, count: 1 },
      ]);
      await stores.close();
    });
  });
}
