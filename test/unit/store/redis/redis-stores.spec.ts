/**
 * Start-up, shutdown, key layout, script loading and surviving dropped connections: the parts of
 * the Redis store that the store contract does not exercise.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createRedisStores, RedisKeys, type RedisStores } from '../../../../src/store/redis/index.js';
import type { RedisClient } from '../../../../src/store/redis/redis-connection.js';
import { LuaScript } from '../../../../src/store/redis/lua-script.js';
import { conversationId, handoffId, queueId } from '../../../../src/core/ids.js';
import { initialState, transition, type HandoffCommand } from '../../../../src/core/handoff-state.js';
import { isHandoverError } from '../../../../src/core/errors.js';
import type { DomainEvent } from '../../../../src/core/events.js';
import { waitFor } from '../../../contract/store-contract.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../../../support/redis.js';
import { TcpProxy } from '../../../multi-node/tcp-proxy.js';

describe('Redis stores: start, keys, scripts, reconnects', function () {
  let admin: RedisClient;
  let prefix: string;
  const opened: RedisStores[] = [];

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
    await Promise.all(opened.splice(0).map((s) => s.close()));
    await deleteByPrefix(admin, prefix);
  });

  async function open(onError?: (e: unknown) => void): Promise<RedisStores> {
    const s = await createRedisStores({ url: REDIS_URL, prefix, relay: { retryMinMs: 20, retryMaxMs: 200 }, ...(onError ? { onError } : {}) });
    opened.push(s);
    return s;
  }

  it('fails at start with HANDOVER_ERR_STORE_UNAVAILABLE, how to start Redis, and no password', async () => {
    await assert.rejects(
      createRedisStores({ url: 'redis://user:s3cret@127.0.0.1:1', prefix, startAttempts: 1 }),
      (e: unknown) => {
        assert.ok(isHandoverError(e, 'HANDOVER_ERR_STORE_UNAVAILABLE'));
        assert.match(e.message, /redis-server --daemonize yes/);
        assert.match(e.message, /REDIS_URL/);
        assert.doesNotMatch(e.message, /s3cret/);
        return true;
      },
    );
  });

  it('closes every connection, and a second close() is harmless', async () => {
    const s = await open();
    const stop = await s.relay.listen('r', async () => {});
    // Main connection, event subscriber, relay listener: all named after the prefix.
    assert.equal((await admin.clientList()).filter((c) => c.name === prefix).length, 3);
    await s.close();
    await s.close();
    await stop(); // stopping a listener after close is harmless too
    assert.equal(s.client.isOpen, false);
    const names = (await admin.clientList()).filter((c) => c.name === prefix);
    assert.equal(names.length, 0);
  });

  it('keeps one conversation\'s keys in one hash slot and escapes the cleanup pattern', () => {
    const keys = new RedisKeys('handover');
    const id = conversationId('webchat:c-1|x');
    const tag = (k: string): string | undefined => /\{([^}]*)\}/.exec(k)?.[1];
    assert.equal(tag(keys.handoff(id)), 'webchat:c-1|x');
    assert.equal(tag(keys.transcript(id)), tag(keys.handoff(id)));
    assert.equal(tag(keys.relayDone('r1', 'm')), tag(keys.relayStream('r1')));
    assert.equal(new RedisKeys('a*b').pattern(), 'a\\*b:*');
    for (const bad of ['', 'with space', 'x{y}']) {
      assert.throws(() => new RedisKeys(bad), (e: unknown) => isHandoverError(e, 'HANDOVER_ERR_CONFIG_INVALID'));
    }
  });

  it('runs a script Redis has never seen (NOSCRIPT falls back to EVAL)', async () => {
    const script = new LuaScript('echoArg', `-- ${randomUUID()}\nreturn ARGV[1]`, 0);
    assert.equal(await script.run(admin, [], ['hello']), 'hello');
    assert.equal(await script.run(admin, [], ['again']), 'again'); // now cached: EVALSHA path
    await assert.rejects(script.run(admin, ['k'], []), /takes 0 keys/);
  });

  it('re-scores a conversation escalated inside its queue (same queue key, new priority)', async () => {
    const s = await open();
    const q = queueId('support');
    const [x, y] = [conversationId('c-x'), conversationId('c-y')];
    const req = (id: string): HandoffCommand => ({ type: 'request', handoffId: handoffId(id), queue: q, priority: 1, reason: 'customer_request', slaMs: 1000, channel: 't' });
    const first = transition(initialState(), req('h-x'), 10);
    const second = transition(initialState(), req('h-y'), 20);
    assert.ok(first.ok && second.ok);
    await s.handoffs.commit(x, 0, first.state);
    await s.handoffs.commit(y, 0, second.state);
    const cur = await s.handoffs.get(y);
    const up = transition(cur, { type: 'escalate', priorityBoost: 2, slaMs: 500 }, 1020);
    assert.ok(up.ok);
    assert.equal((await s.handoffs.commit(y, cur.version, up.state)).ok, true);
    assert.deepEqual((await s.handoffs.listQueue(q)).map((e) => [e.conversationId, e.priority]), [[y, 3], [x, 1]]);
    assert.equal(await s.handoffs.queueLength(q), 2);
    assert.deepEqual(await s.handoffs.dueDeadlines(1_010, 10), [x]); // y's deadline moved to 1520
  });

  it('reports foreign data under the prefix with HANDOVER_ERR_STORE_DATA_INVALID', async () => {
    const s = await open();
    const keys = new RedisKeys(prefix);
    await admin.hSet(keys.handoff('c-bad'), 's', 'not json');
    await admin.set(keys.packet('h-bad'), '{');
    await assert.rejects(s.handoffs.get(conversationId('c-bad')), (e: unknown) => isHandoverError(e, 'HANDOVER_ERR_STORE_DATA_INVALID'));
    await assert.rejects(s.packets.get(handoffId('h-bad')), (e: unknown) => isHandoverError(e, 'HANDOVER_ERR_STORE_DATA_INVALID'));
  });

  it('survives its connections being dropped: commands, events and relay carry on', async () => {
    const errors: unknown[] = [];
    const s = await open((e) => errors.push(e));
    const other = await open();
    const got: string[] = [];
    const stop = await s.relay.listen('r', async (m) => {
      got.push(m.text ?? '');
    });
    const seen: string[] = [];
    s.events.subscribe((e) => {
      if (e.type === 'customer.message') seen.push(e.text);
    });

    // Kill every connection of `s` (main, subscriber, relay listener): what a Redis restart does to a client.
    const mine = (await admin.clientList()).filter((c) => c.name === prefix);
    assert.equal(mine.length, 5); // s: main, subscriber, listener; other: main, subscriber (its subscriber may go too)
    const otherIds = new Set([String(await other.client.clientId())]);
    for (const c of mine) if (!otherIds.has(String(c.id))) await admin.clientKill({ filter: 'ID', id: Number(c.id) });
    await waitFor(() => errors.length > 0, 5000);

    await s.documents.write('d', { ok: true }); // queued until reconnected, then runs
    assert.deepEqual((await s.documents.read('d'))?.value, { ok: true });

    await other.relay.send('r', { conversationId: conversationId('c-1'), kind: 'system_message', text: 'after', at: 1, id: 'm-after' });
    await waitFor(() => got.includes('after'), 5000);

    // The subscriber re-subscribes on its own; publish until it is back (pub/sub drops what it missed).
    let n = 0;
    while (seen.length === 0 && n < 100) {
      const e: DomainEvent = { type: 'customer.message', conversationId: conversationId('c-1'), at: n, text: `e${n++}`, activityType: 'message' };
      await other.events.publish(e);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(seen.length > 0, 'events flow again after the reconnect');
    await stop();
  });

  it('arms no per-command timer while connected; a command issued while Redis is away gives up after commandTimeoutMs', async () => {
    const target = new URL(REDIS_URL);
    const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 6379) });
    const real = AbortSignal.timeout.bind(AbortSignal);
    const armed: number[] = [];
    AbortSignal.timeout = (ms: number) => {
      armed.push(ms);
      return real(ms);
    };
    try {
      const s = await createRedisStores({ url: proxy.url, prefix, commandTimeoutMs: 300 });
      opened.push(s);
      await Promise.all(Array.from({ length: 50 }, (_, i) => s.documents.write(`d${i}`, { i })));
      assert.equal((await s.documents.read<{ i: number }>('d7'))?.value.i, 7);
      assert.equal(armed.length, 0, 'no AbortSignal.timeout while the connection is ready');

      // Redis goes away and stays away: the main connection is killed and cannot reconnect
      proxy.down = true;
      await admin.clientKill({ filter: 'ID', id: Number(await s.client.clientId()) });
      await waitFor(() => !s.client.isReady, 5000);
      const t0 = Date.now();
      // rejected by the 300 ms timeout, or sooner when a failed reconnect attempt flushes the queue: never left waiting
      await assert.rejects(s.documents.read('d7'));
      const waited = Date.now() - t0;
      assert.ok(waited < 3000, `gave up after ${waited} ms`);
      assert.ok(armed.includes(300), 'the offline command carried the 300 ms timeout');

      // back: commands run again, without timers
      proxy.down = false;
      await waitFor(() => s.client.isReady, 10_000);
      armed.length = 0;
      assert.equal((await s.documents.read<{ i: number }>('d8'))?.value.i, 8);
      assert.equal(armed.length, 0);
      await s.close();
    } finally {
      AbortSignal.timeout = real;
      proxy.down = false;
      await proxy.close();
    }
  });
});
