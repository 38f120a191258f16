import { describeAgentActionContract, describeAgentIndexContract } from './agent-actions-contract.js';
import { createMemoryStores } from '../../src/store/memory/index.js';

describeAgentIndexContract('memory', async () => createMemoryStores());
describeAgentActionContract('memory', async () => createMemoryStores());
