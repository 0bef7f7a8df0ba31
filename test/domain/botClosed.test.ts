import { describe, expect, it } from 'vitest';
import { MemoryRoomRegistry } from '../../src/cluster/memoryRoomRegistry.js';
import { Broker } from '../../src/domain/broker.js';
import { parseWeeklyHours } from '../../src/domain/businessHours.js';
import { parseFaq } from '../../src/domain/faq.js';
import { openMemoryStores } from '../../src/store/memory/stores.js';

const faq = parseFaq({ fallback: '请稍候', entries: [{ keywords: ['退款'], answer: 'refund' }] });
const week = parseWeeklyHours('mon-fri 09:00-18:00');

describe('the bot outside business hours', () => {
  it('tells a queued customer the team is closed and when it opens, even after answering from the FAQ', async () => {
    if (!faq.ok || !week.ok) throw new Error('fixtures');
    // Wednesday 17:59 UTC: open when the customer queues, closed two minutes later when they ask.
    let now = Date.parse('2026-12-09T17:59:00Z');
    const broker = new Broker(new MemoryRoomRegistry(), openMemoryStores(), {
      ticketTtlMs: 60_000,
      graceMs: 60_000,
      queueMaxLength: 10,
      queueMaxWaitMs: 600_000,
      replayLimit: 1000,
      faq: () => faq.faq,
      hours: { timeZone: 'UTC', week: week.week },
      now: () => now,
    });
    const offer = await broker.requestRoom('bob');
    if (offer.room || !('ticket' in offer)) throw new Error('expected a queue ticket');
    const admitted = await broker.admitCustomer('c1', 'bob', offer.ticket);
    if (!admitted.ok) throw new Error(admitted.refusal);
    const [, open] = await broker.postMessage(admitted.participant, 'hello?');
    expect(open?.event).not.toHaveProperty('closed');
    now += 2 * 60_000;
    const [, closed] = await broker.postMessage(admitted.participant, 'hello?');
    expect(closed?.event).toMatchObject({ kind: 'bot', matched: false, closed: true, opensAt: Date.parse('2026-12-10T09:00:00Z') });
    const [, matched] = await broker.postMessage(admitted.participant, '退款');
    expect(matched?.event).toMatchObject({ kind: 'bot', matched: true, content: 'refund', closed: true });
  });
});
