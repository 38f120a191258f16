import { MemoryMessageRelay } from '../../src/store/memory/memory-message-relay.js';
import { ATTEMPTS, describeRelayContract } from './relay-contract.js';

describeRelayContract('memory', async () => ({ relay: new MemoryMessageRelay({ maxAttempts: ATTEMPTS, retryMinMs: 10, retryMaxMs: 40, sendWaitMs: 50 }), close: async () => {} }));
