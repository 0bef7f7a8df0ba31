import fs from 'node:fs';
import { toMessage, toOfflineMessage, toTeamMessage, type MessageRow, type OfflineRow, type TeamRow } from './rows.js';
import path from 'node:path';
import Database from 'better-sqlite3';
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
import { SqliteCannedReplyStore } from './sqliteCannedReplyStore.js';
import { SQLITE_MIGRATIONS } from './sqliteMigrations.js';

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

/** Applies the migrations this database has not seen yet. */
function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SQLITE_MIGRATIONS.length) {
    throw new Error(`database schema version ${current} is newer than this kefu (${SQLITE_MIGRATIONS.length})`);
  }
  for (let v = current; v < SQLITE_MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(SQLITE_MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/**
 * The embedded default store: one SQLite file in WAL mode. better-sqlite3 is synchronous, so
 * each call completes before the next starts: seq assignment and cid de-duplication need no
 * further locking in one process.
 */
export class SqliteMessageStore implements MessageStore {
  private readonly db: Database.Database;
  private readonly stmts;
  private readonly teamStmts;
  private readonly ratingStmts;
  private readonly offlineStmts;

  /** `file` is a path, or ':memory:' for tests that need no file. */
  constructor(file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a commit survives a process crash (SIGKILL); only an OS crash or power
    // loss can lose the last transactions. FULL would fsync on every message.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.stmts = {
      startConversation: this.db.prepare(
        'INSERT INTO conversations (id, agent, customer, started_at, resume_hash) VALUES (?, ?, ?, ?, ?)',
      ),
      endConversation: this.db.prepare(
        'UPDATE conversations SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL',
      ),
      insertMessage: this.db.prepare(`
        INSERT INTO messages (conversation_id, seq, sender, role, content, ts, client_id, image)
        VALUES (@conversationId,
                (SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE conversation_id = @conversationId),
                @sender, @role, @content, @ts, @cid, @image)
        ON CONFLICT DO NOTHING
        RETURNING *`),
      byClientId: this.db.prepare(
        'SELECT * FROM messages WHERE conversation_id = ? AND role = ? AND sender = ? AND client_id = ?',
      ),
      messagesAfter: this.db.prepare(
        'SELECT * FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      ),
      getConversation: this.db.prepare(`SELECT ${CONVERSATION_COLUMNS} FROM conversations c WHERE c.id = ?`),
      byResumeHash: this.db.prepare(
        `SELECT ${CONVERSATION_COLUMNS} FROM conversations c WHERE c.resume_hash = ? AND c.ended_at IS NULL`,
      ),
      listConversations: this.db.prepare(
        `SELECT ${CONVERSATION_COLUMNS} FROM conversations c WHERE c.row_id < ? ORDER BY c.row_id DESC LIMIT ?`,
      ),
      openConversations: this.db.prepare(`
        SELECT c.id, c.agent, c.customer, c.resume_hash,
               (SELECT COALESCE(MAX(seq), 0) FROM messages m WHERE m.conversation_id = c.id) AS last_seq
        FROM conversations c WHERE c.ended_at IS NULL ORDER BY c.row_id`),
      // The ids come as one JSON array: one statement for any number of them.
      endedBefore: this.db.prepare('SELECT id FROM conversations WHERE id IN (SELECT value FROM json_each(?)) AND ended_at < ?'),
    };
    this.ratingStmts = {
      byResumeHash: this.db.prepare(`SELECT ${CONVERSATION_COLUMNS} FROM conversations c WHERE c.resume_hash = ?`),
      rate: this.db.prepare(
        'UPDATE conversations SET rating_score = ?, rating_comment = ?, rated_at = ? WHERE id = ? AND rated_at IS NULL',
      ),
      counts: this.db.prepare(
        'SELECT agent, rating_score AS score, COUNT(*) AS count FROM conversations WHERE rated_at IS NOT NULL GROUP BY agent, rating_score',
      ),
    };
    this.teamStmts = {
      reassign: this.db.prepare('UPDATE conversations SET agent = ? WHERE id = ?'),
      insert: this.db.prepare(`
        INSERT INTO team_messages (sender, recipient, content, ts, client_id) VALUES (@sender, @to, @content, @ts, @cid)
        ON CONFLICT DO NOTHING RETURNING *`),
      byClientId: this.db.prepare("SELECT * FROM team_messages WHERE sender = ? AND COALESCE(recipient, '') = ? AND client_id = ?"),
      visibleTo: this.db.prepare(`
        SELECT * FROM team_messages WHERE recipient IS NULL OR recipient = @agent OR sender = @agent
        ORDER BY id DESC LIMIT @limit`),
    };
    this.offlineStmts = {
      insert: this.db.prepare(
        'INSERT INTO offline_messages (name, contact, content, created_at) VALUES (@name, @contact, @content, @createdAt) RETURNING *',
      ),
      list: this.db.prepare('SELECT * FROM offline_messages WHERE id < @before ORDER BY id DESC LIMIT @limit'),
      listOpen: this.db.prepare('SELECT * FROM offline_messages WHERE id < @before AND handled_at IS NULL ORDER BY id DESC LIMIT @limit'),
      handle: this.db.prepare('UPDATE offline_messages SET handled_at = ?, handled_by = ? WHERE id = ? AND handled_at IS NULL'),
      get: this.db.prepare('SELECT * FROM offline_messages WHERE id = ?'),
      appendBot: this.db.prepare(
        'INSERT INTO bot_exchanges (conversation_id, question, answer, matched, ts) VALUES (?, ?, ?, ?, ?)',
      ),
      bots: this.db.prepare('SELECT question, answer, matched, ts FROM bot_exchanges WHERE conversation_id = ? ORDER BY id DESC LIMIT ?'),
    };
  }

  async appendBotExchange(conversationId: string, e: BotExchange): Promise<void> {
    this.offlineStmts.appendBot.run(conversationId, e.question, e.answer, e.matched ? 1 : 0, e.ts);
  }

  async botExchanges(conversationId: string, limit: number): Promise<BotExchange[]> {
    const rows = this.offlineStmts.bots.all(conversationId, limit) as Array<{ question: string; answer: string; matched: number; ts: number }>;
    return rows.map((r) => ({ question: r.question, answer: r.answer, matched: r.matched === 1, ts: r.ts })).reverse();
  }

  async addOfflineMessage(m: NewOfflineMessage): Promise<OfflineMessage> {
    return toOfflineMessage(this.offlineStmts.insert.get(m) as OfflineRow);
  }

  async listOfflineMessages(limit: number, options: { before?: string; openOnly?: boolean } = {}): Promise<OfflineMessagePage> {
    const cursor = options.before === undefined ? Number.MAX_SAFE_INTEGER : Number(options.before);
    const stmt = options.openOnly ? this.offlineStmts.listOpen : this.offlineStmts.list;
    const rows = stmt.all({ before: Number.isSafeInteger(cursor) ? cursor : 0, limit: limit + 1 }) as OfflineRow[];
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { messages: page.map(toOfflineMessage), nextBefore: rows.length > limit && last ? String(last.id) : null };
  }

  async markOfflineMessageHandled(id: number, by: string, at: number): Promise<OfflineMessage | undefined> {
    this.offlineStmts.handle.run(at, by, id);
    const row = this.offlineStmts.get.get(id) as OfflineRow | undefined;
    return row ? toOfflineMessage(row) : undefined;
  }

  /** The canned replies kept in this same database file. */
  cannedReplies(): CannedReplyStore {
    return new SqliteCannedReplyStore(this.db);
  }

  async conversationByResumeHash(resumeHash: string): Promise<ConversationRecord | undefined> {
    const row = this.ratingStmts.byResumeHash.get(resumeHash) as ConversationRow | undefined;
    return row ? toConversation(row) : undefined;
  }

  async rateConversation(id: string, rating: ConversationRating): Promise<boolean> {
    return this.ratingStmts.rate.run(rating.score, rating.comment, rating.ratedAt, id).changes > 0;
  }

  async ratingCounts(): Promise<RatingCount[]> {
    return this.ratingStmts.counts.all() as RatingCount[];
  }

  async reassignConversation(id: string, agent: string): Promise<void> {
    this.teamStmts.reassign.run(agent, id);
  }

  async appendTeamMessage(m: NewTeamMessage): Promise<TeamAppendResult> {
    const row = this.teamStmts.insert.get({ sender: m.sender, to: m.to ?? null, content: m.content, ts: m.ts, cid: m.cid ?? null }) as TeamRow | undefined;
    if (row) return { message: toTeamMessage(row), duplicate: false };
    const existing = this.teamStmts.byClientId.get(m.sender, m.to ?? '', m.cid ?? null) as TeamRow | undefined;
    if (!existing) throw new Error('team message insert conflicted without a matching client id');
    return { message: toTeamMessage(existing), duplicate: true };
  }

  async teamMessagesFor(agent: string, limit: number): Promise<TeamMessage[]> {
    return (this.teamStmts.visibleTo.all({ agent, limit }) as TeamRow[]).map(toTeamMessage).reverse();
  }

  async startConversation(c: NewConversation): Promise<void> {
    this.stmts.startConversation.run(c.id, c.agent, c.customer, c.startedAt, c.resumeHash);
  }

  async endConversation(id: string, endedAt: number, reason: EndReason): Promise<void> {
    this.stmts.endConversation.run(endedAt, reason, id);
  }

  appendMessage(m: NewMessage): AppendResult {
    const row = this.stmts.insertMessage.get({ ...m, cid: m.cid ?? null, image: m.image === undefined ? null : JSON.stringify(m.image) }) as MessageRow | undefined;
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

  async conversationsEndedBefore(ids: readonly string[], before: number): Promise<string[]> {
    const rows = this.stmts.endedBefore.all(JSON.stringify(ids), before) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}
