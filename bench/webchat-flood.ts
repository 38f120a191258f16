/**
 * The message flood of test/multi-node/flood.spec.ts as a benchmark, with and without the message
 * limits, on the memory store and on Redis (127.0.0.1:6379, a fresh key prefix): 20 victims send a
 * line every 300 ms; after a calm phase one client floods at ~1,000 lines/s for 4 s. Prints the
 * victims' reply time (p50/p99) calm and during the flood, and what happened to the flooder.
 *
 *   npx tsx bench/webchat-flood.ts            # all four runs
 *   npx tsx bench/webchat-flood.ts redis off  # one: store (memory|redis), limits (on|off)
 */
import { makeRoot, spawnHandoverIn } from '../test/support/custom-root.js';
import { describeFlood, floodManifest, runFlood } from '../test/support/flood.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../test/support/redis.js';

async function once(store: 'memory' | 'redis', limits: 'on' | 'off'): Promise<void> {
  const root = makeRoot(floodManifest);
  const prefix = uniquePrefix();
  const env: Record<string, string> = { WEBCHAT_MESSAGE_LIMITS: limits, WEBCHAT_START_BURST: '1000000' };
  if (store === 'redis') Object.assign(env, { REDIS_URL, REDIS_PREFIX: prefix, HANDOVER_ALLOW_VOLATILE_REDIS: '1' });
  const proc = await spawnHandoverIn(root.dir, env);
  try {
    const r = await runFlood(proc.ws, { calmMs: 4000, floodMs: 4000, settleMs: 5000 });
    console.log(`${store}, limits ${limits}: ${describeFlood(r)}`);
  } finally {
    await proc.stop();
    root.remove();
    if (store === 'redis') {
      const redis = await connectTestRedis();
      await deleteByPrefix(redis, prefix);
      await redis.close();
    }
  }
}

async function main(): Promise<void> {
  const [store, limits] = process.argv.slice(2) as ['memory' | 'redis' | undefined, 'on' | 'off' | undefined];
  const runs: Array<['memory' | 'redis', 'on' | 'off']> =
    store === undefined ? [['memory', 'off'], ['memory', 'on'], ['redis', 'off'], ['redis', 'on']] : [[store, limits ?? 'on']];
  for (const [s, l] of runs) await once(s, l);
}

void main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
