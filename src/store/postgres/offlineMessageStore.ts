import type pg from 'pg';
import type { OfflineMessage } from '../../protocol/offlineMessage.js';
import type { NewOfflineMessage, OfflineMessagePage, OfflineMessageStore } from '../offlineMessageStore.js';
import { toOfflineMessage, type OfflineRow } from '../rows.js';

/** Offline messages in the PostgreSQL database every node shares (openPostgresStores). */
export class PostgresOfflineMessageStore implements OfflineMessageStore {
  constructor(private readonly pool: pg.Pool) {}

  async addOfflineMessage(m: NewOfflineMessage): Promise<OfflineMessage> {
    const { rows } = await this.pool.query<OfflineRow>(
      'INSERT INTO offline_messages (name, contact, content, created_at) VALUES ($1, $2, $3, $4) RETURNING *',
      [m.name, m.contact, m.content, m.createdAt],
    );
    return toOfflineMessage(rows[0] as OfflineRow);
  }

  async listOfflineMessages(limit: number, options: { before?: string; openOnly?: boolean } = {}): Promise<OfflineMessagePage> {
    const cursor = options.before === undefined ? Number.MAX_SAFE_INTEGER : Number(options.before);
    const open = options.openOnly ? 'AND handled_at IS NULL' : '';
    const { rows } = await this.pool.query<OfflineRow>(`SELECT * FROM offline_messages WHERE id < $1 ${open} ORDER BY id DESC LIMIT $2`, [
      Number.isSafeInteger(cursor) ? cursor : 0,
      limit + 1,
    ]);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { messages: page.map(toOfflineMessage), nextBefore: rows.length > limit && last ? String(last.id) : null };
  }

  async markOfflineMessageHandled(id: number, by: string, at: number): Promise<OfflineMessage | undefined> {
    // One statement: of two agents marking at once, the first keeps the mark.
    await this.pool.query('UPDATE offline_messages SET handled_at = $1, handled_by = $2 WHERE id = $3 AND handled_at IS NULL', [at, by, id]);
    const { rows } = await this.pool.query<OfflineRow>('SELECT * FROM offline_messages WHERE id = $1', [id]);
    return rows[0] && toOfflineMessage(rows[0]);
  }
}
