import type Database from 'better-sqlite3';
import { toCannedReply, type CannedRow } from '../rows.js';
import type { CannedReplyInput } from '../../protocol/cannedReply.js';
import type { CannedReply, CannedReplyStore, CannedReplyWrite } from '../cannedReplyStore.js';

/**
 * Canned replies in the embedded SQLite file (openSqliteStores): one database, one WAL, one
 * backup. The unique index on shortcut settles a race between two creates.
 */
export class SqliteCannedReplyStore implements CannedReplyStore {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      list: db.prepare('SELECT * FROM canned_replies ORDER BY shortcut'),
      insert: db.prepare(`
        INSERT INTO canned_replies (shortcut, title, body, created_at, updated_at) VALUES (@shortcut, @title, @body, @now, @now)
        ON CONFLICT (shortcut) DO NOTHING RETURNING *`),
      byId: db.prepare('SELECT * FROM canned_replies WHERE id = ?'),
      byShortcut: db.prepare('SELECT id FROM canned_replies WHERE shortcut = ?'),
      update: db.prepare(`
        UPDATE canned_replies SET shortcut = @shortcut, title = @title, body = @body, updated_at = @now WHERE id = @id RETURNING *`),
      delete: db.prepare('DELETE FROM canned_replies WHERE id = ?'),
    };
  }

  async listCannedReplies(): Promise<CannedReply[]> {
    return (this.stmts.list.all() as CannedRow[]).map(toCannedReply);
  }

  async createCannedReply(input: CannedReplyInput, now: number): Promise<CannedReplyWrite> {
    const row = this.stmts.insert.get({ ...input, now }) as CannedRow | undefined;
    return row ? { ok: true, reply: toCannedReply(row) } : { ok: false, reason: 'shortcut_taken' };
  }

  async updateCannedReply(id: number, patch: Partial<CannedReplyInput>, now: number): Promise<CannedReplyWrite> {
    // better-sqlite3 is synchronous: nothing runs between the reads and the write below.
    const current = this.stmts.byId.get(id) as CannedRow | undefined;
    if (!current) return { ok: false, reason: 'not_found' };
    const next = { shortcut: patch.shortcut ?? current.shortcut, title: patch.title ?? current.title, body: patch.body ?? current.body };
    const holder = this.stmts.byShortcut.get(next.shortcut) as { id: number } | undefined;
    if (holder && holder.id !== id) return { ok: false, reason: 'shortcut_taken' };
    return { ok: true, reply: toCannedReply(this.stmts.update.get({ ...next, now, id }) as CannedRow) };
  }

  async deleteCannedReply(id: number): Promise<boolean> {
    return this.stmts.delete.run(id).changes > 0;
  }
}
