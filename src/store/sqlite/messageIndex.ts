import type Database from 'better-sqlite3';
import { type SqliteWorker, startSqliteWorker } from './sqliteWorker.js';

/** How long a committed message's entries may wait before they are handed to the index's thread. */
export const INDEX_POST_MS = 250;
/** This many waiting entries are handed over at once. */
export const INDEX_POST_ENTRIES = 4096;
/** The messages a catch-up reads from the database at a time. */
const CATCH_UP_CHUNK = 2000;

/** Entries for the index, as parallel arrays in message id order. */
interface Entries {
  ids: number[];
  conversations: number[];
  seqs: number[];
  texts: string[];
}

/** The tables of the index file; `idx` is the name the store's connection attaches it as. */
const INDEX_SCHEMA = `
  CREATE TABLE IF NOT EXISTS idx.message_seqs (
    conversation INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    message      INTEGER NOT NULL,
    PRIMARY KEY (conversation, seq)
  ) WITHOUT ROWID;
  CREATE VIRTUAL TABLE IF NOT EXISTS idx.message_text USING fts5 (content, content = '', tokenize = 'trigram', detail = none);
  CREATE TABLE IF NOT EXISTS idx.index_state (indexed_through INTEGER NOT NULL);
  INSERT INTO idx.index_state (indexed_through) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM idx.index_state);
`;

