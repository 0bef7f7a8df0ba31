import type Database from 'better-sqlite3';
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
import { parseImageRef } from '../../protocol/imageFormat.js';
import { toMessage, type MessageRow } from '../rows.js';
import { CONVERSATION_COLUMNS, toConversation, type ConversationRow } from './conversationRows.js';
import { SqliteConversationSearch } from './conversationSearch.js';
import { GroupCommit } from './groupCommit.js';
import type { MessageIndex } from './messageIndex.js';
import { type MessageTail, MessageTails } from './messageTails.js';

/** How the SQLite conversation store batches its writes; the defaults are what kefu runs with. */
export interface SqliteStoreOptions {
  /** How long a message waits for others to share its commit (GroupCommit). */
  groupCommitWindowMs?: number;
  /** How long a committed message's index entries wait before they go to the index's thread (MessageIndex). */
  indexPostMs?: number;
}

/**
 * Conversations and messages in the embedded SQLite file (openSqliteStores). Appends are group
 * committed (GroupCommit): the messages that arrive in one event-loop turn share one
 * transaction, and each append resolves once it committed. better-sqlite3 is synchronous and
 * this process is the file's only writer, so a batch runs start to end without interleaving:
 * seq and the cid check come from each open conversation's tail in memory (MessageTails), in
 * the order the appends were made, with no read of the database on the way; a tail not in
 * memory is read before the append is queued. Where each message sits in its conversation and
 * the full-text index are written behind them, by another thread (MessageIndex): every read
 * through them waits for the index to be ready first.
 */
export class SqliteConversationStore implements ConversationStore {
  private readonly stmts;
  private readonly tails: MessageTails;
  /** Per conversation whose tail is being read, that read: the appends made meanwhile wait behind it, in order. */
  private readonly loading = new Map<string, Promise<unknown>>();
  private readonly search: SqliteConversationSearch;
  private readonly appends: GroupCommit<NewMessage, AppendResult>;
  private readonly appendBatch: (messages: readonly NewMessage[]) => Array<AppendResult | Error>;

