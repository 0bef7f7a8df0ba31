import type pg from 'pg';
import type {
  AppendResult,
  ConversationPage,
  ConversationRecord,
  ConversationStore,
  EndReason,
  NewConversation,
  NewMessage,
  OpenConversation,
  StoredMessage,
} from '../conversationStore.js';
import { toMessage, type MessageRow } from '../rows.js';
import { UNIQUE_VIOLATION } from './database.js';

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

/**
 * Conversations and messages in the PostgreSQL database every node shares (openPostgresStores).
 * seq comes from a counter on the conversation row, taken under that row's lock in the same
 * transaction as the insert, so nodes appending to one conversation at once still get 1, 2, 3
 * with no gaps, and a cid is checked under the same lock.
 */
export class PostgresConversationStore implements ConversationStore {
  constructor(private readonly pool: pg.Pool) {}

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
    const { rows } = await this.pool.query<MessageRow>('SELECT * FROM messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3', [
      conversationId,
      afterSeq,
      limit,
    ]);
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

  async conversationByResumeHash(resumeHash: string): Promise<ConversationRecord | undefined> {
    const { rows } = await this.pool.query<ConversationRow>('SELECT * FROM conversations WHERE resume_hash = $1', [resumeHash]);
    return rows[0] && toConversation(rows[0]);
  }

  async reassignConversation(id: string, agent: string): Promise<void> {
    await this.pool.query('UPDATE conversations SET agent = $1 WHERE id = $2', [agent, id]);
  }

  async openConversations(): Promise<OpenConversation[]> {
    const { rows } = await this.pool.query<ConversationRow>('SELECT * FROM conversations WHERE ended_at IS NULL ORDER BY row_id');
    return rows.map((r) => ({ id: r.id, agent: r.agent, customer: r.customer, resumeHash: r.resume_hash, lastSeq: r.last_seq }));
  }

  async conversationsEndedBefore(ids: readonly string[], before: number): Promise<string[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM conversations WHERE id = ANY($1::text[]) AND ended_at < $2', [ids, before]);
    return rows.map((r) => r.id);
  }
}
