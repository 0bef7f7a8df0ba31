import { MemoryCannedReplyStore } from '../../src/store/memoryCannedReplyStore.js';
import { MemoryMessageStore } from '../../src/store/memoryMessageStore.js';
import { describeCannedReplyStore } from './cannedReplyStoreContract.js';
import { describeMessageStore } from './messageStoreContract.js';

describeMessageStore('in-process', async () => new MemoryMessageStore());
describeCannedReplyStore('in-process', async () => ({ store: new MemoryCannedReplyStore(), close: async () => {} }));
