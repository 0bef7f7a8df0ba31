import type Database from 'better-sqlite3';
import type { OfflineMessage } from '../../protocol/offlineMessage.js';
import type { NewOfflineMessage, OfflineMessagePage, OfflineMessageStore } from '../offlineMessageStore.js';
import { toOfflineMessage, type OfflineRow } from '../rows.js';

/** Offline messages in the embedded SQLite file (openSqliteStores). */
export class SqliteOfflineMessageStore implements OfflineMessageStore {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      insert: db.prepare('INSERT INTO offline_messages (name, contact, content, created_at) VALUES (@name, @contact, @content, @createdAt) RETURNING *'),
      list: db.prepare('SELECT * FROM offline_messages WHERE id < @before ORDER BY id DESC LIMIT @limit'),
      listOpen: db.prepare('SELECT * FROM offline_messages WHERE id < @before AND handled_at IS NULL ORDER BY id DESC LIMIT @limit'),
      handle: db.prepare('UPDATE offline_messages SET handled_at = ?, handled_by = ? WHERE id = ? AND handled_at IS NULL'),
      get: db.prepare('SELECT * FROM offline_messages WHERE id = ?'),
    };
  }

  async addOfflineMessage(m: NewOfflineMessage): Promise<OfflineMessage> {
    return toOfflineMessage(this.stmts.insert.get(m) as OfflineRow);
  }

  async listOfflineMessages(limit: number, options: { before?: string; openOnly?: boolean } = {}): Promise<OfflineMessagePage> {
    const cursor = options.before === undefined ? Number.MAX_SAFE_INTEGER : Number(options.before);
    const stmt = options.openOnly ? this.stmts.listOpen : this.stmts.list;
    const rows = stmt.all({ before: Number.isSafeInteger(cursor) ? cursor : 0, limit: limit + 1 }) as OfflineRow[];
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { messages: page.map(toOfflineMessage), nextBefore: rows.length > limit && last ? String(last.id) : null };
  }

  async markOfflineMessageHandled(id: number, by: string, at: number): Promise<OfflineMessage | undefined> {
    this.stmts.handle.run(at, by, id);
    const row = this.stmts.get.get(id) as OfflineRow | undefined;
    return row ? toOfflineMessage(row) : undefined;
  }
}
