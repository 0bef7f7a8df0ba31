import type { OfflineMessage } from '../protocol/offlineMessage.js';

/** A message left while no agent was online, to store; the store gives it its id. */
export interface NewOfflineMessage {
  name: string;
  contact: string;
  content: string;
  createdAt: number;
}

/** One page of offline messages, newest first. */
export interface OfflineMessagePage {
  messages: OfflineMessage[];
  /** Pass as `before` for the next (older) page; null when this is the last. */
  nextBefore: string | null;
}

/** Where the messages customers left while no agent was online live, until an agent follows them up. */
export interface OfflineMessageStore {
  /** Stores a message left while no agent was online. */
  addOfflineMessage(m: NewOfflineMessage): Promise<OfflineMessage>;
  /** Newest first, all or only those not handled yet; `before` is the cursor from the previous page. */
  listOfflineMessages(limit: number, options?: { before?: string; openOnly?: boolean }): Promise<OfflineMessagePage>;
  /**
   * Marks a message handled by an agent; undefined when there is no such message. One already
   * handled keeps its first handler and time (two agents clicking at once: the first wins).
   */
  markOfflineMessageHandled(id: number, by: string, at: number): Promise<OfflineMessage | undefined>;
}
