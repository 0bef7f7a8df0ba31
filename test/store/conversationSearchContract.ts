import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ConversationFilter, ConversationStore, ListedConversation } from '../../src/store/conversationStore.js';
import type { Stores } from '../../src/store/stores.js';

/**
 * What every store's listing filters and text search promise, run against memory, SQLite and
 * PostgreSQL: Chinese and English, text shorter than a trigram, characters that are query syntax
 * somewhere (LIKE's % and _, FTS5's " and *) taken as plain characters, and a filter that keeps
 * another agent's conversations out of the answer.
 */
export function describeConversationSearch(label: string, make: () => Promise<Stores>): void {
  describe(`${label} conversation search`, () => {
    interface Chat {
      agent?: string;
      visitorId?: string;
      startedAt?: number;
      lines: string[];
    }
    /** Starts a conversation and stores its lines, customer and agent in turn. */
    async function chat(store: ConversationStore, c: Chat): Promise<string> {
      const id = randomUUID();
      const agent = c.agent ?? 'alice';
      await store.startConversation({
        id,
        agent,
        customer: 'bob',
        startedAt: c.startedAt ?? 1000,
        resumeHash: `h-${id}`,
        ...(c.visitorId === undefined ? {} : { visitorId: c.visitorId }),
      });
      for (const [i, content] of c.lines.entries()) {
        const role = i % 2 === 0 ? 'yonghu' : 'kefu';
        await store.appendMessage({ conversationId: id, sender: role === 'yonghu' ? 'bob' : agent, role, content, ts: 2000 + i });
      }
      return id;
    }
    /** Every page of a listing, following nextBefore: what the filter lets through, newest first. */
    async function all(store: ConversationStore, filter: ConversationFilter, limit = 50): Promise<ListedConversation[]> {
      const out: ListedConversation[] = [];
      let before: string | undefined;
      for (let i = 0; i < 100; i++) {
        const page = await store.listConversations(limit, before, filter);
        out.push(...page.conversations);
        if (page.nextBefore === null) return out;
        before = page.nextBefore;
      }
      throw new Error('the listing never ended');
    }
    const ids = async (store: ConversationStore, filter: ConversationFilter, limit?: number) => (await all(store, filter, limit)).map((c) => c.id);

    it('finds Chinese text of one, two and more characters, the matching messages with a snippet around the hit', async () => {
      const stores = await make();
      const s = stores.conversations;
      const refund = await chat(s, { lines: ['你好,我想申请退款', '好的,请提供订单号', '订单号是 1234'] });
      const invoice = await chat(s, { lines: ['请问怎么开发票?', '在订单页面可以申请'] });
      const neither = await chat(s, { lines: ['在吗', '在的'] });
      expect(await ids(s, { text: '退款' })).toEqual([refund]);
      expect(await ids(s, { text: '发票' })).toEqual([invoice]);
      expect(await ids(s, { text: '申请退款' })).toEqual([refund]);
      expect(await ids(s, { text: '申请' })).toEqual([invoice, refund]);
      expect(await ids(s, { text: '订单号' })).toEqual([refund]);
      expect(await ids(s, { text: '在' })).toEqual([neither, invoice]);
      expect(await ids(s, { text: '没有的话' })).toEqual([]);
      const [found] = await all(s, { text: '订单号' });
      expect(found?.matches).toEqual([
        { id: expect.any(Number), seq: 2, sender: 'alice', role: 'kefu', ts: 2001, snippet: '好的,请提供订单号' },
        { id: expect.any(Number), seq: 3, sender: 'bob', role: 'yonghu', ts: 2002, snippet: '订单号是 1234' },
      ]);
      await stores.close();
    });

    it('finds English text whatever its letter case, and cuts a long message to a snippet around the hit', async () => {
      const stores = await make();
      const s = stores.conversations;
      const long = `${'lorem ipsum '.repeat(10)}my Refund Request is here${' dolor sit'.repeat(10)}`;
      const upper = await chat(s, { lines: ['Where is my REFUND?'] });
      const lower = await chat(s, { lines: [long] });
      await chat(s, { lines: ['nothing to see'] });
      expect(await ids(s, { text: 'refund' })).toEqual([lower, upper]);
      expect(await ids(s, { text: 'rEfUnD rEQ' })).toEqual([lower]);
      expect(await ids(s, { text: 'Re' })).toEqual([lower, upper]);
      const [hit] = await all(s, { text: 'refund request' });
      const snippet = hit?.matches?.[0]?.snippet ?? '';
      expect(snippet).toMatch(/^….*my Refund Request is here.*…$/);
      expect(snippet.length).toBeLessThan(90);
      await stores.close();
    });

    it('takes % _ " * and query words as plain characters, never as query syntax', async () => {
      const stores = await make();
      const s = stores.conversations;
      const percent = await chat(s, { lines: ['打折 50%_off 今天'] });
      const plain = await chat(s, { lines: ['打折 50 off 今天, 500 off 明天'] });
      const quoted = await chat(s, { lines: ['会员 "*vip*" 专享'] });
      const words = await chat(s, { lines: ['vip OR 退款 NEAR x'] });
      expect(await ids(s, { text: '50%_' })).toEqual([percent]);
      expect(await ids(s, { text: '0%' })).toEqual([percent]);
      expect(await ids(s, { text: '%' })).toEqual([percent]);
      expect(await ids(s, { text: '_' })).toEqual([percent]);
      expect(await ids(s, { text: '5_0' })).toEqual([]);
      expect(await ids(s, { text: '"*vip*"' })).toEqual([quoted]);
      expect(await ids(s, { text: '"' })).toEqual([quoted]);
      expect(await ids(s, { text: '*vip' })).toEqual([quoted]);
      expect(await ids(s, { text: 'vip OR 退款' })).toEqual([words]);
      expect(await ids(s, { text: 'vip NEAR' })).toEqual([]);
      expect(await ids(s, { text: '\\' })).toEqual([]);
      expect(await ids(s, { text: 'off' })).toEqual([plain, percent]);
      await stores.close();
    });

    it('finds the text itself, not a message that holds its pieces apart', async () => {
      const stores = await make();
      const s = stores.conversations;
      await chat(s, { lines: ['abc-bcd', '申请 请退款'] });
      const whole = await chat(s, { lines: ['abcd', '申请退款'] });
      expect(await ids(s, { text: 'abcd' })).toEqual([whole]);
      expect(await ids(s, { text: '申请退款' })).toEqual([whole]);
      await stores.close();
    });

    it('sees a message as soon as its append is answered', async () => {
      const stores = await make();
      const s = stores.conversations;
      const id = await chat(s, { lines: ['first line'] });
      expect(await ids(s, { text: '刚刚发的' })).toEqual([]);
      await s.appendMessage({ conversationId: id, sender: 'bob', role: 'yonghu', content: '这是刚刚发的消息', ts: 3000 });
      expect(await ids(s, { text: '刚刚发的' })).toEqual([id]);
      expect(await ids(s, { text: '刚刚' })).toEqual([id]);
      await stores.close();
    });

    it('shows at most 3 matches of a conversation, its first ones', async () => {
      const stores = await make();
      const s = stores.conversations;
      await chat(s, { lines: ['退款 1', '退款 2', 'no', '退款 3', '退款 4'] });
      const [found] = await all(s, { text: '退款' });
      expect(found?.matches?.map((m) => m.seq)).toEqual([1, 2, 4]);
      const [again] = await all(s, { text: '退款 4' });
      expect(again?.matches?.map((m) => m.seq)).toEqual([5]);
      await stores.close();
    });

    it('pages through the hits newest first, for long and short text alike', async () => {
      const stores = await make();
      const s = stores.conversations;
      const hits: string[] = [];
      for (let i = 0; i < 7; i++) {
        hits.unshift(await chat(s, { lines: [`订单 ${i} 退款中`] }));
        await chat(s, { lines: ['no match here'] });
      }
      expect(await ids(s, { text: '退款中' }, 2)).toEqual(hits);
      expect(await ids(s, { text: '退款' }, 2)).toEqual(hits);
      expect(await ids(s, { text: '退款' }, 7)).toEqual(hits);
      const first = await s.listConversations(3, undefined, { text: '退款中' });
      expect(first.conversations.map((c) => c.id)).toEqual(hits.slice(0, 3));
      expect(first.nextBefore).not.toBeNull();
      await stores.close();
    });

    it('filters by agent, start time, rating, status and visitor, with text or without', async () => {
      const stores = await make();
      const s = stores.conversations;
      const visitor = 'v_0123456789abcdef';
      const a = await chat(s, { agent: 'alice', startedAt: 1000, visitorId: visitor, lines: ['退款 please'] });
      const b = await chat(s, { agent: 'dave', startedAt: 2000, visitorId: visitor, lines: ['退款 too'] });
      const c = await chat(s, { agent: 'alice', startedAt: 3000, lines: ['hello'] });
      await s.endConversation(a, 5000, 'customer_left');
      await s.endConversation(b, 5000, 'agent_left');
      await stores.ratings.rateConversation(a, { score: 5, comment: null, ratedAt: 6000 });
      await stores.ratings.rateConversation(b, { score: 2, comment: null, ratedAt: 6000 });
      expect(await ids(s, {})).toEqual([c, b, a]);
      expect(await ids(s, { agent: 'alice' })).toEqual([c, a]);
      expect(await ids(s, { from: 2000 })).toEqual([c, b]);
      expect(await ids(s, { to: 2000 })).toEqual([a]);
      expect(await ids(s, { from: 1000, to: 3000 })).toEqual([b, a]);
      expect(await ids(s, { rating: 5 })).toEqual([a]);
      expect(await ids(s, { rating: 3 })).toEqual([]);
      expect(await ids(s, { status: 'open' })).toEqual([c]);
      expect(await ids(s, { status: 'ended' })).toEqual([b, a]);
      expect(await ids(s, { visitor })).toEqual([b, a]);
      expect(await ids(s, { visitor, agent: 'alice', status: 'ended', rating: 5 })).toEqual([a]);
      expect(await ids(s, { text: '退款', rating: 2 })).toEqual([b]);
      expect(await ids(s, { text: 'please', status: 'open' })).toEqual([]);
      const listed = await all(s, { visitor });
      expect(listed.map((r) => [r.visitorId, r.rating?.score])).toEqual([
        [visitor, 2],
        [visitor, 5],
      ]);
      expect(await s.getConversation(a)).toMatchObject({ visitorId: visitor });
      expect((await s.getConversation(c))?.visitorId).toBeUndefined();
      await stores.close();
    });

    it('keeps a hit in another agent\u2019s conversation out of a listing filtered by agent', async () => {
      const stores = await make();
      const s = stores.conversations;
      const mine = await chat(s, { agent: 'alice', lines: ['普通问题'] });
      const theirs = await chat(s, { agent: 'dave', lines: ['机密退款信息 secret'] });
      expect(await ids(s, { text: '机密退款', agent: 'alice' })).toEqual([]);
      expect(await ids(s, { text: '机密', agent: 'alice' })).toEqual([]);
      expect(await ids(s, { text: 'secret', agent: 'alice' })).toEqual([]);
      expect(await ids(s, { text: '机密退款', agent: 'dave' })).toEqual([theirs]);
      expect(await ids(s, { agent: 'alice' })).toEqual([mine]);
      await stores.close();
    });
  });
}
