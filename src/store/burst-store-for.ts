/**
 * The `BurstStore` of a store backend: on Redis (stores with a client and a key builder, as
 * `createRedisStores`/`openStores` return) one shared by every process on the prefix, otherwise one
 * in this process — the same one for every app built on the same stores object.
 *
 * @example
 * const bursts = burstStoreFor(await openStores(config.store));
 */
import type { BurstStore } from '../core/ports/burst-store.js';
import type { Stores } from '../core/ports/stores.js';
import { MemoryBurstStore } from './memory/memory-burst-store.js';
import { RedisKeys } from './redis/keys.js';
import { RedisBurstStore } from './redis/redis-burst-store.js';
import type { RedisClient } from './redis/redis-connection.js';

const made = new WeakMap<Stores, BurstStore>();

export function burstStoreFor(stores: Stores): BurstStore {
  let store = made.get(stores);
  if (store === undefined) {
    const redis = stores as Partial<{ client: RedisClient; keys: unknown }>;
    store = redis.client !== undefined && redis.keys instanceof RedisKeys ? new RedisBurstStore(redis.client, redis.keys) : new MemoryBurstStore();
    made.set(stores, store);
  }
  return store;
}
