import type { BotExchangeStore } from './botExchangeStore.js';
import type { CannedReplyStore } from './cannedReplyStore.js';
import type { ConversationStore } from './conversationStore.js';
import type { OfflineMessageStore } from './offlineMessageStore.js';
import type { RatingStore } from './ratingStore.js';
import type { TeamStore } from './teamStore.js';

/**
 * The stores of one backend, sharing one database (one SQLite file, one PostgreSQL pool, or this
 * process's memory): each part is a small interface of its own, and the set is opened, checked
 * and closed as one. Images are apart (ImageStore): their bytes may live elsewhere.
 */
export interface Stores {
  conversations: ConversationStore;
  team: TeamStore;
  offlineMessages: OfflineMessageStore;
  botExchanges: BotExchangeStore;
  ratings: RatingStore;
  cannedReplies: CannedReplyStore;
  /** Round trip to the database, for /healthz. */
  ping(): Promise<void>;
  /** Closes the database; nothing may be asked of the stores after. */
  close(): Promise<void>;
}
