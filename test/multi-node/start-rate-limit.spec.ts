/**
 * Anonymous web chat conversations are limited per client IP for the whole deployment: two real
 * `handover start` processes on one Redis draw from one token bucket per address, on both front
 * doors (`POST /v3/directline/conversations` and the widget's `start`); past the burst the answer
 * is 429 with Retry-After (an error frame with `retryAfterMs` on the widget socket), and another
 * address is not affected. Loopback is a /8, so 127.0.0.2 is another client.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawnHandover, type HandoverProcess } from '../support/handover-processes.js';
import { startRedisServer, type RedisServerProcess } from '../support/redis-server.js';
import { uniquePrefix } from '../support/redis.js';
import { JsonSocket } from '../support/webchat-clients.js';

/** POST /v3/directline/conversations from a given local address: status and Retry-After. */
function startFrom(base: string, localAddress: string): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/v3/directline/conversations`, { method: 'POST', localAddress, headers: { 'Content-Type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] }));
    });
    req.once('error', reject);
    req.end('{}');
  });
}

describe('handover start × 2 on one Redis: new anonymous conversations per client IP', function () {
  this.timeout(60_000);
  let redis: RedisServerProcess;
  const procs: HandoverProcess[] = [];
  const sockets: JsonSocket[] = [];

  before(async () => {
    redis = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '']);
  });
  after(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
    await Promise.all(procs.splice(0).map((p) => p.stop()));
    await redis?.destroy();
  });

  it('shares one bucket per address across processes and front doors: 429 + Retry-After past it; other addresses unaffected', async () => {
    const env = { REDIS_URL: redis.url, REDIS_PREFIX: uniquePrefix(), WEBCHAT_START_BURST: '6', WEBCHAT_START_PER_MINUTE: '1' };
    procs.push(...(await Promise.all([spawnHandover(env), spawnHandover(env)])));
    const [a, b] = procs as [HandoverProcess, HandoverProcess];
    // 5 Direct Line starts and 1 widget start from 127.0.0.1, alternating between the processes
    const first: number[] = [];
    for (let i = 0; i < 5; i++) first.push((await startFrom(i % 2 === 0 ? a.base : b.base, '127.0.0.1')).status);
    const widget = await JsonSocket.open(`${b.ws}/webchat/ws`, {}, '127.0.0.1');
    sockets.push(widget);
    widget.send({ type: 'start', locale: 'en' });
    await widget.waitFor((f) => f['type'] === 'session');
    // the bucket is empty now, whichever process or front door is asked
    const past = [await startFrom(a.base, '127.0.0.1'), await startFrom(b.base, '127.0.0.1')];
    const refusedWidget = await JsonSocket.open(`${a.ws}/webchat/ws`, {}, '127.0.0.1');
    sockets.push(refusedWidget);
    refusedWidget.send({ type: 'start', locale: 'en' });
    const refusal = await refusedWidget.waitFor((f) => f['type'] === 'error' || f['type'] === 'session');
    // other addresses have buckets of their own
    const others = await Promise.all(['127.0.0.2', '127.0.0.3'].map((ip, i) => startFrom(i === 0 ? a.base : b.base, ip)));
    const otherWidget = await JsonSocket.open(`${a.ws}/webchat/ws`, {}, '127.0.0.2');
    sockets.push(otherWidget);
    otherWidget.send({ type: 'start', locale: 'en' });
    const otherSession = await otherWidget.waitFor((f) => f['type'] === 'session' || f['type'] === 'error');
    process.stdout.write(
      `      127.0.0.1: ${first.join(', ')}, widget start ok, then ${past.map((p) => `${p.status} (Retry-After ${p.retryAfter})`).join(', ')}, widget ${String(refusal['code'] ?? refusal['type'])}; ` +
        `127.0.0.2/3: ${others.map((o) => o.status).join(', ')}, widget ${String(otherSession['type'])}\n`,
    );
    assert.deepEqual(first, [201, 201, 201, 201, 201]);
    for (const p of past) {
      assert.equal(p.status, 429);
      assert.ok(Number(p.retryAfter) >= 1 && Number(p.retryAfter) <= 60, `Retry-After ${p.retryAfter}`);
    }
    assert.equal(refusal['type'], 'error');
    assert.equal(refusal['code'], 'HANDOVER_ERR_TOO_MANY_REQUESTS');
    assert.ok(Number(refusal['retryAfterMs']) > 0);
    assert.deepEqual(others.map((o) => o.status), [201, 201]);
    assert.equal(otherSession['type'], 'session');
  });
});
