import { describe, expect, it } from 'vitest';
import type { Stores } from '../../src/store/stores.js';

/**
 * What every TeamStore promises (the team channel and private notes), run against memory, SQLite
 * and PostgreSQL so they cannot drift apart. `make` opens a fresh set of stores; each test closes
 * it.
 */
export function describeTeamStore(label: string, make: () => Promise<Stores>): void {
  describe(`${label} team store`, () => {
    it('keeps a team note\u2019s cid per addressee, the whole team counting as one', async () => {
      const stores = await make();
      const toBob = await stores.team.appendTeamMessage({ sender: 'alice', to: 'bob', content: 'note', ts: 1, cid: 'n1' });
      const toCarol = await stores.team.appendTeamMessage({ sender: 'alice', to: 'carol', content: 'note', ts: 2, cid: 'n1' });
      expect(toCarol.duplicate).toBe(false);
      const all = await stores.team.appendTeamMessage({ sender: 'alice', content: 'note', ts: 3, cid: 'n1' });
      expect(all.duplicate).toBe(false);
      expect(await stores.team.appendTeamMessage({ sender: 'alice', to: 'bob', content: 'note', ts: 4, cid: 'n1' })).toEqual({
        message: toBob.message,
        duplicate: true,
      });
      expect(await stores.team.appendTeamMessage({ sender: 'alice', content: 'note', ts: 5, cid: 'n1' })).toEqual({ message: all.message, duplicate: true });
      await stores.close();
    });

    it('keeps team messages and private notes, each visible to the team or to its two ends only', async () => {
      const stores = await make();
      const all = await stores.team.appendTeamMessage({ sender: 'alice', content: 'hi team', ts: 1 });
      await stores.team.appendTeamMessage({ sender: 'alice', to: 'dave', content: 'for dave', ts: 2 });
      await stores.team.appendTeamMessage({ sender: 'erin', to: 'frank', content: 'for frank', ts: 3 });
      expect(all).toMatchObject({ duplicate: false, message: { sender: 'alice', to: null, content: 'hi team', ts: 1, cid: null } });
      expect((await stores.team.teamMessagesFor('dave', 10)).map((m) => m.content)).toEqual(['hi team', 'for dave']);
      expect((await stores.team.teamMessagesFor('alice', 10)).map((m) => m.content)).toEqual(['hi team', 'for dave']);
      expect((await stores.team.teamMessagesFor('frank', 10)).map((m) => m.content)).toEqual(['hi team', 'for frank']);
      expect((await stores.team.teamMessagesFor('zoe', 10)).map((m) => m.content)).toEqual(['hi team']);
      await stores.close();
    });

    it('returns the newest team messages, oldest first, and de-duplicates a resent cid per sender', async () => {
      const stores = await make();
      for (let i = 1; i <= 5; i++) await stores.team.appendTeamMessage({ sender: 'alice', content: `t${i}`, ts: i });
      const first = await stores.team.appendTeamMessage({ sender: 'alice', content: 'once', ts: 6, cid: 'k' });
      expect(await stores.team.appendTeamMessage({ sender: 'alice', content: 'once', ts: 7, cid: 'k' })).toEqual({ message: first.message, duplicate: true });
      expect((await stores.team.appendTeamMessage({ sender: 'dave', content: 'same cid, other sender', ts: 8, cid: 'k' })).duplicate).toBe(false);
      expect((await stores.team.teamMessagesFor('alice', 3)).map((m) => m.content)).toEqual(['t5', 'once', 'same cid, other sender']);
      await stores.close();
    });
  });
}
