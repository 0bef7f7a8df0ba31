import { describe, expect, it } from 'vitest';
import type { RoomRegistry } from '../../src/cluster/roomRegistry.js';

/**
 * The behaviour every RoomRegistry must have, run against each implementation so a Redis one
 * is held to exactly what the in-process one promises.
 */
export function describeRoomRegistry(label: string, make: () => Promise<RoomRegistry>): void {
  describe(`${label} room registry`, () => {
    it('refuses a second room under a name that is online', async () => {
      const r = await make();
      expect(await r.openRoom('alice', 's1')).toBe(true);
      expect(await r.openRoom('alice', 's2')).toBe(false);
      expect((await r.getRoom('alice'))?.agentSession).toBe('s1');
    });

    it('gives one free room to exactly one of many concurrent reservations', async () => {
      const r = await make();
      await r.openRoom('alice', 's1');
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => r.reserveRoom(`c${i}`, `t${i}`, 1000, 60_000)));
      expect(results.filter((x) => x !== undefined)).toHaveLength(1);
    });

    it('places the next customer with the agent idle longest', async () => {
      const r = await make();
      await r.openRoom('a', 'sa');
      await r.openRoom('b', 'sb');
      expect((await r.reserveRoom('c1', 't1', 0, 1000))?.agent).toBe('a');
      expect((await r.claimTicket('t1', 'c1', 'cs1', 1)).ok).toBe(true);
      await r.leaveRoom('a', 'cs1');
      expect((await r.reserveRoom('c2', 't2', 2, 1000))?.agent).toBe('b');
    });

    it('turns a ticket into a seat once and only once', async () => {
      const r = await make();
      await r.openRoom('alice', 's1');
      await r.reserveRoom('bob', 'tk', 0, 1000);
      const first = await r.claimTicket('tk', 'bob', 'cs', 10);
      expect(first.ok).toBe(true);
      expect(await r.claimTicket('tk', 'bob', 'cs2', 11)).toEqual({ ok: false, reason: 'unknown' });
      expect((await r.getRoom('alice'))?.customer).toEqual({ name: 'bob', session: 'cs' });
    });

    it('refuses a ticket under another name without burning it', async () => {
      const r = await make();
      await r.openRoom('alice', 's1');
      await r.reserveRoom('bob', 'tk', 0, 1000);
      expect(await r.claimTicket('tk', 'mallory', 'm', 1)).toEqual({ ok: false, reason: 'wrong_name' });
      expect((await r.claimTicket('tk', 'bob', 'cs', 2)).ok).toBe(true);
    });

    it('expires an unused reservation and frees the room again', async () => {
      const r = await make();
      await r.openRoom('alice', 's1');
      await r.reserveRoom('bob', 'tk', 0, 1000);
      expect(await r.reserveRoom('carol', 'tk2', 500, 1000)).toBeUndefined();
      expect(await r.claimTicket('tk', 'bob', 'cs', 1000)).toEqual({ ok: false, reason: 'expired' });
      expect((await r.reserveRoom('carol', 'tk3', 1001, 1000))?.agent).toBe('alice');
    });

    it('frees the room when its customer leaves, and only for that customer', async () => {
      const r = await make();
      await r.openRoom('alice', 's1');
      await r.reserveRoom('bob', 'tk', 0, 1000);
      await r.claimTicket('tk', 'bob', 'cs', 1);
      expect(await r.leaveRoom('alice', 'someone-else')).toBeUndefined();
      expect((await r.leaveRoom('alice', 'cs'))?.customer?.name).toBe('bob');
      expect((await r.getRoom('alice'))?.customer).toBeUndefined();
    });

    it('removes a room only for the session that owns it', async () => {
      const r = await make();
      await r.openRoom('alice', 's1');
      expect(await r.closeRoom('alice', 's-old')).toBeUndefined();
      expect((await r.closeRoom('alice', 's1'))?.agent).toBe('alice');
      expect(await r.getRoom('alice')).toBeUndefined();
    });

    it('invalidates a reservation when its agent leaves', async () => {
      const r = await make();
      await r.openRoom('alice', 's1');
      await r.reserveRoom('bob', 'tk', 0, 1000);
      await r.closeRoom('alice', 's1');
      expect(await r.claimTicket('tk', 'bob', 'cs', 1)).toEqual({ ok: false, reason: 'unknown' });
    });
  });
}
