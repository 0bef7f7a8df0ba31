import type Database from 'better-sqlite3';
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

interface ConversationRow {
  row_id: number;
  id: string;
  agent: string;
  customer: string;
  started_at: number;
  ended_at: number | null;
  end_reason: EndReason | null;
  message_count: number;
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
  messageCount: r.message_count,
  rating: r.rating_score === null || r.rated_at === null ? null : { score: r.rating_score, comment: r.rating_comment, ratedAt: r.rated_at },
});

const CONVERSATION_COLUMNS = `c.row_id, c.id, c.agent, c.customer, c.started_at, c.ended_at, c.end_reason,
  c.rating_score, c.rating_comment, c.rated_at,
  (SELECT COALESCE(MAX(seq), 0) FROM messages m WHERE m.conversation_id = c.id) AS message_count`;

/**
 * Conversations and messages in the embedded SQLite file (openSqliteStores). better-sqlite3 is
 * synchronous, so each call completes before the next starts: seq assignment and cid
 * de-duplication need no further locking in one process.
 */
export class SqliteConversationStore implements ConversationStore {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      startConversation: db.prepare('INSERT INTO conversations (id, agent, customer, started_at, resume_hash) VALUES (?, ?, ?, ?, ?)'),
      endConversation: db.prepare('UPDATE conversations SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL'),
      insertMessage: db.prepare(`
        INSERT INTO messages (conversation_id, seq, sender, role, content, ts, client_id, image)
        VALUES (@conversationId,
                (SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE conversation_id = @conversationId),
                @sender, @role, @content, @ts, @cid, @image)
        ON CONFLICT DO NOTHING
        RETURNING *`),
      byClientId: db.prepare('SELECT * FROM messages WHERE conversation_id = ? AND role = ? AND sender = ? AND client_id = ?'),
      messagesAfter: db.prepare('SELECT * FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
      getConversation: db.prepare(`SELECT ${CONVERSATION_COLUMNS} FROM conversations c WHERE c.id = ?`),
      openByResumeHash: db.prepare(`SELECT ${CONVERSATION_COLUMNS} FROM conversations c WHERE c.resume_hash = ? AND c.ended_at IS NULL`),
      byResumeHash: db.prepare(`SELECT ${CONVERSATION_COLUMNS} FROM conversations c WHERE c.resume_hash = ?`),
      listConversations: db.prepare(`SELECT ${CONVERSATION_COLUMNS} FROM conversations c WHERE c.row_id < ? ORDER BY c.row_id DESC LIMIT ?`),
      openConversations: db.prepare(`
        SELECT c.id, c.agent, c.customer, c.resume_hash,
               (SELECT COALESCE(MAX(seq), 0) FROM messages m WHERE m.conversation_id = c.id) AS last_seq
        FROM conversations c WHERE c.ended_at IS NULL ORDER BY c.row_id`),
      reassign: db.prepare('UPDATE conversations SET agent = ? WHERE id = ?'),
      // The ids come as one JSON array: one statement for any number of them.
      endedBefore: db.prepare('SELECT id FROM conversations WHERE id IN (SELECT value FROM json_each(?)) AND ended_at < ?'),
    };
  }

  async startConversation(c: NewConversation): Promise<void> {
    this.stmts.startConversation.run(c.id, c.agent, c.customer, c.startedAt, c.resumeHash);
  }

  async endConversation(id: string, endedAt: number, reason: EndReason): Promise<void> {
    this.stmts.endConversation.run(endedAt, reason, id);
  }

  async appendMessage(m: NewMessage): Promise<AppendResult> {
    const row = this.stmts.insertMessage.get({ ...m, cid: m.cid ?? null, image: m.image === undefined ? null : JSON.stringify(m.image) }) as
      | MessageRow
      | undefined;
    if (row) return { message: toMessage(row), duplicate: false };
    // Only the cid index can conflict (seq is computed in the same statement).
    const existing = this.stmts.byClientId.get(m.conversationId, m.role, m.sender, m.cid ?? null) as MessageRow | undefined;
    if (!existing) throw new Error('message insert conflicted without a matching client id');
    return { message: toMessage(existing), duplicate: true };
  }

  async messagesAfter(conversationId: string, afterSeq: number, limit: number): Promise<StoredMessage[]> {
    return (this.stmts.messagesAfter.all(conversationId, afterSeq, limit) as MessageRow[]).map(toMessage);
  }

  async getConversation(id: string): Promise<ConversationRecord | undefined> {
    const row = this.stmts.getConversation.get(id) as ConversationRow | undefined;
    return row ? toConversation(row) : undefined;
  }

  async openConversationByResumeHash(resumeHash: string): Promise<ConversationRecord | undefined> {
    const row = this.stmts.openByResumeHash.get(resumeHash) as ConversationRow | undefined;
    return row ? toConversation(row) : undefined;
  }

  async conversationByResumeHash(resumeHash: string): Promise<ConversationRecord | undefined> {
    const row = this.stmts.byResumeHash.get(resumeHash) as ConversationRow | undefined;
    return row ? toConversation(row) : undefined;
  }

  async listConversations(limit: number, before?: string): Promise<ConversationPage> {
    const cursor = before === undefined ? Number.MAX_SAFE_INTEGER : Number(before);
    const rows = this.stmts.listConversations.all(Number.isSafeInteger(cursor) ? cursor : 0, limit + 1) as ConversationRow[];
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      conversations: page.map(toConversation),
      nextBefore: rows.length > limit && last ? String(last.row_id) : null,
    };
  }

  async openConversations(): Promise<OpenConversation[]> {
    const rows = this.stmts.openConversations.all() as Array<{
      id: string;
      agent: string;
      customer: string;
      resume_hash: string;
      last_seq: number;
    }>;
    return rows.map((r) => ({ id: r.id, agent: r.agent, customer: r.customer, resumeHash: r.resume_hash, lastSeq: r.last_seq }));
  }

  async reassignConversation(id: string, agent: string): Promise<void> {
    this.stmts.reassign.run(agent, id);
  }

  async conversationsEndedBefore(ids: readonly string[], before: number): Promise<string[]> {
    const rows = this.stmts.endedBefore.all(JSON.stringify(ids), before) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }
}
