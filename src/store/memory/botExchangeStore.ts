import type { BotExchange } from '../../protocol/botExchange.js';
import type { BotExchangeStore } from '../botExchangeStore.js';

/** Bot exchanges in this process only (STORE=memory): same contract, forgotten on restart. */
export class MemoryBotExchangeStore implements BotExchangeStore {
  private readonly byConversation = new Map<string, BotExchange[]>();

  async appendBotExchange(conversationId: string, e: BotExchange): Promise<void> {
    const list = this.byConversation.get(conversationId) ?? [];
    list.push({ ...e });
    this.byConversation.set(conversationId, list);
  }

  async botExchanges(conversationId: string, limit: number): Promise<BotExchange[]> {
    return (this.byConversation.get(conversationId) ?? []).slice(-limit).map((e) => ({ ...e }));
  }
}
