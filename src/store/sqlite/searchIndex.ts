import type Database from 'better-sqlite3';
import { type SqliteWorker, startSqliteWorker } from './sqliteWorker.js';

/** How long a committed message's text may wait before it is handed to the indexing thread. */
export const SEARCH_POST_MS = 250;
/** This many waiting texts are handed over at once. */
export const SEARCH_POST_ENTRIES = 4096;
/** The messages a catch-up reads from the database at a time. */
const CATCH_UP_CHUNK = 2000;

/**
 * The worker's code (see startSqliteWorker): it owns the
 * search file's only writing connection. On start (and after a failed write) it indexes what the
 * messages table holds past the file's watermark (a crash, a kill, a database made before the
 * file existed, a full disk), then the batches the store hands it, each in one transaction with
 * the watermark, skipping ids it has (a catch-up and a batch may both carry a message committed
 * while the worker started).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
const insert = db.prepare('INSERT INTO message_text (rowid, content) VALUES (?, ?)');
const setThrough = db.prepare('UPDATE search_index SET indexed_through = ?');
let through = db.prepare('SELECT indexed_through FROM search_index').pluck().get();
const write = db.transaction((ids, texts) => {
  let last = through;
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] <= last) continue;
    insert.run(ids[i], texts[i]);
    last = ids[i];
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
  unindexed ??= new Database(workerData.messages, { readonly: true, fileMustExist: true })
    .prepare('SELECT id, content FROM messages WHERE id > ? ORDER BY id LIMIT ' + workerData.chunk);
  for (;;) {
    const rows = unindexed.all(through);
    if (rows.length === 0) break;
    through = write(rows.map((r) => r.id), rows.map((r) => r.content));
  }
  behind = false;
}
function take(batch) {
  try {
    if (behind) catchUp();
    if (batch) through = write(batch.ids, batch.texts);
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
  upTo: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * The full-text index of message content (FTS5, trigrams), kept in a file of its own and written
 * by a worker thread. Its writes are most of what indexing a message costs, and FTS5 merges its
 * segments inside whichever transaction crosses a threshold: on the thread that handles messages
 * that held every message behind it for tens of milliseconds. In a file of its own, the worker's
 * transactions never wait for the store's commits nor the store's for them; the store's
 * connection attaches the file as `search` and only reads it.
 *
 * The index follows the messages: a committed message's text waits here at most SEARCH_POST_MS,
 * and `ready()` resolves once the worker has written every message committed so far, so a search
 * that awaits it sees them all. The file holds how far it is written (`indexed_through`); what a
 * crash lost on the way is indexed again from the messages table at the next open. The file is
 * derived data: deleted, it is built again from the messages.
 */
export class SearchIndex {
  private ids: number[] = [];
  private texts: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The highest message id handed to the worker, or committed when the store opened. */
  private posted: number;
  /** The highest message id the worker has written. */
  private through: number;
  private waiters: Waiter[] = [];
  private failure: Error | undefined;
  private stopping = false;
  private readonly thread: SqliteWorker;

  /**
   * `db` is the store's connection (the file gets attached to it as `search`); `file` is the
   * index's file; `messagesFile` the database to catch up from (null for one in memory, which
   * has nothing from before).
   */
  constructor(
    db: Database.Database,
    file: string,
    messagesFile: string | null,
    private readonly postMs = SEARCH_POST_MS,
  ) {
    db.prepare('ATTACH DATABASE ? AS search').run(file);
    db.pragma('search.journal_mode = WAL');
    db.exec(`
      CREATE VIRTUAL TABLE IF NOT EXISTS search.message_text USING fts5 (content, content = '', tokenize = 'trigram', detail = none);
      CREATE TABLE IF NOT EXISTS search.search_index (indexed_through INTEGER NOT NULL);
      INSERT INTO search.search_index (indexed_through) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM search.search_index);
    `);
    this.through = db.prepare('SELECT indexed_through FROM search.search_index').pluck().get() as number;
    this.posted = db.prepare('SELECT COALESCE(MAX(id), 0) FROM main.messages').pluck().get() as number;
    this.thread = startSqliteWorker(WORKER_SOURCE, { file, messages: messagesFile, chunk: CATCH_UP_CHUNK }, () =>
      this.fail(new Error('search index: its thread ended')),
    );
    this.thread.worker.on('message', (m: { through: number; error?: string }) => this.heard(m));
    this.thread.worker.on('error', (err) => this.fail(err));
  }

  /** A committed message's text, to be indexed. */
  add(id: number, content: string): void {
    this.ids.push(id);
    this.texts.push(content);
    if (this.ids.length >= SEARCH_POST_ENTRIES) this.post();
    else this.timer ??= setTimeout(() => this.post(), this.postMs).unref();
  }

  /** Resolves once every message committed so far is in the index (rejects if the worker failed to write them). */
  ready(): Promise<void> {
    this.post();
    if (this.through >= this.posted) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    // A search waiting on the thread holds the process (see heard).
    this.thread.worker.ref();
    return new Promise((resolve, reject) => this.waiters.push({ upTo: this.posted, resolve, reject }));
  }

  /** Hands what waits to the worker, lets it write that, and stops it. */
  async stop(): Promise<void> {
    this.post();
    this.stopping = true;
    await this.thread.stop();
  }

  private post(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.ids.length === 0) return;
    this.posted = this.ids[this.ids.length - 1] as number;
    this.thread.worker.postMessage({ ids: this.ids, texts: this.texts });
    this.ids = [];
    this.texts = [];
  }

  private heard(m: { through: number; error?: string }): void {
    this.through = m.through;
    // A batch that failed stays out of the index until the next open catches up: a search
    // waiting for it is told, rather than left waiting.
    if (m.error !== undefined) this.fail(new Error(`search index: ${m.error}`));
    else this.failure = undefined;
    this.waiters = this.waiters.filter((w) => {
      if (w.upTo > this.through) return true;
      w.resolve();
      return false;
    });
    if (this.waiters.length === 0 && !this.stopping) this.thread.worker.unref();
  }

  private fail(err: Error): void {
    this.failure = err;
    for (const w of this.waiters) if (w.upTo > this.through) w.reject(err);
    this.waiters = this.waiters.filter((w) => w.upTo <= this.through);
  }
}
