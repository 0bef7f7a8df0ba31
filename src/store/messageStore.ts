import type { Awaitable } from '../awaitable.js';
import type { BotExchange } from '../protocol/botExchange.js';
import type { ImageRef } from '../protocol/imageFormat.js';
import type { OfflineMessage } from '../protocol/offlineMessage.js';

/**
 * Where conversations and their messages live. Async from day one (appendMessage, on every
 * message's path, may also answer at once): the SQLite implementation answers synchronously
 * inside, the Postgres one does not. The domain only sees this interface.
 */
export type EndReason = 'customer_left' | 'agent_left' | 'customer_timeout' | 'agent_timeout';

export interface ConversationRecord {
  id: string;
  agent: string;
  customer: string;
  startedAt: number;
  endedAt: number | null;
  endReason: EndReason | null;
  /** Number of messages so far (the last seq). */
  messageCount: number;
  /** The customer's satisfaction rating, once given. */
  rating: ConversationRating | null;
}

/** A customer's rating of a conversation: a score of 1 to 5 and an optional comment. */
export interface ConversationRating {
  score: number;
  comment: string | null;
  ratedAt: number;
}

/** How many ratings with one score an agent has (the raw material of the per-agent summary). */
export interface RatingCount {
  agent: string;
  score: number;
  count: number;
}

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

export interface ConversationPage {
  conversations: ConversationRecord[];
  /** Pass as `before` for the next (older) page; null when this is the last. */
  nextBefore: string | null;
}

/** A message on the agents' team channel, or a private note to one agent. */
export interface TeamMessage {
  id: number;
  sender: string;
  /** The one agent a private note is for; null for the whole team. */
  to: string | null;
  content: string;
  ts: number;
  cid: string | null;
}

export interface NewTeamMessage {
  sender: string;
  to?: string;
  content: string;
  ts: number;
  cid?: string;
}

export interface TeamAppendResult {
  message: TeamMessage;
  duplicate: boolean;
}

export interface NewOfflineMessage {
  name: string;
  contact: string;
  content: string;
  createdAt: number;
}

export interface OfflineMessagePage {
  messages: OfflineMessage[];
  /** Pass as `before` for the next (older) page; null when this is the last. */
  nextBefore: string | null;
}

export interface MessageStore {
  startConversation(c: NewConversation): Promise<void>;
  endConversation(id: string, endedAt: number, reason: EndReason): Promise<void>;
  /**
   * Stores a message with the next seq of its conversation, or returns the one with its cid.
   * On every message's path, so it may answer synchronously (the in-process and SQLite stores
   * do: see Awaitable); a store that fails throws or rejects.
   */
  appendMessage(m: NewMessage): Awaitable<AppendResult>;
  /** Messages with seq > afterSeq, oldest first, at most `limit`. */
  messagesAfter(conversationId: string, afterSeq: number, limit: number): Promise<StoredMessage[]>;
  getConversation(id: string): Promise<ConversationRecord | undefined>;
  /** Newest first; `before` is the cursor from the previous page. */
  listConversations(limit: number, before?: string): Promise<ConversationPage>;
  /** The open conversation a resume token belongs to (by the token's hash). */
  openConversationByResumeHash(resumeHash: string): Promise<ConversationRecord | undefined>;
  /** The conversation a resume token belongs to, open or ended (for rating it after the end). */
  conversationByResumeHash(resumeHash: string): Promise<ConversationRecord | undefined>;
  /** Stores the conversation's rating; false (and nothing changed) when it already has one. */
  rateConversation(id: string, rating: ConversationRating): Promise<boolean>;
  /** Rated conversations counted by agent and score, for the ratings summary. */
  ratingCounts(): Promise<RatingCount[]>;
  /** Conversations not ended: what a restarted server holds for its people to come back to. */
  openConversations(): Promise<OpenConversation[]>;
  /** A transfer: the conversation goes on with another agent, seq and messages unchanged. */
  reassignConversation(id: string, agent: string): Promise<void>;
  /** Stores a team message, or returns the one this sender already stored under its cid. */
  appendTeamMessage(m: NewTeamMessage): Promise<TeamAppendResult>;
  /** The latest `limit` team messages an agent may read (to all, to them, or from them), oldest first. */
  teamMessagesFor(agent: string, limit: number): Promise<TeamMessage[]>;
  /** Stores a message left while no agent was online. */
  addOfflineMessage(m: NewOfflineMessage): Promise<OfflineMessage>;
  /** Newest first, all or only those not handled yet; `before` is the cursor from the previous page. */
  listOfflineMessages(limit: number, options?: { before?: string; openOnly?: boolean }): Promise<OfflineMessagePage>;
  /**
   * Marks a message handled by an agent; undefined when there is no such message. One already
   * handled keeps its first handler and time (two agents clicking at once: the first wins).
   */
  markOfflineMessageHandled(id: number, by: string, at: number): Promise<OfflineMessage | undefined>;
  /**
   * Keeps a waiting customer's question to the bot and its answer, under the conversation the
   * customer will have once seated (which does not exist yet), for the agent who takes them.
   */
  appendBotExchange(conversationId: string, e: BotExchange): Promise<void>;
  /** The latest `limit` bot exchanges of a conversation, oldest first. */
  botExchanges(conversationId: string, limit: number): Promise<BotExchange[]>;
  /** Which of these conversations ended before `before` (ms since the epoch): the image clean-up's question. */
  conversationsEndedBefore(ids: readonly string[], before: number): Promise<string[]>;
  /** Round trip to the store, for /healthz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
