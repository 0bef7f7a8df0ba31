import { MemoryMessageStore } from '../../src/store/memoryMessageStore.js';
import { describeMessageStore } from './messageStoreContract.js';

describeMessageStore('in-process', async () => new MemoryMessageStore());
