/**
 * connectRedis against a real Redis behind a TCP proxy that can drop its connections: what a
 * command sees when the connection dies under it. The case that matters for customers' lines: a
 * command accepted while the client was ready but not yet written when the socket died, issued
 * through the fail-fast view (a customer's line, a rate-limit take), must be rejected at once (it
 * was never sent), not wait without a timeout for a reconnect that may be minutes away.
 */
import assert from 'node:assert/strict';
import { connectRedis, closeConnection, type RedisClient } from '../../src/store/redis/redis-connection.js';
import { isUnavailable } from '../../src/store/redis/unavailable.js';
import { failingFastOnDrop } from '../../src/internals/redis-offline-timeout.js';
import { TcpProxy } from '../multi-node/tcp-proxy.js';
import { REDIS_URL, uniquePrefix } from '../support/redis.js';

const settle = <T>(p: Promise<T>, ms: number): Promise<{ state: 'resolved' | 'rejected' | 'pending'; error?: unknown }> =>
  Promise.race([
    p.then(
      () => ({ state: 'resolved' as const }),
      (error: unknown) => ({ state: 'rejected' as const, error }),
    ),
    new Promise<{ state: 'pending' }>((r) => setTimeout(() => r({ state: 'pending' }), ms)),
  ]);

describe('connectRedis: commands when the connection drops (real Redis through a TCP proxy)', function () {
  this.timeout(15_000);
  let proxy: TcpProxy;
  let client: RedisClient;
  const errors: unknown[] = [];

  const url = new URL(REDIS_URL);
  const target = { host: url.hostname, port: Number(url.port || 6379) };

  beforeEach(async () => {
    proxy = await TcpProxy.start(target);
    // a long offline timeout: only the drop itself may reject the command quickly
    client = await connectRedis({ url: proxy.url, onError: (e) => errors.push(e), commandTimeoutMs: 30_000, maxReconnectDelayMs: 200 });
  });
  afterEach(async () => {
    await closeConnection(client);
    await proxy.close();
  });

  it('rejects at once, as "unavailable", a fail-fast command issued while ready but still unsent when the socket dies; an ordinary one waits for the reconnect', async () => {
    const key = `${uniquePrefix()}:probe`;
    await client.set(key, '1', { PX: 60_000 });
    // Inside a check-phase callback: the connection is reset, the kernel has delivered the reset by
    // the time the command is issued, but node-redis only learns it in the next poll phase, before
    // its own scheduled write (the next check phase) — the command is accepted while ready, unsent.
    const issued = await new Promise<{ ready: boolean; reply: Promise<unknown>; waiting: Promise<unknown> }>((resolve) =>
      setImmediate(() => {
        // gone as a crashed Redis is: connections reset, new ones refused (no listener)
        proxy.resetAll();
        void proxy.close();
        const until = Date.now() + 30;
        while (Date.now() < until) {
          // let the reset reach the client's socket while JavaScript is busy
        }
        const ready = client.isReady;
        resolve({ ready, reply: failingFastOnDrop(client).get(key), waiting: client.get(key) });
      }),
    );
    assert.equal(issued.ready, true, 'the command was accepted while the client still thought it was connected');
    const outcome = await settle(issued.reply, 2000);
    assert.equal(outcome.state, 'rejected', 'rejected within 2 s although Redis stays unreachable');
    assert.ok(isUnavailable(outcome.error), `read as "Redis cannot answer now": ${String(outcome.error)}`);
    assert.equal((await settle(issued.waiting, 100)).state, 'pending', 'an ordinary command waits for Redis (it is sent once Redis is back)');
    // and once Redis is reachable again (a listener on the same port) the same client works
    proxy = await TcpProxy.start(target, proxy.port);
    for (let i = 0; i < 50 && !client.isReady; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await issued.waiting, '1', 'the waiting command ran after the reconnect');
    assert.equal(await failingFastOnDrop(client).get(key), '1', 'and the fail-fast view works on the new connection');
  });
});
