import type { Account, AccountStore } from '../../store/accountStore.js';
import type { CredentialStore, SessionRecord } from '../../store/credentialStore.js';
import type { Actor, AuditTrail } from './auditTrail.js';
import { verifyPassword } from './passwords.js';
import type { Revocation } from './revocation.js';
import { hashToken, newSecretToken } from './secretTokens.js';
import { checkTotp } from './totp.js';

/** How long sessions and sign-in challenges live. */
export interface SessionOptions {
  /** A session not seen for this long ends. */
  idleMs: number;
  /** A session ends this long after its sign-in however busy it is: sign in again. */
  maxMs: number;
}

/** How long the second step of a sign-in (the TOTP code) may take. */
export const CHALLENGE_TTL_MS = 5 * 60_000;
/** A session's lastSeenAt is written at most this often, not on every request. */
const TOUCH_EVERY_MS = 60_000;

/** Where a sign-in comes from, kept with the session for the list of one's sessions. */
export interface ClientInfo {
  address: string;
  userAgent: string;
}

/** A new session: the token goes into the browser's cookie once and is never stored. */
export interface StartedSession {
  token: string;
  session: SessionRecord;
  account: Account;
}

/** What a sign-in step came to. `refused` is one answer for every reason, by design. */
export type SignInResult = ({ kind: 'signed_in' } & StartedSession) | { kind: 'totp_required'; challenge: string } | { kind: 'refused' };

/** A request's session, once its token was found and its account is still enabled. */
export interface SignedIn {
  account: Account;
  session: SessionRecord;
}

/**
 * Signing in and out: a password, then a TOTP code when the account has one; a new random token
 * for every session (never one the browser brought: no fixation); server-side records that
 * survive restarts and work on every node; sign-out one, or everywhere.
 */
export class Sessions {
  constructor(
    private readonly accounts: AccountStore,
    private readonly credentials: CredentialStore,
    private readonly audit: AuditTrail,
    private readonly options: SessionOptions,
    private readonly now: () => number,
  ) {}

  /** First step: login and password. Accounts with TOTP get a challenge for the code instead of a session. */
  async withPassword(login: string, password: string, client: ClientInfo): Promise<SignInResult> {
    const account = await this.accounts.accountByLogin(login);
    const actor: Actor = { account: null, address: client.address };
    // Checked even for an unknown login (against a decoy): the answer takes as long either way.
    const matches = await verifyPassword(password, account?.passwordHash);
    if (!account || !matches || account.disabled) {
      await this.audit.record('sign_in_failed', actor, account ?? null, { login, step: 'password' });
      return { kind: 'refused' };
    }
    if (account.totpSecret !== null) {
      const challenge = newSecretToken();
      const now = this.now();
      await this.credentials.createLink({
        tokenHash: hashToken(challenge),
        purpose: 'challenge',
        accountId: account.id,
        createdAt: now,
        expiresAt: now + CHALLENGE_TTL_MS,
      });
      return { kind: 'totp_required', challenge };
    }
    return { kind: 'signed_in', ...(await this.start(account, client)) };
  }

  /** The login a live challenge is for (the limits on failed sign-ins count codes by it), or undefined. */
  async challengeLogin(challenge: string): Promise<string | undefined> {
    const link = await this.credentials.peekLink(hashToken(challenge), 'challenge', this.now());
    return link?.accountId == null ? undefined : (await this.accounts.getAccount(link.accountId))?.login;
  }

