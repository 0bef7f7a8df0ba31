import type pg from 'pg';
import { toApiToken, toLink, toSession, type ApiTokenRow, type LinkRow, type SessionRow } from '../accountRows.js';
import type { ApiTokenRecord, CredentialStore, LinkPurpose, LinkRecord, NewApiToken, NewSession, SessionRecord } from '../credentialStore.js';

/** Sessions, API tokens and one-time links in the PostgreSQL database every node shares. */
export class PostgresCredentialStore implements CredentialStore {
  constructor(private readonly pool: pg.Pool) {}

  async createSession(s: NewSession): Promise<SessionRecord> {
    const { rows } = await this.pool.query<SessionRow>(
      `INSERT INTO account_sessions (account_id, token_hash, created_at, last_seen_at, expires_at, address, user_agent)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [s.accountId, s.tokenHash, s.createdAt, s.lastSeenAt, s.expiresAt, s.address, s.userAgent],
    );
    return toSession(rows[0] as SessionRow);
  }

  async sessionByHash(tokenHash: string, now: number): Promise<SessionRecord | undefined> {
    const { rows } = await this.pool.query<SessionRow>('SELECT * FROM account_sessions WHERE token_hash = $1 AND expires_at > $2', [tokenHash, now]);
    return rows[0] && toSession(rows[0]);
  }

  async touchSession(id: number, now: number, expiresAt: number): Promise<boolean> {
    const { rowCount } = await this.pool.query('UPDATE account_sessions SET last_seen_at = $2, expires_at = $3 WHERE id = $1 AND expires_at > $2', [
      id,
      now,
      expiresAt,
    ]);
    return (rowCount ?? 0) > 0;
  }

  async sessionsOf(accountId: number, now: number): Promise<SessionRecord[]> {
    const { rows } = await this.pool.query<SessionRow>(
      'SELECT * FROM account_sessions WHERE account_id = $1 AND expires_at > $2 ORDER BY created_at DESC, id DESC',
      [accountId, now],
    );
    return rows.map(toSession);
  }

  async deleteSession(id: number, accountId: number): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM account_sessions WHERE id = $1 AND account_id = $2', [id, accountId]);
    return (rowCount ?? 0) > 0;
  }

  async deleteSessionsOf(accountId: number, except?: number): Promise<number[]> {
    const { rows } = await this.pool.query<{ id: number }>('DELETE FROM account_sessions WHERE account_id = $1 AND id IS DISTINCT FROM $2 RETURNING id', [
      accountId,
      except ?? null,
    ]);
    return rows.map((r) => r.id);
  }

  async purgeExpired(now: number): Promise<void> {
    await this.pool.query('DELETE FROM account_sessions WHERE expires_at <= $1', [now]);
    await this.pool.query('DELETE FROM account_links WHERE expires_at <= $1', [now]);
  }

  async createApiToken(t: NewApiToken): Promise<ApiTokenRecord> {
    const { rows } = await this.pool.query<ApiTokenRow>(
      'INSERT INTO api_tokens (account_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING *',
      [t.accountId, t.name, t.tokenHash, t.createdAt],
    );
    return toApiToken(rows[0] as ApiTokenRow);
  }

  async apiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined> {
    const { rows } = await this.pool.query<ApiTokenRow>('SELECT * FROM api_tokens WHERE token_hash = $1', [tokenHash]);
    return rows[0] && toApiToken(rows[0]);
  }

  async apiTokensOf(accountId: number): Promise<ApiTokenRecord[]> {
    const { rows } = await this.pool.query<ApiTokenRow>('SELECT * FROM api_tokens WHERE account_id = $1 ORDER BY id DESC', [accountId]);
    return rows.map(toApiToken);
  }

  async deleteApiToken(id: number, accountId: number): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM api_tokens WHERE id = $1 AND account_id = $2', [id, accountId]);
    return (rowCount ?? 0) > 0;
  }

  async touchApiToken(id: number, now: number): Promise<void> {
    await this.pool.query('UPDATE api_tokens SET last_used_at = $2 WHERE id = $1', [id, now]);
  }

  async createLink(l: LinkRecord): Promise<void> {
    await this.pool.query('INSERT INTO account_links (token_hash, purpose, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
      l.tokenHash,
      l.purpose,
      l.accountId,
      l.createdAt,
      l.expiresAt,
    ]);
  }

  async peekLink(tokenHash: string, purpose: LinkPurpose, now: number): Promise<LinkRecord | undefined> {
    const { rows } = await this.pool.query<LinkRow>('SELECT * FROM account_links WHERE token_hash = $1 AND purpose = $2 AND expires_at > $3', [
      tokenHash,
      purpose,
      now,
    ]);
    return rows[0] && toLink(rows[0]);
  }

  async consumeLink(tokenHash: string, purpose: LinkPurpose, now: number): Promise<LinkRecord | undefined> {
    // One DELETE: of two nodes taking the same link at once, only one gets the row back.
    const { rows } = await this.pool.query<LinkRow>('DELETE FROM account_links WHERE token_hash = $1 AND purpose = $2 AND expires_at > $3 RETURNING *', [
      tokenHash,
      purpose,
      now,
    ]);
    return rows[0] && toLink(rows[0]);
  }

  async deleteLinks(purpose: LinkPurpose, accountId?: number): Promise<void> {
    await this.pool.query('DELETE FROM account_links WHERE purpose = $1 AND ($2::bigint IS NULL OR account_id = $2)', [purpose, accountId ?? null]);
  }
}
