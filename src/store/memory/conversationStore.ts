import type {
  AppendResult,
  ConversationFilter,
  ConversationPage,
  ConversationRecord,
  ConversationStore,
  EndReason,
  NewConversation,
  NewMessage,
  OpenConversation,
  StoredMessage,
} from '../conversationStore.js';
import { FIRST_RESPONSE_SCAN } from '../conversationStore.js';
import type { ConversationRating, RatingCount } from '../ratingStore.js';
import { holdsText, MAX_MATCHES, toMatch } from '../textSearch.js';

/** How much of a conversation the in-process store keeps, and for how long. */
export interface MemoryHistoryLimits {
  /** The latest this many messages of a conversation are kept; older ones are dropped. */
  maxMessages: number;
  /** A conversation is dropped, record and messages, this long after it ended. */
  keepEndedMs: number;
}

/** As many messages as a resume replays by default (REPLAY_LIMIT), and an hour after the end. */
export const DEFAULT_MEMORY_HISTORY: MemoryHistoryLimits = { maxMessages: 1000, keepEndedMs: 60 * 60_000 };

/** Ended conversations are looked for when a conversation starts, at most this often. */
const PRUNE_EVERY_MS = 60_000;

interface Conversation {
  row: number;
  record: ConversationRecord;
  resumeHash: string;
  /** The latest messages, oldest first, seq-contiguous; the last one's seq is record.messageCount. */
  messages: StoredMessage[];
  /** The kept messages sent with a cid, by cidKey: a resend is found, not stored twice. */
  byCid: Map<string, StoredMessage>;
}

/**
 * Conversations and their messages in this process, nothing on disk (STORE=memory): the store for
 * tests and demos, not durable. A restart forgets everything, and history is bounded the way
 * Centrifugo's memory history and Socket.IO's recovery buffer are: a conversation keeps its
 * latest `maxMessages` messages (replays and transcripts show those), and is dropped altogether
 * `keepEndedMs` after it ended (its transcript, its rating, and its customer's chance to rate
 * it go with it). A resend is recognised by its cid while the message it repeats is still kept.
 * Otherwise the same contract as SQLite; ratings live on the records, as the SQL stores keep
 * them on the rows.
 */
export class MemoryConversationStore implements ConversationStore {
  private readonly conversations = new Map<string, Conversation>();
  private readonly byResume = new Map<string, Conversation>();
  /** Every kept conversation by its resume hash, ended ones too (a customer rates after the end). */
  private readonly everByResume = new Map<string, Conversation>();
  private nextRow = 1;
  private nextId = 1;
  private nextPruneAt = 0;

  constructor(
    private readonly limits: MemoryHistoryLimits = DEFAULT_MEMORY_HISTORY,
    private readonly now: () => number = Date.now,
  ) {}

  async startConversation(c: NewConversation): Promise<void> {
    this.pruneEnded();
    const record: ConversationRecord = {
      id: c.id,
      agent: c.agent,
      customer: c.customer,
      startedAt: c.startedAt,
      endedAt: null,
      endReason: null,
      messageCount: 0,
      rating: null,
    };
    if (c.visitorId !== undefined) record.visitorId = c.visitorId;
    const conv: Conversation = {
      row: this.nextRow++,
      record,
      resumeHash: c.resumeHash,
      messages: [],
      byCid: new Map(),
    };
    this.conversations.set(c.id, conv);
    this.byResume.set(c.resumeHash, conv);
    this.everByResume.set(c.resumeHash, conv);
  }

  async endConversation(id: string, endedAt: number, reason: EndReason): Promise<void> {
    const conv = this.conversations.get(id);
    if (!conv || conv.record.endedAt !== null) return;
    conv.record.endedAt = endedAt;
    conv.record.endReason = reason;
    this.byResume.delete(conv.resumeHash);
  }

