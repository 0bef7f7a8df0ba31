import pg from 'pg';
import type { ImageMime } from '../protocol/imageFormat.js';
import type { ImageRecord, ImageStore } from './imageStore.js';

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
 * few MiB per image this is well within what bytea handles. The table comes from the message
 * store's migrations (POSTGRES_MIGRATIONS step 3), so open that store first.
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

  async put(image: ImageRecord, data: Buffer): Promise<void> {
    await this.pool.query(
      `INSERT INTO images (${COLUMNS}, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [image.id, image.conversationId, image.role, image.mime, image.bytes, image.width ?? null, image.height ?? null, image.ts, data],
    );
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

  async close(): Promise<void> {
    await this.pool.end();
  }
}
