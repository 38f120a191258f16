/**
 * The RateLimiter contract (memory and Redis): a token bucket per key — `burst` at once, then
 * `perMinute`, the wait until the next token told — and on Redis one bucket for every process.
 */
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/core/clock.js';
import { isHandoverError } from '../../src/core/errors.js';
import type { RateLimiter } from '../../src/core/ports/rate-limiter.js';
import { MemoryRateLimiter } from '../../src/store/memory/memory-rate-limiter.js';
import { createRedisStores, type RedisStores } from '../../src/store/redis/index.js';
import type { RedisClient } from '../../src/store/redis/redis-connection.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../support/redis.js';

const rule = { burst: 3, perMinute: 60 }; // one token a second

async function takeN(limiter: RateLimiter, key: string, n: number): Promise<boolean[]> {
  const out: boolean[] = [];
  for (let i = 0; i < n; i++) out.push((await limiter.take(key, rule)).allowed);
  return out;
}

describe('rate limiter: memory', () => {
  it('lets a burst through, then refuses with the wait, refills with time, and keeps keys apart', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 9));
    const limiter = new MemoryRateLimiter(clock);
    assert.deepEqual(await takeN(limiter, 'ip-1', 4), [true, true, true, false]);
    const refused = await limiter.take('ip-1', rule);
    assert.equal(refused.allowed, false);
    assert.equal(refused.retryAfterMs, 1000);
    assert.equal((await limiter.take('ip-2', rule)).allowed, true, 'another key has its own bucket');
    clock.advanceMs(1000);
    assert.deepEqual(await takeN(limiter, 'ip-1', 2), [true, false]);
    clock.advanceMs(60_000);
    assert.deepEqual(await takeN(limiter, 'ip-1', 4), [true, true, true, false], 'refilled up to the burst, not beyond');
  });

  it('refuses a rule no bucket can follow', async () => {
    await assert.rejects(new MemoryRateLimiter().take('k', { burst: 0, perMinute: 1 }), (e) => isHandoverError(e, 'HANDOVER_ERR_CONFIG_INVALID'));
  });
});

describe('rate limiter: redis', () => {
  let admin: RedisClient;
  let prefix: string;
  const open: RedisStores[] = [];
  before(async () => {
    admin = await connectTestRedis();
  });
  after(async () => {
    await admin.close();
  });
  beforeEach(() => {
    prefix = uniquePrefix();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    await deleteByPrefix(admin, prefix);
  });

  it('is one bucket for every process: a burst spent on one is spent on the other; the wait is told; keys apart', async () => {
    const [a, b] = [await createRedisStores({ url: REDIS_URL, prefix }), await createRedisStores({ url: REDIS_URL, prefix })];
    open.push(a, b);
    assert.deepEqual([...(await takeN(a.rateLimiter, 'ip-1', 2)), ...(await takeN(b.rateLimiter, 'ip-1', 1))], [true, true, true]);
    const refused = await a.rateLimiter.take('ip-1', rule);
    assert.equal(refused.allowed, false);
    assert.ok(refused.retryAfterMs > 0 && refused.retryAfterMs <= 1000, `wait ${refused.retryAfterMs} ms`);
    assert.equal((await b.rateLimiter.take('ip-1', rule)).allowed, false);
    assert.equal((await b.rateLimiter.take('ip-2', rule)).allowed, true, 'another key has its own bucket');
    await new Promise((r) => setTimeout(r, refused.retryAfterMs + 50));
    assert.equal((await b.rateLimiter.take('ip-1', rule)).allowed, true, 'refilled by Redis time');
    const ttl = await admin.pTTL(`${prefix}:rate:{ip-1}`);
    assert.ok(ttl > 0 && ttl <= 4000, `a bucket expires once it would be full again (pttl ${ttl})`);
  });
});
