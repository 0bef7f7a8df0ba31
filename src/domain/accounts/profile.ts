import type { Account, AccountStore } from '../../store/accountStore.js';
import type { CredentialStore } from '../../store/credentialStore.js';
import type { Actor, AuditTrail } from './auditTrail.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { Revocation } from './revocation.js';
import { checkTotp, newTotpSecret, totpUri } from './totp.js';

/** The account acting on itself, and the session it acts from (none through an API token). */
type Self = Actor & { account: Account; sessionId?: number };

/** A TOTP enrolment waiting for its first code: the secret (to type in) and the URI (for the QR code). */
export interface TotpOffer {
  secret: string;
  uri: string;
}

/**
 * What people change of their own account: their password (which ends their other sessions),
 * their avatar, and TOTP, which is on only once a code from the new secret was typed back.
 */
export class Profiles {
  constructor(
    private readonly accounts: AccountStore,
    private readonly credentials: CredentialStore,
    private readonly audit: AuditTrail,
    private readonly now: () => number,
  ) {}

  /** Sets a new password after checking the current one; every other session ends. */
  async changePassword(self: Self, current: string, next: string): Promise<{ ok: true; revocation: Revocation } | { ok: false; reason: 'wrong_password' }> {
    if (!(await verifyPassword(current, self.account.passwordHash))) return { ok: false, reason: 'wrong_password' };
    const changed = await this.accounts.updateAccount(self.account.id, { passwordHash: await hashPassword(next) }, this.now());
    if (!changed.ok) return { ok: false, reason: 'wrong_password' };
    const ended = await this.credentials.deleteSessionsOf(self.account.id, self.sessionId);
    await this.audit.record('password_changed', self, self.account, { sessionsEnded: ended.length });
    return { ok: true, revocation: { accountId: self.account.id, sessionIds: ended, reason: 'signed_out' } };
  }

  async setAvatar(self: Self, avatar: string | null): Promise<Account | undefined> {
    const changed = await this.accounts.updateAccount(self.account.id, { avatar }, this.now());
    return changed.ok ? changed.account : undefined;
  }

  /** Offers a new secret; TOTP stays as it was until confirmTotp. Refused while TOTP is on. */
  async offerTotp(self: Self): Promise<TotpOffer | undefined> {
    if (self.account.totpSecret !== null) return undefined;
    const secret = newTotpSecret();
    await this.accounts.updateAccount(self.account.id, { totpPending: secret }, this.now());
    return { secret, uri: totpUri(secret, self.account.login) };
  }

  /** Turns TOTP on with the first code from the offered secret. */
  async confirmTotp(self: Self, code: string): Promise<'enabled' | 'bad_code' | 'no_offer'> {
    const pending = self.account.totpPending;
    if (pending === null || self.account.totpSecret !== null) return 'no_offer';
    const checked = checkTotp(pending, code, this.now());
    if (!checked.ok || !(await this.accounts.useTotpStep(self.account.id, checked.step))) return 'bad_code';
    await this.accounts.updateAccount(self.account.id, { totpSecret: pending, totpPending: null }, this.now());
    await this.audit.record('totp_enabled', self, self.account);
    return 'enabled';
  }

  /** Turns TOTP off, with the password as proof (a stolen session alone cannot). */
  async disableTotp(self: Self, password: string): Promise<'disabled' | 'wrong_password' | 'not_enabled'> {
    if (self.account.totpSecret === null) return 'not_enabled';
    if (!(await verifyPassword(password, self.account.passwordHash))) return 'wrong_password';
    await this.accounts.updateAccount(self.account.id, { totpSecret: null, totpPending: null }, this.now());
    await this.audit.record('totp_disabled', self, self.account);
    return 'disabled';
  }
}
