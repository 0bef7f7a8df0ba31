import type {
  AppendResult,
  ConversationPage,
  ConversationRecord,
  ConversationStore,
  EndReason,
  NewConversation,
  NewMessage,
  OpenConversation,
  StoredMessage,
} from '../conversationStore.js';
import type { ConversationRating, RatingCount } from '../ratingStore.js';
import { MessageLog } from './messageLog.js';
import { RecordArena } from './recordArena.js';
import { TextArena } from './textArena.js';

interface Conversation {
  row: number;
  record: ConversationRecord;
  resumeHash: string;
  messages: MessageLog;
}

/**
 * Conversations and their messages in this process, nothing on disk (STORE=memory): for
 * throwaway deployments and for measuring what durability costs. Same contract as SQLite,
 * except that a restart forgets everything. The messages live in arenas outside the JS heap
 * (MessageLog); ratings live on the records, as the SQL stores keep them on the rows.
 */
export class MemoryConversationStore implements ConversationStore {
  private readonly conversations = new Map<string, Conversation>();
  /** The texts of every conversation's messages, outside the JS heap. */
  private readonly texts = new TextArena();
  /** The numbers of every conversation's messages (ids, times, where the text is), outside the JS heap too. */
  private readonly records = new RecordArena();
  private readonly byResume = new Map<string, Conversation>();
  /** Every conversation by its resume hash, ended ones too (a customer rates after the end). */
  private readonly everByResume = new Map<string, Conversation>();
  private nextRow = 1;
  private nextId = 1;

  async startConversation(c: NewConversation): Promise<void> {
    const conv: Conversation = {
      row: this.nextRow++,
      record: { id: c.id, agent: c.agent, customer: c.customer, startedAt: c.startedAt, endedAt: null, endReason: null, messageCount: 0, rating: null },
      resumeHash: c.resumeHash,
      messages: new MessageLog(c.id, this.texts, this.records),
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
    const existing = m.cid === undefined ? undefined : conv.messages.findByCid(m.role, m.sender, m.cid);
    if (existing) return { message: existing, duplicate: true };
    const message = conv.messages.append(m, this.nextId++);
    conv.record.messageCount = message.seq;
    return { message, duplicate: false };
  }

  async messagesAfter(conversationId: string, afterSeq: number, limit: number): Promise<StoredMessage[]> {
    return this.conversations.get(conversationId)?.messages.after(afterSeq, limit) ?? [];
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

  async listConversations(limit: number, before?: string): Promise<ConversationPage> {
    const cursor = before === undefined ? Number.MAX_SAFE_INTEGER : Number(before);
    const older = [...this.conversations.values()].filter((c) => c.row < cursor).sort((a, b) => b.row - a.row);
    const page = older.slice(0, limit);
    const last = page[page.length - 1];
    return { conversations: page.map((c) => this.copy(c.record)), nextBefore: older.length > limit && last ? String(last.row) : null };
  }

  async openConversations(): Promise<OpenConversation[]> {
    return [...this.conversations.values()]
      .filter((c) => c.record.endedAt === null)
      .map((c) => ({ id: c.record.id, agent: c.record.agent, customer: c.record.customer, resumeHash: c.resumeHash, lastSeq: c.messages.length }));
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
}
