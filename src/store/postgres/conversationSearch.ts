import type pg from 'pg';
import type { ConversationFilter, ConversationPage, ConversationRecord, ListedConversation, MessageMatch } from '../conversationStore.js';
import { type ConversationColumns, toConversationRecord, toMessage, type MessageRow } from '../rows.js';
import { containsPattern, isShortText, MAX_MATCHES, pageOfWindow, SHORT_TEXT_SCAN, toMatch } from '../textSearch.js';

/** A row of `conversations`. */
export interface ConversationRow extends ConversationColumns {
  row_id: number;
  last_seq: number;
  resume_hash: string;
}

/** A `conversations` row as the record the API shows. */
export const toConversation = (r: ConversationRow): ConversationRecord => toConversationRecord(r, r.last_seq);

/**
 * The conversation listing with its filters and text search. Text is looked for with ILIKE and
 * its wildcards escaped, so it is only ever characters: text of 3 or more characters through
 * the pg_trgm index on message content, shorter text (no trigram to look up) in the messages of
 * at most SHORT_TEXT_SCAN conversations per page, newest first.
 */
export async function listConversations(pool: pg.Pool, limit: number, cursor: number, filter: ConversationFilter): Promise<ConversationPage> {
  const text = filter.text;
  if (text === undefined) return page(await select(pool, filter, false, cursor, limit + 1), limit, undefined);
  if (!isShortText(text)) {
    const rows = await select(pool, filter, true, cursor, limit + 1);
    return page(rows, limit, await firstMatches(pool, rows.slice(0, limit), text));
  }
  const window = await select(pool, filter, false, cursor, SHORT_TEXT_SCAN + 1);
  const scanned = window.slice(0, SHORT_TEXT_SCAN);
  const last = scanned[scanned.length - 1];
  const matches = await firstMatches(pool, scanned, text);
  const { found, nextBefore } = pageOfWindow(
    scanned,
    (r) => matches.has(r.id),
    (r) => String(r.row_id),
    limit,
    window.length > SHORT_TEXT_SCAN && last ? String(last.row_id) : null,
  );
  return { conversations: found.map((r) => withMatches(r, matches)), nextBefore };
}

/** A page from `rows` (one more than `limit` when there are older ones). */
function page(rows: ConversationRow[], limit: number, matches: Map<string, MessageMatch[]> | undefined): ConversationPage {
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    conversations: shown.map((r) => (matches ? withMatches(r, matches) : toConversation(r))),
    nextBefore: rows.length > limit && last ? String(last.row_id) : null,
  };
}

/** A row as a listed conversation with its matches (none found: an empty list). */
function withMatches(r: ConversationRow, matches: Map<string, MessageMatch[]>): ListedConversation {
  return { ...toConversation(r), matches: matches.get(r.id) ?? [] };
}

/** The first MAX_MATCHES messages of each conversation that hold the text. */
async function firstMatches(pool: pg.Pool, rows: readonly ConversationRow[], text: string): Promise<Map<string, MessageMatch[]>> {
  const out = new Map<string, MessageMatch[]>();
  if (rows.length === 0) return out;
  const { rows: found } = await pool.query<MessageRow>(
    `SELECT * FROM (
       SELECT m.*, row_number() OVER (PARTITION BY m.conversation_id ORDER BY m.seq) AS k
       FROM messages m WHERE m.conversation_id = ANY($1::text[]) AND m.content ILIKE $2 ESCAPE '\\'
     ) x WHERE k <= ${MAX_MATCHES} ORDER BY conversation_id, seq`,
    [rows.map((r) => r.id), containsPattern(text)],
  );
  for (const m of found) {
    const list = out.get(m.conversation_id) ?? [];
    list.push(toMatch(toMessage(m), text));
    out.set(m.conversation_id, list);
  }
  return out;
}

/** The rows with row_id < cursor that pass the filter (text too when `withText`), newest first. */
async function select(pool: pg.Pool, filter: ConversationFilter, withText: boolean, cursor: number, limit: number): Promise<ConversationRow[]> {
  const params: unknown[] = [cursor];
  const conditions = ['c.row_id < $1'];
  const add = (condition: (n: string) => string, value?: unknown) => {
    if (value !== undefined) params.push(value);
    conditions.push(condition(`$${params.length}`));
  };
  if (filter.agent !== undefined) add((n) => `c.agent = ${n}`, filter.agent);
  if (filter.visitor !== undefined) add((n) => `c.visitor_id = ${n}`, filter.visitor);
  if (filter.from !== undefined) add((n) => `c.started_at >= ${n}`, filter.from);
  if (filter.to !== undefined) add((n) => `c.started_at < ${n}`, filter.to);
  if (filter.rating !== undefined) add((n) => `c.rating_score = ${n}`, filter.rating);
  if (filter.status === 'open') add(() => 'c.ended_at IS NULL');
  if (filter.status === 'ended') add(() => 'c.ended_at IS NOT NULL');
  if (withText && filter.text !== undefined) {
    add((n) => `c.id IN (SELECT m.conversation_id FROM messages m WHERE m.content ILIKE ${n} ESCAPE '\\')`, containsPattern(filter.text));
  }
  params.push(limit);
  const sql = `SELECT c.* FROM conversations c WHERE ${conditions.join(' AND ')} ORDER BY c.row_id DESC LIMIT $${params.length}`;
  return (await pool.query<ConversationRow>(sql, params)).rows;
}
