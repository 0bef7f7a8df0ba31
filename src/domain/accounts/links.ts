import { agentNameKey } from '../../cluster/roomRegistry.js';
import type { Account, AccountRefusal, AccountStore } from '../../store/accountStore.js';
import type { CredentialStore } from '../../store/credentialStore.js';
import type { Actor, AuditTrail } from './auditTrail.js';
import { hashPassword } from './passwords.js';
import { hashToken, newSecretToken } from './secretTokens.js';

/** A setup link works for an hour; an invite (or a reset) for three days, time to reach someone by mail. */
export const SETUP_LINK_TTL_MS = 60 * 60_000;
export const INVITE_LINK_TTL_MS = 3 * 24 * 60 * 60_000;

/** What a link opens, for the page that shows it: the first owner, or the invited account. */
export type LinkView = { purpose: 'setup' } | { purpose: 'invite'; account: Account };

/** The first owner, as the setup page sends them. */
export interface OwnerInput {
  name: string;
  login: string;
  password: string;
  email: string | null;
}

/** Using a link: the account it made or completed, or why not (`bad_link`: unknown, used or expired). */
export type LinkUse = { ok: true; account: Account } | { ok: false; reason: 'bad_link' | AccountRefusal };

/**
 * One-time links, each a random token in the URL fragment (so it reaches no server log) whose
 * hash is kept: the first-run setup link that creates the owner, and the invite link with which an
 * invited (or reset) account chooses its password. Each works once and expires.
 */
export class Links {
  constructor(
    private readonly accounts: AccountStore,
    private readonly credentials: CredentialStore,
    private readonly audit: AuditTrail,
    private readonly now: () => number,
  ) {}

  /** A setup link while no account exists (the first run), else undefined. */
  async setupLink(): Promise<string | undefined> {
    if ((await this.accounts.countAccounts()) > 0) {
      await this.credentials.deleteLinks('setup');
      return undefined;
    }
    const token = newSecretToken();
    const now = this.now();
    await this.credentials.createLink({ tokenHash: hashToken(token), purpose: 'setup', accountId: null, createdAt: now, expiresAt: now + SETUP_LINK_TTL_MS });
    return token;
  }

  /** A new invite link for the account; any earlier one of it stops working. */
  async inviteLink(account: Account): Promise<string> {
    await this.credentials.deleteLinks('invite', account.id);
    const token = newSecretToken();
    const now = this.now();
    await this.credentials.createLink({
      tokenHash: hashToken(token),
      purpose: 'invite',
      accountId: account.id,
      createdAt: now,
      expiresAt: now + INVITE_LINK_TTL_MS,
    });
    return token;
  }

  /** What a link would open, without using it. */
  async inspect(token: string): Promise<LinkView | undefined> {
    const hash = hashToken(token);
    const now = this.now();
    if (await this.credentials.peekLink(hash, 'setup', now)) return { purpose: 'setup' };
    const invite = await this.credentials.peekLink(hash, 'invite', now);
    const account = invite?.accountId == null ? undefined : await this.accounts.getAccount(invite.accountId);
    return account && !account.disabled ? { purpose: 'invite', account } : undefined;
  }

  /** Creates the first owner with the setup link; refused once any account exists. */
  async completeSetup(token: string, input: OwnerInput, address: string): Promise<LinkUse> {
    const now = this.now();
    if ((await this.accounts.countAccounts()) > 0 || !(await this.credentials.consumeLink(hashToken(token), 'setup', now)))
      return { ok: false, reason: 'bad_link' };
    const made = await this.accounts.createAccount(
      { name: input.name, login: input.login, email: input.email, role: 'owner', passwordHash: await hashPassword(input.password) },
      agentNameKey(input.name),
      now,
    );
    if (!made.ok) return made;
    await this.credentials.deleteLinks('setup');
    await this.audit.record('setup_completed', { account: made.account, address }, made.account);
    return made;
  }

  /** Sets the invited (or reset) account's password with its invite link. */
  async acceptInvite(token: string, password: string, address: string): Promise<LinkUse> {
    const link = await this.credentials.consumeLink(hashToken(token), 'invite', this.now());
    const account = link?.accountId == null ? undefined : await this.accounts.getAccount(link.accountId);
    if (!account || account.disabled) return { ok: false, reason: 'bad_link' };
    const updated = await this.accounts.updateAccount(account.id, { passwordHash: await hashPassword(password) }, this.now());
    if (!updated.ok) return updated;
    const actor: Actor = { account: updated.account, address };
    await this.audit.record('invite_accepted', actor, updated.account);
    return updated;
  }
}
