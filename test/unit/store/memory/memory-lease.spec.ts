import { ManualClock } from '../../../../src/core/clock.js';
import { MemoryLease } from '../../../../src/store/memory/memory-lease.js';
import { describeLeaseContract } from '../lease-contract.js';

describeLeaseContract('memory', async () => {
  const clock = new ManualClock(1_000);
  const ttlMs = 30_000;
  return {
    lease: new MemoryLease(clock),
    ttlMs,
    lapse: async () => clock.advanceMs(ttlMs),
    close: async () => {},
  };
});
