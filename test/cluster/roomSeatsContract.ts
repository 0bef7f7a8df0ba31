import { describe, expect, it } from 'vitest';
import type { RoomRegistry } from '../../src/cluster/roomRegistry.js';
import { LONG_QUEUE as LIMITS, arrive, conversationOf as conv, seatKeys as keys, seatNames } from '../helpers/roomRegistry.js';

/**
 * Rooms that take several customers at once (protocol-2 consoles): agent status, resolving,
 * leaving, handing over one conversation among several, restoring, capacity changes. Run
 * against every RoomRegistry (where newcomers go is in roomPlacementContract.ts).
 */
export function describeRoomSeats(label: string, make: () => Promise<RoomRegistry>): void {
  describe(`${label} room registry with several seats`, () => {
    it('gives an agent who is away no new customers, keeps their seats, and fills their slots when they are back', async () => {
      const r = await make();
      await r.openRoom('alice', 's-alice', 2);
      await arrive(r, 'c1');
      expect(await r.setStatus('alice', 'intruder', 'away')).toBeUndefined();
      expect(await r.setStatus('alice', 's-alice', 'away')).toMatchObject({ agent: 'alice', status: 'away', seats: [{ name: 'c1' }] });
      expect(await arrive(r, 'c2', 10)).toBeUndefined();
      expect(await r.fillFreeRooms(20)).toEqual([]);
      expect(await seatNames(r, 'alice')).toEqual(['c1']);
      // The agent dropping and coming back keeps the status they chose.
      await r.markAway('alice', 'kefu', 's-alice', 1000);
      expect(await r.openRoom('alice', 's2', 2)).toMatchObject({ kind: 'resumed', room: { status: 'away' } });
      expect((await r.setStatus('alice', 's2', 'online'))?.status).toBe('online');
      expect(await r.fillFreeRooms(30)).toEqual([{ room: expect.objectContaining({ agent: 'alice' }), seat: { name: 'c2', session: 'cs-c2', ...keys('c2') } }]);
      expect(await seatNames(r, 'alice')).toEqual(['c1', 'c2']);
    });

    it('resolves one conversation, freeing its slot for the queue, and refuses another session or an unknown conversation', async () => {
      const r = await make();
      await r.openRoom('alice', 's-alice', 2);
      await arrive(r, 'c1');
      await arrive(r, 'c2');
      expect(await arrive(r, 'c3')).toBeUndefined();
      expect(await r.resolve('alice', 'intruder', conv('c1'))).toEqual({ kind: 'refused', reason: 'not_owner' });
      expect(await r.resolve('alice', 's-alice', conv('c3'))).toEqual({ kind: 'refused', reason: 'no_customer' });
      expect(await r.resolve('nobody', 's-alice', conv('c1'))).toEqual({ kind: 'refused', reason: 'not_owner' });
      await r.markAway('alice', 'yonghu', 'cs-c1', 1000);
      // A customer away is resolved too: the agent decides the chat is over.
      const resolved = await r.resolve('alice', 's-alice', conv('c1'));
      expect(resolved).toEqual({
        kind: 'resolved',
        room: {
          agent: 'alice',
          agentSession: 's-alice',
          capacity: 2,
          status: 'online',
          seats: [{ name: 'c2', session: 'cs-c2', ...keys('c2') }],
          reservedFor: [],
        },
        seat: { name: 'c1', ...keys('c1') },
      });
      expect(await r.resumeCustomer(keys('c1').resumeHash, 'c1', 'cs-c1b')).toEqual({ kind: 'refused' });
      expect(await r.resolve('alice', 's-alice', conv('c1'))).toEqual({ kind: 'refused', reason: 'no_customer' });
      expect((await r.fillFreeRooms(5)).map((p) => p.seat.name)).toEqual(['c3']);
      expect(await seatNames(r, 'alice')).toEqual(['c2', 'c3']);
    });

    it('lets one of several customers leave or drop and keeps the others seated', async () => {
      const r = await make();
      await r.openRoom('alice', 's-alice', 3);
      for (const c of ['c1', 'c2', 'c3']) await arrive(r, c);
      expect(await r.leaveRoom('alice', 'cs-nobody')).toBeUndefined();
      const left = await r.leaveRoom('alice', 'cs-c2');
      expect(left).toEqual({
        room: expect.objectContaining({ seats: [expect.objectContaining({ name: 'c1' }), expect.objectContaining({ name: 'c3' })] }),
        seat: { name: 'c2', session: 'cs-c2', ...keys('c2') },
      });
      expect(await r.markAway('alice', 'yonghu', 'cs-c2', 500)).toBeUndefined();
      const away = await r.markAway('alice', 'yonghu', 'cs-c3', 500);
      expect(away?.seat).toEqual({ name: 'c3', ...keys('c3') });
      expect(away?.room.seats).toEqual([
        { name: 'c1', session: 'cs-c1', ...keys('c1') },
        { name: 'c3', ...keys('c3') },
      ]);
      const expired = await r.expire(500);
      expect(expired.customers).toEqual([
        { room: expect.objectContaining({ agent: 'alice', seats: [{ name: 'c1', session: 'cs-c1', ...keys('c1') }] }), seat: { name: 'c3', ...keys('c3') } },
      ]);
      expect(await r.resumeCustomer(keys('c1').resumeHash, 'c1', 'cs-c1b')).toMatchObject({ kind: 'resumed', replaced: 'cs-c1' });
    });

    it('moves one conversation to an agent with a free slot, and refuses an agent who is full or away', async () => {
      const r = await make();
      await r.openRoom('alice', 's-alice', 2);
      await arrive(r, 'c1');
      await arrive(r, 'c2');
      await r.openRoom('dave', 's-dave', 2);
      await arrive(r, 'c3');
      expect(await r.transfer('alice', 's-alice', conv('c3'), 'dave', 10)).toEqual({ kind: 'refused', reason: 'no_customer' });
      const moved = await r.transfer('alice', 's-alice', conv('c2'), 'dave', 10);
      expect(moved).toMatchObject({
        kind: 'moved',
        from: { agent: 'alice', seats: [{ name: 'c1' }] },
        to: { agent: 'dave', seats: [{ name: 'c3' }, { name: 'c2', session: 'cs-c2', ...keys('c2') }] },
        seat: { name: 'c2', session: 'cs-c2', ...keys('c2') },
      });
      expect(await r.resumeCustomer(keys('c2').resumeHash, 'c2', 'cs-c2b')).toMatchObject({ kind: 'resumed', room: { agent: 'dave' } });
      // dave is full now.
      expect(await r.transfer('alice', 's-alice', conv('c1'), 'dave', 11)).toEqual({ kind: 'refused', reason: 'not_free' });
      await r.resolve('dave', 's-dave', conv('c3'));
      await r.setStatus('dave', 's-dave', 'away');
      expect(await r.transfer('alice', 's-alice', conv('c1'), 'dave', 12)).toEqual({ kind: 'refused', reason: 'not_free' });
      await r.setStatus('dave', 's-dave', 'online');
      expect((await r.transfer('alice', 's-alice', conv('c1'), 'dave', 13)).kind).toBe('moved');
      expect(await seatNames(r, 'alice')).toEqual([]);
    });

    it('counts a live reservation against the slot a transfer wants', async () => {
      const r = await make();
      await r.openRoom('alice', 's-alice', 1);
      await arrive(r, 'c1');
      await r.openRoom('dave', 's-dave', 1);
      await r.requestRoom('c2', 't-c2', 0, 1000, LIMITS);
      expect(await r.transfer('alice', 's-alice', conv('c1'), 'dave', 999)).toEqual({ kind: 'refused', reason: 'not_free' });
      // The reservation lapsed unused: the slot is the transfer's.
      expect((await r.transfer('alice', 's-alice', conv('c1'), 'dave', 1000)).kind).toBe('moved');
      expect(await r.claimTicket('t-c2', 'c2', 'cs-c2', keys('c2'), 1001, LIMITS)).toEqual({ kind: 'refused', reason: 'expired' });
    });

    it('hands one conversation back to the queue, keeping the others, and never places it with the same agent', async () => {
      const r = await make();
      await r.openRoom('alice', 's-alice', 3);
      await arrive(r, 'c1');
      await arrive(r, 'c2');
      const back = await r.requeue('alice', 's-alice', conv('c1'), 5000);
      expect(back).toEqual({
        kind: 'requeued',
        from: {
          agent: 'alice',
          agentSession: 's-alice',
          capacity: 3,
          status: 'online',
          seats: [{ name: 'c2', session: 'cs-c2', ...keys('c2') }],
          reservedFor: [],
        },
        seat: { name: 'c1', session: 'cs-c1', ...keys('c1') },
        position: 1,
      });
      expect(await r.requeue('alice', 's-alice', conv('c1'), 5000)).toEqual({ kind: 'refused', reason: 'no_customer' });
      // alice has free slots, but not for the customer she handed back.
      expect(await r.fillFreeRooms(10)).toEqual([]);
      await r.openRoom('dave', 's-dave', 1);
      expect(await r.fillFreeRooms(11)).toEqual([
        { room: expect.objectContaining({ agent: 'dave' }), seat: { name: 'c1', session: 'cs-c1', ...keys('c1') }, continued: true },
      ]);
      expect(await seatNames(r, 'alice')).toEqual(['c2']);
    });

    it('closes the room of an away agent: connected customers to the head of the queue in seat order, those away dropped', async () => {
      const r = await make();
      await r.openRoom('alice', 's-alice', 3);
      for (const c of ['c1', 'c2', 'c3']) await arrive(r, c);
      expect(await arrive(r, 'w1')).toBeUndefined();
      await r.markAway('alice', 'yonghu', 'cs-c2', 1000);
      await r.markAway('alice', 'kefu', 's-alice', 1000);
      const closed = await r.requeueAway('alice', 5000);
      expect(closed).toEqual({
        kind: 'closed',
        from: {
          agent: 'alice',
          capacity: 3,
          status: 'online',
          seats: [
            { name: 'c1', session: 'cs-c1', ...keys('c1') },
            { name: 'c2', ...keys('c2') },
            { name: 'c3', session: 'cs-c3', ...keys('c3') },
          ],
          reservedFor: [],
        },
        requeued: [
          { seat: { name: 'c1', session: 'cs-c1', ...keys('c1') }, position: 1 },
          { seat: { name: 'c3', session: 'cs-c3', ...keys('c3') }, position: 2 },
        ],
        dropped: [{ name: 'c2', ...keys('c2') }],
      });
      expect((await r.waiting()).map((w) => w.customer)).toEqual(['c1', 'c3', 'w1']);
      expect(await r.resumeCustomer(keys('c2').resumeHash, 'c2', 'x')).toEqual({ kind: 'refused' });
      expect(await r.requeueAway('alice', 5000)).toEqual({ kind: 'refused', reason: 'no_room' });
      // The agent comes back under a new room: the customers they handed back still go elsewhere.
      await r.openRoom('alice', 's2', 3);
      expect((await r.fillFreeRooms(10)).map((p) => [p.room.agent, p.seat.name])).toEqual([['alice', 'w1']]);
    });

    it('restores several conversations of one agent into one room that holds them all', async () => {
      const r = await make();
      await r.restoreRoom('alice', { name: 'c1', ...keys('c1') }, 1000);
      await r.restoreRoom('alice', { name: 'c2', ...keys('c2') }, 1000);
      await r.restoreRoom('alice', { name: 'c2', ...keys('c2') }, 1000);
      expect(await r.getRoom('alice')).toEqual({
        agent: 'alice',
        capacity: 2,
        status: 'online',
        seats: [
          { name: 'c1', ...keys('c1') },
          { name: 'c2', ...keys('c2') },
        ],
        reservedFor: [],
      });
      expect((await r.stats()).rooms).toBe(1);
      expect((await r.resumeCustomer(keys('c2').resumeHash, 'c2', 'cs-c2')).kind).toBe('resumed');
      // The agent opens it with their own capacity: one slot is free.
      expect(await r.openRoom('alice', 's-alice', 3)).toMatchObject({ kind: 'resumed', room: { capacity: 3, seats: [{ name: 'c1' }, { name: 'c2' }] } });
      expect(await arrive(r, 'c3')).toBe('alice');
      expect(await arrive(r, 'c4')).toBeUndefined();
    });

    it('takes the capacity the agent comes back with, keeping seats past it until they leave', async () => {
      const r = await make();
      await r.openRoom('alice', 's-alice', 3);
      for (const c of ['c1', 'c2', 'c3']) await arrive(r, c);
      await r.markAway('alice', 'kefu', 's-alice', 1000);
      expect(await r.openRoom('alice', 's2', 2)).toMatchObject({
        kind: 'resumed',
        room: { capacity: 2, seats: [{ name: 'c1' }, { name: 'c2' }, { name: 'c3' }] },
      });
      await r.leaveRoom('alice', 'cs-c1');
      expect(await arrive(r, 'c4')).toBeUndefined();
      await r.leaveRoom('alice', 'cs-c2');
      expect((await r.fillFreeRooms(10)).map((p) => p.seat.name)).toEqual(['c4']);
      await r.markAway('alice', 'kefu', 's2', 1000);
      await r.openRoom('alice', 's3', 4);
      expect(await arrive(r, 'c5', 20)).toBe('alice');
      expect(await arrive(r, 'c6', 20)).toBe('alice');
      expect(await arrive(r, 'c7', 20)).toBeUndefined();
    });

    it('finds every seat connected through one node and counts the seats', async () => {
      const r = await make();
      await r.openRoom('alice', 'n1.a', 3);
      await r.requestRoom('c1', 't1', 0, 1000, LIMITS);
      await r.claimTicket('t1', 'c1', 'n1.c1', keys('c1'), 1, LIMITS);
      await r.requestRoom('c2', 't2', 0, 1000, LIMITS);
      await r.claimTicket('t2', 'c2', 'n2.c2', keys('c2'), 1, LIMITS);
      await r.requestRoom('c3', 't3', 0, 1000, LIMITS);
      await r.claimTicket('t3', 'c3', 'n1.c3', keys('c3'), 1, LIMITS);
      const found = await r.sessionsOfNode('n1');
      expect(found.sort((a, b) => a.session.localeCompare(b.session))).toEqual([
        { role: 'kefu', name: 'alice', room: 'alice', session: 'n1.a' },
        { role: 'yonghu', name: 'c1', room: 'alice', session: 'n1.c1' },
        { role: 'yonghu', name: 'c3', room: 'alice', session: 'n1.c3' },
      ]);
      expect(await r.stats()).toEqual({ rooms: 1, busy: 1, seats: 3, away: 0, queue: 0 });
    });
    it('moves the seat of a customer who dropped as it is, away and held for their resume token', async () => {
      const r = await make();
      await r.openRoom('alice', 's-alice', 2);
      await arrive(r, 'c1');
      await r.openRoom('dave', 's-dave', 2);
      await r.markAway('alice', 'yonghu', 'cs-c1', 500);
      expect(await r.transfer('alice', 's-alice', conv('c1'), 'dave', 10)).toMatchObject({ kind: 'moved', seat: { name: 'c1', ...keys('c1') } });
      expect((await r.getRoom('dave'))?.seats).toEqual([{ name: 'c1', ...keys('c1') }]);
      expect((await r.expire(500)).customers).toEqual([{ room: expect.objectContaining({ agent: 'dave', seats: [] }), seat: { name: 'c1', ...keys('c1') } }]);
    });

    it('leaves the room of an agent who is back and serving alone when restoring', async () => {
      const r = await make();
      await r.openRoom('alice', 's-alice', 2);
      await r.restoreRoom('alice', { name: 'c1', ...keys('c1') }, 1000);
      expect(await seatNames(r, 'alice')).toEqual([]);
      await arrive(r, 'c2');
      await r.restoreRoom('dave', { name: 'c2', ...keys('c2') }, 1000);
      expect(await r.getRoom('dave')).toBeUndefined();
    });
  });
}
