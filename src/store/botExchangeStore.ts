import type { BotExchange } from '../protocol/botExchange.js';

/**
 * Where a waiting customer's questions to the FAQ bot and its answers are kept, for the agent
 * who takes the customer. They are kept under the conversation the customer will have once
 * seated, which does not exist yet: nothing here refers to a stored conversation.
 */
export interface BotExchangeStore {
  /** Keeps one question and its answer under the customer's future conversation id. */
  appendBotExchange(conversationId: string, e: BotExchange): Promise<void>;
  /** The latest `limit` bot exchanges of a conversation, oldest first. */
  botExchanges(conversationId: string, limit: number): Promise<BotExchange[]>;
}
