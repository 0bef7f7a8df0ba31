import pg from 'pg';
import type { ImageMime } from '../../protocol/imageFormat.js';
import type { ImageBytes, ImageRecord, ImageStore, ImageUsage, NewImage } from '../imageStore.js';

interface ImageRow {
  id: string;
  conversation_id: string;
  role: 'kefu' | 'yonghu';
  mime: ImageMime;
  bytes: number;
  width: number | null;
  height: number | null;
  ts: number;
  data?: Buffer;
}

const toRecord = (r: ImageRow): ImageRecord => {
  const image: ImageRecord = { id: r.id, conversationId: r.conversation_id, role: r.role, mime: r.mime, bytes: r.bytes, ts: r.ts };
  if (r.width !== null) image.width = r.width;
  if (r.height !== null) image.height = r.height;
  return image;
};

const COLUMNS = 'id, conversation_id, role, mime, bytes, width, height, ts';

/**
 * Images in PostgreSQL (bytea), for several nodes: whichever node a browser reaches can serve
 * an image another node received, with no shared folder to mount and back up separately. At a
 * few MiB per image this is well within what bytea handles. The table comes from the stores'
 * migrations (POSTGRES_MIGRATIONS steps 4 and 8), so open them first (openPostgresStores).
 *
 * An upload's bytes are gathered in memory before the one INSERT: at most MAX_IMAGE_BYTES each,
 * and as many at once as the upload caps let in. Every removal is one DELETE, so nodes running
 * the clean-up at once remove each image once (the totals trigger counts it once).
 */
export class PostgresImageStore implements ImageStore {
  private readonly pool: pg.Pool;

  constructor(options: { connectionString: string; schema?: string; poolSize?: number }) {
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 4,
      ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
    });
    // An idle client losing its server must not crash the process; the next query reconnects.
    this.pool.on('error', () => {});
  }

  async put(image: NewImage, data: ImageBytes): Promise<ImageRecord> {
    const chunks: Buffer[] = [];
    for await (const chunk of data) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    const record: ImageRecord = { ...image, bytes: bytes.length };
    await this.pool.query(`INSERT INTO images (${COLUMNS}, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
      image.id,
      image.conversationId,
      image.role,
      image.mime,
      bytes.length,
      image.width ?? null,
      image.height ?? null,
      image.ts,
      bytes,
    ]);
    return record;
  }

  async get(id: string): Promise<ImageRecord | undefined> {
    const { rows } = await this.pool.query<ImageRow>(`SELECT ${COLUMNS} FROM images WHERE id = $1`, [id]);
    return rows[0] && toRecord(rows[0]);
  }

  async read(id: string): Promise<{ image: ImageRecord; data: Buffer } | undefined> {
    const { rows } = await this.pool.query<ImageRow>(`SELECT ${COLUMNS}, data FROM images WHERE id = $1`, [id]);
    const row = rows[0];
    return row && { image: toRecord(row), data: row.data as Buffer };
  }

  async markSent(id: string): Promise<boolean> {
    return ((await this.pool.query('UPDATE images SET sent = true WHERE id = $1', [id])).rowCount ?? 0) > 0;
  }

  async usage(conversationId: string): Promise<{ conversation: ImageUsage; total: ImageUsage }> {
    // count and sum are bigint, which pg hands over as strings.
    const { rows } = await this.pool.query<Record<'c_images' | 'c_bytes' | 't_images' | 't_bytes', string>>(
      `SELECT (SELECT count(*) FROM images WHERE conversation_id = $1) AS c_images,
              (SELECT COALESCE(sum(bytes), 0) FROM images WHERE conversation_id = $1) AS c_bytes,
              t.images AS t_images, t.bytes AS t_bytes
       FROM image_totals t`,
      [conversationId],
    );
    const row = rows[0];
    return {
      conversation: { images: Number(row?.c_images ?? 0), bytes: Number(row?.c_bytes ?? 0) },
      total: { images: Number(row?.t_images ?? 0), bytes: Number(row?.t_bytes ?? 0) },
    };
  }

  async removeUnsent(before: number, limit: number): Promise<number> {
    // SKIP LOCKED: a node sweeping at the same time takes other rows instead of waiting for these.
    const result = await this.pool.query(
      `DELETE FROM images WHERE id IN (
         SELECT id FROM images WHERE NOT sent AND ts < $1 ORDER BY ts LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [before, limit],
    );
    return result.rowCount ?? 0;
  }

  async conversationsWithImagesBefore(before: number, after: string, limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ conversation_id: string }>(
      'SELECT DISTINCT conversation_id FROM images WHERE ts < $1 AND conversation_id > $2 ORDER BY conversation_id LIMIT $3',
      [before, after, limit],
    );
    return rows.map((r) => r.conversation_id);
  }

  async removeConversations(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return (await this.pool.query('DELETE FROM images WHERE conversation_id = ANY($1::text[])', [ids])).rowCount ?? 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
