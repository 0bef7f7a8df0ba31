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
}

/** An open conversation as it is needed to resume it after a restart. */
export interface OpenConversation {
  id: string;
  agent: string;
  customer: string;
  resumeHash: string;
  lastSeq: number;
}

/** One page of conversations, newest first. */
export interface ConversationPage {
  conversations: ConversationRecord[];
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
   * recognises a cid among the conversation's latest 256, see CID_WINDOW). A store that fails
   * throws or rejects, and then has stored nothing: a resend with the same cid is stored afresh.
   * Appends are numbered in the order they are called, even while earlier ones are still
   * pending: a connection's messages are in flight together and keep their order by this.
   */
  appendMessage(m: NewMessage): Promise<AppendResult>;
  /** Messages with seq > afterSeq, oldest first, at most `limit`. */
  messagesAfter(conversationId: string, afterSeq: number, limit: number): Promise<StoredMessage[]>;
  getConversation(id: string): Promise<ConversationRecord | undefined>;
  /** Newest first; `before` is the cursor from the previous page. */
  listConversations(limit: number, before?: string): Promise<ConversationPage>;
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
}
