import type pg from 'pg';
import type { AppendResult, NewMessage } from '../conversationStore.js';
import { toMessage, type MessageRow } from '../rows.js';
import { UNIQUE_VIOLATION } from './database.js';

type ResultRow = MessageRow & { duplicate: boolean };

/**
 * A batch of appends as one statement, one round trip. The messages come as parallel arrays
 * (unnest, WITH ORDINALITY keeping the call order). A message whose cid is stored already
 * (`existing`), or repeats an earlier one of the batch (`cid_rank` > 1), is not inserted; the
 * rest (`fresh`) are counted per conversation, each conversation's counter goes up by its count
 * under its row lock (taken in id order, so two nodes locking overlapping sets cannot deadlock
 * on the order alone), and the messages take the seqs in between, in call order.
 */
const APPEND_BATCH = `
WITH input AS (
  SELECT t.*, row_number() OVER (PARTITION BY t.conversation_id, t.role, t.sender, t.client_id ORDER BY t.ord) AS cid_rank
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[])
       WITH ORDINALITY AS t(conversation_id, sender, role, content, ts, client_id, image, ord)
), existing AS (
  SELECT i.ord, m.id FROM input i
  JOIN messages m ON m.conversation_id = i.conversation_id AND m.role = i.role AND m.sender = i.sender AND m.client_id = i.client_id
), fresh AS (
  SELECT i.*, row_number() OVER (PARTITION BY i.conversation_id ORDER BY i.ord) AS rank
  FROM input i
  WHERE (i.client_id IS NULL OR i.cid_rank = 1) AND NOT EXISTS (SELECT 1 FROM existing e WHERE e.ord = i.ord)
), counts AS (
  SELECT conversation_id, count(*) AS n FROM fresh GROUP BY conversation_id
), locked AS MATERIALIZED (
  SELECT c.id FROM conversations c WHERE c.id IN (SELECT conversation_id FROM counts) ORDER BY c.id FOR UPDATE
), next AS (
  UPDATE conversations c SET last_seq = c.last_seq + counts.n
  FROM counts WHERE c.id = counts.conversation_id AND c.id IN (SELECT id FROM locked)
  RETURNING c.id, c.last_seq - counts.n AS base
), inserted AS (
  INSERT INTO messages (conversation_id, seq, sender, role, content, ts, client_id, image)
  SELECT f.conversation_id, next.base + f.rank, f.sender, f.role, f.content, f.ts, f.client_id, f.image
  FROM fresh f JOIN next ON next.id = f.conversation_id
  RETURNING *
)
SELECT f.ord, ins.*, false AS duplicate
  FROM inserted ins
  JOIN next ON next.id = ins.conversation_id
  JOIN fresh f ON f.conversation_id = ins.conversation_id AND f.rank = ins.seq - next.base
UNION ALL
SELECT e.ord, m.*, true AS duplicate FROM existing e JOIN messages m ON m.id = e.id`;

/**
 * One message, one statement: the conversation row's UPDATE takes its lock and the next seq,
 * the INSERT uses it, and a resend finds the message its cid already stored. Two racing sends
 * of one cid both pass the existence check; the unique index stops the second (its seq
 * increment rolls back with it, so no gap) and it answers with the first's message.
 */
const APPEND_ONE = `
WITH existing AS (
  SELECT * FROM messages WHERE conversation_id = $1 AND role = $3 AND sender = $2 AND client_id = $6
), next AS (
  UPDATE conversations SET last_seq = last_seq + 1
  WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM existing)
  RETURNING last_seq
), inserted AS (
  INSERT INTO messages (conversation_id, seq, sender, role, content, ts, client_id, image)
  SELECT $1, next.last_seq, $2, $3, $4, $5, $6, $7 FROM next
  RETURNING *
)
SELECT *, false AS duplicate FROM inserted
UNION ALL
SELECT *, true AS duplicate FROM existing`;

const imageOf = (m: NewMessage): string | null => (m.image === undefined ? null : JSON.stringify(m.image));
const sameCid = (a: NewMessage, b: NewMessage): boolean =>
  a.cid !== undefined && a.cid === b.cid && a.conversationId === b.conversationId && a.role === b.role && a.sender === b.sender;

/**
 * Appends a batch in one statement; if the statement fails on what it was given (a constraint,
 * a value, a deadlock or serialization failure) rather than on the connection, each message is
 * tried alone, so one bad message does not fail its neighbours. Answers one result per message,
 * in order; an Error for one that could not be stored.
 */
export async function appendBatch(pool: pg.Pool, messages: readonly NewMessage[]): Promise<Array<AppendResult | Error>> {
  let rows: Array<ResultRow & { ord: number }>;
  try {
    ({ rows } = await pool.query<ResultRow & { ord: number }>(APPEND_BATCH, [
      messages.map((m) => m.conversationId),
      messages.map((m) => m.sender),
      messages.map((m) => m.role),
      messages.map((m) => m.content),
      messages.map((m) => m.ts),
      messages.map((m) => m.cid ?? null),
      messages.map(imageOf),
    ]));
  } catch (err) {
    if (!aboutTheData(err)) throw err;
    const results: Array<AppendResult | Error> = [];
    // One after another: each conversation's messages keep their order.
    for (const m of messages) results.push(await appendOne(pool, m).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
    return results;
  }
  const byOrd = new Map<number, ResultRow>();
  for (const { ord, ...row } of rows) byOrd.set(ord, row);
  const results: Array<AppendResult | Error> = [];
  messages.forEach((m, i) => {
    const row = byOrd.get(i + 1);
    if (row) {
      const { duplicate, ...message } = row;
      results.push({ message: toMessage(message), duplicate });
      return;
    }
    // A repeat of an earlier cid of this batch: that one's message.
    const first = messages.findIndex((other, j) => j < i && sameCid(other, m));
    const earlier = first < 0 ? undefined : results[first];
    results.push(
      earlier === undefined || earlier instanceof Error ? new Error(`no conversation ${m.conversationId}`) : { message: earlier.message, duplicate: true },
    );
  });
  return results;
}

/** One message alone (the fallback of a batch that failed on its data). */
export async function appendOne(pool: pg.Pool, m: NewMessage): Promise<AppendResult> {
  const cid = m.cid ?? null;
  let rows: ResultRow[];
  try {
    ({ rows } = await pool.query<ResultRow>(APPEND_ONE, [m.conversationId, m.sender, m.role, m.content, m.ts, cid, imageOf(m)]));
  } catch (err) {
    if ((err as { code?: string }).code !== UNIQUE_VIOLATION || cid === null) throw err;
    ({ rows } = await pool.query<ResultRow>(
      'SELECT *, true AS duplicate FROM messages WHERE conversation_id = $1 AND role = $2 AND sender = $3 AND client_id = $4',
      [m.conversationId, m.role, m.sender, cid],
    ));
  }
  const row = rows[0];
  if (!row) throw new Error(`no conversation ${m.conversationId}`);
  const { duplicate, ...message } = row;
  return { message: toMessage(message), duplicate };
}

/**
 * Whether PostgreSQL refused the statement for what it held (SQLSTATE class 22 data exception,
 * 23 integrity constraint, 40 transaction rollback such as a deadlock) rather than failing to
 * run it: only then is trying the messages one by one worth it. A lost connection would fail
 * each of them in turn, one timeout after another.
 */
function aboutTheData(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^(22|23|40)/.test(code);
}
