import type { ConversationRecord } from '../conversationStore.js';
import { type ConversationColumns, toConversationRecord } from '../rows.js';

/** A row of `conversations` as the store selects it (CONVERSATION_COLUMNS). */
export interface ConversationRow extends ConversationColumns {
  row_id: number;
  message_count: number;
}

/** A `conversations` row as the record the API shows. */
export const toConversation = (r: ConversationRow): ConversationRecord => toConversationRecord(r, r.message_count);

/** The columns of a ConversationRow, from `conversations c` (the message count through the message index). */
export const CONVERSATION_COLUMNS = `c.row_id, c.id, c.agent, c.customer, c.started_at, c.ended_at, c.end_reason,
  c.rating_score, c.rating_comment, c.rated_at, c.visitor_id,
  (SELECT COALESCE(MAX(seq), 0) FROM idx.message_seqs s WHERE s.conversation = c.row_id) AS message_count`;
