import { parseImageRef } from '../protocol/imageFormat.js';
import type { OfflineMessage } from '../protocol/offlineMessage.js';
import type { CannedReply } from './cannedReplyStore.js';
import type { ConversationRecord, EndReason, StoredMessage } from './conversationStore.js';
import type { TeamMessage } from './teamStore.js';

// Table rows both SQL stores read (the two schemas name their columns alike), and how each
// becomes the domain's record: one mapping, so SQLite and PostgreSQL cannot drift apart.

/** A row of `messages`. */
export interface MessageRow {
  id: number;
  conversation_id: string;
  seq: number;
  sender: string;
  role: 'kefu' | 'yonghu';
  content: string;
  ts: number;
  client_id: string | null;
  image: string | null;
}

/** A `messages` row as a stored message (its image reference parsed back). */
export const toMessage = (r: MessageRow): StoredMessage => ({
  id: r.id,
  conversationId: r.conversation_id,
  seq: r.seq,
  sender: r.sender,
  role: r.role,
  content: r.content,
  ts: r.ts,
  cid: r.client_id,
  image: parseImageRef(r.image),
});

/** A row of `team_messages`. */
export interface TeamRow {
  id: number;
  sender: string;
  recipient: string | null;
  content: string;
  ts: number;
  client_id: string | null;
}

/** A `team_messages` row as a team message. */
export const toTeamMessage = (r: TeamRow): TeamMessage => ({ id: r.id, sender: r.sender, to: r.recipient, content: r.content, ts: r.ts, cid: r.client_id });

/** A row of `offline_messages`. */
export interface OfflineRow {
  id: number;
  name: string;
  contact: string;
  content: string;
  created_at: number;
  handled_at: number | null;
  handled_by: string | null;
}

/** An `offline_messages` row as an offline message. */
export const toOfflineMessage = (r: OfflineRow): OfflineMessage => ({
  id: r.id,
  name: r.name,
  contact: r.contact,
  content: r.content,
  createdAt: r.created_at,
  handledAt: r.handled_at,
  handledBy: r.handled_by,
});

/** A row of `canned_replies`. */
export interface CannedRow {
  id: number;
  shortcut: string;
  title: string;
  body: string;
  created_at: number;
  updated_at: number;
}

/** A `canned_replies` row as a canned reply. */
export const toCannedReply = (r: CannedRow): CannedReply => ({
  id: r.id,
  shortcut: r.shortcut,
  title: r.title,
  body: r.body,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The columns of `conversations` both SQL stores read alike (each counts a conversation's messages its own way). */
export interface ConversationColumns {
  id: string;
  agent: string;
  customer: string;
  started_at: number;
  ended_at: number | null;
  end_reason: EndReason | null;
  rating_score: number | null;
  rating_comment: string | null;
  rated_at: number | null;
  visitor_id: string | null;
}

/** A `conversations` row, with its message count, as the record the API shows. */
export function toConversationRecord(r: ConversationColumns, messageCount: number): ConversationRecord {
  const record: ConversationRecord = {
    id: r.id,
    agent: r.agent,
    customer: r.customer,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    endReason: r.end_reason,
    messageCount,
    rating: r.rating_score === null || r.rated_at === null ? null : { score: r.rating_score, comment: r.rating_comment, ratedAt: r.rated_at },
  };
  if (r.visitor_id !== null) record.visitorId = r.visitor_id;
  return record;
}
