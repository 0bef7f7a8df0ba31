import { generateSync } from 'otplib';
import { describe, expect, it } from 'vitest';
import { agentNameKey } from '../../src/cluster/roomRegistry.js';
import { Accounts } from '../../src/domain/accounts/accounts.js';
import type { Actor } from '../../src/domain/accounts/auditTrail.js';
import { hashPassword, verifyPassword } from '../../src/domain/accounts/passwords.js';
import type { AccountRole } from '../../src/protocol/accountInput.js';
import type { Account } from '../../src/store/accountStore.js';
import { openMemoryAccountStores } from '../../src/store/memory/accountStores.js';

const CHEAP = { N: 1024, r: 8, p: 1 };
const DAY = 24 * 60 * 60_000;
const client = { address: '10.0.0.1', userAgent: 'test' };

/** Accounts over memory stores with a clock the test moves. */
function world() {
  const clock = { now: 1_000_000 };
  const stores = openMemoryAccountStores();
  const accounts = new Accounts(stores, { idleMs: 7 * DAY, maxMs: 30 * DAY }, () => clock.now);
  const add = async (login: string, role: AccountRole, password = 'correct horse') => {
    const made = await stores.accounts.createAccount(
      { name: login.toUpperCase(), login, role, passwordHash: await hashPassword(password, CHEAP) },
      agentNameKey(login),
      clock.now,
    );
    if (!made.ok) throw new Error(made.reason);
    return made.account;
  };
  const as = (account: Account): Actor & { account: Account } => ({ account, address: client.address });
  return { clock, stores, accounts, add, as };
}

describe('passwords', () => {
  it('verifies a scrypt hash made with its own parameters, and nothing else', async () => {
    const hash = await hashPassword('correct horse', CHEAP);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsf', hash)).toBe(false);
    expect(await verifyPassword('correct horse', null)).toBe(false);
    expect(await verifyPassword('correct horse', 'md5$abc')).toBe(false);
    // Two hashes of one password differ (each has its own salt).
    expect(await hashPassword('correct horse', CHEAP)).not.toBe(hash);
  });
});

