import type { RedisKeys } from './keys.js';
import type { RedisClient } from './redis-connection.js';

/**
 * Deletes every key under one prefix (SCAN MATCH + UNLINK, in batches), never anything else: the
 * way to drop a throwaway namespace (`simulate`, benchmarks, tests) on a Redis others share.
 * FLUSHDB would erase every other deployment's and test's data. Returns how many keys went.
 *
 * @example
 * const removed = await deleteKeysByPrefix(stores.client, new RedisKeys('handover-sim:4711'));
 */
export async function deleteKeysByPrefix(client: RedisClient, keys: RedisKeys): Promise<number> {
  let removed = 0;
  for await (const batch of client.scanIterator({ MATCH: keys.pattern(), COUNT: 500 })) {
    if (batch.length > 0) removed += await client.unlink(batch);
  }
  return removed;
}
