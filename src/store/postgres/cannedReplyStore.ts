import type pg from 'pg';
import { toCannedReply, type CannedRow } from '../rows.js';
import { UNIQUE_VIOLATION } from './database.js';
import type { CannedReplyInput } from '../../protocol/cannedReply.js';
import type { CannedReply, CannedReplyStore, CannedReplyWrite } from '../cannedReplyStore.js';

/**
 * Canned replies in the PostgreSQL database every node shares (openPostgresStores).
 * The unique index on shortcut decides between concurrent writers.
 */
export class PostgresCannedReplyStore implements CannedReplyStore {
  constructor(private readonly pool: pg.Pool) {}

  async listCannedReplies(): Promise<CannedReply[]> {
    const { rows } = await this.pool.query<CannedRow>('SELECT * FROM canned_replies ORDER BY shortcut COLLATE "C"');
    return rows.map(toCannedReply);
  }

  async createCannedReply(input: CannedReplyInput, now: number): Promise<CannedReplyWrite> {
    const { rows } = await this.pool.query<CannedRow>(
      `INSERT INTO canned_replies (shortcut, title, body, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (shortcut) DO NOTHING RETURNING *`,
      [input.shortcut, input.title, input.body, now],
    );
    return rows[0] ? { ok: true, reply: toCannedReply(rows[0]) } : { ok: false, reason: 'shortcut_taken' };
  }

  async updateCannedReply(id: number, patch: Partial<CannedReplyInput>, now: number): Promise<CannedReplyWrite> {
    try {
      const { rows } = await this.pool.query<CannedRow>(
        `UPDATE canned_replies SET shortcut = COALESCE($1, shortcut), title = COALESCE($2, title), body = COALESCE($3, body), updated_at = $4
         WHERE id = $5 RETURNING *`,
        [patch.shortcut ?? null, patch.title ?? null, patch.body ?? null, now, id],
      );
      return rows[0] ? { ok: true, reply: toCannedReply(rows[0]) } : { ok: false, reason: 'not_found' };
    } catch (err) {
      // Two nodes (or two agents) chose the same shortcut.
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) return { ok: false, reason: 'shortcut_taken' };
      throw err;
    }
  }

  async deleteCannedReply(id: number): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM canned_replies WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  }
}
