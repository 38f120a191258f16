import { describeStoreContract } from './store-contract.js';
import { createMemoryStores } from '../../src/store/memory/index.js';

describeStoreContract('memory', async () => createMemoryStores());
