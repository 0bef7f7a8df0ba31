/** One thing that happened to accounts, sessions, tokens, or a transcript read through the API. */
export interface AuditEntry {
  id: number;
  ts: number;
  /** What happened, e.g. `sign_in`, `sign_in_failed`, `account_disabled`, `transcript_read`. */
  action: string;
  /** Who did it: an account, the legacy service key (`service`), or nobody known (null). */
  actorId: number | null;
  actor: string | null;
  /** The account it was done to, if any. */
  targetId: number | null;
  target: string | null;
  /** The client address it came from (TRUST_PROXY decides whether X-Forwarded-For counts). */
  address: string | null;
  /** Particulars (the login tried, the role given, the conversation read), as a small object. */
  detail: Record<string, unknown> | null;
}

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

/** A page of the log, newest first; `nextBefore` fetches the next (older) page, null at the end. */
export interface AuditPage {
  entries: AuditEntry[];
  nextBefore: string | null;
}

/** The audit log: appended to, never changed; read newest first in pages. */
export interface AuditLog {
  appendAudit(entry: NewAuditEntry): Promise<void>;
  listAudit(limit: number, before?: string): Promise<AuditPage>;
}
