import { MemoryRoomRegistry } from '../../src/cluster/memoryRoomRegistry.js';
import { describeRoomRegistry } from './roomRegistryContract.js';

describeRoomRegistry('in-process', async () => new MemoryRoomRegistry());
