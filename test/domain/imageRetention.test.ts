import { describe, expect, it } from 'vitest';
import { ImageRetention } from '../../src/domain/imageRetention.js';
import { MemoryConversationStore } from '../../src/store/memory/conversationStore.js';
import { MemoryImageStore } from '../../src/store/memory/imageStore.js';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

let ids = 0;
/** A 22-character id, as the intake makes them. */
const newId = (): string => String(++ids).padStart(22, 'A');

async function world(now: number) {
  const store = new MemoryConversationStore();
  const images = new MemoryImageStore();
  const clock = { now };
  const retention = new ImageRetention(images, store, { unsentTtlMs: HOUR, retentionMs: 90 * DAY, batch: 2, now: () => clock.now });
  const conversation = async (id: string, endedAt?: number): Promise<void> => {
    await store.startConversation({ id, agent: 'alice', customer: 'bob', startedAt: 0, resumeHash: `h-${id}` });
    if (endedAt !== undefined) await store.endConversation(id, endedAt, 'customer_left');
  };
  const image = async (conversationId: string, ts: number, sent: boolean): Promise<string> => {
    const id = newId();
    await images.put({ id, conversationId, role: 'yonghu', mime: 'image/png', width: 1, height: 1, ts }, [Buffer.from('x')]);
    if (sent) await images.markSent(id);
    return id;
  };
  return { images, retention, clock, conversation, image };
}

describe('ImageRetention', () => {
  it('removes every unsent image past its time in one sweep, batch after batch, and only those', async () => {
    const w = await world(10 * HOUR);
    await w.conversation('c');
    const due = await Promise.all([1, 2, 3, 4, 5].map((h) => w.image('c', h * HOUR, false)));
    const young = await w.image('c', 9.5 * HOUR, false);
    const sent = await w.image('c', HOUR, true);
    expect(await w.retention.sweep()).toBe(5);
    for (const id of due) expect(await w.images.get(id)).toBeUndefined();
    expect(await w.images.get(young)).toBeDefined();
    expect(await w.images.get(sent)).toBeDefined();
  });

  it('removes the images of every conversation that ended longer than the retention ago, past one batch of them', async () => {
    const w = await world(100 * DAY);
    const ended = ['e1', 'e2', 'e3', 'e4', 'e5'];
    for (const id of ended) await w.conversation(id, 2 * DAY);
    await w.conversation('recent', 50 * DAY);
    await w.conversation('open');
    const gone = await Promise.all(ended.map((c) => w.image(c, DAY, true)));
    const kept = [await w.image('recent', DAY, true), await w.image('open', DAY, true)];
    expect(await w.retention.sweep()).toBe(5);
    for (const id of gone) expect(await w.images.get(id)).toBeUndefined();
    for (const id of kept) expect(await w.images.get(id)).toBeDefined();
  });

  it('sweeps on a timer with a quarter of the shorter keeping time, at least every minute', () => {
    const make = (unsentTtlMs: number, retentionMs: number): number =>
      new ImageRetention(new MemoryImageStore(), new MemoryConversationStore(), { unsentTtlMs, retentionMs }).intervalMs;
    expect(make(HOUR, 90 * DAY)).toBe(60_000);
    expect(make(2000, 90 * DAY)).toBe(500);
    expect(make(HOUR, 300)).toBe(75);
    expect(make(10, 10)).toBe(50);
  });
});