/**
 * The worker's code (see startSqliteWorker): it owns the index file's only writing connection.
 * On start (and after a failed write) it indexes what the messages table holds past the file's
 * watermark (a crash, a kill, a database made before the file existed, a full disk), then the
 * batches the store hands it, each in one transaction with the watermark, skipping ids it has (a
 * catch-up and a batch may both carry a message committed while the worker started). A batch
 * with no ids asks only for that catch-up.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
const insertSeq = db.prepare('INSERT INTO message_seqs (conversation, seq, message) VALUES (?, ?, ?)');
const insertText = db.prepare('INSERT INTO message_text (rowid, content) VALUES (?, ?)');
const setThrough = db.prepare('UPDATE index_state SET indexed_through = ?');
let through = db.prepare('SELECT indexed_through FROM index_state').pluck().get();
const write = db.transaction((b) => {
  let last = through;
  for (let i = 0; i < b.ids.length; i++) {
    const id = b.ids[i];
    if (id <= last) continue;
    insertSeq.run(b.conversations[i], b.seqs[i], id);
    insertText.run(id, b.texts[i]);
    last = id;
  }
  if (last > through) setThrough.run(last);
  return last;
});
// Whether the file may lack committed messages below what comes next (the start, or a write
// that failed): then the messages table is read first, so the watermark never passes a message
// that is not indexed. A database in memory has no file to read; its gaps stay.
let behind = workerData.messages !== null;
let unindexed;
function catchUp() {
  unindexed ??= new Database(workerData.messages, { readonly: true, fileMustExist: true }).prepare(
    'SELECT m.id, c.row_id AS conversation, m.seq, m.content FROM messages m JOIN conversations c ON c.id = m.conversation_id ' +
      'WHERE m.id > ? ORDER BY m.id LIMIT ' + workerData.chunk);
  for (;;) {
    const rows = unindexed.all(through);
    if (rows.length === 0) break;
    through = write({
      ids: rows.map((r) => r.id),
      conversations: rows.map((r) => r.conversation),
      seqs: rows.map((r) => r.seq),
      texts: rows.map((r) => r.content),
    });
  }
  behind = false;
}
function take(batch) {
  try {
    if (behind) catchUp();
    if (batch) through = write(batch);
    parentPort.postMessage({ through });
  } catch (err) {
    behind = workerData.messages !== null;
    parentPort.postMessage({ through, error: String((err && err.message) || err) });
  }
}
take(null);
parentPort.on('message', (m) => {
  if (m === 'stop') {
    unindexed?.database.close();
    db.close();
    parentPort.close();
    return;
  }
  take(m);
});
`;

interface Waiter {
  /** The highest message id it waits for. */
  upTo: number;
  /** The batch whose answer tells it: the last one handed over when it came. */
  batch: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * The index of the messages, derived from them and kept in a file of its own that a worker
 * thread writes: where each message sits in its conversation (`message_seqs`: conversation
 * row_id, seq -> message id, what history, replay, counts and a tail read after a restart go
 * through) and the full-text index of its content (`message_text`, FTS5 with trigrams). Neither
 * is an index of the messages table: that would cost each append a random page of its own, and
 * the bulk writes that share those pages (and FTS5's segment merges) held every message behind
 * them for milliseconds on the thread that handles messages. Here they are another thread's, in
 * another file, so the worker's transactions never wait for the store's commits nor the store's
 * for them; the store's connection attaches the file as `idx` and only reads it.
 *
 * The index follows the messages: a committed message's entries wait here at most INDEX_POST_MS,
 * and `ready()` resolves once the worker has written every message committed so far, so a read
 * that awaits it sees them all. The file holds how far it is written (`indexed_through`); what a
 * crash lost on the way is indexed again from the messages table at the next open. Deleted, or
 * left from another database, the file is built again from the messages.
 */
export class MessageIndex {
  private waiting: Entries = noEntries();
  private timer: NodeJS.Timeout | undefined;
  /** The highest message id handed to the worker, or committed when the store opened. */
  private posted: number;
  /** The highest message id the worker has written. */
  private through: number;
  /** Batches handed to the worker, and answers heard (the worker answers each, in order, after one at its start). */
  private sent = 0;
  private answered = -1;
  private waiters: Waiter[] = [];
  private failure: Error | undefined;
  /** The thread is gone (it failed, or exited unasked): nothing will be written again until a restart. */
  private ended = false;
  private stopping = false;
  private readonly thread: SqliteWorker;

  /**
   * `db` is the store's connection (the file gets attached to it as `idx`); `file` is the
   * index's file; `messagesFile` the database to catch up from (null for one in memory, which
   * has nothing from before).
   */
  constructor(
    db: Database.Database,
    file: string,
    private readonly messagesFile: string | null,
    private readonly postMs = INDEX_POST_MS,
  ) {
    db.prepare('ATTACH DATABASE ? AS idx').run(file);
    db.pragma('idx.journal_mode = WAL');
    db.exec(INDEX_SCHEMA);
    this.through = db.prepare('SELECT indexed_through FROM idx.index_state').pluck().get() as number;
    // AUTOINCREMENT never hands out an id twice: an index past the highest one ever given is
    // another database's.
    const highest = db.prepare("SELECT COALESCE((SELECT seq FROM main.sqlite_sequence WHERE name = 'messages'), 0)").pluck().get() as number;
    if (this.through > highest) {
      db.exec('DROP TABLE idx.message_seqs; DROP TABLE idx.message_text; DROP TABLE idx.index_state;');
      db.exec(INDEX_SCHEMA);
      this.through = 0;
    }
    this.posted = db.prepare('SELECT COALESCE(MAX(id), 0) FROM main.messages').pluck().get() as number;
    this.thread = startSqliteWorker(WORKER_SOURCE, { file, messages: messagesFile, chunk: CATCH_UP_CHUNK }, () => {
      this.ended = true;
      this.fail(new Error('message index: its thread ended'));
    });
    this.thread.worker.on('message', (m: { through: number; error?: string }) => this.heard(m));
    this.thread.worker.on('error', (err) => this.fail(err));
  }

  /** A committed message: its conversation's row_id, its seq, its id and its text. */
  add(conversationRowId: number, seq: number, id: number, content: string): void {
    const w = this.waiting;
    w.ids.push(id);
    w.conversations.push(conversationRowId);
    w.seqs.push(seq);
    w.texts.push(content);
    if (w.ids.length >= INDEX_POST_ENTRIES) this.post();
    else this.timer ??= setTimeout(() => this.post(), this.postMs).unref();
  }

  /**
   * Resolves once every message committed so far is in the index; rejects if the worker failed
   * to write them (after asking it to catch up from the messages once more, so a failure that
   * passed does not refuse reads until the next message comes).
   */
  ready(): Promise<void> {
    const handed = this.post();
    if (this.through >= this.posted) return Promise.resolve();
    if (this.failure) {
      if (this.messagesFile === null || this.ended) return Promise.reject(this.failure);
      if (!handed) this.hand(noEntries());
    }
    // A read waiting on the thread holds the process (see heard).
    this.thread.worker.ref();
    return new Promise((resolve, reject) => this.waiters.push({ upTo: this.posted, batch: this.sent, resolve, reject }));
  }

  /** Hands what waits to the worker, lets it write that, and stops it. */
  async stop(): Promise<void> {
    this.post();
    this.stopping = true;
    await this.thread.stop();
  }

  /** Hands the waiting entries to the worker; false if there were none. */
  private post(): boolean {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const entries = this.waiting;
    if (entries.ids.length === 0) return false;
    this.posted = entries.ids[entries.ids.length - 1] as number;
    this.hand(entries);
    this.waiting = noEntries();
    return true;
  }

  private hand(entries: Entries): void {
    this.thread.worker.postMessage(entries);
    this.sent++;
  }

  private heard(m: { through: number; error?: string }): void {
    this.through = m.through;
    this.answered++;
    // A batch that failed stays out of the index until a catch-up writes it: a read waiting for
    // it is told, rather than left waiting (a read that came after it waits for its own answer).
    if (m.error !== undefined) this.fail(new Error(`message index: ${m.error}`), this.answered);
    else this.failure = undefined;
    this.waiters = this.waiters.filter((w) => {
      if (w.upTo > this.through) return true;
      w.resolve();
      return false;
    });
    if (this.waiters.length === 0 && !this.stopping) this.thread.worker.unref();
  }

  /** Rejects the reads still waiting that the batch `answered` (every one when the thread is gone) would have told. */
  private fail(err: Error, answered = Number.POSITIVE_INFINITY): void {
    this.failure = err;
    this.waiters = this.waiters.filter((w) => {
      if (w.upTo <= this.through || w.batch > answered) return true;
      w.reject(err);
      return false;
    });
  }
}

const noEntries = (): Entries => ({ ids: [], conversations: [], seqs: [], texts: [] });
