import pg from 'pg';
import { toMessage, toOfflineMessage, toTeamMessage, type MessageRow, type OfflineRow, type TeamRow } from './rows.js';
import type { CannedReplyStore } from './cannedReplyStore.js';
import type {
  AppendResult,
  ConversationPage,
  ConversationRating,
  ConversationRecord,
  EndReason,
  MessageStore,
  NewConversation,
  NewMessage,
  NewOfflineMessage,
  NewTeamMessage,
  OfflineMessagePage,
  OpenConversation,
  RatingCount,
  StoredMessage,
  TeamAppendResult,
  TeamMessage,
} from './messageStore.js';
import type { BotExchange } from '../protocol/botExchange.js';
import type { OfflineMessage } from '../protocol/offlineMessage.js';
import { PostgresCannedReplyStore } from './postgresCannedReplyStore.js';
import { POSTGRES_MIGRATIONS } from './postgresMigrations.js';

/** PostgreSQL's unique_violation. */
const UNIQUE_VIOLATION = '23505';

// BIGINT columns (ids, ms timestamps) fit in a double for any real date and id count.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

interface ConversationRow {
  row_id: number;
  id: string;
  agent: string;
  customer: string;
  started_at: number;
  ended_at: number | null;
  end_reason: EndReason | null;
  last_seq: number;
  resume_hash: string;
  rating_score: number | null;
  rating_comment: string | null;
  rated_at: number | null;
}

const toConversation = (r: ConversationRow): ConversationRecord => ({
  id: r.id,
  agent: r.agent,
  customer: r.customer,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  endReason: r.end_reason,
  messageCount: r.last_seq,
  rating: r.rating_score === null || r.rated_at === null ? null : { score: r.rating_score, comment: r.rating_comment, ratedAt: r.rated_at },
});

/** An arbitrary constant naming our migration lock among the database's advisory locks. */
const MIGRATION_LOCK = 0x6b656675;

export interface PostgresStoreOptions {
  connectionString: string;
  /** A schema to use instead of the default search path (tests isolate themselves this way). */
  schema?: string;
  poolSize?: number;
}

/**
 * The shared store for several nodes. seq comes from a counter on the conversation row, taken
 * under that row's lock in the same transaction as the insert, so nodes appending to one
 * conversation at once still get 1, 2, 3 with no gaps, and a cid is checked under the same lock.
 */
