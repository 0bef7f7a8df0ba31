import type { ImageRef } from '../protocol/imageFormat.js';
import type { ConversationRating } from './ratingStore.js';

/** Why a conversation ended (`resolved`: the agent finished it and stayed online). */
export type EndReason = 'customer_left' | 'agent_left' | 'customer_timeout' | 'agent_timeout' | 'resolved';

/** A conversation as the transcripts API shows it. */
export interface ConversationRecord {
  id: string;
  agent: string;
  customer: string;
  startedAt: number;
  endedAt: number | null;
  endReason: EndReason | null;
  /** Number of messages so far (the last seq). */
  messageCount: number;
  /** The customer's satisfaction rating, once given (RatingStore). */
  rating: ConversationRating | null;
  /** The customer page's visitor id, when it sent one: a grouping key, never authentication. */
  visitorId?: string;
}

/** A chat message as stored, numbered within its conversation. */
export interface StoredMessage {
  id: number;
  conversationId: string;
  seq: number;
  sender: string;
  role: 'kefu' | 'yonghu';
  content: string;
  /** Server time the message was stored, ms since the epoch. */
  ts: number;
  /** The sender's client id, when it sent one. */
  cid: string | null;
  /** The image of an image message (then `content` is a readable stand-in such as [图片]). */
  image: ImageRef | null;
}

/** A chat message to store; the store gives it its id and seq. */
export interface NewMessage {
  conversationId: string;
  sender: string;
  role: 'kefu' | 'yonghu';
  content: string;
  ts: number;
  cid?: string;
  image?: ImageRef;
}

/** An append either stores a new message or finds the one already stored under its cid. */
export interface AppendResult {
  message: StoredMessage;
  duplicate: boolean;
}

/** A conversation to start, when a customer is seated with an agent. */
export interface NewConversation {
  id: string;
  agent: string;
  customer: string;
  startedAt: number;
  /** sha256 of the customer's resume token: the token itself is never stored. */
  resumeHash: string;
  /** The customer page's visitor id (VISITOR_ID_PATTERN), when it sent one. */
  visitorId?: string;
}

/** An open conversation as it is needed to resume it after a restart. */
export interface OpenConversation {
  id: string;
  agent: string;
  customer: string;
  resumeHash: string;
  lastSeq: number;
}

/**
 * Which conversations a listing shows; every field given must hold (absent: no condition).
 * `text` is plain text, never query syntax: a conversation matches when one of its messages
 * contains it, letter case aside (see textSearch.ts).
 */
export interface ConversationFilter {
  /** The agent it is with now (a transfer moves it). */
  agent?: string;
  /** startedAt >= from, ms since the epoch. */
  from?: number;
  /** startedAt < to, ms since the epoch. */
  to?: number;
  /** The rating's score, 1 to 5. */
  rating?: number;
  status?: 'open' | 'ended';
  visitor?: string;
  text?: string;
}

/** A message that holds the searched text, with a stretch of its content around the hit. */
export interface MessageMatch {
  id: number;
  seq: number;
  sender: string;
  role: 'kefu' | 'yonghu';
  ts: number;
  snippet: string;
}

/** A conversation in a listing; with a text filter, its first messages that hold the text. */
export interface ListedConversation extends ConversationRecord {
  /** At most MAX_MATCHES, oldest first; present only when the listing searched text. */
  matches?: MessageMatch[];
}

/**
 * One page of conversations, newest first. With a filter a page may hold fewer than `limit`
 * even when more match further back (a search of short text looks through a bounded number
 * of conversations per page): follow nextBefore until it is null.
 */
export interface ConversationPage {
  conversations: ListedConversation[];
  /** Pass as `before` for the next (older) page; null when this is the last. */
  nextBefore: string | null;
}

/** Where conversations and their messages live. The domain and the transcripts API only see this interface. */
export interface ConversationStore {
  startConversation(c: NewConversation): Promise<void>;
  /** Ends an open conversation; one already ended keeps its first end. */
  endConversation(id: string, endedAt: number, reason: EndReason): Promise<void>;
  /**
   * Stores a message with the next seq of its conversation, or returns the one with its cid.
   * The answer means durable: a store that writes a database settles only after the
   * transaction holding the message committed, and may hold the message a moment to commit it
   * with others (group commit); appends started together keep, per conversation, the order
   * they were made in, and two with one cid give one message (the second a duplicate; SQLite
   * recognises a cid among the conversation's latest 256, see CidWindow). A store that fails
   * throws or rejects, and then has stored nothing: a resend with the same cid is stored afresh.
   * Appends are numbered in the order they are called, even while earlier ones are still
   * pending: a connection's messages are in flight together and keep their order by this.
   */
  appendMessage(m: NewMessage): Promise<AppendResult>;
  /** Messages with seq > afterSeq, oldest first, at most `limit`. */
  messagesAfter(conversationId: string, afterSeq: number, limit: number): Promise<StoredMessage[]>;
  getConversation(id: string): Promise<ConversationRecord | undefined>;
  /** Newest first, those the filter lets through; `before` is the cursor from the previous page. */
  listConversations(limit: number, before?: string, filter?: ConversationFilter): Promise<ConversationPage>;
  /** The open conversation a resume token belongs to (by the token's hash). */
  openConversationByResumeHash(resumeHash: string): Promise<ConversationRecord | undefined>;
  /** The conversation a resume token belongs to, open or ended (for rating it after the end). */
  conversationByResumeHash(resumeHash: string): Promise<ConversationRecord | undefined>;
  /** Conversations not ended: what a restarted server holds for its people to come back to. */
  openConversations(): Promise<OpenConversation[]>;
  /** A transfer: the conversation goes on with another agent, seq and messages unchanged. */
  reassignConversation(id: string, agent: string): Promise<void>;
  /** Which of these conversations ended before `before` (ms since the epoch): the image clean-up's question. */
  conversationsEndedBefore(ids: readonly string[], before: number): Promise<string[]>;
  /**
   * First-response times, for the widget's expected reply time: of the conversations started at
   * or after `since` (ms since the epoch) that have an agent's message, the latest `limit` (by
   * start, newest first), each as the ms from its start to the agent's first message. Looks
   * through at most the latest FIRST_RESPONSE_SCAN conversations, so the answer costs the same
   * however long the history.
   */
  firstResponseTimes(since: number, limit: number): Promise<number[]>;
}

/** How many of the latest conversations firstResponseTimes looks through at most. */
export const FIRST_RESPONSE_SCAN = 1000;
