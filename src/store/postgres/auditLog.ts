import type pg from 'pg';
import { toAuditEntry, type AuditRow } from '../accountRows.js';
import type { AuditLog, AuditPage, NewAuditEntry } from '../auditLog.js';

/** The audit log in the PostgreSQL database every node shares. */
export class PostgresAuditLog implements AuditLog {
  constructor(private readonly pool: pg.Pool) {}

  async appendAudit(e: NewAuditEntry): Promise<void> {
    await this.pool.query('INSERT INTO audit_log (ts, action, actor_id, actor, target_id, target, address, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
      e.ts,
      e.action,
      e.actorId,
      e.actor,
      e.targetId,
      e.target,
      e.address,
      e.detail === null ? null : JSON.stringify(e.detail),
    ]);
  }

  async listAudit(limit: number, before?: string): Promise<AuditPage> {
    const { rows } = await this.pool.query<AuditRow>('SELECT * FROM audit_log WHERE id < $1 ORDER BY id DESC LIMIT $2', [
      before === undefined ? Number.MAX_SAFE_INTEGER : Number(before),
      limit + 1,
    ]);
    const more = rows.length > limit;
    const entries = rows.slice(0, limit).map(toAuditEntry);
    return { entries, nextBefore: more ? String(entries[entries.length - 1]?.id) : null };
  }
}