export class PostgresMessageStore implements MessageStore {
  private readonly pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  /** Connects, migrates, and returns a ready store. */
  static async open(options: PostgresStoreOptions): Promise<PostgresMessageStore> {
    const schema = options.schema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`bad schema name ${schema}`);
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      // A database that stops answering (a partition drops packets rather than refusing them)
      // must turn into store_failed for the sender, not a message that hangs unacked forever.
      connectionTimeoutMillis: 5000,
      query_timeout: 10_000,
      ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    });
    // An idle client losing its server must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    const store = new PostgresMessageStore(pool);
    try {
      await store.migrate(schema);
    } catch (err) {
      await pool.end();
      throw err;
    }
    return store;
  }

  private async migrate(schema: string | undefined): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query('CREATE TABLE IF NOT EXISTS kefu_schema (version INTEGER NOT NULL)');
      const { rows } = await client.query<{ version: number }>('SELECT version FROM kefu_schema');
      let version = rows[0]?.version ?? 0;
      if (rows.length === 0) await client.query('INSERT INTO kefu_schema (version) VALUES (0)');
      if (version > POSTGRES_MIGRATIONS.length) {
        throw new Error(`database schema version ${version} is newer than this kefu (${POSTGRES_MIGRATIONS.length})`);
      }
      for (; version < POSTGRES_MIGRATIONS.length; version++) {
        await client.query('BEGIN');
        await client.query(POSTGRES_MIGRATIONS[version] as string);
        await client.query('UPDATE kefu_schema SET version = $1', [version + 1]);
        await client.query('COMMIT');
      }
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
      client.release();
    }
  }

  async startConversation(c: NewConversation): Promise<void> {
    await this.pool.query('INSERT INTO conversations (id, agent, customer, started_at, resume_hash) VALUES ($1, $2, $3, $4, $5)', [
      c.id,
      c.agent,
      c.customer,
      c.startedAt,
      c.resumeHash,
    ]);
  }

  async endConversation(id: string, endedAt: number, reason: EndReason): Promise<void> {
    await this.pool.query('UPDATE conversations SET ended_at = $1, end_reason = $2 WHERE id = $3 AND ended_at IS NULL', [endedAt, reason, id]);
  }

  /**
   * One statement, one round trip: the conversation row's UPDATE takes its lock and the next
   * seq, the INSERT uses it, and a resend finds the message its cid already stored. Two racing
   * sends of one cid both pass the existence check; the unique index stops the second (its seq
   * increment rolls back with it, so no gap) and it answers with the first's message.
   */
  async appendMessage(m: NewMessage): Promise<AppendResult> {
    const cid = m.cid ?? null;
    let rows: Array<MessageRow & { duplicate: boolean }>;
    try {
      ({ rows } = await this.pool.query<MessageRow & { duplicate: boolean }>(
        `WITH existing AS (
           SELECT * FROM messages WHERE conversation_id = $1 AND role = $3 AND sender = $2 AND client_id = $6
         ), next AS (
           UPDATE conversations SET last_seq = last_seq + 1
           WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM existing)
           RETURNING last_seq
         ), inserted AS (
           INSERT INTO messages (conversation_id, seq, sender, role, content, ts, client_id, image)
           SELECT $1, next.last_seq, $2, $3, $4, $5, $6, $7 FROM next
           RETURNING *
         )
         SELECT *, false AS duplicate FROM inserted
         UNION ALL
         SELECT *, true AS duplicate FROM existing`,
        [m.conversationId, m.sender, m.role, m.content, m.ts, cid, m.image === undefined ? null : JSON.stringify(m.image)],
      ));
    } catch (err) {
      if ((err as { code?: string }).code !== UNIQUE_VIOLATION || cid === null) throw err;
      ({ rows } = await this.pool.query<MessageRow & { duplicate: boolean }>(
        'SELECT *, true AS duplicate FROM messages WHERE conversation_id = $1 AND role = $2 AND sender = $3 AND client_id = $4',
        [m.conversationId, m.role, m.sender, cid],
      ));
    }
    const row = rows[0];
    if (!row) throw new Error(`no conversation ${m.conversationId}`);
    const { duplicate, ...message } = row;
    return { message: toMessage(message), duplicate };
  }

  async messagesAfter(conversationId: string, afterSeq: number, limit: number): Promise<StoredMessage[]> {
    const { rows } = await this.pool.query<MessageRow>(
      'SELECT * FROM messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [conversationId, afterSeq, limit],
    );
    return rows.map(toMessage);
  }

  async getConversation(id: string): Promise<ConversationRecord | undefined> {
    const { rows } = await this.pool.query<ConversationRow>('SELECT * FROM conversations WHERE id = $1', [id]);
    return rows[0] && toConversation(rows[0]);
  }

  async openConversationByResumeHash(resumeHash: string): Promise<ConversationRecord | undefined> {
    const { rows } = await this.pool.query<ConversationRow>('SELECT * FROM conversations WHERE resume_hash = $1 AND ended_at IS NULL', [resumeHash]);
    return rows[0] && toConversation(rows[0]);
  }

  async listConversations(limit: number, before?: string): Promise<ConversationPage> {
    const cursor = before === undefined ? Number.MAX_SAFE_INTEGER : Number(before);
    const { rows } = await this.pool.query<ConversationRow>('SELECT * FROM conversations WHERE row_id < $1 ORDER BY row_id DESC LIMIT $2', [
      Number.isSafeInteger(cursor) ? cursor : 0,
      limit + 1,
    ]);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { conversations: page.map(toConversation), nextBefore: rows.length > limit && last ? String(last.row_id) : null };
  }

  /** The canned replies kept in this same database (and pool). */
  cannedReplies(): CannedReplyStore {
    return new PostgresCannedReplyStore(this.pool);
  }

  async conversationByResumeHash(resumeHash: string): Promise<ConversationRecord | undefined> {
    const { rows } = await this.pool.query<ConversationRow>('SELECT * FROM conversations WHERE resume_hash = $1', [resumeHash]);
    return rows[0] && toConversation(rows[0]);
  }

  async rateConversation(id: string, rating: ConversationRating): Promise<boolean> {
    // One statement: of two ratings racing on different nodes exactly one finds rated_at NULL.
    const { rowCount } = await this.pool.query(
      'UPDATE conversations SET rating_score = $1, rating_comment = $2, rated_at = $3 WHERE id = $4 AND rated_at IS NULL',
      [rating.score, rating.comment, rating.ratedAt, id],
    );
    return (rowCount ?? 0) > 0;
  }

  async ratingCounts(): Promise<RatingCount[]> {
    const { rows } = await this.pool.query<RatingCount>(
      'SELECT agent, rating_score AS score, COUNT(*)::int AS count FROM conversations WHERE rated_at IS NOT NULL GROUP BY agent, rating_score',
    );
    return rows;
  }

  async reassignConversation(id: string, agent: string): Promise<void> {
    await this.pool.query('UPDATE conversations SET agent = $1 WHERE id = $2', [agent, id]);
  }

  async appendTeamMessage(m: NewTeamMessage): Promise<TeamAppendResult> {
    const { rows } = await this.pool.query<TeamRow>(
      `INSERT INTO team_messages (sender, recipient, content, ts, client_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING *`,
      [m.sender, m.to ?? null, m.content, m.ts, m.cid ?? null],
    );
    if (rows[0]) return { message: toTeamMessage(rows[0]), duplicate: false };
    const existing = await this.pool.query<TeamRow>(
      "SELECT * FROM team_messages WHERE sender = $1 AND COALESCE(recipient, '') = $2 AND client_id = $3",
      [m.sender, m.to ?? '', m.cid ?? null],
    );
    if (!existing.rows[0]) throw new Error('team message insert conflicted without a matching client id');
    return { message: toTeamMessage(existing.rows[0]), duplicate: true };
  }

  async teamMessagesFor(agent: string, limit: number): Promise<TeamMessage[]> {
    const { rows } = await this.pool.query<TeamRow>(
      'SELECT * FROM team_messages WHERE recipient IS NULL OR recipient = $1 OR sender = $1 ORDER BY id DESC LIMIT $2',
      [agent, limit],
    );
    return rows.map(toTeamMessage).reverse();
  }

  async openConversations(): Promise<OpenConversation[]> {
    const { rows } = await this.pool.query<ConversationRow>('SELECT * FROM conversations WHERE ended_at IS NULL ORDER BY row_id');
    return rows.map((r) => ({ id: r.id, agent: r.agent, customer: r.customer, resumeHash: r.resume_hash, lastSeq: r.last_seq }));
  }

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

  async appendBotExchange(conversationId: string, e: BotExchange): Promise<void> {
    await this.pool.query('INSERT INTO bot_exchanges (conversation_id, question, answer, matched, ts) VALUES ($1, $2, $3, $4, $5)', [
      conversationId,
      e.question,
      e.answer,
      e.matched,
      e.ts,
    ]);
  }

  async botExchanges(conversationId: string, limit: number): Promise<BotExchange[]> {
    const { rows } = await this.pool.query<BotExchange>(
      'SELECT question, answer, matched, ts FROM bot_exchanges WHERE conversation_id = $1 ORDER BY id DESC LIMIT $2',
      [conversationId, limit],
    );
    return rows.reverse();
  }

  async conversationsEndedBefore(ids: readonly string[], before: number): Promise<string[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM conversations WHERE id = ANY($1::text[]) AND ended_at < $2', [ids, before]);
    return rows.map((r) => r.id);
  }

  /** Round trip to the server, for /healthz. */
  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
