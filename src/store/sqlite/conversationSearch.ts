import type Database from 'better-sqlite3';
import type { ConversationFilter, ConversationPage, ListedConversation, MessageMatch } from '../conversationStore.js';
import { toMessage, type MessageRow } from '../rows.js';
import { ftsTrigrams, isShortText, MAX_MATCHES, pageOfWindow, SHORT_TEXT_SCAN, toMatch } from '../textSearch.js';
import { CONVERSATION_COLUMNS, toConversation, type ConversationRow } from './conversationRows.js';

/**
 * The conversation listing with its filters and text search (the store makes the message index
 * ready before each call). Text of 3 or more characters is found through
 * `idx.message_text`, the FTS5 trigram index (MessageIndex): the messages holding all its
 * trigrams (each quoted, so `"`, `*` and the rest are only characters), then instr() on those;
 * shorter text has no trigram and is looked for with instr() in the messages of at most
 * SHORT_TEXT_SCAN conversations per page, newest first.
 */
export class SqliteConversationSearch {
  /** Prepared listings by their SQL: one per combination of filters given (their values are parameters). */
  private readonly statements = new Map<string, Database.Statement>();
  private readonly stmts;

  constructor(private readonly db: Database.Database) {
    // The conversations come as one JSON array of row_ids: one statement for any page.
    const firstMatches = (condition: string) =>
      db.prepare(`
        SELECT * FROM (
          SELECT m.*, s.conversation AS row_id, row_number() OVER (PARTITION BY s.conversation ORDER BY s.seq) AS k
          FROM idx.message_seqs s JOIN messages m ON m.id = s.message
          WHERE s.conversation IN (SELECT value FROM json_each(?)) AND ${condition}
        ) WHERE k <= ${MAX_MATCHES} ORDER BY row_id, seq`);
    this.stmts = {
      indexedMatches: firstMatches(`m.id IN (SELECT rowid FROM idx.message_text WHERE message_text MATCH ?) AND ${HOLDS}`),
      scannedMatches: firstMatches(HOLDS),
    };
  }

  /** Conversations with row_id < cursor that pass the filter, newest first, at most `limit`. */
  list(limit: number, cursor: number, filter: ConversationFilter): ConversationPage {
    const text = filter.text;
    if (text === undefined) {
      const rows = this.select(filter, undefined, cursor, limit + 1);
      return this.page(rows, limit, undefined);
    }
    if (!isShortText(text)) {
      const rows = this.select(filter, text, cursor, limit + 1);
      const matches = this.matches(rows.slice(0, limit), this.stmts.indexedMatches, [ftsTrigrams(text), text]);
      return this.page(rows, limit, matches);
    }
    const window = this.select(filter, undefined, cursor, SHORT_TEXT_SCAN + 1);
    const scanned = window.slice(0, SHORT_TEXT_SCAN);
    const last = scanned[scanned.length - 1];
    const matches = this.matches(scanned, this.stmts.scannedMatches, [text]);
    const { found, nextBefore } = pageOfWindow(
      scanned,
      (r) => matches.has(r.row_id),
      (r) => String(r.row_id),
      limit,
      window.length > SHORT_TEXT_SCAN && last ? String(last.row_id) : null,
    );
    return { conversations: found.map((r) => withMatches(r, matches)), nextBefore };
  }

  /** A page from `rows` (one more than `limit` when there are older ones). */
  private page(rows: ConversationRow[], limit: number, matches: Map<number, MessageMatch[]> | undefined): ConversationPage {
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      conversations: page.map((r) => (matches ? withMatches(r, matches) : toConversation(r))),
      nextBefore: rows.length > limit && last ? String(last.row_id) : null,
    };
  }

  /** The first MAX_MATCHES messages of each conversation that meet the statement's condition. */
  private matches(rows: readonly ConversationRow[], stmt: Database.Statement, args: readonly string[]): Map<number, MessageMatch[]> {
    const out = new Map<number, MessageMatch[]>();
    if (rows.length === 0) return out;
    const text = args[args.length - 1] as string;
    const found = stmt.all(JSON.stringify(rows.map((r) => r.row_id)), ...args) as Array<MessageRow & { row_id: number }>;
    for (const m of found) {
      const list = out.get(m.row_id) ?? [];
      list.push(toMatch(toMessage(m), text));
      out.set(m.row_id, list);
    }
    return out;
  }

  /** The rows that pass the filter (and hold `text` when given, found through the index), newest first. */
  private select(filter: ConversationFilter, text: string | undefined, cursor: number, limit: number): ConversationRow[] {
    const conditions = ['c.row_id < ?'];
    const params: unknown[] = [cursor];
    const add = (condition: string, value?: unknown) => {
      conditions.push(condition);
      if (value !== undefined) params.push(value);
    };
    if (filter.agent !== undefined) add('c.agent = ?', filter.agent);
    if (filter.visitor !== undefined) add('c.visitor_id = ?', filter.visitor);
    if (filter.from !== undefined) add('c.started_at >= ?', filter.from);
    if (filter.to !== undefined) add('c.started_at < ?', filter.to);
    if (filter.rating !== undefined) add('c.rating_score = ?', filter.rating);
    if (filter.status === 'open') add('c.ended_at IS NULL');
    if (filter.status === 'ended') add('c.ended_at IS NOT NULL');
    if (text !== undefined) {
      conditions.push(
        `c.id IN (SELECT m.conversation_id FROM messages m WHERE m.id IN (SELECT rowid FROM idx.message_text WHERE message_text MATCH ?) AND ${HOLDS})`,
      );
      params.push(ftsTrigrams(text), text);
    }
    params.push(limit);
    const sql = `SELECT ${CONVERSATION_COLUMNS} FROM conversations c WHERE ${conditions.join(' AND ')} ORDER BY c.row_id DESC LIMIT ?`;
    let stmt = this.statements.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt.all(...params) as ConversationRow[];
  }
}

/** A message's content holds the text (the last parameter), ASCII letter case aside, as textSearch's holdsText says. */
const HOLDS = 'instr(lower(m.content), lower(?)) > 0';

/** A row as a listed conversation with its matches (none found: an empty list). */
function withMatches(r: ConversationRow, matches: Map<number, MessageMatch[]>): ListedConversation {
  return { ...toConversation(r), matches: matches.get(r.row_id) ?? [] };
}
