import type Database from 'better-sqlite3';
import { toAuditEntry, type AuditRow } from '../accountRows.js';
import type { AuditLog, AuditPage, NewAuditEntry } from '../auditLog.js';

/** The audit log in the embedded SQLite file. */
export class SqliteAuditLog implements AuditLog {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      insert: db.prepare(`
        INSERT INTO audit_log (ts, action, actor_id, actor, target_id, target, address, detail)
        VALUES (@ts, @action, @actorId, @actor, @targetId, @target, @address, @detail)`),
      page: db.prepare('SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?'),
    };
  }

  async appendAudit(e: NewAuditEntry): Promise<void> {
    this.stmts.insert.run({ ...e, detail: e.detail === null ? null : JSON.stringify(e.detail) });
  }

  async listAudit(limit: number, before?: string): Promise<AuditPage> {
    const rows = this.stmts.page.all(before === undefined ? Number.MAX_SAFE_INTEGER : Number(before), limit + 1) as AuditRow[];
    const more = rows.length > limit;
    const entries = rows.slice(0, limit).map(toAuditEntry);
    return { entries, nextBefore: more ? String(entries[entries.length - 1]?.id) : null };
  }
}
