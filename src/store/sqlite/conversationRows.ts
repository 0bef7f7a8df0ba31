import type { ConversationRecord, EndReason } from '../conversationStore.js';

/** A row of `conversations` as the store selects it (CONVERSATION_COLUMNS). */
export interface ConversationRow {
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
  visitor_id: string | null;
}

/** A selected `conversations` row as the record the API shows. */
export function toConversation(r: ConversationRow): ConversationRecord {
  const record: ConversationRecord = {
    id: r.id,
    agent: r.agent,
    customer: r.customer,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    endReason: r.end_reason,
    messageCount: r.message_count,
    rating: r.rating_score === null || r.rated_at === null ? null : { score: r.rating_score, comment: r.rating_comment, ratedAt: r.rated_at },
  };
  if (r.visitor_id !== null) record.visitorId = r.visitor_id;
  return record;
}

/** The columns of a ConversationRow, from `conversations c` (the message count through the message index). */
export const CONVERSATION_COLUMNS = `c.row_id, c.id, c.agent, c.customer, c.started_at, c.ended_at, c.end_reason,
  c.rating_score, c.rating_comment, c.rated_at, c.visitor_id,
  (SELECT COALESCE(MAX(seq), 0) FROM message_seqs s WHERE s.conversation = c.row_id) AS message_count`;
