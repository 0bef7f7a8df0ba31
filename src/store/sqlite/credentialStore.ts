import type Database from 'better-sqlite3';
import { toApiToken, toLink, toSession, type ApiTokenRow, type LinkRow, type SessionRow } from '../accountRows.js';
import type { ApiTokenRecord, CredentialStore, LinkPurpose, LinkRecord, NewApiToken, NewSession, SessionRecord } from '../credentialStore.js';

/** Sessions, API tokens and one-time links in the embedded SQLite file: a restart keeps them. */
export class SqliteCredentialStore implements CredentialStore {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      insertSession: db.prepare(`
        INSERT INTO account_sessions (account_id, token_hash, created_at, last_seen_at, expires_at, address, user_agent)
        VALUES (@accountId, @tokenHash, @createdAt, @lastSeenAt, @expiresAt, @address, @userAgent) RETURNING *`),
      sessionByHash: db.prepare('SELECT * FROM account_sessions WHERE token_hash = ? AND expires_at > ?'),
      touchSession: db.prepare('UPDATE account_sessions SET last_seen_at = @now, expires_at = @expiresAt WHERE id = @id AND expires_at > @now'),
      sessionsOf: db.prepare('SELECT * FROM account_sessions WHERE account_id = ? AND expires_at > ? ORDER BY created_at DESC, id DESC'),
      deleteSession: db.prepare('DELETE FROM account_sessions WHERE id = ? AND account_id = ?'),
      deleteSessionsOf: db.prepare('DELETE FROM account_sessions WHERE account_id = ? AND id IS NOT ? RETURNING id'),
      purgeSessions: db.prepare('DELETE FROM account_sessions WHERE expires_at <= ?'),
      purgeLinks: db.prepare('DELETE FROM account_links WHERE expires_at <= ?'),
      insertToken: db.prepare(`
        INSERT INTO api_tokens (account_id, name, token_hash, created_at) VALUES (@accountId, @name, @tokenHash, @createdAt) RETURNING *`),
      tokenByHash: db.prepare('SELECT * FROM api_tokens WHERE token_hash = ?'),
      tokensOf: db.prepare('SELECT * FROM api_tokens WHERE account_id = ? ORDER BY id DESC'),
      deleteToken: db.prepare('DELETE FROM api_tokens WHERE id = ? AND account_id = ?'),
      touchToken: db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?'),
      insertLink: db.prepare(`
        INSERT INTO account_links (token_hash, purpose, account_id, created_at, expires_at)
        VALUES (@tokenHash, @purpose, @accountId, @createdAt, @expiresAt)`),
      peekLink: db.prepare('SELECT * FROM account_links WHERE token_hash = ? AND purpose = ? AND expires_at > ?'),
      consumeLink: db.prepare('DELETE FROM account_links WHERE token_hash = ? AND purpose = ? AND expires_at > ? RETURNING *'),
      deleteLinks: db.prepare('DELETE FROM account_links WHERE purpose = @purpose AND (@accountId IS NULL OR account_id = @accountId)'),
    };
  }

  async createSession(session: NewSession): Promise<SessionRecord> {
    return toSession(this.stmts.insertSession.get(session) as SessionRow);
  }

  async sessionByHash(tokenHash: string, now: number): Promise<SessionRecord | undefined> {
    const row = this.stmts.sessionByHash.get(tokenHash, now) as SessionRow | undefined;
    return row && toSession(row);
  }

  async touchSession(id: number, now: number, expiresAt: number): Promise<boolean> {
    return this.stmts.touchSession.run({ id, now, expiresAt }).changes > 0;
  }

  async sessionsOf(accountId: number, now: number): Promise<SessionRecord[]> {
    return (this.stmts.sessionsOf.all(accountId, now) as SessionRow[]).map(toSession);
  }

  async deleteSession(id: number, accountId: number): Promise<boolean> {
    return this.stmts.deleteSession.run(id, accountId).changes > 0;
  }

  async deleteSessionsOf(accountId: number, except?: number): Promise<number[]> {
    return (this.stmts.deleteSessionsOf.all(accountId, except ?? null) as Array<{ id: number }>).map((r) => r.id);
  }

  async purgeExpired(now: number): Promise<void> {
    this.stmts.purgeSessions.run(now);
    this.stmts.purgeLinks.run(now);
  }

  async createApiToken(token: NewApiToken): Promise<ApiTokenRecord> {
    return toApiToken(this.stmts.insertToken.get(token) as ApiTokenRow);
  }

  async apiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined> {
    const row = this.stmts.tokenByHash.get(tokenHash) as ApiTokenRow | undefined;
    return row && toApiToken(row);
  }

  async apiTokensOf(accountId: number): Promise<ApiTokenRecord[]> {
    return (this.stmts.tokensOf.all(accountId) as ApiTokenRow[]).map(toApiToken);
  }

  async deleteApiToken(id: number, accountId: number): Promise<boolean> {
    return this.stmts.deleteToken.run(id, accountId).changes > 0;
  }

  async touchApiToken(id: number, now: number): Promise<void> {
    this.stmts.touchToken.run(now, id);
  }

  async createLink(link: LinkRecord): Promise<void> {
    this.stmts.insertLink.run(link);
  }

  async peekLink(tokenHash: string, purpose: LinkPurpose, now: number): Promise<LinkRecord | undefined> {
    const row = this.stmts.peekLink.get(tokenHash, purpose, now) as LinkRow | undefined;
    return row && toLink(row);
  }

  async consumeLink(tokenHash: string, purpose: LinkPurpose, now: number): Promise<LinkRecord | undefined> {
    const row = this.stmts.consumeLink.get(tokenHash, purpose, now) as LinkRow | undefined;
    return row && toLink(row);
  }

  async deleteLinks(purpose: LinkPurpose, accountId?: number): Promise<void> {
    this.stmts.deleteLinks.run({ purpose, accountId: accountId ?? null });
  }
}
