import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ConversationStore } from '../../src/store/conversationStore.js';
import type { Stores } from '../../src/store/stores.js';

/**
 * What every ConversationStore promises (conversations and their messages), run against memory,
 * SQLite and PostgreSQL so they cannot drift apart. `make` opens a fresh set of stores; each test
 * closes it.
 */
export function describeConversationStore(label: string, make: () => Promise<Stores>): void {
  describe(`${label} conversation store`, () => {
    async function withConversation(store: ConversationStore, agent = 'alice', customer = 'bob') {
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
      const stores = await make();
      const a = await withConversation(stores.conversations);
      const b = await withConversation(stores.conversations, 'dave', 'carol');
      expect((await stores.conversations.appendMessage(msg(a, 'a1'))).message.seq).toBe(1);
      expect((await stores.conversations.appendMessage(msg(b, 'b1'))).message.seq).toBe(1);
      expect((await stores.conversations.appendMessage(msg(a, 'a2'))).message).toMatchObject({ seq: 2, content: 'a2', conversationId: a, cid: null });
      await stores.close();
    });

    it('numbers appends in the order they are called, while the earlier ones are still pending', async () => {
      const stores = await make();
      const c = await withConversation(stores.conversations);
      // As a connection's messages in flight together call it: none awaited before the next.
      const appended = await Promise.all(Array.from({ length: 40 }, (_, i) => stores.conversations.appendMessage(msg(c, `m${i}`, `k${i}`))));
      expect(appended.map((a) => [a.message.content, a.message.seq])).toEqual(Array.from({ length: 40 }, (_, i) => [`m${i}`, i + 1]));
      await stores.close();
    });

    it('returns the stored message for a repeated cid instead of storing it twice', async () => {
      const stores = await make();
      const c = await withConversation(stores.conversations);
      const first = await stores.conversations.appendMessage(msg(c, 'hi', 'x'));
      const again = await stores.conversations.appendMessage(msg(c, 'hi', 'x'));
      expect(again).toEqual({ message: first.message, duplicate: true });
      expect((await stores.conversations.appendMessage(msg(c, 'from agent', 'x', 'kefu'))).duplicate).toBe(false);
      expect(await stores.conversations.messagesAfter(c, 0, 10)).toHaveLength(2);
      await stores.close();
    });

    it('stores two appends of one cid started together once: the second is a duplicate of the first', async () => {
      const stores = await make();
      const c = await withConversation(stores.conversations);
      // Not awaited one by one: a store that batches takes both into the same batch.
      const [first, second, other] = await Promise.all([
        stores.conversations.appendMessage(msg(c, 'hi', 'same')),
        stores.conversations.appendMessage(msg(c, 'hi', 'same')),
        stores.conversations.appendMessage(msg(c, 'next', 'other')),
      ]);
      expect(first?.duplicate).toBe(false);
      expect(second).toEqual({ message: first?.message, duplicate: true });
      expect(other?.message.seq).toBe(2);
      expect((await stores.conversations.messagesAfter(c, 0, 10)).map((m) => [m.seq, m.content])).toEqual([
        [1, 'hi'],
        [2, 'next'],
      ]);
      await stores.close();
    });

    it('keeps each conversation\u2019s order and seqs 1..n when appends to several are started together', async () => {
      const stores = await make();
      const ids = [await withConversation(stores.conversations), await withConversation(stores.conversations, 'dave', 'carol')];
      ids.push(await withConversation(stores.conversations, 'erin', 'frank'));
      const n = 30;
      const started = [];
      for (let i = 0; i < n; i++) for (const c of ids) started.push(stores.conversations.appendMessage(msg(c, `${c}:${i}`, `cid${i}`)));
      const results = await Promise.all(started);
      for (const c of ids) {
        const mine = results.filter((r) => r.message.conversationId === c);
        expect(mine.map((r) => [r.message.seq, r.message.content, r.duplicate])).toEqual(Array.from({ length: n }, (_, i) => [i + 1, `${c}:${i}`, false]));
        expect((await stores.conversations.messagesAfter(c, 0, 100)).map((m) => m.content)).toEqual(mine.map((r) => r.message.content));
        expect((await stores.conversations.getConversation(c))?.messageCount).toBe(n);
      }
      await stores.close();
    });

    it('keeps a cid per sender: after a transfer the new agent may reuse the old agent\u2019s', async () => {
      const stores = await make();
      const c = await withConversation(stores.conversations);
      const old = await stores.conversations.appendMessage(msg(c, 'from alice', 'k1', 'kefu'));
      const next = await stores.conversations.appendMessage({ ...msg(c, 'from dave', 'k1', 'kefu'), sender: 'dave' });
      expect(next.duplicate).toBe(false);
      expect(next.message).toMatchObject({ seq: 2, sender: 'dave', content: 'from dave' });
      // Each sender's resend is still found.
      expect(await stores.conversations.appendMessage(msg(c, 'from alice', 'k1', 'kefu'))).toEqual({ message: old.message, duplicate: true });
      expect(await stores.conversations.appendMessage({ ...msg(c, 'from dave', 'k1', 'kefu'), sender: 'dave' })).toEqual({
        message: next.message,
        duplicate: true,
      });
      await stores.close();
    });

    it('keeps an image message\u2019s image reference, and none on a text message', async () => {
      const stores = await make();
      const c = await withConversation(stores.conversations);
      const image = { id: 'AAAAAAAAAAAAAAAAAAAAAA', mime: 'image/png' as const, bytes: 68, width: 1, height: 1 };
      const stored = await stores.conversations.appendMessage({ ...msg(c, '[图片]', 'i1'), image });
      expect(stored.message).toMatchObject({ seq: 1, content: '[图片]', image });
      expect((await stores.conversations.appendMessage({ ...msg(c, '[图片]', 'i1'), image })).message.image).toEqual(image);
      await stores.conversations.appendMessage(msg(c, 'text'));
      expect((await stores.conversations.messagesAfter(c, 0, 10)).map((m) => m.image)).toEqual([image, null]);
      await stores.close();
    });

    it('reads messages after a seq, oldest first, limited', async () => {
      const stores = await make();
      const c = await withConversation(stores.conversations);
      for (let i = 1; i <= 5; i++) await stores.conversations.appendMessage(msg(c, `m${i}`));
      expect((await stores.conversations.messagesAfter(c, 2, 2)).map((m) => m.content)).toEqual(['m3', 'm4']);
      await stores.close();
    });

    it('gives back every character of a message as it was sent: Chinese, emoji, quotes, newlines', async () => {
      const stores = await make();
      const c = await withConversation(stores.conversations);
      const texts = ['你好，请问订单什么时候发货？', 'ok 👍🏽 👨‍👩‍👧', '"quoted" \\ back\\slash </script>', 'line 1\nline 2\ttab', 'é'.repeat(3000)];
      for (const t of texts) expect((await stores.conversations.appendMessage(msg(c, t))).message.content).toBe(t);
      expect((await stores.conversations.messagesAfter(c, 0, 10)).map((m) => m.content)).toEqual(texts);
      await stores.close();
    });

    it('reads nothing past the last message, and clamps a negative seq or a zero limit', async () => {
      const stores = await make();
      const c = await withConversation(stores.conversations);
      for (let i = 1; i <= 3; i++) await stores.conversations.appendMessage(msg(c, `m${i}`));
      expect(await stores.conversations.messagesAfter(c, 3, 10)).toEqual([]);
      expect(await stores.conversations.messagesAfter(c, 10, 10)).toEqual([]);
      expect(await stores.conversations.messagesAfter(c, 1, 0)).toEqual([]);
      expect((await stores.conversations.messagesAfter(c, -5, 2)).map((m) => m.seq)).toEqual([1, 2]);
      await stores.close();
    });

    it('keeps conversations open until ended, with the end reason', async () => {
      const stores = await make();
      const c = await withConversation(stores.conversations);
      await stores.conversations.appendMessage(msg(c, 'm'));
      expect((await stores.conversations.openConversations()).map((o) => [o.id, o.lastSeq])).toEqual([[c, 1]]);
      expect((await stores.conversations.openConversationByResumeHash(`h-${c}`))?.id).toBe(c);
      await stores.conversations.endConversation(c, 3000, 'customer_left');
      expect(await stores.conversations.openConversations()).toEqual([]);
      expect(await stores.conversations.openConversationByResumeHash(`h-${c}`)).toBeUndefined();
      expect(await stores.conversations.getConversation(c)).toMatchObject({ endedAt: 3000, endReason: 'customer_left', messageCount: 1 });
      await stores.close();
    });

    it('pages conversations newest first', async () => {
      const stores = await make();
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push(await withConversation(stores.conversations, `agent${i}`, `c${i}`));
      const p1 = await stores.conversations.listConversations(2);
      expect(p1.conversations.map((c) => c.id)).toEqual([ids[4], ids[3]]);
      const p2 = await stores.conversations.listConversations(2, p1.nextBefore ?? undefined);
      const p3 = await stores.conversations.listConversations(2, p2.nextBefore ?? undefined);
      expect([...p2.conversations, ...p3.conversations].map((c) => c.id)).toEqual([ids[2], ids[1], ids[0]]);
      expect(p3.nextBefore).toBeNull();
      await stores.close();
    });

    it('moves a conversation to another agent on transfer, messages and seq unchanged', async () => {
      const stores = await make();
      const c = await withConversation(stores.conversations);
      await stores.conversations.appendMessage(msg(c, 'before'));
      await stores.conversations.reassignConversation(c, 'dave');
      expect(await stores.conversations.getConversation(c)).toMatchObject({ agent: 'dave', customer: 'bob', messageCount: 1 });
      expect((await stores.conversations.appendMessage(msg(c, 'after', undefined, 'kefu'))).message.seq).toBe(2);
      await stores.close();
    });

    it('finds a conversation by its resume hash after it ended, for rating', async () => {
      const stores = await make();
      const c = await withConversation(stores.conversations);
      await stores.conversations.endConversation(c, 3000, 'agent_left');
      expect(await stores.conversations.conversationByResumeHash(`h-${c}`)).toMatchObject({ id: c, endedAt: 3000, rating: null });
      expect(await stores.conversations.conversationByResumeHash('h-unknown')).toBeUndefined();
      await stores.close();
    });

    it('tells which of the conversations named ended before a time', async () => {
      const stores = await make();
      const [early, late, open] = [
        await withConversation(stores.conversations),
        await withConversation(stores.conversations),
        await withConversation(stores.conversations),
      ];
      await stores.conversations.endConversation(early, 5000, 'customer_left');
      await stores.conversations.endConversation(late, 9000, 'agent_left');
      expect((await stores.conversations.conversationsEndedBefore([early, late, open, 'unknown'], 6000)).sort()).toEqual([early]);
      expect((await stores.conversations.conversationsEndedBefore([early, late, open], 10_000)).sort()).toEqual([early, late].sort());
      expect(await stores.conversations.conversationsEndedBefore([], 10_000)).toEqual([]);
      await stores.close();
    });

    it('gives the first-response times of the latest replied conversations since a time, newest first', async () => {
      const stores = await make();
      const store = stores.conversations;
      const start = async (startedAt: number, replies: Array<[role: 'kefu' | 'yonghu', ts: number]>) => {
        const id = randomUUID();
        await store.startConversation({ id, agent: 'alice', customer: 'bob', startedAt, resumeHash: `h-${id}` });
        for (const [role, ts] of replies) await store.appendMessage({ ...msg(id, 'x', undefined, role), ts });
        return id;
      };
      await start(1000, [['kefu', 1500]]); // too old
      await start(10_000, [
        ['yonghu', 10_100],
        ['kefu', 13_000],
        ['kefu', 14_000],
      ]);
      await start(20_000, [['yonghu', 20_500]]); // no reply from the agent
      await start(30_000, [['kefu', 31_000]]);
      await start(40_000, [['kefu', 40_000]]);
      expect(await store.firstResponseTimes(5000, 10)).toEqual([0, 1000, 3000]);
      expect(await store.firstResponseTimes(5000, 2)).toEqual([0, 1000]);
      expect(await store.firstResponseTimes(50_000, 10)).toEqual([]);
      await stores.close();
    });
  });
}
