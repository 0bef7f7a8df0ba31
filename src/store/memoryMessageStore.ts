import type {
  AppendResult,
  ConversationPage,
  ConversationRating,
  ConversationRecord,
  EndReason,
  MessageStore,
  NewConversation,
  NewMessage,
  NewOfflineMessage,
  NewTeamMessage,
  OfflineMessagePage,
  OpenConversation,
  RatingCount,
  StoredMessage,
  TeamAppendResult,
  TeamMessage,
} from './messageStore.js';
import type { BotExchange } from '../protocol/botExchange.js';
import type { OfflineMessage } from '../protocol/offlineMessage.js';
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
 * A store that keeps everything in this process and nothing on disk (STORE=memory): for
 * throwaway deployments and for measuring what durability costs. Same contract as SQLite,
 * except that a restart forgets everything.
 */
export class MemoryMessageStore implements MessageStore {
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
  private readonly team: TeamMessage[] = [];
  private readonly teamByCid = new Map<string, TeamMessage>();
  private readonly offline: OfflineMessage[] = [];
  private readonly bots = new Map<string, BotExchange[]>();

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

  appendMessage(m: NewMessage): AppendResult {
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

  async rateConversation(id: string, rating: ConversationRating): Promise<boolean> {
    const conv = this.conversations.get(id);
    if (!conv || conv.record.rating !== null) return false;
    conv.record.rating = { ...rating };
    return true;
  }

  async ratingCounts(): Promise<RatingCount[]> {
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

  async appendTeamMessage(m: NewTeamMessage): Promise<TeamAppendResult> {
    // Per sender and addressee (the whole team is one); names hold no NUL, so NUL separates the parts.
    const key = m.cid === undefined ? undefined : `${m.sender}\u0000${m.to ?? ''}\u0000${m.cid}`;
    const existing = key === undefined ? undefined : this.teamByCid.get(key);
    if (existing) return { message: { ...existing }, duplicate: true };
    const message: TeamMessage = { id: this.nextId++, sender: m.sender, to: m.to ?? null, content: m.content, ts: m.ts, cid: m.cid ?? null };
    this.team.push(message);
    if (key !== undefined) this.teamByCid.set(key, message);
    return { message: { ...message }, duplicate: false };
  }

  async teamMessagesFor(agent: string, limit: number): Promise<TeamMessage[]> {
    const out: TeamMessage[] = [];
    for (let i = this.team.length - 1; i >= 0 && out.length < limit; i--) {
      const m = this.team[i] as TeamMessage;
      if (m.to === null || m.to === agent || m.sender === agent) out.push({ ...m });
    }
    return out.reverse();
  }

  async addOfflineMessage(m: NewOfflineMessage): Promise<OfflineMessage> {
    const message: OfflineMessage = { id: this.offline.length + 1, ...m, handledAt: null, handledBy: null };
    this.offline.push(message);
    return { ...message };
  }

  async listOfflineMessages(limit: number, options: { before?: string; openOnly?: boolean } = {}): Promise<OfflineMessagePage> {
    const cursor = options.before === undefined ? Number.MAX_SAFE_INTEGER : Number(options.before);
    const older = this.offline.filter((m) => m.id < cursor && (!options.openOnly || m.handledAt === null)).reverse();
    const page = older.slice(0, limit);
    const last = page[page.length - 1];
    return { messages: page.map((m) => ({ ...m })), nextBefore: older.length > limit && last ? String(last.id) : null };
  }

  async markOfflineMessageHandled(id: number, by: string, at: number): Promise<OfflineMessage | undefined> {
    // Ids are 1, 2, 3…: the message with id n sits at n - 1.
    const m = this.offline[id - 1];
    if (!m) return undefined;
    if (m.handledAt === null) {
      m.handledAt = at;
      m.handledBy = by;
    }
    return { ...m };
  }

  async appendBotExchange(conversationId: string, e: BotExchange): Promise<void> {
    const list = this.bots.get(conversationId) ?? [];
    list.push({ ...e });
    this.bots.set(conversationId, list);
  }

  async botExchanges(conversationId: string, limit: number): Promise<BotExchange[]> {
    return (this.bots.get(conversationId) ?? []).slice(-limit).map((e) => ({ ...e }));
  }

  async conversationsEndedBefore(ids: readonly string[], before: number): Promise<string[]> {
    return ids.filter((id) => {
      const endedAt = this.conversations.get(id)?.record.endedAt;
      return endedAt !== undefined && endedAt !== null && endedAt < before;
    });
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}
