/**
 * A signed-in browser. Only the sha256 of its token is kept: a leaked database signs nobody in.
 */
export interface SessionRecord {
  id: number;
  accountId: number;
  tokenHash: string;
  createdAt: number;
  lastSeenAt: number;
  /** The session ends here unless it is seen again before (each sighting moves it). */
  expiresAt: number;
  /** The client address and user agent it signed in from, for the list of one's sessions. */
  address: string;
  userAgent: string;
}

export type NewSession = Omit<SessionRecord, 'id'>;

/** A personal API token: a bearer token for scripts, with the role of its account. */
export interface ApiTokenRecord {
  id: number;
  accountId: number;
  name: string;
  tokenHash: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export type NewApiToken = Omit<ApiTokenRecord, 'id' | 'lastUsedAt'>;

/**
 * What a one-time link is for: `setup` creates the first owner; `invite` lets an invited (or
 * reset) account choose its password; `challenge` is the second step of a sign-in with TOTP.
 */
export type LinkPurpose = 'setup' | 'invite' | 'challenge';

/** A one-time link (or challenge): single use, expiring; only its hash is kept. */
export interface LinkRecord {
  tokenHash: string;
  purpose: LinkPurpose;
  /** The account it is for; null for setup. */
  accountId: number | null;
  createdAt: number;
  expiresAt: number;
}

/**
 * Sessions, API tokens and one-time links: every credential kefu hands out, each kept as the hash
 * of a random token, in the database every node shares (so a session survives a restart and
 * works on every node).
 */
export interface CredentialStore {
  createSession(session: NewSession): Promise<SessionRecord>;
  /** The session with this token hash, unless it expired by `now`. */
  sessionByHash(tokenHash: string, now: number): Promise<SessionRecord | undefined>;
  /** Moves lastSeenAt and expiresAt; false when the session is gone (revoked or expired). */
  touchSession(id: number, now: number, expiresAt: number): Promise<boolean>;
  /** The account's sessions not expired by `now`, newest first. */
  sessionsOf(accountId: number, now: number): Promise<SessionRecord[]>;
  /** Ends one session of this account; false when there was none. */
  deleteSession(id: number, accountId: number): Promise<boolean>;
  /** Ends every session of the account but `except`; returns the ids ended. */
  deleteSessionsOf(accountId: number, except?: number): Promise<number[]>;
  /** Forgets sessions, links and challenges that expired by `now`. */
  purgeExpired(now: number): Promise<void>;

  createApiToken(token: NewApiToken): Promise<ApiTokenRecord>;
  apiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined>;
  /** The account's tokens, newest first. */
  apiTokensOf(accountId: number): Promise<ApiTokenRecord[]>;
  /** Revokes one token of this account; false when there was none. */
  deleteApiToken(id: number, accountId: number): Promise<boolean>;
  /** Records a use (at most what the caller decides to write: see ApiTokens). */
  touchApiToken(id: number, now: number): Promise<void>;

  createLink(link: LinkRecord): Promise<void>;
  /** The link with this hash and purpose, unless expired by `now`; it stays usable. */
  peekLink(tokenHash: string, purpose: LinkPurpose, now: number): Promise<LinkRecord | undefined>;
  /** Takes the link: only one caller ever gets it, and only before it expired. */
  consumeLink(tokenHash: string, purpose: LinkPurpose, now: number): Promise<LinkRecord | undefined>;
  /** Voids every link of this purpose (for this account, or all): a new one replaces them. */
  deleteLinks(purpose: LinkPurpose, accountId?: number): Promise<void>;
}
