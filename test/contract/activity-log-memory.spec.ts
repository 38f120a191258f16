import { openStores } from '../../src/store/open-stores.js';
import { describeActivityLogContract } from './activity-log-contract.js';

// Through openStores, as the service opens it: the memory history asks the memory handoff store who waits for a person.
describeActivityLogContract('memory', async (caps, clock) => {
  const stores = await openStores('memory', { activityLog: caps, clock });
  return { log: stores.activityLog, handoffs: stores.handoffs, close: () => stores.close() };
});
