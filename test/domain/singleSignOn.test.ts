import { describe, expect, it } from 'vitest';
import { agentNameKey } from '../../src/cluster/roomRegistry.js';
import { Accounts } from '../../src/domain/accounts/accounts.js';
import { SingleSignOn } from '../../src/domain/accounts/singleSignOn.js';
import { openMemoryAccountStores } from '../../src/store/memory/accountStores.js';

const DAY = 24 * 60 * 60_000;
const client = { address: '10.0.0.1', userAgent: 'test' };

/** Accounts over memory stores, one invited agent with an e-mail address, and single sign-on over them. */
async function world() {
  const stores = openMemoryAccountStores();
  const accounts = new Accounts(stores, { idleMs: 7 * DAY, maxMs: 30 * DAY });
  const made = await stores.accounts.createAccount({ name: 'Wang', login: 'wang', role: 'agent', email: 'wang@example.com' }, agentNameKey('Wang'), Date.now());
  if (!made.ok) throw new Error(made.reason);
  return { stores, accounts, wang: made.account, sso: new SingleSignOn(accounts) };
}

const latest = async (stores: ReturnType<typeof openMemoryAccountStores>) => (await stores.audit.listAudit(1)).entries[0];

describe('single sign-on', () => {
  it('starts a session for the account of the e-mail, in any case, even before its invite was accepted', async () => {
    const { stores, accounts, wang, sso } = await world();
    const result = await sso.signIn({ subject: 's-1', email: 'Wang@Example.COM', emailVerified: true }, client);
    expect(result).toMatchObject({ kind: 'signed_in', account: { id: wang.id } });
    if (result.kind !== 'signed_in') return;
    expect((await accounts.sessions.resolve(result.token))?.account.id).toBe(wang.id);
    expect(await latest(stores)).toMatchObject({
      action: 'sign_in',
      actor: 'wang',
      address: '10.0.0.1',
      detail: { method: 'oidc', session: result.session.id },
    });
  });

  it('takes an e-mail the provider says nothing about verifying as its word', async () => {
    const { sso } = await world();
    expect((await sso.signIn({ subject: 's-1', email: 'wang@example.com', emailVerified: undefined }, client)).kind).toBe('signed_in');
  });

  it('refuses an unverified e-mail, an unknown one, none, and a disabled account, each audited with its reason', async () => {
    const { stores, wang, sso } = await world();
    const refusals = [
      [{ subject: 's-1', email: 'wang@example.com', emailVerified: false }, 'email_unverified'],
      [{ subject: 's-2', email: 'nobody@example.com', emailVerified: true }, 'no_account'],
      [{ subject: 's-3', email: undefined, emailVerified: undefined }, 'no_email'],
    ] as const;
    for (const [identity, reason] of refusals) {
      expect(await sso.signIn(identity, client)).toEqual({ kind: 'refused', reason });
      expect(await latest(stores)).toMatchObject({ action: 'sign_in_failed', actor: null, target: null, detail: { method: 'oidc', reason } });
    }
    await stores.accounts.updateAccount(wang.id, { disabled: true }, Date.now());
    expect(await sso.signIn({ subject: 's-1', email: 'wang@example.com', emailVerified: true }, client)).toEqual({ kind: 'refused', reason: 'disabled' });
    expect(await latest(stores)).toMatchObject({
      action: 'sign_in_failed',
      target: 'wang',
      detail: { method: 'oidc', reason: 'disabled', email: 'wang@example.com' },
    });
  });
});
