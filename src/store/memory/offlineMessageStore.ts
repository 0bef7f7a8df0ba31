import type { OfflineMessage } from '../../protocol/offlineMessage.js';
import type { NewOfflineMessage, OfflineMessagePage, OfflineMessageStore } from '../offlineMessageStore.js';

/** Offline messages in this process only (STORE=memory): same contract, forgotten on restart. */
export class MemoryOfflineMessageStore implements OfflineMessageStore {
  private readonly messages: OfflineMessage[] = [];

  async addOfflineMessage(m: NewOfflineMessage): Promise<OfflineMessage> {
    const message: OfflineMessage = { id: this.messages.length + 1, ...m, handledAt: null, handledBy: null };
    this.messages.push(message);
    return { ...message };
  }

  async listOfflineMessages(limit: number, options: { before?: string; openOnly?: boolean } = {}): Promise<OfflineMessagePage> {
    const cursor = options.before === undefined ? Number.MAX_SAFE_INTEGER : Number(options.before);
    const older = this.messages.filter((m) => m.id < cursor && (!options.openOnly || m.handledAt === null)).reverse();
    const page = older.slice(0, limit);
    const last = page[page.length - 1];
    return { messages: page.map((m) => ({ ...m })), nextBefore: older.length > limit && last ? String(last.id) : null };
  }

  async markOfflineMessageHandled(id: number, by: string, at: number): Promise<OfflineMessage | undefined> {
    // Ids are 1, 2, 3…: the message with id n sits at n - 1.
    const m = this.messages[id - 1];
    if (!m) return undefined;
    if (m.handledAt === null) {
      m.handledAt = at;
      m.handledBy = by;
    }
    return { ...m };
  }
}
