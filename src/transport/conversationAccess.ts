import { may } from '../domain/accounts/roles.js';
import type { ConversationFilter, ConversationRecord, ConversationStore } from '../store/conversationStore.js';
import { roleOf, type Principal } from './auth/principal.js';

/**
 * Who reads which conversations. Owners, admins and the legacy key read every one. An agent
 * reads the ones they serve or served (`agent` is their name; after a transfer, the agent who
 * had it last), and every conversation of a visitor they serve or served: the console's
 * "previous conversations" of the customer in front of them.
 */
export class ConversationAccess {
  constructor(private readonly conversations: ConversationStore) {}

  /** The filter narrowed to what the principal may list; null when that is nothing at all. */
  async visible(p: Principal, filter: ConversationFilter): Promise<ConversationFilter | null> {
    if (readsAll(p) || p.kind !== 'account') return filter;
    const me = p.account.name;
    if (filter.visitor !== undefined && (await this.served(me, filter.visitor))) return filter;
    if (filter.agent !== undefined && filter.agent !== me) return null;
    return { ...filter, agent: me };
  }

  /** Whether the principal may read this conversation. */
  async mayRead(p: Principal, c: Pick<ConversationRecord, 'agent' | 'visitorId'>): Promise<boolean> {
    if (readsAll(p)) return true;
    if (p.kind !== 'account') return false;
    if (c.agent === p.account.name) return true;
    return c.visitorId !== undefined && this.served(p.account.name, c.visitorId);
  }

  /** Whether one of the visitor's conversations is (or was last) the agent's. */
  private async served(agent: string, visitor: string): Promise<boolean> {
    const page = await this.conversations.listConversations(1, undefined, { agent, visitor });
    return page.conversations.length > 0;
  }
}

function readsAll(p: Principal): boolean {
  return may(roleOf(p), 'conversations.readAll');
}
