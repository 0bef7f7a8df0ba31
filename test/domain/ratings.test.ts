import { describe, expect, it } from 'vitest';
import { MemoryRoomRegistry } from '../../src/cluster/memoryRoomRegistry.js';
import { Broker } from '../../src/domain/broker.js';
import { RATING_WINDOW_MS, Ratings } from '../../src/domain/ratings.js';
import { openMemoryStores } from '../../src/store/memory/stores.js';

function setup() {
  let now = 1_000;
  const stores = openMemoryStores();
  const registry = new MemoryRoomRegistry();
  const clock = () => now;
  const broker = new Broker(registry, stores, {
    ticketTtlMs: 60_000,
    graceMs: 60_000,
    queueMaxLength: 10,
    queueMaxWaitMs: 600_000,
    replayLimit: 1000,
    now: clock,
  });
  const ratings = new Ratings(stores, registry, { now: clock });
  return { broker, ratings, stores, advance: (ms: number) => (now += ms) };
}

/** An agent (admitted unless already online) with a seated customer; returns the customer's resume token. */
async function conversation(broker: Broker, agent = 'alice', customer = 'bob', online = false) {
  const a = await broker.admitAgent(`a-${agent}`, agent);
  if (!a.ok && !online) throw new Error('agent refused');
  const offer = await broker.requestRoom(customer);
  if (!offer.room) throw new Error('no room');
  const c = await broker.admitCustomer(`c-${customer}`, customer, offer.ticket);
  if (!c.ok) throw new Error('customer refused');
  const first = c.deliveries[0]?.event;
  return {
    agent: { session: `a-${agent}`, role: 'kefu' as const, name: agent, room: agent },
    customer: c.participant,
    token: first?.kind === 'agent_assigned' ? (first.resume as string) : '',
  };
}

describe('Ratings', () => {
  it('stores a rating after the customer left and tells the connected agent', async () => {
    const { broker, ratings, advance } = setup();
    const { customer, token } = await conversation(broker);
    await broker.leave(customer, 'deliberate');
    advance(5_000);
    const result = await ratings.rate(token, 4, '很耐心');
    expect(result).toEqual({
      ok: true,
      rating: { score: 4, comment: '很耐心', ratedAt: 6_000 },
      deliveries: [{ to: ['a-alice'], event: { kind: 'rated', customer: 'bob', conversationId: expect.any(String), score: 4, comment: '很耐心' } }],
    });
  });

  it('stores a rating after the agent left, telling nobody', async () => {
    const { broker, ratings } = setup();
    const { agent, token } = await conversation(broker);
    await broker.leave(agent, 'deliberate');
    expect(await ratings.rate(token, 2, null)).toMatchObject({ ok: true, deliveries: [] });
  });

  it('refuses a second rating of the same conversation', async () => {
    const { broker, ratings } = setup();
    const { token } = await conversation(broker);
    expect((await ratings.rate(token, 5, null)).ok).toBe(true);
    expect(await ratings.rate(token, 1, 'changed my mind')).toEqual({ ok: false, reason: 'already_rated' });
  });

  it('refuses an unknown token, and a token whose conversation ended longer ago than the window', async () => {
    const { broker, ratings, advance } = setup();
    expect(await ratings.rate('forged', 5, null)).toEqual({ ok: false, reason: 'unknown_token' });
    const { customer, token } = await conversation(broker);
    await broker.leave(customer, 'deliberate');
    advance(RATING_WINDOW_MS + 1);
    expect(await ratings.rate(token, 5, null)).toEqual({ ok: false, reason: 'unknown_token' });
  });

  it('sums ratings per agent: count, mean to two decimals, distribution', async () => {
    const { broker, ratings } = setup();
    for (const [customer, score] of [
      ['c1', 5],
      ['c2', 4],
      ['c3', 4],
    ] as const) {
      const { customer: who, token } = await conversation(broker, 'alice', customer, customer !== 'c1');
      await ratings.rate(token, score, null);
      await broker.leave(who, 'deliberate');
    }
    // Alice goes offline, so the next customer is dave's.
    await broker.leave({ session: 'a-alice', role: 'kefu', name: 'alice', room: 'alice' }, 'deliberate');
    const dave = await conversation(broker, 'dave', 'c4');
    await ratings.rate(dave.token, 1, null);
    expect(await ratings.summary()).toEqual([
      { agent: 'alice', count: 3, average: 4.33, distribution: { 1: 0, 2: 0, 3: 0, 4: 2, 5: 1 } },
      { agent: 'dave', count: 1, average: 1, distribution: { 1: 1, 2: 0, 3: 0, 4: 0, 5: 0 } },
    ]);
  });
});
