/**
 * Shared Redis helpers for tests: one real Redis, a private key prefix per test, and cleanup of
 * exactly that prefix afterwards (SCAN + UNLINK; never FLUSHDB, other suites share the server).
 *
 * @example
 * const admin = await connectTestRedis();
 * const prefix = uniquePrefix();
 * const stores = await createRedisStores({ url: REDIS_URL, prefix });
 * // ...
 * await stores.close();
 * await deleteByPrefix(admin, prefix);
 * await admin.close();
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { RedisKeys } from '../../src/store/redis/keys.js';
import type { RedisClient } from '../../src/store/redis/redis-connection.js';

/** The Redis the tests use: REDIS_URL, or the local default. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** How to get a Redis when none answers: the tests fail with this rather than skip. */
export const START_REDIS_HINT =
  `no Redis answers at ${REDIS_URL}: start one with \`redis-server --daemonize yes\` ` +
  '(Debian: apt-get install redis-server) or point REDIS_URL at a running Redis';

/** A prefix no other test uses, under `handover-test:` so stray keys are easy to spot. */
export function uniquePrefix(): string {
  return `handover-test:${randomUUID().slice(0, 13)}`;
}

/**
 * A plain client for setup, inspection and cleanup. Fails (does not skip) with START_REDIS_HINT
 * when Redis is not there.
 */
export async function connectTestRedis(): Promise<RedisClient> {
  const client: RedisClient = createClient({ url: REDIS_URL, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  client.on('error', () => {
    // Reported through connect()'s rejection below; an unhandled 'error' event would crash mocha.
  });
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    throw new Error(`${START_REDIS_HINT} (${e instanceof Error ? e.message : String(e)})`);
  }
  return client;
}

/** Deletes every key under `prefix`; returns how many were removed. */
export async function deleteByPrefix(client: RedisClient, prefix: string): Promise<number> {
  let removed = 0;
  for await (const keys of client.scanIterator({ MATCH: new RedisKeys(prefix).pattern(), COUNT: 500 })) {
    if (keys.length > 0) removed += await client.unlink(keys);
  }
  return removed;
}
