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
} from './conversationStore.js';
import type { Stores } from './stores.js';

/**
 * The stores with their appends numbered in the order they are called (ConversationStore's
 * promise), for a backend whose concurrent appends may be numbered otherwise: PostgreSQL, where
 * each goes to its own connection of the pool and whichever reaches the server first takes the
 * next seq. A connection's messages are in flight together and rely on that order.
 */
export function appendsInCallOrder(stores: Stores): Stores {
  return { ...stores, conversations: new AppendsInCallOrder(stores.conversations) };
}

const settled = (): void => {};

/** Each append of a conversation starts once the one called before it settled; everything else passes through. */
class AppendsInCallOrder implements ConversationStore {
  /** Per conversation, the last append called, settled either way; gone once it settled with none after it. */
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly inner: ConversationStore) {}

  appendMessage(m: NewMessage): Promise<AppendResult> {
    const id = m.conversationId;
    const before = this.tails.get(id);
    const appended = before === undefined ? this.inner.appendMessage(m) : before.then(() => this.inner.appendMessage(m));
    const tail = appended.then(settled, settled);
    this.tails.set(id, tail);
    void tail.then(() => {
      if (this.tails.get(id) === tail) this.tails.delete(id);
    });
    return appended;
  }

  startConversation(c: NewConversation): Promise<void> {
    return this.inner.startConversation(c);
  }

  endConversation(id: string, endedAt: number, reason: EndReason): Promise<void> {
    return this.inner.endConversation(id, endedAt, reason);
  }

  messagesAfter(conversationId: string, afterSeq: number, limit: number): Promise<StoredMessage[]> {
    return this.inner.messagesAfter(conversationId, afterSeq, limit);
  }

  getConversation(id: string): Promise<ConversationRecord | undefined> {
    return this.inner.getConversation(id);
  }

  listConversations(limit: number, before?: string): Promise<ConversationPage> {
    return this.inner.listConversations(limit, before);
  }

  openConversationByResumeHash(resumeHash: string): Promise<ConversationRecord | undefined> {
    return this.inner.openConversationByResumeHash(resumeHash);
  }

  conversationByResumeHash(resumeHash: string): Promise<ConversationRecord | undefined> {
    return this.inner.conversationByResumeHash(resumeHash);
  }

  openConversations(): Promise<OpenConversation[]> {
    return this.inner.openConversations();
  }

  reassignConversation(id: string, agent: string): Promise<void> {
    return this.inner.reassignConversation(id, agent);
  }

  conversationsEndedBefore(ids: readonly string[], before: number): Promise<string[]> {
    return this.inner.conversationsEndedBefore(ids, before);
  }
}
