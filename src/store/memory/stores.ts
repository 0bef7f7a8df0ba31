import type { Stores } from '../stores.js';
import { MemoryBotExchangeStore } from './botExchangeStore.js';
import { MemoryCannedReplyStore } from './cannedReplyStore.js';
import { MemoryConversationStore } from './conversationStore.js';
import { MemoryOfflineMessageStore } from './offlineMessageStore.js';
import { MemoryRatingStore } from './ratingStore.js';
import { MemoryTeamStore } from './teamStore.js';

/**
 * Every store in this process and nothing on disk (STORE=memory): for tests and demos, not
 * durable. A restart forgets everything, and conversations keep bounded history
 * (MemoryConversationStore).
 */
export function openMemoryStores(): Stores {
  const conversations = new MemoryConversationStore();
  return {
    conversations,
    team: new MemoryTeamStore(),
    offlineMessages: new MemoryOfflineMessageStore(),
    botExchanges: new MemoryBotExchangeStore(),
    ratings: new MemoryRatingStore(conversations),
    cannedReplies: new MemoryCannedReplyStore(),
    async ping() {},
    async close() {},
  };
}