describe('sessions', () => {
  it('gives every sign-in a new token and finds the account by it', async () => {
    const { accounts, add } = world();
    const wang = await add('wang', 'agent');
    const first = await accounts.sessions.withPassword('wang', 'correct horse', client);
    const second = await accounts.sessions.withPassword('wang', 'correct horse', client);
    if (first.kind !== 'signed_in' || second.kind !== 'signed_in') throw new Error('not signed in');
    expect(first.token).not.toBe(second.token);
    expect((await accounts.sessions.resolve(first.token))?.account.id).toBe(wang.id);
    expect(await accounts.sessions.resolve('not-a-token')).toBeUndefined();
  });

  it('refuses a wrong password, an unknown login and a disabled account alike, and audits each', async () => {
    const { accounts, add, stores } = world();
    const wang = await add('wang', 'agent');
    await add('li', 'agent');
    await stores.accounts.updateAccount((await stores.accounts.accountByLogin('li'))?.id as number, { disabled: true }, 1);
    expect(await accounts.sessions.withPassword('wang', 'wrong password', client)).toEqual({ kind: 'refused' });
    expect(await accounts.sessions.withPassword('nobody', 'correct horse', client)).toEqual({ kind: 'refused' });
    expect(await accounts.sessions.withPassword('li', 'correct horse', client)).toEqual({ kind: 'refused' });
    const log = (await stores.audit.listAudit(10)).entries;
    expect(log.map((e) => e.action)).toEqual(['sign_in_failed', 'sign_in_failed', 'sign_in_failed']);
    expect(log[2]).toMatchObject({ targetId: wang.id, address: '10.0.0.1', detail: { login: 'wang' } });
  });

  it('ends a session idle for longer than the idle time, and any session at its maximum age', async () => {
    const { accounts, add, clock } = world();
    await add('wang', 'agent');
    const s = await accounts.sessions.withPassword('wang', 'correct horse', client);
    if (s.kind !== 'signed_in') throw new Error('not signed in');
    // Seen every six days, it lives on, but never past thirty days from its sign-in.
    for (let day = 6; day < 30; day += 6) {
      clock.now += 6 * DAY;
      expect(await accounts.sessions.resolve(s.token), `day ${day}`).toBeDefined();
    }
    clock.now += 6 * DAY;
    expect(await accounts.sessions.resolve(s.token)).toBeUndefined();
    const idle = await accounts.sessions.withPassword('wang', 'correct horse', client);
    if (idle.kind !== 'signed_in') throw new Error('not signed in');
    clock.now += 7 * DAY;
    expect(await accounts.sessions.resolve(idle.token)).toBeUndefined();
  });

  it('asks an account with TOTP for its code, takes each code once, and signs in with the right one', async () => {
    const { accounts, add, as, stores, clock } = world();
    const wang = await add('wang', 'agent');
    const offer = await accounts.profiles.offerTotp(as(wang));
    if (!offer) throw new Error('no offer');
    expect(offer.uri).toContain('otpauth://totp/');
    const pending = (await stores.accounts.getAccount(wang.id)) as Account;
    const code = () => generateSync({ secret: offer.secret, epoch: Math.floor(clock.now / 1000) });
    expect(await accounts.profiles.confirmTotp(as(pending), '000000')).toBe('bad_code');
    expect(await accounts.profiles.confirmTotp(as(pending), code())).toBe('enabled');
    clock.now += 30_000;
    const step = await accounts.sessions.withPassword('wang', 'correct horse', client);
    if (step.kind !== 'totp_required') throw new Error(`expected a challenge, got ${step.kind}`);
    expect(await accounts.sessions.withCode(step.challenge, '123456', client)).toEqual({ kind: 'refused' });
    const c = code();
    expect((await accounts.sessions.withCode(step.challenge, c, client)).kind).toBe('signed_in');
    // The challenge is used up, and the code too.
    expect((await accounts.sessions.withCode(step.challenge, c, client)).kind).toBe('refused');
    const again = await accounts.sessions.withPassword('wang', 'correct horse', client);
    if (again.kind !== 'totp_required') throw new Error('expected a challenge');
    expect((await accounts.sessions.withCode(again.challenge, c, client)).kind).toBe('refused');
  });

  it('signs out one session, or every session of the account, and says which', async () => {
    const { accounts, add, as } = world();
    const wang = await add('wang', 'agent');
    const a = await accounts.sessions.withPassword('wang', 'correct horse', client);
    const b = await accounts.sessions.withPassword('wang', 'correct horse', client);
    if (a.kind !== 'signed_in' || b.kind !== 'signed_in') throw new Error('not signed in');
    expect(await accounts.sessions.end(as(wang), a.session.id, true)).toEqual({ accountId: wang.id, sessionIds: [a.session.id], reason: 'signed_out' });
    expect(await accounts.sessions.resolve(a.token)).toBeUndefined();
    expect(await accounts.sessions.resolve(b.token)).toBeDefined();
    expect(await accounts.sessions.endAll(as(wang))).toEqual({ accountId: wang.id, reason: 'signed_out', agent: 'WANG' });
    expect(await accounts.sessions.resolve(b.token)).toBeUndefined();
  });
});

describe('one-time links', () => {
  it('creates the owner with the setup link once, and only while there is no account', async () => {
    const { accounts } = world();
    const token = await accounts.links.setupLink();
    if (!token) throw new Error('no setup link');
    expect(await accounts.links.inspect(token)).toEqual({ purpose: 'setup' });
    const owner = { name: '王经理', login: 'wang', password: 'correct horse', email: null };
    const made = await accounts.links.completeSetup(token, owner, '10.0.0.1');
    expect(made).toMatchObject({ ok: true, account: { role: 'owner', login: 'wang' } });
    expect(await accounts.links.completeSetup(token, { ...owner, login: 'other' }, '10.0.0.1')).toEqual({ ok: false, reason: 'bad_link' });
    expect(await accounts.links.setupLink()).toBeUndefined();
  });

  it('lets a setup link expire after an hour', async () => {
    const { accounts, clock } = world();
    const token = (await accounts.links.setupLink()) as string;
    clock.now += 60 * 60_000;
    expect(await accounts.links.inspect(token)).toBeUndefined();
    expect(await accounts.links.completeSetup(token, { name: 'x', login: 'x', password: 'correct horse', email: null }, 'a')).toEqual({
      ok: false,
      reason: 'bad_link',
    });
  });

  it('lets an invited account choose its password once; a reset voids the old password and sessions', async () => {
    const { accounts, add, as } = world();
    const owner = await add('boss', 'owner');
    const invited = await accounts.admin.invite(as(owner), { name: '小王', login: 'xiaowang', role: 'agent', email: null, maxChats: 1 });
    if (!invited.ok) throw new Error(invited.reason);
    expect(await accounts.sessions.withPassword('xiaowang', '', client)).toEqual({ kind: 'refused' });
    expect(await accounts.links.inspect(invited.token)).toMatchObject({ purpose: 'invite', account: { login: 'xiaowang' } });
    expect((await accounts.links.acceptInvite(invited.token, 'new password 1', 'a')).ok).toBe(true);
    expect((await accounts.links.acceptInvite(invited.token, 'new password 2', 'a')).ok).toBe(false);
    const s = await accounts.sessions.withPassword('xiaowang', 'new password 1', client);
    if (s.kind !== 'signed_in') throw new Error('not signed in');
    const reset = await accounts.admin.resetPassword(as(owner), invited.account.id);
    if (!reset.ok) throw new Error(reset.reason);
    expect(reset.revocation).toEqual({ accountId: invited.account.id, reason: 'password_reset', agent: '小王' });
    expect(await accounts.sessions.resolve(s.token)).toBeUndefined();
    expect(await accounts.sessions.withPassword('xiaowang', 'new password 1', client)).toEqual({ kind: 'refused' });
    expect((await accounts.links.acceptInvite(reset.token, 'new password 3', 'a')).ok).toBe(true);
  });
});