  async appendMessage(m: NewMessage): Promise<AppendResult> {
    const conv = this.conversations.get(m.conversationId);
    if (!conv) throw new Error(`no conversation ${m.conversationId}`);
    const key = m.cid === undefined ? undefined : cidKey(m.role, m.sender, m.cid);
    const existing = key === undefined ? undefined : conv.byCid.get(key);
    if (existing) return { message: copyMessage(existing), duplicate: true };
    const message: StoredMessage = {
      id: this.nextId++,
      conversationId: m.conversationId,
      seq: ++conv.record.messageCount,
      sender: m.sender,
      role: m.role,
      content: m.content,
      ts: m.ts,
      cid: m.cid ?? null,
      image: m.image === undefined ? null : { ...m.image },
    };
    conv.messages.push(message);
    if (key !== undefined) conv.byCid.set(key, message);
    if (conv.messages.length > this.limits.maxMessages) forgetOldest(conv);
    return { message: copyMessage(message), duplicate: false };
  }

  async messagesAfter(conversationId: string, afterSeq: number, limit: number): Promise<StoredMessage[]> {
    const messages = this.conversations.get(conversationId)?.messages;
    const first = messages?.[0];
    if (!messages || !first) return [];
    const from = Math.max(0, afterSeq - first.seq + 1);
    return messages.slice(from, from + Math.max(0, limit)).map(copyMessage);
  }

  async getConversation(id: string): Promise<ConversationRecord | undefined> {
    const conv = this.conversations.get(id);
    return conv ? this.copy(conv.record) : undefined;
  }

  async openConversationByResumeHash(resumeHash: string): Promise<ConversationRecord | undefined> {
    const conv = this.byResume.get(resumeHash);
    return conv ? this.copy(conv.record) : undefined;
  }

  async conversationByResumeHash(resumeHash: string): Promise<ConversationRecord | undefined> {
    const conv = this.everByResume.get(resumeHash);
    return conv ? this.copy(conv.record) : undefined;
  }

  /** A copy callers may change without changing the store (the rating is an object too). */
  private copy(record: ConversationRecord): ConversationRecord {
    return { ...record, rating: record.rating && { ...record.rating } };
  }

  /** A plain scan: this store holds little (see MemoryHistoryLimits), and searches only the messages it keeps. */
  async listConversations(limit: number, before?: string, filter: ConversationFilter = {}): Promise<ConversationPage> {
    const cursor = before === undefined ? Number.MAX_SAFE_INTEGER : Number(before);
    const older = [...this.conversations.values()].filter((c) => c.row < cursor && passes(c.record, filter)).sort((a, b) => b.row - a.row);
    const text = filter.text;
    if (text === undefined) {
      const page = older.slice(0, limit);
      const last = page[page.length - 1];
      return { conversations: page.map((c) => this.copy(c.record)), nextBefore: older.length > limit && last ? String(last.row) : null };
    }
    const found: Array<{ conv: Conversation; matches: StoredMessage[] }> = [];
    for (const conv of older) {
      const matches = conv.messages.filter((m) => holdsText(m.content, text)).slice(0, MAX_MATCHES);
      if (matches.length > 0) found.push({ conv, matches });
      if (found.length > limit) break;
    }
    const page = found.slice(0, limit);
    const last = page[page.length - 1];
    return {
      conversations: page.map(({ conv, matches }) => ({ ...this.copy(conv.record), matches: matches.map((m) => toMatch(m, text)) })),
      nextBefore: found.length > limit && last ? String(last.conv.row) : null,
    };
  }

  async openConversations(): Promise<OpenConversation[]> {
    return [...this.conversations.values()]
      .filter((c) => c.record.endedAt === null)
      .map((c) => ({ id: c.record.id, agent: c.record.agent, customer: c.record.customer, resumeHash: c.resumeHash, lastSeq: c.record.messageCount }));
  }

  async reassignConversation(id: string, agent: string): Promise<void> {
    const conv = this.conversations.get(id);
    if (conv) conv.record.agent = agent;
  }

