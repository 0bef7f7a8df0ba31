import type pg from 'pg';
import type {
  AppendResult,
  ConversationFilter,
  ConversationPage,
  ConversationRecord,
  ConversationStore,
  EndReason,
  NewConversation,
  NewMessage,
  OpenConversation,
  StoredMessage,
} from '../conversationStore.js';
import { FIRST_RESPONSE_SCAN } from '../conversationStore.js';
import { toMessage, type MessageRow } from '../rows.js';
import { appendBatch } from './appendBatch.js';
import { listConversations, toConversation, type ConversationRow } from './conversationSearch.js';
import { PostgresGroupCommit } from './groupCommit.js';

/**
 * Conversations and messages in the PostgreSQL database every node shares (openPostgresStores).
 * seq comes from a counter on the conversation row, taken under that row's lock in the same
 * statement as the insert, so nodes appending to one conversation at once still get 1, 2, 3
 * with no gaps; the cid unique index makes a resend that races its original a duplicate.
 */
export class PostgresConversationStore implements ConversationStore {
  private readonly appends: PostgresGroupCommit<NewMessage, AppendResult>;

  constructor(private readonly pool: pg.Pool) {
    this.appends = new PostgresGroupCommit((messages) => appendBatch(pool, messages));
  }

  async startConversation(c: NewConversation): Promise<void> {
    await this.pool.query('INSERT INTO conversations (id, agent, customer, started_at, resume_hash, visitor_id) VALUES ($1, $2, $3, $4, $5, $6)', [
      c.id,
      c.agent,
      c.customer,
      c.startedAt,
      c.resumeHash,
      c.visitorId ?? null,
    ]);
  }

  async endConversation(id: string, endedAt: number, reason: EndReason): Promise<void> {
    await this.pool.query('UPDATE conversations SET ended_at = $1, end_reason = $2 WHERE id = $3 AND ended_at IS NULL', [endedAt, reason, id]);
  }

  /**
   * Resolves once the statement holding the message committed. Appends are group committed
   * (PostgresGroupCommit, appendBatch): one statement per batch, one batch in flight.
   */
  appendMessage(m: NewMessage): Promise<AppendResult> {
    return this.appends.add(m);
  }

  /** Settles the appends already made; the store takes no more after. */
  close(): Promise<void> {
    return this.appends.close();
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

  async listConversations(limit: number, before?: string, filter: ConversationFilter = {}): Promise<ConversationPage> {
    const cursor = before === undefined ? Number.MAX_SAFE_INTEGER : Number(before);
    return listConversations(this.pool, limit, Number.isSafeInteger(cursor) ? cursor : 0, filter);
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

  async firstResponseTimes(since: number, limit: number): Promise<number[]> {
    const { rows } = await this.pool.query<{ ms: string }>(
      `SELECT GREATEST(0, first_reply - started_at)::text AS ms FROM (
         SELECT c.started_at,
                (SELECT MIN(m.ts) FROM messages m WHERE m.conversation_id = c.id AND m.role = 'kefu') AS first_reply
         FROM conversations c ORDER BY c.row_id DESC LIMIT $1) latest
       WHERE started_at >= $2 AND first_reply IS NOT NULL ORDER BY started_at DESC LIMIT $3`,
      [FIRST_RESPONSE_SCAN, since, limit],
    );
    return rows.map((r) => Number(r.ms));
  }
}
