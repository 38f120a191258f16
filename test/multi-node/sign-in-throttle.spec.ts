/**
 * Sign-in throttling shared by every process of a deployment: two `handover start` on one Redis
 * (unique REDIS_PREFIX) count the same failures — 60 parallel wrong passwords spread over both get
 * exactly the limit checked — and know the same devices.
 */
import assert from 'node:assert/strict';
import { spawnHandover, type HandoverProcess } from '../support/handover-processes.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../support/redis.js';
import type { RedisClient } from '../../src/store/redis/redis-connection.js';
import { codeOf, cookieNamed, signInFrom, statusCounts } from '../support/sign-in-client.js';

describe('sign-in throttle across two processes on one Redis', function () {
  this.timeout(60_000);
  let admin: RedisClient;
  let prefix: string;
  let a: HandoverProcess;
  let b: HandoverProcess;

  before(async () => {
    admin = await connectTestRedis();
    prefix = uniquePrefix();
    [a, b] = await Promise.all([spawnHandover({ REDIS_URL, REDIS_PREFIX: prefix }), spawnHandover({ REDIS_URL, REDIS_PREFIX: prefix })]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await deleteByPrefix(admin, prefix);
    await admin.close();
  });

  it('60 parallel wrong passwords over both: 5 checked (401), 55 refused with 429 + Retry-After; the agent signs in from another address and on her known device', async () => {
    const first = await signInFrom(a.base, { id: 'bruno', password: 'bruno-demo-password' }, { from: '127.0.0.3' });
    assert.equal(first.status, 200);
    const device = cookieNamed(first, 'handover_device')!;

    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => signInFrom(i % 2 === 0 ? a.base : b.base, { id: 'bruno', password: `guess-${i}` })));
    console.log(`      60 parallel wrong passwords over 2 processes: ${JSON.stringify(statusCounts(answers))} (before: 60 × 401)`);
    assert.deepEqual(statusCounts(answers), { 401: 5, 429: 55 }, 'one counter for both processes, checked before scrypt');
    for (const r of answers.filter((x) => x.status === 429)) {
      assert.equal(codeOf(r), 'HANDOVER_ERR_TOO_MANY_REQUESTS');
      assert.ok(r.retryAfter !== undefined && r.retryAfter > 800 && r.retryAfter <= 900, `Retry-After ${r.retryAfter}`);
    }
    assert.equal((await signInFrom(a.base, { id: 'bruno', password: 'bruno-demo-password' })).status, 429, 'the attacked address waits, on either process');
    assert.equal((await signInFrom(b.base, { id: 'bruno', password: 'bruno-demo-password' })).status, 429);
    assert.equal((await signInFrom(b.base, { id: 'bruno', password: 'bruno-demo-password' }, { from: '127.0.0.2' })).status, 200, 'her own address');
    const known = await signInFrom(b.base, { id: 'bruno', password: 'bruno-demo-password' }, { headers: { Cookie: device } });
    assert.equal(known.status, 200, 'the device she signed in with on process A is known on process B, even from the attacked address');
    const keys = await admin.keys(`${prefix}:signin:*`);
    assert.ok(keys.length > 0 && keys.every((k) => k.startsWith(`${prefix}:signin:{signin}:`)), keys.join(', '));
  });

  it('a foreign Origin cannot sign in on either process', async () => {
    for (const p of [a, b]) {
      const r = await signInFrom(p.base, { id: 'sam', password: 'sam-demo-password' }, { from: '127.0.0.4', headers: { Origin: 'https://evil.example' } });
      assert.equal(r.status, 403);
      assert.equal(codeOf(r), 'HANDOVER_ERR_CROSS_SITE');
    }
  });
});
