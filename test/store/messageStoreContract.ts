import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MessageStore } from '../../src/store/messageStore.js';

/**
 * What every MessageStore promises, run against each implementation (SQLite now, Postgres
 * when it lands) so they cannot drift apart.
 */
export function describeMessageStore(label: string, make: () => Promise<MessageStore>): void {
  describe(`${label} message store`, () => {
    async function withConversation(store: MessageStore, agent = 'alice', customer = 'bob') {
      const id = randomUUID();
      await store.startConversation({ id, agent, customer, startedAt: 1000, resumeHash: `h-${id}` });
      return id;
    }
    const msg = (conversationId: string, content: string, cid?: string, role: 'kefu' | 'yonghu' = 'yonghu') => ({
      conversationId,
      sender: role === 'yonghu' ? 'bob' : 'alice',
      role,
      content,
      ts: 2000,
      ...(cid === undefined ? {} : { cid }),
    });

    it('numbers messages 1, 2, 3 within each conversation', async () => {
      const store = await make();
      const a = await withConversation(store);
      const b = await withConversation(store, 'dave', 'carol');
      expect((await store.appendMessage(msg(a, 'a1'))).message.seq).toBe(1);
      expect((await store.appendMessage(msg(b, 'b1'))).message.seq).toBe(1);
      expect((await store.appendMessage(msg(a, 'a2'))).message).toMatchObject({ seq: 2, content: 'a2', conversationId: a, cid: null });
      await store.close();
    });

    it('returns the stored message for a repeated cid instead of storing it twice', async () => {
      const store = await make();
      const c = await withConversation(store);
      const first = await store.appendMessage(msg(c, 'hi', 'x'));
      const again = await store.appendMessage(msg(c, 'hi', 'x'));
      expect(again).toEqual({ message: first.message, duplicate: true });
      expect((await store.appendMessage(msg(c, 'from agent', 'x', 'kefu'))).duplicate).toBe(false);
      expect(await store.messagesAfter(c, 0, 10)).toHaveLength(2);
      await store.close();
    });

    it('keeps a cid per sender: after a transfer the new agent may reuse the old agent\u2019s', async () => {
      const store = await make();
      const c = await withConversation(store);
      const old = await store.appendMessage(msg(c, 'from alice', 'k1', 'kefu'));
      const next = await store.appendMessage({ ...msg(c, 'from dave', 'k1', 'kefu'), sender: 'dave' });
      expect(next.duplicate).toBe(false);
      expect(next.message).toMatchObject({ seq: 2, sender: 'dave', content: 'from dave' });
      // Each sender's resend is still found.
      expect(await store.appendMessage(msg(c, 'from alice', 'k1', 'kefu'))).toEqual({ message: old.message, duplicate: true });
      expect(await store.appendMessage({ ...msg(c, 'from dave', 'k1', 'kefu'), sender: 'dave' })).toEqual({ message: next.message, duplicate: true });
      await store.close();
    });

    it('keeps a team note\u2019s cid per addressee, the whole team counting as one', async () => {
      const store = await make();
      const toBob = await store.appendTeamMessage({ sender: 'alice', to: 'bob', content: 'note', ts: 1, cid: 'n1' });
      const toCarol = await store.appendTeamMessage({ sender: 'alice', to: 'carol', content: 'note', ts: 2, cid: 'n1' });
      expect(toCarol.duplicate).toBe(false);
      const all = await store.appendTeamMessage({ sender: 'alice', content: 'note', ts: 3, cid: 'n1' });
      expect(all.duplicate).toBe(false);
      expect(await store.appendTeamMessage({ sender: 'alice', to: 'bob', content: 'note', ts: 4, cid: 'n1' })).toEqual({ message: toBob.message, duplicate: true });
      expect(await store.appendTeamMessage({ sender: 'alice', content: 'note', ts: 5, cid: 'n1' })).toEqual({ message: all.message, duplicate: true });
      await store.close();
    });

    it('keeps an image message\u2019s image reference, and none on a text message', async () => {
      const store = await make();
      const c = await withConversation(store);
      const image = { id: 'AAAAAAAAAAAAAAAAAAAAAA', mime: 'image/png' as const, bytes: 68, width: 1, height: 1 };
      const stored = await store.appendMessage({ ...msg(c, '[图片]', 'i1'), image });
      expect(stored.message).toMatchObject({ seq: 1, content: '[图片]', image });
      expect((await store.appendMessage({ ...msg(c, '[图片]', 'i1'), image })).message.image).toEqual(image);
      await store.appendMessage(msg(c, 'text'));
      expect((await store.messagesAfter(c, 0, 10)).map((m) => m.image)).toEqual([image, null]);
      await store.close();
    });

    it('reads messages after a seq, oldest first, limited', async () => {
      const store = await make();
      const c = await withConversation(store);
      for (let i = 1; i <= 5; i++) await store.appendMessage(msg(c, `m${i}`));
      expect((await store.messagesAfter(c, 2, 2)).map((m) => m.content)).toEqual(['m3', 'm4']);
      await store.close();
    });

    it('gives back every character of a message as it was sent: Chinese, emoji, quotes, newlines', async () => {
      const store = await make();
      const c = await withConversation(store);
      const texts = ['你好，请问订单什么时候发货？', 'ok 👍🏽 👨‍👩‍👧', '"quoted" \\ back\\slash </script>', 'line 1\nline 2\ttab', 'é'.repeat(3000)];
      for (const t of texts) expect((await store.appendMessage(msg(c, t))).message.content).toBe(t);
      expect((await store.messagesAfter(c, 0, 10)).map((m) => m.content)).toEqual(texts);
      await store.close();
    });

    it('keeps conversations open until ended, with the end reason', async () => {
      const store = await make();
      const c = await withConversation(store);
      await store.appendMessage(msg(c, 'm'));
      expect((await store.openConversations()).map((o) => [o.id, o.lastSeq])).toEqual([[c, 1]]);
      expect((await store.openConversationByResumeHash(`h-${c}`))?.id).toBe(c);
      await store.endConversation(c, 3000, 'customer_left');
      expect(await store.openConversations()).toEqual([]);
      expect(await store.openConversationByResumeHash(`h-${c}`)).toBeUndefined();
      expect(await store.getConversation(c)).toMatchObject({ endedAt: 3000, endReason: 'customer_left', messageCount: 1 });
      await store.close();
    });

    it('pages conversations newest first', async () => {
      const store = await make();
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push(await withConversation(store, `agent${i}`, `c${i}`));
      const p1 = await store.listConversations(2);
      expect(p1.conversations.map((c) => c.id)).toEqual([ids[4], ids[3]]);
      const p2 = await store.listConversations(2, p1.nextBefore ?? undefined);
      const p3 = await store.listConversations(2, p2.nextBefore ?? undefined);
      expect([...p2.conversations, ...p3.conversations].map((c) => c.id)).toEqual([ids[2], ids[1], ids[0]]);
      expect(p3.nextBefore).toBeNull();
      await store.close();
    });

    it('moves a conversation to another agent on transfer, messages and seq unchanged', async () => {
      const store = await make();
      const c = await withConversation(store);
      await store.appendMessage(msg(c, 'before'));
      await store.reassignConversation(c, 'dave');
      expect(await store.getConversation(c)).toMatchObject({ agent: 'dave', customer: 'bob', messageCount: 1 });
      expect((await store.appendMessage(msg(c, 'after', undefined, 'kefu'))).message.seq).toBe(2);
      await store.close();
    });

    it('keeps team messages and private notes, each visible to the team or to its two ends only', async () => {
      const store = await make();
      const all = await store.appendTeamMessage({ sender: 'alice', content: 'hi team', ts: 1 });
      await store.appendTeamMessage({ sender: 'alice', to: 'dave', content: 'for dave', ts: 2 });
      await store.appendTeamMessage({ sender: 'erin', to: 'frank', content: 'for frank', ts: 3 });
      expect(all).toMatchObject({ duplicate: false, message: { sender: 'alice', to: null, content: 'hi team', ts: 1, cid: null } });
      expect((await store.teamMessagesFor('dave', 10)).map((m) => m.content)).toEqual(['hi team', 'for dave']);
      expect((await store.teamMessagesFor('alice', 10)).map((m) => m.content)).toEqual(['hi team', 'for dave']);
      expect((await store.teamMessagesFor('frank', 10)).map((m) => m.content)).toEqual(['hi team', 'for frank']);
      expect((await store.teamMessagesFor('zoe', 10)).map((m) => m.content)).toEqual(['hi team']);
      await store.close();
    });

    it('returns the newest team messages, oldest first, and de-duplicates a resent cid per sender', async () => {
      const store = await make();
      for (let i = 1; i <= 5; i++) await store.appendTeamMessage({ sender: 'alice', content: `t${i}`, ts: i });
      const first = await store.appendTeamMessage({ sender: 'alice', content: 'once', ts: 6, cid: 'k' });
      expect(await store.appendTeamMessage({ sender: 'alice', content: 'once', ts: 7, cid: 'k' })).toEqual({ message: first.message, duplicate: true });
      expect((await store.appendTeamMessage({ sender: 'dave', content: 'same cid, other sender', ts: 8, cid: 'k' })).duplicate).toBe(false);
      expect((await store.teamMessagesFor('alice', 3)).map((m) => m.content)).toEqual(['t5', 'once', 'same cid, other sender']);
      await store.close();
    });

    it('finds a conversation by its resume hash after it ended, for rating', async () => {
      const store = await make();
      const c = await withConversation(store);
      await store.endConversation(c, 3000, 'agent_left');
      expect(await store.conversationByResumeHash(`h-${c}`)).toMatchObject({ id: c, endedAt: 3000, rating: null });
      expect(await store.conversationByResumeHash('h-unknown')).toBeUndefined();
      await store.close();
    });

    it('stores one rating per conversation and shows it with the conversation', async () => {
      const store = await make();
      const c = await withConversation(store);
      await store.endConversation(c, 3000, 'customer_left');
      expect(await store.rateConversation(c, { score: 4, comment: '很好 <b>', ratedAt: 4000 })).toBe(true);
      expect(await store.rateConversation(c, { score: 1, comment: null, ratedAt: 5000 })).toBe(false);
      const rating = { score: 4, comment: '很好 <b>', ratedAt: 4000 };
      expect(await store.getConversation(c)).toMatchObject({ rating });
      expect((await store.listConversations(10)).conversations[0]).toMatchObject({ id: c, rating });
      expect(await store.conversationByResumeHash(`h-${c}`)).toMatchObject({ rating });
      expect(await store.rateConversation('no-such-conversation', rating)).toBe(false);
      await store.close();
    });

    it('stores exactly one of two ratings that race', async () => {
      const store = await make();
      const c = await withConversation(store);
      const results = await Promise.all([1, 2, 3, 4, 5].map((score) => store.rateConversation(c, { score, comment: null, ratedAt: score })));
      expect(results.filter(Boolean)).toHaveLength(1);
      const stored = (await store.getConversation(c))?.rating;
      expect(stored?.score).toBe(results.indexOf(true) + 1);
      await store.close();
    });

    it('counts ratings by agent and score', async () => {
      const store = await make();
      const rate = async (agent: string, score: number, comment: string | null = null) => {
        const c = await withConversation(store, agent, 'someone');
        await store.rateConversation(c, { score, comment, ratedAt: 1 });
      };
      await rate('alice', 5);
      await rate('alice', 5, 'great');
      await rate('alice', 3);
      await rate('dave', 1);
      await withConversation(store, 'erin', 'unrated');
      const counts = (await store.ratingCounts()).sort((a, b) => a.agent.localeCompare(b.agent) || a.score - b.score);
      expect(counts).toEqual([
        { agent: 'alice', score: 3, count: 1 },
        { agent: 'alice', score: 5, count: 2 },
        { agent: 'dave', score: 1, count: 1 },
      ]);
      await store.close();
    });

    it('keeps offline messages, newest first and paged, open ones apart from handled ones', async () => {
      const store = await make();
      const added = [];
      for (let i = 1; i <= 3; i++) added.push(await store.addOfflineMessage({ name: `c${i}`, contact: `c${i}@example.com`, content: `m${i}`, createdAt: i }));
      expect(added[0]).toEqual({ id: expect.any(Number), name: 'c1', contact: 'c1@example.com', content: 'm1', createdAt: 1, handledAt: null, handledBy: null });
      const p1 = await store.listOfflineMessages(2);
      expect(p1.messages.map((m) => m.content)).toEqual(['m3', 'm2']);
      const p2 = await store.listOfflineMessages(2, { before: p1.nextBefore ?? undefined });
      expect(p2).toMatchObject({ messages: [{ content: 'm1' }], nextBefore: null });
      const handled = await store.markOfflineMessageHandled(added[1]?.id as number, 'alice', 10);
      expect(handled).toMatchObject({ content: 'm2', handledAt: 10, handledBy: 'alice' });
      expect((await store.listOfflineMessages(10, { openOnly: true })).messages.map((m) => m.content)).toEqual(['m3', 'm1']);
      expect((await store.listOfflineMessages(10)).messages).toHaveLength(3);
      await store.close();
    });

    it('keeps the first agent who marked an offline message handled, and knows no unknown id', async () => {
      const store = await make();
      const m = await store.addOfflineMessage({ name: 'c', contact: '13800138000', content: 'call me', createdAt: 1 });
      await store.markOfflineMessageHandled(m.id, 'alice', 10);
      expect(await store.markOfflineMessageHandled(m.id, 'dave', 20)).toMatchObject({ handledAt: 10, handledBy: 'alice' });
      expect(await store.markOfflineMessageHandled(m.id + 1000, 'dave', 20)).toBeUndefined();
      await store.close();
    });

    it('tells which of the conversations named ended before a time', async () => {
      const store = await make();
      const [early, late, open] = [await withConversation(store), await withConversation(store), await withConversation(store)];
      await store.endConversation(early, 5000, 'customer_left');
      await store.endConversation(late, 9000, 'agent_left');
      expect((await store.conversationsEndedBefore([early, late, open, 'unknown'], 6000)).sort()).toEqual([early]);
      expect((await store.conversationsEndedBefore([early, late, open], 10_000)).sort()).toEqual([early, late].sort());
      expect(await store.conversationsEndedBefore([], 10_000)).toEqual([]);
      await store.close();
    });

    it('keeps bot exchanges per conversation, before the conversation exists, and returns the latest oldest first', async () => {
      const store = await make();
      for (let i = 1; i <= 4; i++) await store.appendBotExchange('future', { question: `q${i}`, answer: `a${i}`, matched: i % 2 === 0, ts: i });
      await store.appendBotExchange('other', { question: 'x', answer: 'y', matched: true, ts: 9 });
      expect(await store.botExchanges('future', 3)).toEqual([
        { question: 'q2', answer: 'a2', matched: true, ts: 2 },
        { question: 'q3', answer: 'a3', matched: false, ts: 3 },
        { question: 'q4', answer: 'a4', matched: true, ts: 4 },
      ]);
      expect(await store.botExchanges('none', 3)).toEqual([]);
      await store.close();
    });
  });
}