  async conversationsEndedBefore(ids: readonly string[], before: number): Promise<string[]> {
    return ids.filter((id) => {
      const endedAt = this.conversations.get(id)?.record.endedAt;
      return endedAt !== undefined && endedAt !== null && endedAt < before;
    });
  }

  /** The first agent message among those kept (see MemoryHistoryLimits) counts. */
  async firstResponseTimes(since: number, limit: number): Promise<number[]> {
    const latest = [...this.conversations.values()].sort((a, b) => b.row - a.row).slice(0, FIRST_RESPONSE_SCAN);
    const times: Array<{ startedAt: number; ms: number }> = [];
    for (const { record, messages } of latest) {
      if (record.startedAt < since) continue;
      const reply = messages.find((m) => m.role === 'kefu');
      if (reply !== undefined) times.push({ startedAt: record.startedAt, ms: Math.max(0, reply.ts - record.startedAt) });
    }
    return times
      .sort((a, b) => b.startedAt - a.startedAt)
      .slice(0, limit)
      .map((t) => t.ms);
  }

  /** The rating half of the RatingStore (MemoryRatingStore): a rating lives on its conversation's record. */
  rate(id: string, rating: ConversationRating): boolean {
    const conv = this.conversations.get(id);
    if (!conv || conv.record.rating !== null) return false;
    conv.record.rating = { ...rating };
    return true;
  }

  /** The counting half of the RatingStore (MemoryRatingStore). */
  ratingCounts(): RatingCount[] {
    const counts = new Map<string, RatingCount>();
    for (const { record } of this.conversations.values()) {
      if (record.rating === null) continue;
      const key = `${record.agent}\u0000${record.rating.score}`;
      const c = counts.get(key) ?? { agent: record.agent, score: record.rating.score, count: 0 };
      c.count++;
      counts.set(key, c);
    }
    return [...counts.values()];
  }

  /** Drops the conversations that ended more than keepEndedMs ago; looks at most once per PRUNE_EVERY_MS. */
  private pruneEnded(): void {
    const now = this.now();
    if (now < this.nextPruneAt) return;
    this.nextPruneAt = now + PRUNE_EVERY_MS;
    const before = now - this.limits.keepEndedMs;
    for (const [id, conv] of this.conversations) {
      const endedAt = conv.record.endedAt;
      if (endedAt === null || endedAt > before) continue;
      this.conversations.delete(id);
      this.everByResume.delete(conv.resumeHash);
    }
  }
}

/** Whether a conversation passes a listing's filter, text aside. */
function passes(r: ConversationRecord, f: ConversationFilter): boolean {
  if (f.agent !== undefined && r.agent !== f.agent) return false;
  if (f.from !== undefined && r.startedAt < f.from) return false;
  if (f.to !== undefined && r.startedAt >= f.to) return false;
  if (f.rating !== undefined && r.rating?.score !== f.rating) return false;
  if (f.status !== undefined && (r.endedAt === null) !== (f.status === 'open')) return false;
  if (f.visitor !== undefined && r.visitorId !== f.visitor) return false;
  return true;
}

/** Drops a conversation's oldest message, and its cid with it. */
function forgetOldest(conv: Conversation): void {
  const oldest = conv.messages.shift();
  if (oldest?.cid == null) return;
  const key = cidKey(oldest.role, oldest.sender, oldest.cid);
  if (conv.byCid.get(key) === oldest) conv.byCid.delete(key);
}

/** A copy callers may change without changing the store (the image is an object too). */
function copyMessage(m: StoredMessage): StoredMessage {
  return { ...m, image: m.image && { ...m.image } };
}

/** Names hold no NUL (the name rule refuses controls), so NUL separates the parts unambiguously. */
function cidKey(role: StoredMessage['role'], sender: string, cid: string): string {
  return `${role}\u0000${sender}\u0000${cid}`;
}
