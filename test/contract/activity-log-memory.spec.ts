import { MemoryActivityLog } from '../../src/store/memory/memory-activity-log.js';
import { describeActivityLogContract } from './activity-log-contract.js';

describeActivityLogContract('memory', async (caps = {}) => ({ log: new MemoryActivityLog(caps), close: async () => {} }));
