import { describe, expect, it } from 'vitest';
import type { RoomRegistry } from '../../src/cluster/roomRegistry.js';
import { LONG_QUEUE as LIMITS, seatKeys as keys } from '../helpers/roomRegistry.js';

/** Customers `names` join the queue in that order (ticket `t-N`, session `cs-N`) at time 1. */
async function queue(r: RoomRegistry, ...names: string[]): Promise<void> {
  for (const n of names) {
    await r.requestRoom(n, `t-${n}`, 0, 1000, LIMITS);
    const claim = await r.claimTicket(`t-${n}`, n, `cs-${n}`, keys(n), 1, LIMITS);
    if (claim.kind !== 'waiting') throw new Error(`${n} not waiting`);
  }
}

/** The seat's customer and session, for each placement. */
const placed = (ps: Awaited<ReturnType<RoomRegistry['fillFreeRooms']>>) => ps.map((p) => [p.room.agent, p.seat.name, p.seat.session]);

/**
 * A customer who drops while waiting keeps their place for the grace period, as a seated one
 * keeps their seat: placement passes them by meanwhile, their resume token takes the place back,
 * and expiry ends it. Run against every RoomRegistry.
 */
export function describeRoomQueueAway(label: string, make: () => Promise<RoomRegistry>): void {
  describe(`${label} room registry keeping the queue place of a customer who dropped`, () => {
    it('keeps the place of a waiting customer who dropped, so the positions of those behind stay as they were', async () => {
      const r = await make();
      await queue(r, 'a', 'b', 'c');
      expect(await r.markQueueAway('cs-a', 5000)).toBe(1);
      expect(await r.markQueueAway('cs-a', 5000)).toBeUndefined();
      expect(await r.waiting()).toEqual([
        { customer: 'b', session: 'cs-b', position: 2 },
        { customer: 'c', session: 'cs-c', position: 3 },
      ]);
      expect((await r.stats()).queue).toBe(3);
    });

    it('gives a customer coming back with their resume token their place and position again', async () => {
      const r = await make();
      await queue(r, 'a', 'b');
      await r.markQueueAway('cs-b', 5000);
      expect(await r.resumeCustomer(keys('b').resumeHash, 'b', 'cs-b2')).toEqual({
        kind: 'waiting',
        position: 2,
        conversationId: keys('b').conversationId,
        // Joined at 1, waiting at most LIMITS.maxWaitMs.
        waitUntil: 10_001,
      });
      expect(await r.waiting()).toEqual([
        { customer: 'a', session: 'cs-a', position: 1 },
        { customer: 'b', session: 'cs-b2', position: 2 },
      ]);
      // Back and connected: nothing expires at the old grace.
      expect((await r.expire(5000)).waiting).toEqual([]);
      expect(await r.leaveQueue('cs-b2')).toEqual({});
    });

    it('refuses a resume token under another name', async () => {
      const r = await make();
      await queue(r, 'a');
      await r.markQueueAway('cs-a', 5000);
      expect(await r.resumeCustomer(keys('a').resumeHash, 'mallory', 'cs-m')).toEqual({ kind: 'refused' });
      expect(await r.waiting()).toEqual([]);
    });

    it('passes by a customer who is away when placing, and places them at the next free slot once back and first', async () => {
      const r = await make();
      await queue(r, 'a', 'b', 'c');
      await r.markQueueAway('cs-a', 5000);
      await r.openRoom('alice', 's-alice', 1);
      expect(placed(await r.fillFreeRooms(2))).toEqual([['alice', 'b', 'cs-b']]);
      // a kept the head of the queue: c is second.
      expect(await r.waiting()).toEqual([{ customer: 'c', session: 'cs-c', position: 2 }]);
      expect(await r.resumeCustomer(keys('a').resumeHash, 'a', 'cs-a2')).toMatchObject({ kind: 'waiting', position: 1 });
      await r.openRoom('bert', 's-bert', 1);
      expect(placed(await r.fillFreeRooms(3))).toEqual([['bert', 'a', 'cs-a2']]);
      expect(await r.waiting()).toEqual([{ customer: 'c', session: 'cs-c', position: 1 }]);
    });

    it('gives a newcomer a free slot when everyone waiting is away', async () => {
      const r = await make();
      await queue(r, 'a');
      await r.markQueueAway('cs-a', 5000);
      await r.openRoom('alice', 's-alice', 1);
      expect(await r.requestRoom('n', 't-n', 2, 1000, LIMITS)).toMatchObject({ kind: 'reserved', room: { agent: 'alice' } });
    });

    it('takes a customer away past grace out of the queue, with nobody to tell, and moves the others up', async () => {
      const r = await make();
      await queue(r, 'a', 'b');
      await r.markQueueAway('cs-a', 5000);
      expect((await r.expire(4999)).waiting).toEqual([]);
      expect((await r.expire(5000)).waiting).toEqual([{ customer: 'a' }]);
      expect(await r.waiting()).toEqual([{ customer: 'b', session: 'cs-b', position: 1 }]);
      expect((await r.stats()).queue).toBe(1);
    });

    it('refuses a resume after the grace ran out', async () => {
      const r = await make();
      await queue(r, 'a');
      await r.markQueueAway('cs-a', 5000);
      await r.expire(5000);
      expect(await r.resumeCustomer(keys('a').resumeHash, 'a', 'cs-a2')).toEqual({ kind: 'refused' });
      expect(await r.waiting()).toEqual([]);
    });

    it('ends the conversation of a customer handed back who stayed away past grace', async () => {
      const r = await make();
      await r.openRoom('alice', 's-alice', 1);
      await r.requestRoom('a', 't-a', 0, 1000, LIMITS);
      await r.claimTicket('t-a', 'a', 'cs-a', keys('a'), 1, LIMITS);
      await r.requeue('alice', 's-alice', keys('a').conversationId, 60_000);
      await r.markQueueAway('cs-a', 5000);
      expect((await r.expire(5000)).waiting).toEqual([{ customer: 'a', conversationId: keys('a').conversationId }]);
    });

    it('replaces the session of a second resume, which the first is told of', async () => {
      const r = await make();
      await queue(r, 'a');
      await r.markQueueAway('cs-a', 5000);
      await r.resumeCustomer(keys('a').resumeHash, 'a', 'cs-a2');
      expect(await r.resumeCustomer(keys('a').resumeHash, 'a', 'cs-a3')).toEqual({
        kind: 'waiting',
        position: 1,
        conversationId: keys('a').conversationId,
        waitUntil: 10_001,
        replaced: 'cs-a2',
      });
      // The replaced session is no longer in the queue: its close leaves nothing.
      expect(await r.leaveQueue('cs-a2')).toBeUndefined();
      expect(await r.markQueueAway('cs-a2', 9000)).toBeUndefined();
      expect(await r.waiting()).toEqual([{ customer: 'a', session: 'cs-a3', position: 1 }]);
    });

    it('seats a customer resuming while a placement runs exactly once, under the session they came back with', async () => {
      const r = await make();
      await queue(r, 'a', 'b');
      await r.markQueueAway('cs-a', 5000);
      await r.openRoom('alice', 's-alice', 1);
      await r.openRoom('bert', 's-bert', 1);
      const [fill, resume] = await Promise.all([r.fillFreeRooms(2), r.resumeCustomer(keys('a').resumeHash, 'a', 'cs-a2')]);
      expect(resume).toMatchObject({ kind: 'waiting', position: 1 });
      const later = await r.fillFreeRooms(3);
      const all = [...placed(fill), ...placed(later)];
      // Whichever ran first, both are seated once each, a under its new session.
      expect(all.map(([, name, session]) => [name, session]).sort()).toEqual([
        ['a', 'cs-a2'],
        ['b', 'cs-b'],
      ]);
      expect(await r.waiting()).toEqual([]);
      const rooms = await r.listRooms();
      expect(rooms.flatMap((room) => room.seats.map((s) => s.name)).sort()).toEqual(['a', 'b']);
    });
  });
}