  /**
   * Second step: the code for a challenge. A wrong code leaves the challenge usable (the limits on
   * failed sign-ins bound the guessing); a right one takes it, so it signs in once.
   */
  async withCode(challenge: string, code: string, client: ClientInfo): Promise<SignInResult> {
    const hash = hashToken(challenge);
    const now = this.now();
    const link = await this.credentials.peekLink(hash, 'challenge', now);
    const account = link?.accountId == null ? undefined : await this.accounts.getAccount(link.accountId);
    const actor: Actor = { account: null, address: client.address };
    if (!link || !account || account.disabled || account.totpSecret === null) {
      await this.audit.record('sign_in_failed', actor, account ?? null, { step: 'code' });
      return { kind: 'refused' };
    }
    const checked = checkTotp(account.totpSecret, code, now);
    if (!checked.ok || !(await this.accounts.useTotpStep(account.id, checked.step))) {
      await this.audit.record('sign_in_failed', actor, account, { login: account.login, step: 'code' });
      return { kind: 'refused' };
    }
    if (!(await this.credentials.consumeLink(hash, 'challenge', now))) return { kind: 'refused' };
    return { kind: 'signed_in', ...(await this.start(account, client)) };
  }

  /**
   * Starts a session for an account that proved who it is (a password, a code, or a single
   * sign-on provider's word): a fresh token, audited as a sign-in.
   */
  async start(account: Account, client: ClientInfo, method = 'password'): Promise<StartedSession> {
    const token = newSecretToken();
    const now = this.now();
    const session = await this.credentials.createSession({
      accountId: account.id,
      tokenHash: hashToken(token),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: Math.min(now + this.options.idleMs, now + this.options.maxMs),
      address: client.address,
      // A user agent is only ever shown back to its own account, but it is the client's text: bounded.
      userAgent: client.userAgent.slice(0, 256),
    });
    await this.audit.record('sign_in', { account, address: client.address }, null, { method, session: session.id });
    return { token, session, account };
  }

  /**
   * The session a token stands for, if it is live and its account enabled; seen now (its expiry
   * moves, written at most once a minute).
   */
  async resolve(token: string): Promise<SignedIn | undefined> {
    const now = this.now();
    const session = await this.credentials.sessionByHash(hashToken(token), now);
    if (!session) return undefined;
    const account = await this.accounts.getAccount(session.accountId);
    if (!account || account.disabled) return undefined;
    if (now - session.lastSeenAt >= TOUCH_EVERY_MS) {
      const expiresAt = this.expiryOf(session, now);
      if (!(await this.credentials.touchSession(session.id, now, expiresAt))) return undefined;
      Object.assign(session, { lastSeenAt: now, expiresAt });
    }
    return { account, session };
  }

  /**
   * Keeps a session whose console holds a socket open alive (the socket, not requests, shows it is
   * in use); false when it has ended (revoked or past its maximum age).
   */
  async keepAlive(session: Pick<SessionRecord, 'id' | 'createdAt'>): Promise<boolean> {
    const now = this.now();
    return this.credentials.touchSession(session.id, now, this.expiryOf(session, now));
  }

  private expiryOf(session: Pick<SessionRecord, 'createdAt'>, now: number): number {
    return Math.min(now + this.options.idleMs, session.createdAt + this.options.maxMs);
  }

  /** The account's live sessions, newest first. */
  list(account: Account): Promise<SessionRecord[]> {
    return this.credentials.sessionsOf(account.id, this.now());
  }

  /** Ends one of the account's own sessions (this one: a sign-out). Undefined when there was none. */
  async end(actor: Actor & { account: Account }, sessionId: number, current: boolean): Promise<Revocation | undefined> {
    if (!(await this.credentials.deleteSession(sessionId, actor.account.id))) return undefined;
    await this.audit.record(current ? 'sign_out' : 'session_ended', actor, null, { session: sessionId });
    return { accountId: actor.account.id, sessionIds: [sessionId], reason: 'signed_out' };
  }

  /** Ends every session of the account, this one too. */
  async endAll(actor: Actor & { account: Account }): Promise<Revocation> {
    const ended = await this.credentials.deleteSessionsOf(actor.account.id);
    await this.audit.record('sign_out_everywhere', actor, null, { sessions: ended.length });
    return { accountId: actor.account.id, reason: 'signed_out', agent: actor.account.name };
  }

  /** Forgets expired sessions and links; run now and then. */
  purge(): Promise<void> {
    return this.credentials.purgeExpired(this.now());
  }
}