  /** `index`: where each message sits and what text it holds, written by its own thread (MessageIndex). */
  constructor(
    db: Database.Database,
    private readonly index: MessageIndex,
    options: SqliteStoreOptions = {},
  ) {
    this.tails = new MessageTails(db);
    this.search = new SqliteConversationSearch(db);
    this.stmts = {
      startConversation: db.prepare('INSERT INTO conversations (id, agent, customer, started_at, resume_hash, visitor_id) VALUES (?, ?, ?, ?, ?, ?)'),
      endConversation: db.prepare('UPDATE conversations SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL'),
      insertMessage: db.prepare('INSERT INTO messages (conversation_id, seq, sender, role, content, ts, client_id, image) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      byId: db.prepare('SELECT * FROM messages WHERE id = ?'),
      messagesAfter: db.prepare(`
        SELECT m.* FROM idx.message_seqs s JOIN messages m ON m.id = s.message
        WHERE s.conversation = (SELECT row_id FROM conversations WHERE id = ?) AND s.seq > ? ORDER BY s.seq LIMIT ?`),
      getConversation: db.prepare(`SELECT ${CONVERSATION_COLUMNS} FROM conversations c WHERE c.id = ?`),
      openByResumeHash: db.prepare(`SELECT ${CONVERSATION_COLUMNS} FROM conversations c WHERE c.resume_hash = ? AND c.ended_at IS NULL`),
      byResumeHash: db.prepare(`SELECT ${CONVERSATION_COLUMNS} FROM conversations c WHERE c.resume_hash = ?`),
      openConversations: db.prepare(`
        SELECT c.id, c.agent, c.customer, c.resume_hash,
               (SELECT COALESCE(MAX(seq), 0) FROM idx.message_seqs s WHERE s.conversation = c.row_id) AS last_seq
        FROM conversations c WHERE c.ended_at IS NULL ORDER BY c.row_id`),
      reassign: db.prepare('UPDATE conversations SET agent = ? WHERE id = ?'),
      // The ids come as one JSON array: one statement for any number of them.
      endedBefore: db.prepare('SELECT id FROM conversations WHERE id IN (SELECT value FROM json_each(?)) AND ended_at < ?'),
      firstResponses: db.prepare(`
        SELECT started_at, first_reply FROM (
          SELECT c.started_at,
                 (SELECT MIN(m.ts) FROM idx.message_seqs s JOIN messages m ON m.id = s.message
                  WHERE s.conversation = c.row_id AND m.role = 'kefu') AS first_reply
          FROM conversations c ORDER BY c.row_id DESC LIMIT ?)
        WHERE started_at >= ? AND first_reply IS NOT NULL ORDER BY started_at DESC LIMIT ?`),
    };
    const transaction = db.transaction((messages: readonly NewMessage[], touched: Set<string>) => messages.map((m) => this.insert(m, touched)));
    this.appendBatch = (messages) => {
      const touched = new Set<string>();
      let results: Array<AppendResult | Error>;
      try {
        results = transaction(messages, touched);
      } catch (err) {
        // Rolled back: the tails read again what the database kept (seqs not taken, cids not stored).
        for (const id of touched) this.tails.drop(id);
        throw err;
      }
      for (const r of results) {
        if (r instanceof Error || r.duplicate) continue;
        const m = r.message;
        this.index.add((this.tails.get(m.conversationId) as MessageTail).rowId, m.seq, m.id, m.content);
      }
      return results;
    };
    this.appends = new GroupCommit((messages) => this.appendBatch(messages), options.groupCommitWindowMs);
  }

  async startConversation(c: NewConversation): Promise<void> {
    const { lastInsertRowid } = this.stmts.startConversation.run(c.id, c.agent, c.customer, c.startedAt, c.resumeHash, c.visitorId ?? null);
    this.tails.started(c.id, Number(lastInsertRowid));
  }

  async endConversation(id: string, endedAt: number, reason: EndReason): Promise<void> {
    // Appends still waiting land first, so the tail dropped now is not made again by them.
    this.appends.flush();
    this.stmts.endConversation.run(endedAt, reason, id);
    this.tails.drop(id);
  }

  /** Resolves once the transaction holding the message committed (see GroupCommit). */
  appendMessage(m: NewMessage): Promise<AppendResult> {
    const id = m.conversationId;
    const loading = this.loading.get(id);
    if (loading === undefined && this.tails.get(id) !== undefined) return this.appends.add(m);
    return (loading ?? this.loadTail(id)).then(() => this.appends.add(m));
  }

  /**
   * Reads a conversation's tail (the first append since the store opened, or since a batch that
   * touched it rolled back) once the index holds every committed message. The appends that wait
   * on it are queued in the order they were made: their callbacks run in the order they were
   * added, in the same turn the read ends, before any later append.
   */
  private loadTail(id: string): Promise<unknown> {
    const loaded = this.index.ready().then(() => {
      if (this.tails.get(id) === undefined && this.tails.load(id) === undefined) throw new Error(`no conversation ${id}`);
    });
    this.loading.set(id, loaded);
    const forget = () => {
      if (this.loading.get(id) === loaded) this.loading.delete(id);
    };
    loaded.then(forget, forget);
    return loaded;
  }

  /**
   * One message of a batch, inside its transaction: a resend of a cid in the conversation's
   * window (the first of two in one batch included) answers with the stored message, anything
   * else is stored with the next seq.
   */
  private insert(m: NewMessage, touched: Set<string>): AppendResult | Error {
    const tail = this.tails.get(m.conversationId);
    if (!tail) return new Error(`no tail read for conversation ${m.conversationId}`);
    touched.add(m.conversationId);
    const cid = m.cid ?? null;
    const stored = cid === null ? undefined : tail.cids.find(m.role, m.sender, cid, this.storedWithCid);
    if (stored !== undefined) return { message: toMessage(stored), duplicate: true };
    const seq = tail.lastSeq + 1;
    const image = m.image === undefined ? null : JSON.stringify(m.image);
    const { lastInsertRowid } = this.stmts.insertMessage.run(m.conversationId, seq, m.sender, m.role, m.content, m.ts, cid, image);
    const id = Number(lastInsertRowid);
    tail.lastSeq = seq;
    if (cid !== null) tail.cids.remember(m.role, m.sender, cid, id);
    // The image as a read gives it back, so the ack and a later duplicate ack carry the same.
    const message: StoredMessage = {
      id,
      conversationId: m.conversationId,
      seq,
      sender: m.sender,
      role: m.role,
      content: m.content,
      ts: m.ts,
      cid,
      image: parseImageRef(image),
    };
    return { message, duplicate: false };
  }

  /** The stored message `id` if it was sent with this cid by this sender in this role (see CidWindow.find). */
  private readonly storedWithCid = (id: number, role: string, sender: string, cid: string): MessageRow | undefined => {
    const row = this.stmts.byId.get(id) as MessageRow | undefined;
    return row !== undefined && row.role === role && row.sender === sender && row.client_id === cid ? row : undefined;
  };

  /** Commits the appends still waiting (their index entries go to the index's thread); the store takes no more after. */
  close(): void {
    this.appends.close();
  }

  async messagesAfter(conversationId: string, afterSeq: number, limit: number): Promise<StoredMessage[]> {
    await this.index.ready();
    return (this.stmts.messagesAfter.all(conversationId, afterSeq, limit) as MessageRow[]).map(toMessage);
  }

  async getConversation(id: string): Promise<ConversationRecord | undefined> {
    await this.index.ready();
    const row = this.stmts.getConversation.get(id) as ConversationRow | undefined;
    return row ? toConversation(row) : undefined;
  }

  async openConversationByResumeHash(resumeHash: string): Promise<ConversationRecord | undefined> {
    await this.index.ready();
    const row = this.stmts.openByResumeHash.get(resumeHash) as ConversationRow | undefined;
    return row ? toConversation(row) : undefined;
  }

  async conversationByResumeHash(resumeHash: string): Promise<ConversationRecord | undefined> {
    await this.index.ready();
    const row = this.stmts.byResumeHash.get(resumeHash) as ConversationRow | undefined;
    return row ? toConversation(row) : undefined;
  }

  /**
   * The index is made ready first, so a listing and its search see every committed message:
   * their entries wait at most INDEX_POST_MS, and this read has them written now.
   */
  async listConversations(limit: number, before?: string, filter: ConversationFilter = {}): Promise<ConversationPage> {
    await this.index.ready();
    const cursor = before === undefined ? Number.MAX_SAFE_INTEGER : Number(before);
    return this.search.list(limit, Number.isSafeInteger(cursor) ? cursor : 0, filter);
  }

  async openConversations(): Promise<OpenConversation[]> {
    await this.index.ready();
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

  async firstResponseTimes(since: number, limit: number): Promise<number[]> {
    await this.index.ready();
    const rows = this.stmts.firstResponses.all(FIRST_RESPONSE_SCAN, since, limit) as Array<{ started_at: number; first_reply: number }>;
    return rows.map((r) => Math.max(0, r.first_reply - r.started_at));
  }
}
