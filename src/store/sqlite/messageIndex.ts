import type Database from 'better-sqlite3';

/** How long a stored message's index entry may wait to be written with others. */
export const INDEX_FLUSH_MS = 250;
/** This many waiting entries are written at once. */
export const INDEX_FLUSH_ENTRIES = 4096;

/**
 * Where each message sits in its conversation: `message_seqs`, (conversation row_id, seq) ->
 * message id, written in bulk behind the messages rather than as an index of the messages table
 * (the full-text index is another file's, written by another thread: SearchIndex).
 * An index entry written with each message costs that message a random page of its own (the
 * leaf of its conversation); written a few thousand at a time, the entries of one conversation
 * share their page. The entries of committed messages wait here until the next flush: every read
 * that goes through the index calls `ready()` first, and `message_index.indexed_through` (the
 * highest message id whose entry is written) lets the next open index whatever a crash left
 * behind, so nothing is lost between a message's commit and its entry's.
 */
export class MessageIndex {
  /** Waiting entries as flat triples: conversation row_id, seq, message id; in message id order. */
  private waiting: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly write: (entries: readonly number[]) => void;
  private readonly stmts;

  /** `flushMs`: how long an entry may wait for others (tests stretch it to see what a crash leaves). */
  constructor(
    db: Database.Database,
    private readonly flushMs = INDEX_FLUSH_MS,
  ) {
    this.stmts = {
      insert: db.prepare('INSERT INTO message_seqs (conversation, seq, message) VALUES (?, ?, ?)'),
      setIndexedThrough: db.prepare('UPDATE message_index SET indexed_through = ?'),
      indexedThrough: db.prepare('SELECT indexed_through FROM message_index'),
      unindexed: db.prepare(`
        SELECT c.row_id AS conversation, m.seq, m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE m.id > ? ORDER BY m.id`),
    };
    this.write = db.transaction((entries: readonly number[]) => {
      let through = 0;
      for (let i = 0; i < entries.length; i += 3) {
        this.stmts.insert.run(entries[i], entries[i + 1], entries[i + 2]);
        through = entries[i + 2] as number;
      }
      this.stmts.setIndexedThrough.run(through);
    });
    this.catchUp();
  }

  /** Indexes the messages stored after the last flush of a previous run (a crash, or a kill). */
  private catchUp(): void {
    const { indexed_through } = this.stmts.indexedThrough.get() as { indexed_through: number };
    const rows = this.stmts.unindexed.all(indexed_through) as Array<{ conversation: number; seq: number; id: number }>;
    if (rows.length > 0) this.write(rows.flatMap((r) => [r.conversation, r.seq, r.id]));
  }

  /** A message just inserted (its transaction not yet committed: see `mark` and `rollBack`). */
  add(conversationRowId: number, seq: number, messageId: number): void {
    this.waiting.push(conversationRowId, seq, messageId);
  }

  /** Where the waiting entries end now, to roll back to if the transaction adding more fails. */
  mark(): number {
    return this.waiting.length;
  }

  /** Forgets the entries added since `mark`: their messages were rolled back. */
  rollBack(mark: number): void {
    this.waiting.length = mark;
  }

  /** After a commit: writes the waiting entries soon, or now if there are many. */
  committed(): void {
    if (this.waiting.length >= INDEX_FLUSH_ENTRIES * 3) this.flushQuietly();
    else if (this.waiting.length > 0) this.timer ??= setTimeout(() => this.flushQuietly(), this.flushMs).unref();
  }

  /** Writes the waiting entries, so that a read through the index (or a search) sees every committed message. */
  ready(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.waiting.length === 0) return;
    const entries = this.waiting;
    this.waiting = [];
    try {
      this.write(entries);
    } catch (err) {
      this.waiting = entries.concat(this.waiting);
      throw err;
    }
  }

  /** A flush nobody waits for: on failure the entries wait for the next try (a read's ready() reports it). */
  private flushQuietly(): void {
    try {
      this.ready();
    } catch {
      this.timer ??= setTimeout(() => this.flushQuietly(), this.flushMs).unref();
    }
  }

  /** Writes what waits and stops the timer (the store is closing). */
  close(): void {
    this.ready();
  }
}
