import type { Account, AccountRole } from './accountStore.js';
import type { AuditEntry } from './auditLog.js';
import type { ApiTokenRecord, LinkPurpose, LinkRecord, SessionRecord } from './credentialStore.js';

// Rows of the account tables both SQL stores read (the two schemas name their columns alike), and
// how each becomes the store's record: one mapping, so SQLite and PostgreSQL cannot drift apart.

/** A row of `accounts` (SQLite keeps `disabled` as 0/1, PostgreSQL as a boolean). */
export interface AccountRow {
  id: number;
  name: string;
  login: string;
  email: string | null;
  password_hash: string | null;
  role: AccountRole;
  disabled: number | boolean;
  avatar: string | null;
  max_chats: number;
  totp_secret: string | null;
  totp_pending: string | null;
  created_at: number;
  updated_at: number;
}

export const toAccount = (r: AccountRow): Account => ({
  id: r.id,
  name: r.name,
  login: r.login,
  email: r.email,
  role: r.role,
  disabled: Boolean(r.disabled),
  avatar: r.avatar,
  maxChats: r.max_chats,
  passwordHash: r.password_hash,
  totpSecret: r.totp_secret,
  totpPending: r.totp_pending,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The columns an account patch writes, by field. */
export const ACCOUNT_COLUMNS = {
  name: 'name',
  login: 'login',
  email: 'email',
  role: 'role',
  disabled: 'disabled',
  avatar: 'avatar',
  maxChats: 'max_chats',
  passwordHash: 'password_hash',
  totpSecret: 'totp_secret',
  totpPending: 'totp_pending',
} as const;

/** A row of `account_sessions`. */
export interface SessionRow {
  id: number;
  account_id: number;
  token_hash: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  address: string;
  user_agent: string;
}

export const toSession = (r: SessionRow): SessionRecord => ({
  id: r.id,
  accountId: r.account_id,
  tokenHash: r.token_hash,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
  address: r.address,
  userAgent: r.user_agent,
});

/** A row of `api_tokens`. */
export interface ApiTokenRow {
  id: number;
  account_id: number;
  name: string;
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
}

export const toApiToken = (r: ApiTokenRow): ApiTokenRecord => ({
  id: r.id,
  accountId: r.account_id,
  name: r.name,
  tokenHash: r.token_hash,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

/** A row of `account_links`. */
export interface LinkRow {
  token_hash: string;
  purpose: LinkPurpose;
  account_id: number | null;
  created_at: number;
  expires_at: number;
}

export const toLink = (r: LinkRow): LinkRecord => ({
  tokenHash: r.token_hash,
  purpose: r.purpose,
  accountId: r.account_id,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

/** A row of `audit_log` (detail as JSON text). */
export interface AuditRow {
  id: number;
  ts: number;
  action: string;
  actor_id: number | null;
  actor: string | null;
  target_id: number | null;
  target: string | null;
  address: string | null;
  detail: string | null;
}

export const toAuditEntry = (r: AuditRow): AuditEntry => ({
  id: r.id,
  ts: r.ts,
  action: r.action,
  actorId: r.actor_id,
  actor: r.actor,
  targetId: r.target_id,
  target: r.target,
  address: r.address,
  detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
});
