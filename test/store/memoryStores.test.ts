import { openMemoryStores } from '../../src/store/memory/stores.js';
import { describeStores } from './storeContracts.js';

describeStores('in-process', async () => openMemoryStores());
