import type { OfflineMessage } from '../protocol/offlineMessage.js';
import type { NewOfflineMessage, OfflineMessageStore } from '../store/offlineMessageStore.js';
import type { Delivery } from './roomEvent.js';
import type { Roster } from './roster.js';

/** How many open offline messages (newest) an agent's console gets when it connects; the API has all. */
export const OFFLINE_BACKLOG = 50;

/**
 * Messages customers leave while no agent can take them: stored, shown at once to any agent
 * online, and to each agent who comes online until one of them follows it up.
 */
export class OfflineMessages {
  constructor(
    private readonly roster: Roster,
    private readonly store: OfflineMessageStore,
    private readonly now: () => number,
  ) {}

  /**
   * A customer left a message while no agent could take them: stored, and shown at once to any
   * agent who is online after all (the page offered the form a moment before one came).
   */
  async leave(m: Omit<NewOfflineMessage, 'createdAt'>): Promise<{ message: OfflineMessage; deliveries: Delivery[] }> {
    const message = await this.store.addOfflineMessage({ ...m, createdAt: this.now() });
    const agents = await this.roster.agentSessions();
    const deliveries: Delivery[] = agents.length === 0 ? [] : [{ to: agents, event: { kind: 'offline_messages', messages: [message], live: true } }];
    return { message, deliveries };
  }

  /** Open offline messages for an agent who comes online: whoever is first follows them up. */
  async backlog(session: string): Promise<Delivery[]> {
    const { messages } = await this.store.listOfflineMessages(OFFLINE_BACKLOG, { openOnly: true });
    return messages.length === 0 ? [] : [{ to: [session], event: { kind: 'offline_messages', messages } }];
  }
}
