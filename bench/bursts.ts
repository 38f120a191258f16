/**
 * What a burst window costs a calm message on Redis: the real middleware and the sample bot through
 * SimAdapter, one message per conversation ("what time do you open on saturday?"), window 0 (the
 * message's turn answers it) against window 3 s (the message's turn holds it; the burst's turn,
 * forced here instead of waiting, answers it). Prints the Redis commands per message (INFO
 * commandstats, scripts' inner commands included, so use a Redis nothing else talks to) and the
 * time of each turn; the window itself comes on top.
 *
 *   redis-server --port 6399 --save '' --daemonize yes
 *   node --import tsx bench/bursts.ts redis://127.0.0.1:6399
 */
import { conversationKeyOf } from '../src/bridge/handoff-middleware.js';
import { createHandover } from '../src/app.js';
import { SimAdapter } from '../src/channels/sim/sim-adapter.js';
import { ManualClock } from '../src/core/clock.js';
import { StaticCustomerDirectory } from '../src/core/static-customer-directory.js';
import { deleteKeysByPrefix } from '../src/store/redis/delete-keys.js';
import { createRedisStores } from '../src/store/redis/index.js';
import type { RedisClient } from '../src/store/redis/redis-connection.js';
import { customers, manifest } from '../test/support/harness.js';

const url = process.argv[2] ?? 'redis://127.0.0.1:6399';
const TEXT = 'what time do you open on saturday?';

async function commandStats(client: RedisClient): Promise<Map<string, number>> {
  const info = String(await client.info('commandstats'));
  return new Map([...info.matchAll(/cmdstat_(\w+):calls=(\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
}

const quantile = (xs: readonly number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;
const ms = (x: number): string => `${x.toFixed(2)} ms`;

async function run(seconds: number, n: number): Promise<void> {
  const stores = await createRedisStores({ url, prefix: `handover-bench-bursts:${process.pid}:${seconds}` });
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 15));
  const windowSeconds = { webchat: seconds, directline: seconds, 'whatsapp-web': seconds, 'whatsapp-cloud': seconds };
  const app = createHandover({ manifest: { ...manifest, bursts: { maxSeconds: 10, windowSeconds } }, stores, clock, directory: new StaticCustomerDirectory(customers), bursts: 'manual' });
  const adapter = new SimAdapter('webchat', { bursts: true, keepSent: false });
  adapter.use(app.middleware);
  const one = async (conversation: string): Promise<[number, number]> => {
    const t0 = performance.now();
    await adapter.receive({ conversationId: conversation, userId: 'c-1001', text: TEXT }, (ctx) => app.bot.run(ctx));
    const t1 = performance.now();
    const id = conversationKeyOf({ channelId: 'webchat', conversation: { id: conversation, isGroup: false, conversationType: 'personal', name: '' } });
    if (app.middleware.bursts?.deadlineOf(id) !== undefined) await app.middleware.bursts.flush(id, { force: true });
    return [t1 - t0, performance.now() - t1];
  };
  for (let i = 0; i < 50; i++) await one(`warm-${i}`);
  const before = await commandStats(stores.client);
  const message: number[] = [];
  const burst: number[] = [];
  for (let i = 0; i < n; i++) {
    const [a, b] = await one(`c-${i}`);
    message.push(a);
    burst.push(b);
  }
  const after = await commandStats(stores.client);
  const perMessage = [...after]
    .map(([k, v]) => [k, (v - (before.get(k) ?? 0)) / n] as const)
    .filter(([k, v]) => v >= 0.5 && k !== 'info')
    .map(([k, v]) => `${k} ${v.toFixed(1)}`);
  const total = message.map((m, i) => m + burst[i]!);
  process.stdout.write(
    `window ${seconds} s, ${n} messages: message turn p50 ${ms(quantile(message, 0.5))} p99 ${ms(quantile(message, 0.99))}; ` +
      `burst turn p50 ${ms(quantile(burst, 0.5))} p99 ${ms(quantile(burst, 0.99))}; both p50 ${ms(quantile(total, 0.5))} p99 ${ms(quantile(total, 0.99))}\n` +
      `  Redis commands per message: ${perMessage.join(', ')}\n`,
  );
  app.middleware.close();
  await deleteKeysByPrefix(stores.client, stores.keys);
  await stores.close();
}

void (async () => {
  for (let round = 0; round < 2; round++) {
    await run(0, 1000);
    await run(3, 1000);
  }
})().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
