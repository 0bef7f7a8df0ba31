import { describe, expect, it } from 'vitest';
import type { RoomRegistry } from '../../src/cluster/roomRegistry.js';
import { LONG_QUEUE as LIMITS, arrive, conversationOf as conv, seatKeys as keys, seatNames } from '../helpers/roomRegistry.js';

/**
 * Where newcomers go when rooms take several customers: capacity, placement order (fewest open,
 * then free longest), concurrent requests, lapsed reservations. Run against every RoomRegistry.
 */
export function describeRoomPlacement(label: string, make: () => Promise<RoomRegistry>): void {
  describe(`${label} room registry placing customers in rooms of several seats`, () => {
    it('takes as many reservations and seats as its capacity and queues the next customer', async () => {
      const r = await make();
      await r.openRoom('alice', 's-alice', 3);
      const first = await r.requestRoom('c1', 't-c1', 0, 1000, LIMITS);
      expect(first).toEqual({
        kind: 'reserved',
        room: { agent: 'alice', agentSession: 's-alice', capacity: 3, status: 'online', seats: [], reservedFor: ['c1'] },
      });
      expect(await r.claimTicket('t-c1', 'c1', 'cs-c1', keys('c1'), 1, LIMITS)).toMatchObject({
        kind: 'seated',
        room: { seats: [{ name: 'c1' }], reservedFor: [] },
      });
      expect((await r.requestRoom('c2', 't-c2', 2, 1000, LIMITS)).kind).toBe('reserved');
      expect(await r.requestRoom('c3', 't-c3', 3, 1000, LIMITS)).toMatchObject({ kind: 'reserved', room: { reservedFor: ['c2', 'c3'] } });
      expect(await r.requestRoom('c4', 't-c4', 4, 1000, LIMITS)).toEqual({ kind: 'queued', position: 1 });
      await r.claimTicket('t-c3', 'c3', 'cs-c3', keys('c3'), 5, LIMITS);
      await r.claimTicket('t-c2', 'c2', 'cs-c2', keys('c2'), 6, LIMITS);
      expect(await r.getRoom('alice')).toEqual({
        agent: 'alice',
        agentSession: 's-alice',
        capacity: 3,
        status: 'online',
        seats: [
          { name: 'c1', session: 'cs-c1', ...keys('c1') },
          { name: 'c3', session: 'cs-c3', ...keys('c3') },
          { name: 'c2', session: 'cs-c2', ...keys('c2') },
        ],
        reservedFor: [],
      });
      expect(await r.claimTicket('t-c4', 'c4', 'cs-c4', keys('c4'), 7, LIMITS)).toEqual({ kind: 'waiting', position: 1 });
      expect(await r.stats()).toEqual({ rooms: 1, busy: 1, seats: 3, away: 0, queue: 1 });
    });

    it('places each customer with the agent who has the fewest open, then the one free longest', async () => {
      const r = await make();
      await r.openRoom('two', 's-two', 2);
      await r.openRoom('three', 's-three', 3);
      // Both empty: the one open first has been free longest.
      expect(await arrive(r, 'c1')).toBe('two');
      // three has fewer open now.
      expect(await arrive(r, 'c2')).toBe('three');
      // One each: two has been free longest.
      expect(await arrive(r, 'c3')).toBe('two');
      // two is full: three takes the next ones although it has more open.
      expect(await arrive(r, 'c4')).toBe('three');
      expect(await arrive(r, 'c5')).toBe('three');
      expect(await arrive(r, 'c6')).toBeUndefined();
      await r.leaveRoom('two', 'cs-c1');
      await r.resolve('three', 's-three', conv('c2'));
      // Fewest open wins over free longest: three came free last, but two has fewer.
      expect((await r.fillFreeRooms(10)).map((p) => [p.room.agent, p.seat.name])).toEqual([['two', 'c6']]);
      // A seat leaving makes its room the latest to come free: three, opened after two, now goes first among equals.
      await r.resolve('three', 's-three', conv('c4'));
      await r.leaveRoom('two', 'cs-c3');
      expect(await arrive(r, 'c7', 20)).toBe('three');
      expect(await arrive(r, 'c8', 20)).toBe('two');
      expect(await seatNames(r, 'two')).toEqual(['c6', 'c8']);
      expect(await seatNames(r, 'three')).toEqual(['c5', 'c7']);
    });

    it('reserves exactly as many slots as the capacities add up to for many concurrent requests', async () => {
      const r = await make();
      const capacities: Record<string, number> = { a: 1, b: 2, c: 3, d: 5 };
      for (const [agent, capacity] of Object.entries(capacities)) await r.openRoom(agent, `s-${agent}`, capacity);
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => r.requestRoom(`c${i}`, `t${i}`, 0, 60_000, LIMITS)));
      const reserved = results.flatMap((x) => (x.kind === 'reserved' ? [x.room.agent] : []));
      expect(reserved).toHaveLength(11);
      expect(results.filter((x) => x.kind === 'queued')).toHaveLength(39);
      for (const [agent, capacity] of Object.entries(capacities)) {
        expect(reserved.filter((a) => a === agent)).toHaveLength(capacity);
        expect((await r.getRoom(agent))?.reservedFor).toHaveLength(capacity);
      }
    });

    it('frees the slot of a reservation that lapsed without anything sweeping it', async () => {
      const r = await make();
      await r.openRoom('alice', 's-alice', 2);
      await r.openRoom('dave', 's-dave', 2);
      await r.requestRoom('c1', 't-c1', 0, 1000, LIMITS);
      await r.requestRoom('c2', 't-c2', 0, 1000, LIMITS);
      await r.requestRoom('c3', 't-c3', 500, 1000, LIMITS);
      await r.requestRoom('c4', 't-c4', 500, 1000, LIMITS);
      expect((await r.requestRoom('c5', 't-c5', 999, 1000, LIMITS)).kind).toBe('queued');
      // The first two lapsed: their agents have a slot each and are equal again, free longest first.
      expect(await r.requestRoom('c6', 't-c6', 1000, 1000, LIMITS)).toMatchObject({ kind: 'reserved', room: { agent: 'alice', reservedFor: ['c3', 'c6'] } });
      expect(await r.requestRoom('c7', 't-c7', 1000, 1000, LIMITS)).toMatchObject({ kind: 'reserved', room: { agent: 'dave', reservedFor: ['c4', 'c7'] } });
      expect(await r.claimTicket('t-c1', 'c1', 'cs-c1', keys('c1'), 1001, LIMITS)).toEqual({ kind: 'refused', reason: 'expired' });
    });

    it('fills a waiting customer into a slot whose reservation lapsed', async () => {
      const r = await make();
      await r.openRoom('alice', 's-alice', 2);
      await arrive(r, 'c1');
      await r.requestRoom('c2', 't-c2', 0, 1000, LIMITS);
      expect(await arrive(r, 'w1', 10)).toBeUndefined();
      expect(await r.fillFreeRooms(999)).toEqual([]);
      expect((await r.fillFreeRooms(1000)).map((p) => p.seat.name)).toEqual(['w1']);
      expect(await seatNames(r, 'alice')).toEqual(['c1', 'w1']);
    });

    it('fills several slots of one agent from the queue in queue order', async () => {
      const r = await make();
      for (const c of ['w1', 'w2', 'w3']) expect(await arrive(r, c)).toBeUndefined();
      await r.openRoom('alice', 's-alice', 2);
      expect((await r.fillFreeRooms(10)).map((p) => [p.room.agent, p.seat.name])).toEqual([
        ['alice', 'w1'],
        ['alice', 'w2'],
      ]);
      expect(await r.waiting()).toEqual([{ customer: 'w3', session: 'cs-w3', position: 1 }]);
    });

    it('counts each unused reservation of one client against its share, in one room as in several', async () => {
      const r = await make();
      await r.openRoom('alice', 's-alice', 5);
      const holder = { key: '198.51.100.7', maxReservations: 2 };
      expect((await r.requestRoom('p1', 'tp1', 0, 1000, LIMITS, holder)).kind).toBe('reserved');
      expect((await r.requestRoom('p2', 'tp2', 0, 1000, LIMITS, holder)).kind).toBe('reserved');
      expect(await r.requestRoom('p3', 'tp3', 0, 1000, LIMITS, holder)).toEqual({ kind: 'queued', position: 1 });
      expect(await r.requestRoom('q1', 'tq1', 0, 1000, LIMITS, { key: '203.0.113.9', maxReservations: 2 })).toMatchObject({
        kind: 'reserved',
        room: { reservedFor: ['p1', 'p2', 'q1'] },
      });
    });

    it('gives a client its share back when the room holding its reservation closes', async () => {
      const r = await make();
      await r.openRoom('alice', 's-alice', 2);
      const holder = { key: '198.51.100.7', maxReservations: 1 };
      expect((await r.requestRoom('p1', 'tp1', 0, 1000, LIMITS, holder)).kind).toBe('reserved');
      await r.closeRoom('alice', 's-alice');
      await r.openRoom('dave', 's-dave', 2);
      expect(await r.requestRoom('p2', 'tp2', 1, 1000, LIMITS, holder)).toMatchObject({ kind: 'reserved', room: { agent: 'dave' } });
    });

    it('lists the rooms in the order a slot last came free in them', async () => {
      const r = await make();
      for (const a of ['a', 'b', 'c']) await r.openRoom(a, `s-${a}`, 2);
      expect(await arrive(r, 'c1')).toBe('a');
      await r.resolve('a', 's-a', conv('c1'));
      expect((await r.listRooms()).map((x) => x.agent)).toEqual(['b', 'c', 'a']);
    });
  });
}