describe('account admin', () => {
  it('lets an admin change agents and admins but neither touch an owner nor make one', async () => {
    const { accounts, add, as } = world();
    const owner = await add('boss', 'owner');
    const admin = await add('admin', 'admin');
    const agent = await add('agent', 'agent');
    expect((await accounts.admin.update(as(admin), agent.id, { role: 'admin' })).ok).toBe(true);
    expect(await accounts.admin.update(as(admin), agent.id, { role: 'owner' })).toEqual({ ok: false, reason: 'forbidden' });
    expect(await accounts.admin.update(as(admin), owner.id, { role: 'agent' })).toEqual({ ok: false, reason: 'forbidden' });
    expect(await accounts.admin.update(as(admin), owner.id, { disabled: true })).toEqual({ ok: false, reason: 'forbidden' });
    expect(await accounts.admin.resetPassword(as(admin), owner.id)).toEqual({ ok: false, reason: 'forbidden' });
    expect((await accounts.admin.invite(as(admin), { name: 'o2', login: 'o2', role: 'owner', email: null, maxChats: 1 })).ok).toBe(false);
    expect((await accounts.admin.update(as(owner), agent.id, { role: 'owner' })).ok).toBe(true);
  });

  it('refuses everything to an agent, and keeps the last owner an enabled owner', async () => {
    const { accounts, add, as } = world();
    const owner = await add('boss', 'owner');
    const agent = await add('agent', 'agent');
    expect(await accounts.admin.list(as(agent))).toEqual({ ok: false, reason: 'forbidden' });
    expect(await accounts.admin.update(as(agent), agent.id, { maxChats: 5 })).toEqual({ ok: false, reason: 'forbidden' });
    expect(await accounts.admin.update(as(owner), owner.id, { role: 'admin' })).toEqual({ ok: false, reason: 'last_owner' });
    // Nobody disables themselves.
    expect(await accounts.admin.update(as(owner), owner.id, { disabled: true })).toEqual({ ok: false, reason: 'forbidden' });
  });

  it('ends every session of an account it disables, and audits who did it', async () => {
    const { accounts, add, as, stores } = world();
    const owner = await add('boss', 'owner');
    const agent = await add('agent', 'agent');
    const s = await accounts.sessions.withPassword('agent', 'correct horse', client);
    if (s.kind !== 'signed_in') throw new Error('not signed in');
    const result = await accounts.admin.update(as(owner), agent.id, { disabled: true });
    expect(result).toMatchObject({ ok: true, account: { disabled: true }, revocation: { accountId: agent.id, reason: 'disabled', agent: 'AGENT' } });
    expect(await accounts.sessions.resolve(s.token)).toBeUndefined();
    expect((await stores.audit.listAudit(1)).entries[0]).toMatchObject({
      action: 'account_disabled',
      actorId: owner.id,
      targetId: agent.id,
      detail: { disabled: [false, true] },
    });
    const enabled = await accounts.admin.update(as(owner), agent.id, { disabled: false });
    expect(enabled).toMatchObject({ ok: true, account: { disabled: false } });
    expect('revocation' in enabled && enabled.revocation).toBeFalsy();
  });
});
