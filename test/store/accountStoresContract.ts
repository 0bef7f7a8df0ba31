import { describe, expect, it } from 'vitest';
import type { AccountStores } from '../../src/store/accountStores.js';
import type { NewAccount } from '../../src/store/accountStore.js';

type Make = () => Promise<{ stores: AccountStores; close(): Promise<void> }>;

const owner: NewAccount = { name: '王经理', login: 'wang', email: 'wang@example.com', role: 'owner', passwordHash: 'h1' };
const agent: NewAccount = { name: 'Agent7', login: 'agent7', role: 'agent' };

/** What every AccountStores backend promises, run against memory, SQLite and PostgreSQL. */
export function describeAccountStores(label: string, make: Make): void {
  describe(`${label} account store`, () => {
    it('creates accounts with their defaults and finds them by id, login and e-mail', async () => {
      const { stores, close } = await make();
      const { accounts } = stores;
      expect(await accounts.countAccounts()).toBe(0);
      const made = await accounts.createAccount(owner, 'wang-key', 10);
      expect(made).toEqual({
        ok: true,
        account: {
          id: expect.any(Number),
          name: '王经理',
          login: 'wang',
          email: 'wang@example.com',
          role: 'owner',
          disabled: false,
          avatar: null,
          maxChats: 1,
          passwordHash: 'h1',
          totpSecret: null,
          totpPending: null,
          createdAt: 10,
          updatedAt: 10,
        },
      });
      if (!made.ok) return;
      expect(await accounts.getAccount(made.account.id)).toEqual(made.account);
      expect(await accounts.accountByLogin('wang')).toEqual(made.account);
      expect(await accounts.accountByEmail('wang@example.com')).toEqual(made.account);
      expect(await accounts.accountByLogin('nobody')).toBeUndefined();
      expect(await accounts.getAccount(made.account.id + 100)).toBeUndefined();
      await accounts.createAccount(agent, 'agent7-key', 11);
      expect((await accounts.listAccounts()).map((a) => a.login)).toEqual(['wang', 'agent7']);
      expect(await accounts.countAccounts()).toBe(2);
      await close();
    });

    it('refuses a second account with a taken name key, login or e-mail', async () => {
      const { stores, close } = await make();
      const { accounts } = stores;
      await accounts.createAccount(owner, 'wang-key', 1);
      expect(await accounts.createAccount({ ...agent, name: 'Wang' }, 'wang-key', 2)).toEqual({ ok: false, reason: 'name_taken' });
      expect(await accounts.createAccount({ ...agent, login: 'wang' }, 'other', 2)).toEqual({ ok: false, reason: 'login_taken' });
      expect(await accounts.createAccount({ ...agent, email: 'wang@example.com' }, 'other', 2)).toEqual({ ok: false, reason: 'email_taken' });
      // Accounts without an e-mail do not clash with each other.
      expect((await accounts.createAccount(agent, 'a', 2)).ok).toBe(true);
      expect((await accounts.createAccount({ ...agent, login: 'b' }, 'b', 2)).ok).toBe(true);
      expect(await accounts.countAccounts()).toBe(3);
      await close();
    });

    it('updates the fields given, keeps the others, and checks uniqueness against the others only', async () => {
      const { stores, close } = await make();
      const { accounts } = stores;
      const a = await accounts.createAccount(owner, 'wang-key', 1);
      const b = await accounts.createAccount(agent, 'agent7-key', 1);
      if (!a.ok || !b.ok) throw new Error('create failed');
      const changed = await accounts.updateAccount(b.account.id, { maxChats: 5, avatar: 'cat', disabled: true, totpPending: 'SECRET' }, 9);
      expect(changed).toEqual({ ok: true, account: { ...b.account, maxChats: 5, avatar: 'cat', disabled: true, totpPending: 'SECRET', updatedAt: 9 } });
      expect(await accounts.updateAccount(b.account.id, { name: '王经理' }, 10, 'wang-key')).toEqual({ ok: false, reason: 'name_taken' });
      expect(await accounts.updateAccount(b.account.id, { login: 'wang' }, 10)).toEqual({ ok: false, reason: 'login_taken' });
      expect(await accounts.updateAccount(b.account.id, { email: 'wang@example.com' }, 10)).toEqual({ ok: false, reason: 'email_taken' });
      expect(await accounts.updateAccount(a.account.id, { name: '王经理', login: 'wang' }, 10, 'wang-key')).toMatchObject({ ok: true });
      expect(await accounts.updateAccount(a.account.id + 100, { maxChats: 2 }, 10)).toEqual({ ok: false, reason: 'not_found' });
      const renamed = await accounts.updateAccount(b.account.id, { name: 'Agent8', email: null, avatar: null }, 11, 'agent8-key');
      expect(renamed).toMatchObject({ ok: true, account: { name: 'Agent8', email: null, avatar: null } });
      // The new key is the one that counts now; the old one is free.
      expect(await accounts.createAccount({ ...agent, login: 'x' }, 'agent7-key', 12)).toMatchObject({ ok: true });
      expect(await accounts.createAccount({ ...agent, login: 'y' }, 'agent8-key', 12)).toEqual({ ok: false, reason: 'name_taken' });
      await close();
    });

    it('never leaves no enabled owner: the last one can be neither demoted nor disabled', async () => {
      const { stores, close } = await make();
      const { accounts } = stores;
      const a = await accounts.createAccount(owner, 'a', 1);
      if (!a.ok) throw new Error('create failed');
      expect(await accounts.updateAccount(a.account.id, { role: 'admin' }, 2)).toEqual({ ok: false, reason: 'last_owner' });
      expect(await accounts.updateAccount(a.account.id, { disabled: true }, 2)).toEqual({ ok: false, reason: 'last_owner' });
      const b = await accounts.createAccount({ ...agent, role: 'owner' }, 'b', 1);
      if (!b.ok) throw new Error('create failed');
      await accounts.updateAccount(b.account.id, { disabled: true }, 3);
      // A disabled owner is no owner to fall back on.
      expect(await accounts.updateAccount(a.account.id, { role: 'agent' }, 4)).toEqual({ ok: false, reason: 'last_owner' });
      await accounts.updateAccount(b.account.id, { disabled: false }, 5);
      expect(await accounts.updateAccount(a.account.id, { role: 'agent' }, 6)).toMatchObject({ ok: true, account: { role: 'agent' } });
      expect(await accounts.updateAccount(b.account.id, { disabled: true }, 7)).toEqual({ ok: false, reason: 'last_owner' });
      await close();
    });

    it('lets two concurrent demotions of the last two owners through only one', async () => {
      const { stores, close } = await make();
      const { accounts } = stores;
      const a = await accounts.createAccount(owner, 'a', 1);
      const b = await accounts.createAccount({ ...agent, role: 'owner' }, 'b', 1);
      if (!a.ok || !b.ok) throw new Error('create failed');
      const results = await Promise.all([
        accounts.updateAccount(a.account.id, { role: 'admin' }, 2),
        accounts.updateAccount(b.account.id, { role: 'admin' }, 2),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect((await accounts.listAccounts()).filter((x) => x.role === 'owner')).toHaveLength(1);
      await close();
    });

    it('accepts each TOTP time step once per account, and only moving forward', async () => {
      const { stores, close } = await make();
      const { accounts } = stores;
      const a = await accounts.createAccount(owner, 'a', 1);
      const b = await accounts.createAccount(agent, 'b', 1);
      if (!a.ok || !b.ok) throw new Error('create failed');
      expect(await accounts.useTotpStep(a.account.id, 100)).toBe(true);
      expect(await accounts.useTotpStep(a.account.id, 100)).toBe(false);
      expect(await accounts.useTotpStep(a.account.id, 99)).toBe(false);
      expect(await accounts.useTotpStep(b.account.id, 100)).toBe(true);
      expect(await accounts.useTotpStep(a.account.id, 101)).toBe(true);
      await close();
    });
  });

  describe(`${label} credential store`, () => {
    const session = (accountId: number, tokenHash: string, createdAt = 1000) => ({
      accountId,
      tokenHash,
      createdAt,
      lastSeenAt: createdAt,
      expiresAt: createdAt + 1000,
      address: '127.0.0.1',
      userAgent: 'test',
    });

    async function withAccounts(stores: AccountStores): Promise<[number, number]> {
      const a = await stores.accounts.createAccount(owner, 'a', 1);
      const b = await stores.accounts.createAccount(agent, 'b', 1);
      if (!a.ok || !b.ok) throw new Error('create failed');
      return [a.account.id, b.account.id];
    }

    it('finds a session by its hash until it expires, and moves its expiry when touched', async () => {
      const { stores, close } = await make();
      const [a] = await withAccounts(stores);
      const { credentials } = stores;
      const s = await credentials.createSession(session(a, 'h1'));
      expect(s).toEqual({ id: expect.any(Number), ...session(a, 'h1') });
      expect(await credentials.sessionByHash('h1', 1999)).toEqual(s);
      expect(await credentials.sessionByHash('h1', 2000)).toBeUndefined();
      expect(await credentials.sessionByHash('other', 1500)).toBeUndefined();
      expect(await credentials.touchSession(s.id, 1500, 5000)).toBe(true);
      expect(await credentials.sessionByHash('h1', 4000)).toMatchObject({ lastSeenAt: 1500, expiresAt: 5000 });
      // An expired session cannot be brought back by touching it.
      expect(await credentials.touchSession(s.id, 5000, 9000)).toBe(false);
      await close();
    });

    it("lists an account's live sessions newest first and ends one, or all but one", async () => {
      const { stores, close } = await make();
      const [a, b] = await withAccounts(stores);
      const { credentials } = stores;
      const s1 = await credentials.createSession(session(a, 'h1', 1000));
      const s2 = await credentials.createSession(session(a, 'h2', 1100));
      const s3 = await credentials.createSession(session(a, 'h3', 1200));
      const other = await credentials.createSession(session(b, 'h4', 1000));
      expect((await credentials.sessionsOf(a, 1500)).map((s) => s.id)).toEqual([s3.id, s2.id, s1.id]);
      expect((await credentials.sessionsOf(a, 2050)).map((s) => s.id)).toEqual([s3.id, s2.id]);
      // Nobody ends another account's session by its id.
      expect(await credentials.deleteSession(other.id, a)).toBe(false);
      expect(await credentials.deleteSession(s1.id, a)).toBe(true);
      expect(await credentials.deleteSession(s1.id, a)).toBe(false);
      expect((await credentials.deleteSessionsOf(a, s3.id)).sort()).toEqual([s2.id]);
      expect((await credentials.sessionsOf(a, 1500)).map((s) => s.id)).toEqual([s3.id]);
      expect(await credentials.deleteSessionsOf(a)).toEqual([s3.id]);
      expect(await credentials.sessionByHash('h4', 1500)).toMatchObject({ id: other.id });
      await close();
    });

    it('keeps API tokens per account, newest first, and revokes only its own', async () => {
      const { stores, close } = await make();
      const [a, b] = await withAccounts(stores);
      const { credentials } = stores;
      const t1 = await credentials.createApiToken({ accountId: a, name: 'reports', tokenHash: 't1', createdAt: 5 });
      const t2 = await credentials.createApiToken({ accountId: a, name: 'export', tokenHash: 't2', createdAt: 6 });
      expect(t1).toEqual({ id: expect.any(Number), accountId: a, name: 'reports', tokenHash: 't1', createdAt: 5, lastUsedAt: null });
      expect((await credentials.apiTokensOf(a)).map((t) => t.name)).toEqual(['export', 'reports']);
      expect(await credentials.apiTokensOf(b)).toEqual([]);
      await credentials.touchApiToken(t1.id, 42);
      expect(await credentials.apiTokenByHash('t1')).toEqual({ ...t1, lastUsedAt: 42 });
      expect(await credentials.deleteApiToken(t2.id, b)).toBe(false);
      expect(await credentials.deleteApiToken(t2.id, a)).toBe(true);
      expect(await credentials.apiTokenByHash('t2')).toBeUndefined();
      await close();
    });

    it('hands a one-time link to one taker only, before it expires, and for its purpose only', async () => {
      const { stores, close } = await make();
      const [a] = await withAccounts(stores);
      const { credentials } = stores;
      const link = { tokenHash: 'l1', purpose: 'invite' as const, accountId: a, createdAt: 1, expiresAt: 100 };
      await credentials.createLink(link);
      expect(await credentials.peekLink('l1', 'setup', 50)).toBeUndefined();
      expect(await credentials.peekLink('l1', 'invite', 50)).toEqual(link);
      expect(await credentials.consumeLink('l1', 'invite', 100)).toBeUndefined();
      const takers = await Promise.all([credentials.consumeLink('l1', 'invite', 50), credentials.consumeLink('l1', 'invite', 50)]);
      expect(takers.filter((t) => t !== undefined)).toEqual([link]);
      expect(await credentials.peekLink('l1', 'invite', 50)).toBeUndefined();
      await close();
    });

    it('voids the links of a purpose (for one account or all), and purges what expired', async () => {
      const { stores, close } = await make();
      const [a, b] = await withAccounts(stores);
      const { credentials } = stores;
      await credentials.createLink({ tokenHash: 'x', purpose: 'invite', accountId: a, createdAt: 1, expiresAt: 100 });
      await credentials.createLink({ tokenHash: 'y', purpose: 'invite', accountId: b, createdAt: 1, expiresAt: 100 });
      await credentials.createLink({ tokenHash: 'z', purpose: 'setup', accountId: null, createdAt: 1, expiresAt: 100 });
      await credentials.deleteLinks('invite', a);
      expect(await credentials.peekLink('x', 'invite', 2)).toBeUndefined();
      expect(await credentials.peekLink('y', 'invite', 2)).toBeDefined();
      await credentials.deleteLinks('setup');
      expect(await credentials.peekLink('z', 'setup', 2)).toBeUndefined();
      await credentials.createSession(session(a, 'old', 1));
      await credentials.purgeExpired(5000);
      expect(await credentials.sessionsOf(a, 0)).toEqual([]);
      expect(await credentials.peekLink('y', 'invite', 0)).toBeUndefined();
      await close();
    });
  });

  describe(`${label} audit log and secrets`, () => {
    it('reads the audit log newest first, in pages', async () => {
      const { stores, close } = await make();
      const { audit } = stores;
      for (let i = 1; i <= 5; i++) {
        await audit.appendAudit({
          ts: i,
          action: i === 1 ? 'sign_in_failed' : 'sign_in',
          actorId: i === 1 ? null : 7,
          actor: i === 1 ? null : 'wang',
          targetId: null,
          target: null,
          address: '10.0.0.1',
          detail: i === 1 ? { login: 'wang' } : null,
        });
      }
      const first = await audit.listAudit(2);
      expect(first.entries.map((e) => e.ts)).toEqual([5, 4]);
      expect(first.nextBefore).not.toBeNull();
      const second = await audit.listAudit(2, first.nextBefore as string);
      expect(second.entries.map((e) => e.ts)).toEqual([3, 2]);
      const last = await audit.listAudit(2, second.nextBefore as string);
      expect(last.entries).toEqual([
        {
          id: expect.any(Number),
          ts: 1,
          action: 'sign_in_failed',
          actorId: null,
          actor: null,
          targetId: null,
          target: null,
          address: '10.0.0.1',
          detail: { login: 'wang' },
        },
      ]);
      expect(last.nextBefore).toBeNull();
      await close();
    });

    it('keeps the first candidate of a secret for everyone after', async () => {
      const { stores, close } = await make();
      const got = await Promise.all([stores.secrets.secret('images', 'one'), stores.secrets.secret('images', 'two')]);
      expect(got[0]).toBe(got[1]);
      expect(await stores.secrets.secret('images', 'three')).toBe(got[0]);
      expect(await stores.secrets.secret('other', 'four')).toBe('four');
      await close();
    });
  });
}
