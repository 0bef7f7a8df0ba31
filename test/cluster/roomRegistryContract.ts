import { describe, expect, it } from 'vitest';
import type { RoomRegistry } from '../../src/cluster/roomRegistry.js';
import { SHORT_QUEUE as LIMITS, seatKeys as keys, seatedPair as seated } from '../helpers/roomRegistry.js';
import { describeRoomHandOver } from './roomHandOverContract.js';
import { describeRoomPlacement } from './roomPlacementContract.js';
import { describeRoomQueueAway } from './roomQueueAwayContract.js';
import { describeRoomSeats } from './roomSeatsContract.js';

/**
 * The behaviour every RoomRegistry must have, run against each implementation so a Redis one
 * is held to exactly what the in-process one promises. Handing customers over (transfer, back
 * to the queue), placement in rooms of several seats, and what else those rooms do have their
 * own suites, run from here so every implementation gets all of them.
 */
export function describeRoomRegistry(label: string, make: () => Promise<RoomRegistry>): void {
  describe(`${label} room registry`, () => {
    it('refuses a second room under a name that is online', async () => {
      const r = await make();
      expect(await r.openRoom('alice', 's1', 1)).toEqual({ kind: 'opened' });
      expect(await r.openRoom('alice', 's2', 1)).toEqual({ kind: 'taken' });
      expect((await r.getRoom('alice'))?.agentSession).toBe('s1');
    });

    it('tells an agent back within grace when their grace would have run out, for a drop and for a restored room', async () => {
      const r = await make();
      await r.openRoom('alice', 's1', 1);
      await r.markAway('alice', 'kefu', 's1', 7000);
      expect(await r.openRoom('alice', 's2', 1)).toMatchObject({ kind: 'resumed', awayUntil: 7000 });
      await r.restoreRoom('dave', { name: 'bob', ...keys('bob') }, 9000);
      expect(await r.openRoom('dave', 's3', 1)).toMatchObject({ kind: 'resumed', awayUntil: 9000 });
    });

    it('refuses a room under a name that looks like one with a room, and frees the name with the room', async () => {
      const r = await make();
      expect(await r.openRoom('Agent7', 's1', 1)).toEqual({ kind: 'opened' });
      for (const lookalike of ['agent7', 'AGENT7', '\u0410gent7', 'Agent\u200b7'.normalize('NFKC')]) {
        expect(await r.openRoom(lookalike, 's2', 1)).toEqual({ kind: 'taken' });
      }
      await r.markAway('Agent7', 'kefu', 's1', 1000);
      // Away within grace: the room and its name are still theirs.
      expect(await r.openRoom('agent7', 's3', 1)).toEqual({ kind: 'taken' });
      expect((await r.openRoom('Agent7', 's4', 1)).kind).toBe('resumed');
      await r.closeRoom('Agent7', 's4');
      expect(await r.openRoom('agent7', 's5', 1)).toEqual({ kind: 'opened' });
    });

    it('gives one free room to exactly one of many concurrent requests and queues the rest in the order they connect', async () => {
      const r = await make();
      await r.openRoom('alice', 's1', 1);
      const wide = { maxLength: 100, maxWaitMs: 1000 };
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => r.requestRoom(`c${i}`, `t${i}`, 1000, 60_000, wide)));
      expect(results.filter((x) => x.kind === 'reserved')).toHaveLength(1);
      // Nobody is waiting yet: each queue ticket would be first in line now.
      const queued = results.flatMap((x, i) => (x.kind === 'queued' ? [i] : []));
      expect(queued.map((i) => results[i])).toEqual(queued.map(() => ({ kind: 'queued', position: 1 })));
      const claims = await Promise.all(queued.map((i) => r.claimTicket(`t${i}`, `c${i}`, `cs${i}`, keys(String(i)), 1001, wide)));
      const positions = claims.map((c) => (c.kind === 'waiting' ? c.position : 0));
      expect(positions.sort((a, b) => a - b)).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    });

    it('gives a queue ticket that takes no place until it is used', async () => {
      const r = await make();
      for (let i = 0; i < 10; i++) expect(await r.requestRoom(`p${i}`, `tp${i}`, 0, 1000, LIMITS)).toEqual({ kind: 'queued', position: 1 });
      expect(await r.waiting()).toEqual([]);
      expect((await r.stats()).queue).toBe(0);
      // An agent comes: nothing waits, so the next newcomer gets them at once.
      await r.openRoom('alice', 's1', 1);
      expect(await r.fillFreeRooms(10)).toEqual([]);
      expect(await r.requestRoom('real', 'tr', 20, 1000, LIMITS)).toMatchObject({ kind: 'reserved', room: { agent: 'alice' } });
    });

    it('seats a queue ticket with an agent who came free since, when nobody waits ahead', async () => {
      const r = await make();
      expect((await r.requestRoom('bob', 'tb', 0, 1000, LIMITS)).kind).toBe('queued');
      await r.openRoom('alice', 's1', 1);
      expect(await r.claimTicket('tb', 'bob', 'cs', keys('b'), 5, LIMITS)).toMatchObject({ kind: 'seated', room: { agent: 'alice' } });
    });

    it('says full past the queue bound, counting only those who connected', async () => {
      const r = await make();
      for (let i = 0; i < 3; i++) {
        expect((await r.requestRoom(`c${i}`, `t${i}`, 0, 1000, LIMITS)).kind).toBe('queued');
        expect((await r.claimTicket(`t${i}`, `c${i}`, `s${i}`, keys(String(i)), 1, LIMITS)).kind).toBe('waiting');
      }
      expect(await r.requestRoom('late', 'tl', 0, 1000, LIMITS)).toEqual({ kind: 'full' });
    });

    it('refuses a queue ticket used after the queue filled up meanwhile', async () => {
      const r = await make();
      expect((await r.requestRoom('late', 'tl', 0, 1000, LIMITS)).kind).toBe('queued');
      for (let i = 0; i < 3; i++) {
        await r.requestRoom(`c${i}`, `t${i}`, 0, 1000, LIMITS);
        await r.claimTicket(`t${i}`, `c${i}`, `s${i}`, keys(String(i)), 1, LIMITS);
      }
      expect(await r.claimTicket('tl', 'late', 'sl', keys('late'), 2, LIMITS)).toEqual({ kind: 'refused', reason: 'full' });
    });

    it('lets one holder keep only its share of unused reservations, then gives it queue tickets', async () => {
      const r = await make();
      for (const a of ['a', 'b', 'c']) await r.openRoom(a, `s-${a}`, 1);
      const holder = { key: '198.51.100.7', maxReservations: 2 };
      expect((await r.requestRoom('p1', 'tp1', 0, 1000, LIMITS, holder)).kind).toBe('reserved');
      expect((await r.requestRoom('p2', 'tp2', 0, 1000, LIMITS, holder)).kind).toBe('reserved');
      expect(await r.requestRoom('p3', 'tp3', 0, 1000, LIMITS, holder)).toEqual({ kind: 'queued', position: 1 });
      // Another client still gets the free agent; a used reservation gives the holder its share back.
      expect((await r.requestRoom('q', 'tq', 0, 1000, LIMITS, { key: '203.0.113.9', maxReservations: 2 })).kind).toBe('reserved');
      await r.openRoom('d', 's-d', 1);
      expect((await r.claimTicket('tp1', 'p1', 'cs1', keys('p1'), 1, LIMITS)).kind).toBe('seated');
      expect((await r.requestRoom('p4', 'tp4', 2, 1000, LIMITS, holder)).kind).toBe('reserved');
      // Lapsed reservations count no more.
      await r.openRoom('e', 's-e', 1);
      expect((await r.requestRoom('p5', 'tp5', 1000, 1000, LIMITS, holder)).kind).toBe('reserved');
    });

    it('places the next customer with the agent idle longest', async () => {
      const r = await make();
      await r.openRoom('a', 'sa', 1);
      await r.openRoom('b', 'sb', 1);
      const first = await r.requestRoom('c1', 't1', 0, 1000, LIMITS);
      expect(first.kind === 'reserved' && first.room.agent).toBe('a');
      expect((await r.claimTicket('t1', 'c1', 'cs1', keys('1'), 1, LIMITS)).kind).toBe('seated');
      await r.leaveRoom('a', 'cs1');
      const second = await r.requestRoom('c2', 't2', 2, 1000, LIMITS);
      expect(second.kind === 'reserved' && second.room.agent).toBe('b');
    });

    it('turns a ticket into a seat once and only once', async () => {
      const r = await seated(await make());
      expect(await r.claimTicket('t-bob', 'bob', 'cs2', keys('x'), 11, LIMITS)).toEqual({ kind: 'refused', reason: 'unknown' });
      expect((await r.getRoom('alice'))?.seats[0]).toEqual({ name: 'bob', session: 'cs-bob', ...keys('bob') });
    });

    it('refuses a ticket under another name without burning it', async () => {
      const r = await make();
      await r.openRoom('alice', 's1', 1);
      await r.requestRoom('bob', 'tk', 0, 1000, LIMITS);
      expect(await r.claimTicket('tk', 'mallory', 'm', keys('m'), 1, LIMITS)).toEqual({ kind: 'refused', reason: 'wrong_name' });
      expect((await r.claimTicket('tk', 'bob', 'cs', keys('b'), 2, LIMITS)).kind).toBe('seated');
    });

    it('lets an unused reservation lapse, says expired to its holder, and frees the room', async () => {
      const r = await make();
      await r.openRoom('alice', 's1', 1);
      await r.requestRoom('bob', 'tk', 0, 1000, LIMITS);
      expect((await r.requestRoom('carol', 'tc', 500, 1000, LIMITS)).kind).toBe('queued');
      expect(await r.claimTicket('tc', 'carol', 'cc', keys('c'), 600, LIMITS)).toEqual({ kind: 'waiting', position: 1 });
      await r.expire(1000);
      const placed = await r.fillFreeRooms(1000);
      expect(placed).toEqual([
        {
          room: { agent: 'alice', agentSession: 's1', capacity: 1, status: 'online', seats: [{ name: 'carol', session: 'cc', ...keys('c') }], reservedFor: [] },
          seat: { name: 'carol', session: 'cc', ...keys('c') },
        },
      ]);
      expect(await r.claimTicket('tk', 'bob', 'cs', keys('b'), 1001, LIMITS)).toEqual({ kind: 'refused', reason: 'expired' });
    });

    it('says expired to the holder of a queue ticket used too late', async () => {
      const r = await make();
      await r.requestRoom('bob', 'tk', 0, 1000, LIMITS);
      expect(await r.claimTicket('tk', 'bob', 'cs', keys('b'), 1000, LIMITS)).toEqual({ kind: 'refused', reason: 'expired' });
      expect(await r.waiting()).toEqual([]);
    });

    it('seats a connected waiting customer as soon as a room frees', async () => {
      const r = await seated(await make());
      await r.requestRoom('carol', 'tc', 2, 1000, LIMITS);
      expect(await r.claimTicket('tc', 'carol', 'cc', keys('c'), 3, LIMITS)).toEqual({ kind: 'waiting', position: 1 });
      expect(await r.waiting()).toEqual([{ customer: 'carol', session: 'cc', position: 1 }]);
      await r.leaveRoom('alice', 'cs-bob');
      const placed = await r.fillFreeRooms(4);
      expect(placed).toEqual([
        {
          room: {
            agent: 'alice',
            agentSession: 's-alice',
            capacity: 1,
            status: 'online',
            seats: [{ name: 'carol', session: 'cc', ...keys('c') }],
            reservedFor: [],
          },
          seat: { name: 'carol', session: 'cc', ...keys('c') },
        },
      ]);
      expect(await r.waiting()).toEqual([]);
    });

    it('drops a waiting customer who leaves and moves the others up', async () => {
      const r = await make();
      for (const c of ['a', 'b', 'c']) {
        await r.requestRoom(c, `t${c}`, 0, 1000, LIMITS);
        await r.claimTicket(`t${c}`, c, `s${c}`, keys(c), 1, LIMITS);
      }
      expect(await r.leaveQueue('sb')).toEqual({});
      expect(await r.leaveQueue('sb')).toBeUndefined();
      expect(await r.waiting()).toEqual([
        { customer: 'a', session: 'sa', position: 1 },
        { customer: 'c', session: 'sc', position: 2 },
      ]);
    });

    it('ends a wait past the limit, counted from connecting', async () => {
      const r = await make();
      await r.requestRoom('a', 'ta', 0, 1000, LIMITS);
      await r.claimTicket('ta', 'a', 'sa', keys('a'), 500, LIMITS);
      expect((await r.expire(10_499)).waiting).toEqual([]);
      expect((await r.expire(10_500)).waiting).toEqual([{ customer: 'a', session: 'sa' }]);
      expect(await r.waiting()).toEqual([]);
    });

    it('holds an away customer\u2019s seat for the resume token, then frees it after grace', async () => {
      const r = await seated(await make());
      expect((await r.markAway('alice', 'yonghu', 'cs-bob', 500))?.seat).toEqual({ name: 'bob', ...keys('bob') });
      expect(await r.resumeCustomer('hash-bob', 'mallory', 'x')).toEqual({ kind: 'refused' });
      expect(await r.resumeCustomer('wrong', 'bob', 'x')).toEqual({ kind: 'refused' });
      const back = await r.resumeCustomer('hash-bob', 'bob', 'cs2');
      expect(back.kind === 'resumed' && back.seat.session).toBe('cs2');
      await r.markAway('alice', 'yonghu', 'cs2', 600);
      const expired = await r.expire(600);
      expect(expired.customers.map((c) => c.seat.name)).toEqual(['bob']);
      expect((await r.getRoom('alice'))?.seats[0]).toBeUndefined();
    });

    it('replaces a stale connection that still holds the seat', async () => {
      const r = await seated(await make());
      const back = await r.resumeCustomer('hash-bob', 'bob', 'cs2');
      expect(back.kind === 'resumed' && back.replaced).toBe('cs-bob');
    });

    it('holds an away agent\u2019s room, reattaches them, and removes it after grace', async () => {
      const r = await seated(await make());
      await r.markAway('alice', 'kefu', 's-alice', 500);
      expect(await r.fillFreeRooms(1)).toEqual([]);
      const again = await r.openRoom('alice', 's2', 1);
      expect(again.kind === 'resumed' && again.room.seats[0]?.name).toBe('bob');
      await r.markAway('alice', 'kefu', 's2', 700);
      expect((await r.expire(700)).agents.map((a) => a.agent)).toEqual(['alice']);
      expect(await r.getRoom('alice')).toBeUndefined();
    });

    it('restores a held room after a restart, both sides away', async () => {
      const r = await make();
      await r.restoreRoom('alice', { name: 'bob', ...keys('bob') }, 1000);
      expect(await r.getRoom('alice')).toEqual({ agent: 'alice', capacity: 1, status: 'online', seats: [{ name: 'bob', ...keys('bob') }], reservedFor: [] });
      expect((await r.resumeCustomer('hash-bob', 'bob', 'cs')).kind).toBe('resumed');
      expect((await r.openRoom('alice', 'sa', 1)).kind).toBe('resumed');
    });

    it('removes a room only for the session that owns it, and its reservation with it', async () => {
      const r = await make();
      await r.openRoom('alice', 's1', 1);
      await r.requestRoom('bob', 'tk', 0, 1000, LIMITS);
      expect(await r.closeRoom('alice', 's-old')).toBeUndefined();
      expect((await r.closeRoom('alice', 's1'))?.agent).toBe('alice');
      expect(await r.claimTicket('tk', 'bob', 'cs', keys('b'), 1, LIMITS)).toEqual({ kind: 'refused', reason: 'unknown' });
    });

    it('finds everyone connected through one node', async () => {
      const r = await make();
      await r.openRoom('alice', 'n1.1', 1);
      await r.openRoom('dave', 'n2.1', 1);
      await r.requestRoom('bob', 'tb', 0, 1000, LIMITS);
      await r.claimTicket('tb', 'bob', 'n1.2', keys('b'), 1, LIMITS);
      await r.requestRoom('carol', 'tc', 0, 1000, LIMITS);
      await r.requestRoom('erin', 'te', 0, 1000, LIMITS);
      await r.claimTicket('te', 'erin', 'n1.3', keys('e'), 1, LIMITS);
      const found = await r.sessionsOfNode('n1');
      expect(found.sort((a, b) => a.session.localeCompare(b.session))).toEqual([
        { role: 'kefu', name: 'alice', room: 'alice', session: 'n1.1' },
        { role: 'yonghu', name: 'bob', room: expect.any(String), session: 'n1.2' },
        { role: 'yonghu', name: 'erin', session: 'n1.3' },
      ]);
      expect(await r.sessionsOfNode('n3')).toEqual([]);
    });

    it('counts rooms, busy rooms, away agents and the queue', async () => {
      const r = await seated(await make());
      await r.openRoom('dave', 'sd', 1);
      await r.markAway('dave', 'kefu', 'sd', 100);
      await r.requestRoom('x', 'tx', 0, 1000, LIMITS);
      await r.claimTicket('tx', 'x', 'sx', keys('x'), 1, LIMITS);
      // A reservation not used yet makes nobody busy.
      await r.openRoom('erin', 'se', 1);
      await r.requestRoom('y', 'ty', 0, 1000, LIMITS);
      expect(await r.stats()).toEqual({ rooms: 3, busy: 1, seats: 1, away: 1, queue: 1 });
    });

    it('says a plain waiting customer who leaves had no conversation', async () => {
      const r = await make();
      await r.requestRoom('bob', 't-bob', 0, 1000, LIMITS);
      await r.claimTicket('t-bob', 'bob', 'cs-bob', keys('bob'), 1, LIMITS);
      expect(await r.leaveQueue('cs-bob')).toEqual({});
    });

    it('lists every room with who is in it', async () => {
      const r = await seated(await make());
      await r.openRoom('dave', 's-dave', 1);
      await r.markAway('dave', 'kefu', 's-dave', 1000);
      const rooms = await r.listRooms();
      expect(rooms.map((x) => x.agent).sort()).toEqual(['alice', 'dave']);
      expect(rooms.find((x) => x.agent === 'alice')).toMatchObject({ agentSession: 's-alice', seats: [{ name: 'bob' }] });
      expect(rooms.find((x) => x.agent === 'dave')?.agentSession).toBeUndefined();
    });
  });
  describeRoomHandOver(label, make);
  describeRoomPlacement(label, make);
  describeRoomSeats(label, make);
  describeRoomQueueAway(label, make);
}
