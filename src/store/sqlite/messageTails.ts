import type Database from 'better-sqlite3';
import { CID_WINDOW, CidWindow } from './cidWindow.js';

/**
 * What an append needs to know about a conversation, kept in memory while it is open so that an
 * append reads nothing: its last seq, and the message ids of its latest cids.
 */
export interface MessageTail {
  /** The conversation's row_id. */
  rowId: number;
  lastSeq: number;
  /**
   * The latest cids and their messages. A cid is one sender's, in one role (a transferred
   * conversation's new agent may reuse the old one's).
   */
  cids: CidWindow;
}

/**
 * The tails of the conversations appended to since the store opened (or since they started).
 * A tail is read from the database before the first append to its conversation, so after a
 * restart the resend of a message stored before it is still recognised; the writer is this
 * process alone (one SQLite file, one kefu), so the tail stays true after that.
 */
export class MessageTails {
  private readonly tails = new Map<string, MessageTail>();
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      conversation: db.prepare(`
        SELECT row_id, (SELECT COALESCE(MAX(seq), 0) FROM idx.message_seqs s WHERE s.conversation = c.row_id) AS last_seq
        FROM conversations c WHERE c.id = ?`),
      latestCids: db.prepare(`
        SELECT m.id, m.role, m.sender, m.client_id FROM idx.message_seqs s JOIN messages m ON m.id = s.message
        WHERE s.conversation = ? AND m.client_id IS NOT NULL ORDER BY s.seq DESC LIMIT ${CID_WINDOW}`),
    };
  }

  /** The conversation's tail if it is in memory (else `load` reads it). */
  get(conversationId: string): MessageTail | undefined {
    return this.tails.get(conversationId);
  }

  /**
   * Reads the conversation's tail from the database, through the message index (which must be
   * ready: hold every committed message), and keeps it; undefined for an unknown conversation.
   */
  load(conversationId: string): MessageTail | undefined {
    const row = this.stmts.conversation.get(conversationId) as { row_id: number; last_seq: number } | undefined;
    if (!row) return undefined;
    const latest = this.stmts.latestCids.all(row.row_id) as Array<{ id: number; role: string; sender: string; client_id: string }>;
    const cids = new CidWindow();
    for (let i = latest.length - 1; i >= 0; i--) {
      const r = latest[i] as (typeof latest)[number];
      cids.remember(r.role, r.sender, r.client_id, r.id);
    }
    const tail = { rowId: row.row_id, lastSeq: row.last_seq, cids };
    this.tails.set(conversationId, tail);
    return tail;
  }

  /** A conversation just started: nothing to read. */
  started(conversationId: string, rowId: number): void {
    this.tails.set(conversationId, { rowId, lastSeq: 0, cids: new CidWindow() });
  }

  /**
   * Forgets a tail: the conversation ended, or a batch that touched it rolled back (the next
   * append reads it again, as the database has it).
   */
  drop(conversationId: string): void {
    this.tails.delete(conversationId);
  }
}
