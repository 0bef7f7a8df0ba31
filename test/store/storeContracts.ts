import type { Stores } from '../../src/store/stores.js';
import { describeBotExchangeStore } from './botExchangeStoreContract.js';
import { describeCannedReplyStore } from './cannedReplyStoreContract.js';
import { describeConversationSearch } from './conversationSearchContract.js';
import { describeConversationStore } from './conversationStoreContract.js';
import { describeOfflineMessageStore } from './offlineMessageStoreContract.js';
import { describeRatingStore } from './ratingStoreContract.js';
import { describeTeamStore } from './teamStoreContract.js';

/** Every store interface's contract, run against one backend's set of stores. */
export function describeStores(label: string, make: () => Promise<Stores>): void {
  describeConversationStore(label, make);
  describeConversationSearch(label, make);
  describeTeamStore(label, make);
  describeRatingStore(label, make);
  describeOfflineMessageStore(label, make);
  describeBotExchangeStore(label, make);
  describeCannedReplyStore(label, async () => {
    const stores = await make();
    return { store: stores.cannedReplies, close: () => stores.close() };
  });
}
