import { describe, expect, it } from 'vitest';
import type { NewMessage } from '../../src/store/conversationStore.js';
import { MemoryConversationStore } from '../../src/store/memory/conversationStore.js';

const HOUR = 60 * 60_000;

function message(conversationId: string, content: string, cid?: string): NewMessage {
  return { conversationId, sender: 'bob', role: 'yonghu', content, ts: 2000, ...(cid === undefined ? {} : { cid }) };
}

async function started(store: MemoryConversationStore, id: string, startedAt = 1000): Promise<string> {
  await store.startConversation({ id, agent: 'alice', customer: 'bob', startedAt, resumeHash: `h-${id}` });
  return id;
}

describe('the in-process store keeps bounded history', () => {
  it('keeps a conversation\u2019s latest messages only, numbered on from the ones dropped', async () => {
    const store = new MemoryConversationStore({ maxMessages: 3, keepEndedMs: HOUR });
    const c = await started(store, 'c');
    for (let i = 1; i <= 5; i++) await store.appendMessage(message(c, `m${i}`));
    expect((await store.messagesAfter(c, 0, 10)).map((m) => [m.seq, m.content])).toEqual([
      [3, 'm3'],
      [4, 'm4'],
      [5, 'm5'],
    ]);
    expect((await store.messagesAfter(c, 3, 10)).map((m) => m.seq)).toEqual([4, 5]);
    expect(await store.getConversation(c)).toMatchObject({ messageCount: 5 });
    expect((await store.openConversations()).map((o) => o.lastSeq)).toEqual([5]);
    expect((await store.appendMessage(message(c, 'm6'))).message.seq).toBe(6);
  });

  it('recognises a resend by its cid while the message it repeats is kept, and not once it was dropped', async () => {
    const store = new MemoryConversationStore({ maxMessages: 2, keepEndedMs: HOUR });
    const c = await started(store, 'c');
    const first = await store.appendMessage(message(c, 'one', 'k1'));
    await store.appendMessage(message(c, 'two', 'k2'));
    expect(await store.appendMessage(message(c, 'one', 'k1'))).toEqual({ message: first.message, duplicate: true });
    await store.appendMessage(message(c, 'three', 'k3'));
    expect(await store.appendMessage(message(c, 'one', 'k1'))).toMatchObject({ message: { seq: 4 }, duplicate: false });
  });

  it('drops a conversation keepEndedMs after it ended, found when a conversation starts, and keeps the others', async () => {
    let now = 0;
    const store = new MemoryConversationStore({ maxMessages: 10, keepEndedMs: HOUR }, () => now);
    const old = await started(store, 'old');
    const recent = await started(store, 'recent');
    const open = await started(store, 'open');
    await store.appendMessage(message(old, 'hello'));
    await store.endConversation(old, 1000, 'customer_left');
    await store.endConversation(recent, 30 * 60_000, 'agent_left');
    now = HOUR + 1000;
    await started(store, 'next', now);
    expect(await store.getConversation(old)).toBeUndefined();
    expect(await store.messagesAfter(old, 0, 10)).toEqual([]);
    expect(await store.conversationByResumeHash('h-old')).toBeUndefined();
    expect((await store.listConversations(10)).conversations.map((c) => c.id)).toEqual(['next', open, recent]);
    expect(await store.conversationByResumeHash('h-recent')).toMatchObject({ id: recent });
  });
});
