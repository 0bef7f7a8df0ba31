import { agentNameKey } from '../../cluster/roomRegistry.js';
import type { AccountRole } from '../../protocol/accountInput.js';
import type { Account, AccountPatch, AccountRefusal, AccountStore } from '../../store/accountStore.js';
import type { CredentialStore } from '../../store/credentialStore.js';
import type { Actor, AuditTrail } from './auditTrail.js';
import type { Links } from './links.js';
import type { Revocation } from './revocation.js';
import { may, mayChange } from './roles.js';

/** A new account an admin invites: it gets its password through the invite link. */
export interface Invitation {
  name: string;
  login: string;
  role: AccountRole;
  email: string | null;
  maxChats: number;
}

/** What an admin may change of an account. */
export type AccountUpdate = Partial<Pick<Account, 'name' | 'login' | 'email' | 'role' | 'disabled' | 'maxChats'>>;

/** `forbidden`: the actor's role may not do this to this account. */
export type AdminRefusal = 'forbidden' | AccountRefusal;

export type AdminResult<T> = ({ ok: true } & T) | { ok: false; reason: AdminRefusal };

/** An admin acting, with the account they act as. */
type AdminActor = Actor & { account: Account };

/**
 * What owners and admins do to accounts: invite, change (role, name, maxChats, disable), reset a
 * password. Each is checked against the role rules (roles.ts), audited, and returns the sessions
 * it ended so the transport can close their sockets.
 */
export class AccountAdmin {
  constructor(
    private readonly accounts: AccountStore,
    private readonly credentials: CredentialStore,
    private readonly links: Links,
    private readonly audit: AuditTrail,
    private readonly now: () => number,
  ) {}

  async list(actor: AdminActor): Promise<AdminResult<{ accounts: Account[] }>> {
    if (!may(actor.account.role, 'accounts.manage')) return { ok: false, reason: 'forbidden' };
    return { ok: true, accounts: await this.accounts.listAccounts() };
  }

  /** Creates the account without a password and returns its invite link's token. */
  async invite(actor: AdminActor, input: Invitation): Promise<AdminResult<{ account: Account; token: string }>> {
    if (!may(actor.account.role, 'accounts.manage') || (actor.account.role !== 'owner' && input.role === 'owner')) return { ok: false, reason: 'forbidden' };
    const made = await this.accounts.createAccount({ ...input, passwordHash: null }, agentNameKey(input.name), this.now());
    if (!made.ok) return made;
    const token = await this.links.inviteLink(made.account);
    await this.audit.record('account_invited', actor, made.account, { role: input.role });
    return { ok: true, account: made.account, token };
  }

  /** Changes an account; disabling it ends every session it has. */
  async update(actor: AdminActor, id: number, update: AccountUpdate): Promise<AdminResult<{ account: Account; revocation?: Revocation }>> {
    const target = await this.accounts.getAccount(id);
    if (!target) return { ok: false, reason: 'not_found' };
    const details = update.name !== undefined || update.login !== undefined || update.email !== undefined || update.maxChats !== undefined;
    const change = {
      details,
      ...(update.role === undefined ? {} : { role: update.role }),
      ...(update.disabled === undefined ? {} : { disabled: update.disabled }),
    };
    if (!mayChange(actor.account, target, change)) return { ok: false, reason: 'forbidden' };
    const patch: AccountPatch = { ...update };
    const nameKey = update.name === undefined ? undefined : agentNameKey(update.name);
    const changed = await this.accounts.updateAccount(id, patch, this.now(), nameKey);
    if (!changed.ok) return changed;
    const account = changed.account;
    const disabledNow = update.disabled === true && !target.disabled;
    if (disabledNow) await this.credentials.deleteSessionsOf(id);
    const action =
      update.disabled === undefined || update.disabled === target.disabled ? 'account_changed' : update.disabled ? 'account_disabled' : 'account_enabled';
    await this.audit.record(action, actor, account, changesOf(target, account));
    return disabledNow ? { ok: true, account, revocation: { accountId: id, reason: 'disabled', agent: target.name } } : { ok: true, account };
  }

  /**
   * Voids the account's password and sessions and returns a new invite link's token, with which
   * its holder chooses a new password.
   */
  async resetPassword(actor: AdminActor, id: number): Promise<AdminResult<{ account: Account; token: string; revocation: Revocation }>> {
    const target = await this.accounts.getAccount(id);
    if (!target) return { ok: false, reason: 'not_found' };
    if (!mayChange(actor.account, target, { reset: true })) return { ok: false, reason: 'forbidden' };
    const changed = await this.accounts.updateAccount(id, { passwordHash: null }, this.now());
    if (!changed.ok) return changed;
    await this.credentials.deleteSessionsOf(id);
    const token = await this.links.inviteLink(changed.account);
    await this.audit.record('password_reset', actor, changed.account);
    return { ok: true, account: changed.account, token, revocation: { accountId: id, reason: 'password_reset', agent: target.name } };
  }
}

/** The fields an update changed, old and new, for the audit log (never a secret: none is among them). */
function changesOf(before: Account, after: Account): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of ['name', 'login', 'email', 'role', 'disabled', 'maxChats'] as const) {
    if (before[field] !== after[field]) out[field] = [before[field], after[field]];
  }
  return out;
}
