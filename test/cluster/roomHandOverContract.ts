import { describe, expect, it } from 'vitest';
import type { RoomRegistry } from '../../src/cluster/roomRegistry.js';
import { SHORT_QUEUE as LIMITS, seatKeys as keys, seatedPair as seated } from '../helpers/roomRegistry.js';

const BOB = keys('bob').conversationId;
const FRANK = keys('frank').conversationId;

/**
 * An agent handing a customer over, to another agent (transfer) or back to the queue (requeue,
 * and requeueAway when the agent's access ended while away): run against every RoomRegistry.
 */
export function describeRoomHandOver(label: string, make: () => Promise<RoomRegistry>): void {
  describe(`${label} room registry handing customers over`, () => {
    it('moves a seated customer to a free agent, keeping the conversation and the resume token', async () => {
      const r = await seated(await make());
      await r.openRoom('dave', 's-dave', 1);
      const moved = await r.transfer('alice', 's-alice', BOB, 'dave', 10);
      expect(moved).toMatchObject({
        kind: 'moved',
        from: { agent: 'alice', agentSession: 's-alice' },
        to: { agent: 'dave', agentSession: 's-dave', seats: [{ name: 'bob', session: 'cs-bob', ...keys('bob') }] },
      });
      expect((await r.getRoom('alice'))?.seats[0]).toBeUndefined();
      const resumed = await r.resumeCustomer(keys('bob').resumeHash, 'bob', 'cs-bob-2');
      expect(resumed).toMatchObject({ kind: 'resumed', room: { agent: 'dave' }, replaced: 'cs-bob' });
      // alice is free again: the next customer gets her.
      expect(await r.requestRoom('carol', 't-carol', 20, 1000, LIMITS)).toMatchObject({ kind: 'reserved', room: { agent: 'alice' } });
    });

    it('refuses a transfer by a session that does not own the room, without a customer, or to a busy, away or unknown agent', async () => {
      const r = await seated(await make());
      await r.openRoom('dave', 's-dave', 1);
      expect(await r.transfer('alice', 'intruder', BOB, 'dave', 10)).toEqual({ kind: 'refused', reason: 'not_owner' });
      expect(await r.transfer('dave', 's-dave', BOB, 'alice', 10)).toEqual({ kind: 'refused', reason: 'no_customer' });
      expect(await r.transfer('alice', 's-alice', BOB, 'alice', 10)).toEqual({ kind: 'refused', reason: 'not_free' });
      expect(await r.transfer('alice', 's-alice', BOB, 'nobody', 10)).toEqual({ kind: 'refused', reason: 'not_free' });
      await r.markAway('dave', 'kefu', 's-dave', 1000);
      expect(await r.transfer('alice', 's-alice', BOB, 'dave', 10)).toEqual({ kind: 'refused', reason: 'not_free' });
      await seated(r, 'erin', 'frank');
      expect(await r.transfer('alice', 's-alice', BOB, 'erin', 10)).toEqual({ kind: 'refused', reason: 'not_free' });
      expect((await r.getRoom('alice'))?.seats[0]?.name).toBe('bob');
    });

    it('gives a free agent to exactly one of two concurrent transfers', async () => {
      const r = await seated(await make());
      await seated(r, 'erin', 'frank');
      await r.openRoom('dave', 's-dave', 1);
      const results = await Promise.all([r.transfer('alice', 's-alice', BOB, 'dave', 10), r.transfer('erin', 's-erin', FRANK, 'dave', 10)]);
      expect(results.filter((x) => x.kind === 'moved')).toHaveLength(1);
      const names = [(await r.getRoom('alice'))?.seats[0]?.name, (await r.getRoom('erin'))?.seats[0]?.name];
      expect(names.filter((n) => n !== undefined)).toHaveLength(1);
      expect((await r.getRoom('dave'))?.seats[0]).toBeDefined();
    });

    it('hands a connected customer back to the head of the queue with their conversation, and frees the room', async () => {
      const r = await seated(await make());
      await r.requestRoom('carol', 't-carol', 2, 1000, LIMITS);
      await r.claimTicket('t-carol', 'carol', 'cs-carol', keys('carol'), 3, LIMITS);
      const back = await r.requeue('alice', 's-alice', BOB, 5000);
      expect(back).toEqual({
        kind: 'requeued',
        from: { agent: 'alice', agentSession: 's-alice', capacity: 1, status: 'online', seats: [], reservedFor: [] },
        seat: { name: 'bob', session: 'cs-bob', ...keys('bob') },
        position: 1,
      });
      expect((await r.waiting()).map((w) => [w.customer, w.position])).toEqual([
        ['bob', 1],
        ['carol', 2],
      ]);
      // A newcomer may not have alice's room while carol (who may) waits; nobody else wants it.
      expect((await r.requestRoom('zoe', 't-zoe', 4, 1000, LIMITS)).kind).toBe('queued');
      // The agent who handed bob back takes the next customer instead; bob waits for another.
      const placed = await r.fillFreeRooms(10);
      expect(placed).toEqual([{ room: expect.objectContaining({ agent: 'alice' }), seat: { name: 'carol', session: 'cs-carol', ...keys('carol') } }]);
      await r.openRoom('dave', 's-dave', 1);
      const next = await r.fillFreeRooms(11);
      expect(next).toEqual([{ room: expect.objectContaining({ agent: 'dave' }), seat: { name: 'bob', session: 'cs-bob', ...keys('bob') }, continued: true }]);
      expect(await r.waiting()).toEqual([]);
    });

    it('gives a free room straight to a newcomer when only customers its agent handed back are waiting', async () => {
      const r = await seated(await make());
      await r.requeue('alice', 's-alice', BOB, 5000);
      const offer = await r.requestRoom('carol', 't-carol', 2, 1000, LIMITS);
      expect(offer.kind === 'reserved' && offer.room.agent).toBe('alice');
      expect((await r.waiting()).map((w) => w.customer)).toEqual(['bob']);
    });

    it('refuses to hand back a customer who dropped, an empty room, or from a session that does not own it', async () => {
      const r = await seated(await make());
      expect(await r.requeue('alice', 'intruder', BOB, 5000)).toEqual({ kind: 'refused', reason: 'not_owner' });
      await r.markAway('alice', 'yonghu', 'cs-bob', 1000);
      expect(await r.requeue('alice', 's-alice', BOB, 5000)).toEqual({ kind: 'refused', reason: 'customer_away' });
      await r.openRoom('dave', 's-dave', 1);
      expect(await r.requeue('dave', 's-dave', BOB, 5000)).toEqual({ kind: 'refused', reason: 'no_customer' });
      expect((await r.getRoom('alice'))?.seats[0]?.name).toBe('bob');
    });

    it('hands the connected customer of an away agent to the head of the queue and closes the room, for one of two callers', async () => {
      const r = await seated(await make());
      await r.markAway('alice', 'kefu', 's-alice', 1000);
      const results = await Promise.all([r.requeueAway('alice', 5000), r.requeueAway('alice', 5000)]);
      expect(results).toContainEqual({
        kind: 'closed',
        from: { agent: 'alice', capacity: 1, status: 'online', seats: [{ name: 'bob', session: 'cs-bob', ...keys('bob') }], reservedFor: [] },
        requeued: [{ seat: { name: 'bob', session: 'cs-bob', ...keys('bob') }, position: 1 }],
        dropped: [],
      });
      expect(results).toContainEqual({ kind: 'refused', reason: 'no_room' });
      expect(await r.waiting()).toEqual([{ customer: 'bob', session: 'cs-bob', position: 1 }]);
      // The room is gone: the agent coming back opens a new one, and bob goes to another agent.
      expect(await r.openRoom('alice', 's2', 1)).toEqual({ kind: 'opened' });
      await r.openRoom('dave', 's-dave', 1);
      expect(await r.fillFreeRooms(10)).toEqual([
        { room: expect.objectContaining({ agent: 'dave' }), seat: { name: 'bob', session: 'cs-bob', ...keys('bob') }, continued: true },
      ]);
    });

    it('closes the room of an away agent whose customer is away too, or who has none, handing nobody back', async () => {
      const r = await seated(await make());
      await r.markAway('alice', 'kefu', 's-alice', 1000);
      await r.markAway('alice', 'yonghu', 'cs-bob', 1000);
      expect(await r.requeueAway('alice', 5000)).toEqual({
        kind: 'closed',
        from: { agent: 'alice', capacity: 1, status: 'online', seats: [{ name: 'bob', ...keys('bob') }], reservedFor: [] },
        requeued: [],
        dropped: [{ name: 'bob', ...keys('bob') }],
      });
      expect(await r.resumeCustomer(keys('bob').resumeHash, 'bob', 'cs-bob2')).toEqual({ kind: 'refused' });
      await r.openRoom('dave', 's-dave', 1);
      await r.markAway('dave', 'kefu', 's-dave', 1000);
      expect(await r.requeueAway('dave', 5000)).toEqual({
        kind: 'closed',
        from: { agent: 'dave', capacity: 1, status: 'online', seats: [], reservedFor: [] },
        requeued: [],
        dropped: [],
      });
      expect(await r.waiting()).toEqual([]);
      expect((await r.stats()).rooms).toBe(0);
    });

    it('refuses to close the room of a connected agent, or a room there is not', async () => {
      const r = await seated(await make());
      expect(await r.requeueAway('alice', 5000)).toEqual({ kind: 'refused', reason: 'not_away' });
      expect(await r.requeueAway('nobody', 5000)).toEqual({ kind: 'refused', reason: 'no_room' });
      expect((await r.getRoom('alice'))?.seats[0]?.session).toBe('cs-bob');
      expect(await r.waiting()).toEqual([]);
    });

    it('tells which conversation a handed-back customer leaves behind, by leaving or by waiting too long', async () => {
      const r = await seated(await make());
      await seated(r, 'erin', 'frank');
      await r.requeue('alice', 's-alice', BOB, 5000);
      await r.requeue('erin', 's-erin', FRANK, 50);
      expect(await r.leaveQueue('cs-bob')).toEqual({ conversationId: keys('bob').conversationId });
      expect(await r.leaveQueue('cs-bob')).toBeUndefined();
      const expired = await r.expire(100);
      expect(expired.waiting).toEqual([{ customer: 'frank', session: 'cs-frank', conversationId: keys('frank').conversationId }]);
    });
  });
}
