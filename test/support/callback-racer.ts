/**
 * One process of the callback race (test/multi-node/callback-race.spec.ts): its own Redis
 * connections and createHandover over the race manifest. Prints "ready", waits for "go" on stdin,
 * then its customers (already queued by the parent) each take the offered time and book it, taking
 * the next time offered when a slot filled meanwhile. Prints one JSON line with what happened.
 *
 * argv[2]: {"prefix","ids":[…],"now","target","concurrency"}
 */
import { performance } from 'node:perf_hooks';
import { createHandover } from '../../src/app.js';
import { ManualClock } from '../../src/core/clock.js';
import { conversationId } from '../../src/core/ids.js';
import { StaticCustomerDirectory } from '../../src/core/static-customer-directory.js';
import { createRedisStores } from '../../src/store/redis/index.js';
import { REDIS_URL } from './redis.js';
import { raceManifest } from './staffed.js';

interface Config {
  readonly prefix: string;
  readonly ids: readonly string[];
  readonly now: number;
  readonly target: number;
  readonly concurrency: number;
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2]!) as Config;
  const stores = await createRedisStores({ url: REDIS_URL, prefix: cfg.prefix });
  const app = createHandover({ manifest: raceManifest(), stores, clock: new ManualClock(cfg.now), directory: new StaticCustomerDirectory([]) });
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  const offers: number[] = [];
  const books: number[] = [];
  let booked = 0;
  let unbooked = 0;
  let refusals = 0;
  const queue = [...cfg.ids];
  const started = performance.now();
  const worker = async (): Promise<void> => {
    for (let raw = queue.shift(); raw !== undefined; raw = queue.shift()) {
      const id = conversationId(raw);
      let t = performance.now();
      const offered = await app.callbacks.offer('fraud', 0, cfg.target, { conversationId: id });
      offers.push(performance.now() - t);
      let target = offered?.start ?? null;
      for (let attempt = 0; target !== null && attempt < 50; attempt++) {
        t = performance.now();
        const r = await app.callbacks.book(id, 'fraud', target);
        books.push(performance.now() - t);
        if (r.ok) {
          booked++;
          target = null;
          break;
        }
        refusals++;
        target = r.next?.start ?? null;
      }
      if (target !== null || (await app.service.state(id)).status !== 'scheduled') unbooked++;
    }
  };
  await Promise.all(Array.from({ length: cfg.concurrency }, () => worker()));
  const elapsedMs = performance.now() - started;
  await stores.close();
  process.stdout.write(`${JSON.stringify({ booked, unbooked, refusals, offers, books, elapsedMs })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
