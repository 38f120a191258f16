/**
 * The LoginAttempts contract (memory and Redis): sliding-window counters checked and counted in one
 * step (parallel reservations never overshoot), all-or-nothing over several keys, the wait told,
 * attempts given back or cleared, markers remembered for a while — and on Redis one set of counters
 * for every process.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { ManualClock } from '../../src/core/clock.js';
import { isHandoverError } from '../../src/core/errors.js';
import type { LoginAttempts } from '../../src/core/ports/login-attempts.js';
import { MemoryLoginAttempts } from '../../src/store/memory/memory-login-attempts.js';
import { createRedisStores, type RedisStores } from '../../src/store/redis/index.js';
import type { RedisClient } from '../../src/store/redis/redis-connection.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../support/redis.js';

const WINDOW = 1000;

interface Subject {
  /** Two handles on the same counters (two processes on Redis; the same object in memory). */
  readonly a: LoginAttempts;
  readonly b: LoginAttempts;
  /** Lets the window pass. */
  pass(ms: number): Promise<void>;
}

function contract(make: () => Promise<Subject>): void {
  it('checks and counts in one step: 60 parallel reservations on a limit of 5 → exactly 5 allowed', async () => {
    const { a, b } = await make();
    const all = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? a : b).reserve([{ key: 'ana|10.0.0.7', limit: 5 }], WINDOW)));
    assert.equal(all.filter((d) => d.allowed).length, 5);
    const refused = all.filter((d) => !d.allowed);
    assert.ok(refused.every((d) => d.ticket === null && d.retryAfterMs > 0 && d.retryAfterMs <= WINDOW && d.refusedBy.join() === 'ana|10.0.0.7'));
    assert.equal(new Set(all.filter((d) => d.allowed).map((d) => d.ticket)).size, 5, 'tickets are unique');
  });

  it('is all-or-nothing over several keys and says which were full', async () => {
    const { a, b } = await make();
    assert.equal((await a.reserve([{ key: 'address:x', limit: 2 }], WINDOW)).allowed, true);
    assert.equal((await b.reserve([{ key: 'ana|x', limit: 5 }, { key: 'address:x', limit: 2 }, { key: 'agent:ana', limit: 9 }], WINDOW)).allowed, true);
    const refused = await a.reserve([{ key: 'bruno|x', limit: 5 }, { key: 'address:x', limit: 2 }, { key: 'agent:bruno', limit: 9 }], WINDOW);
    assert.equal(refused.allowed, false);
    assert.deepEqual(refused.refusedBy, ['address:x']);
    // nothing was recorded on bruno's counters: with room on address:x they take 5 more
    await a.release((await b.reserve([{ key: 'ana|x', limit: 5 }], WINDOW)).ticket!, [], ['address:x']);
    const five = await Promise.all(Array.from({ length: 6 }, () => b.reserve([{ key: 'bruno|x', limit: 5 }, { key: 'agent:bruno', limit: 9 }], WINDOW)));
    assert.equal(five.filter((d) => d.allowed).length, 5, 'the refused reservation counted nowhere');
  });

  it('gives an attempt back, clears a counter, and lets the window pass', async () => {
    const s = await make();
    const first = await s.a.reserve([{ key: 'k1', limit: 2 }, { key: 'k2', limit: 2 }], WINDOW);
    const second = await s.b.reserve([{ key: 'k1', limit: 2 }, { key: 'k2', limit: 2 }], WINDOW);
    assert.equal((await s.a.reserve([{ key: 'k1', limit: 2 }], WINDOW)).allowed, false);
    await s.b.release(first.ticket!, ['k1']);
    assert.equal((await s.a.reserve([{ key: 'k1', limit: 2 }], WINDOW)).allowed, true, 'the given-back attempt made room');
    assert.equal((await s.a.reserve([{ key: 'k2', limit: 2 }], WINDOW)).allowed, false, 'k2 still holds both');
    await s.a.release(second.ticket!, [], ['k2']);
    assert.equal((await s.b.reserve([{ key: 'k2', limit: 2 }], WINDOW)).allowed, true, 'cleared');
    const full = await s.a.reserve([{ key: 'k1', limit: 2 }], WINDOW);
    assert.equal(full.allowed, false);
    await s.pass(full.retryAfterMs + 30);
    assert.equal((await s.b.reserve([{ key: 'k1', limit: 2 }], WINDOW)).allowed, true, 'room again after the told wait');
  });

  it('remembers a marker until its time is up', async () => {
    const s = await make();
    assert.equal(await s.a.remembers('device:ana:abc'), false);
    await s.a.remember('device:ana:abc', 400);
    assert.equal(await s.b.remembers('device:ana:abc'), true);
    assert.equal(await s.b.remembers('device:bruno:abc'), false);
    await s.pass(450);
    assert.equal(await s.a.remembers('device:ana:abc'), false);
  });

  it('refuses limits no counter can follow', async () => {
    const { a } = await make();
    for (const bad of [[], [{ key: 'k', limit: 0 }], [{ key: 'k', limit: 1.5 }], [{ key: 'k', limit: 1 }, { key: 'k', limit: 2 }], [1, 2, 3, 4].map((i) => ({ key: `k${i}`, limit: 1 }))]) {
      await assert.rejects(a.reserve(bad, WINDOW), (e) => isHandoverError(e, 'HANDOVER_ERR_CONFIG_INVALID'), JSON.stringify(bad));
    }
    await assert.rejects(a.reserve([{ key: 'k', limit: 1 }], 0), (e) => isHandoverError(e, 'HANDOVER_ERR_CONFIG_INVALID'));
  });
}

describe('login attempts: memory', () => {
  contract(async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 9));
    const attempts = new MemoryLoginAttempts(clock);
    return {
      a: attempts,
      b: attempts,
      pass: async (ms) => {
        clock.advanceMs(ms);
      },
    };
  });

  it('stays bounded under a spray of keys', async () => {
    const attempts = new MemoryLoginAttempts(new ManualClock(0), 100);
    for (let i = 0; i < 1000; i++) await attempts.reserve([{ key: `spray-${i}`, limit: 5 }], WINDOW);
    const counters = (attempts as unknown as { counters: Map<string, unknown> }).counters;
    assert.ok(counters.size <= 100, `${counters.size} counters kept`);
  });
});

describe('login attempts: redis (two processes)', () => {
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

  contract(async () => {
    const [a, b] = [await createRedisStores({ url: REDIS_URL, prefix }), await createRedisStores({ url: REDIS_URL, prefix })];
    open.push(a, b);
    return { a: a.loginAttempts, b: b.loginAttempts, pass: (ms) => sleep(ms) };
  });

  it('keeps counters under the prefix in one slot, expiring with the window', async () => {
    const [a] = [await createRedisStores({ url: REDIS_URL, prefix })];
    open.push(a);
    await a.loginAttempts.reserve([{ key: 'ana|10.0.0.7', limit: 5 }], 60_000);
    const ttl = await admin.pTTL(`${prefix}:signin:{signin}:n:ana|10.0.0.7`);
    assert.ok(ttl > 55_000 && ttl <= 60_000, `pttl ${ttl}`);
    assert.equal(await admin.zCard(`${prefix}:signin:{signin}:n:ana|10.0.0.7`), 1);
    assert.equal(await admin.exists(`${prefix}:signin:{signin}:n:unused-1`), 0, 'padding keys are never written');
  });
});
