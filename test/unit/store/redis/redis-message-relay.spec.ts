/**
 * What the store contract cannot reach for the Redis relay: crashes between read and ack,
 * hand-over of pending messages between processes, duplicates, and entries trimmed while pending.
 * A "process" is one `createRedisStores()`; a crashed one is simulated with a raw consumer that
 * reads and never acks or renews a heartbeat.
 */
import assert from 'node:assert/strict';
import { createRedisStores, RedisKeys, type RedisStores } from '../../../../src/store/redis/index.js';
import { RELAY_GROUP } from '../../../../src/store/redis/redis-message-relay.js';
import type { RedisClient } from '../../../../src/store/redis/redis-connection.js';
import type { RelayMessage } from '../../../../src/core/ports/message-relay.js';
import { conversationId } from '../../../../src/core/ids.js';
import { isHandoverError } from '../../../../src/core/errors.js';
import { waitFor } from '../../../contract/store-contract.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../../../support/redis.js';

const route = 'webchat';
const msg = (text: string, id = `id-${text}`): RelayMessage => ({ conversationId: conversationId('c-1'), kind: 'agent_message', text, at: 1, id });

describe('RedisMessageRelay (Redis-specific)', function () {
  let admin: RedisClient;
  let prefix: string;
  let keys: RedisKeys;
  let stream: string;
  const opened: RedisStores[] = [];
  const errors: unknown[] = [];

  /** One simulated process sharing this test's prefix. */
  async function processNode(): Promise<RedisStores> {
    const s = await createRedisStores({ url: REDIS_URL, prefix, onError: (e) => errors.push(e), relay: { retryMinMs: 20, retryMaxMs: 100 } });
    opened.push(s);
    return s;
  }

  /** A consumer that reads everything new and then "crashes": no ack, no heartbeat. */
  async function crashedReader(): Promise<number> {
    const r = await admin.xReadGroup(RELAY_GROUP, 'crashed-node', { key: stream, id: '>' }, { COUNT: 100 });
    return r?.[0]?.messages.length ?? 0;
  }

  async function pendingCount(): Promise<number> {
    return Number((await admin.xPending(stream, RELAY_GROUP)).pending);
  }

  before(async () => {
    admin = await connectTestRedis();
  });
  after(async () => {
    await admin.close();
  });
  beforeEach(async () => {
    prefix = uniquePrefix();
    keys = new RedisKeys(prefix);
    stream = keys.relayStream(route);
    errors.length = 0;
    // The group a listener would have created earlier, before the "crash".
    await admin.xGroupCreate(stream, RELAY_GROUP, '0', { MKSTREAM: true });
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    await deleteByPrefix(admin, prefix);
  });

  it('delivers exactly once a message read but never acked by a crashed listener', async () => {
    const node = await processNode();
    await node.relay.send(route, msg('m1'));
    assert.equal(await crashedReader(), 1);
    assert.equal(await pendingCount(), 1);

    const got: string[] = [];
    const stop = await node.relay.listen(route, async (m) => {
      got.push(m.text ?? '');
    });
    await node.relay.send(route, msg('m2'));
    await waitFor(() => got.length >= 2);
    assert.deepEqual(got, ['m1', 'm2']);
    await stop();
    assert.equal(await pendingCount(), 0);
  });

  it('lets only one of two listeners starting at once adopt the orphan', async () => {
    const a = await processNode();
    const b = await processNode();
    await a.relay.send(route, msg('m1'));
    await crashedReader();
    const got: string[] = [];
    const handler = async (m: RelayMessage): Promise<void> => {
      got.push(m.text ?? '');
    };
    const stops = await Promise.all([a.relay.listen(route, handler), b.relay.listen(route, handler)]);
    await a.relay.send(route, msg('m2'));
    await b.relay.send(route, msg('m3'));
    await waitFor(() => got.length >= 3);
    await Promise.all(stops.map((s) => s()));
    assert.deepEqual([...got].sort(), ['m1', 'm2', 'm3']);
    assert.equal(await pendingCount(), 0);
  });

  it('does not deliver again a message whose handler finished before the crash (ack lost)', async () => {
    const node = await processNode();
    await node.relay.send(route, msg('m1'));
    await crashedReader();
    // The crashed node had delivered m1 and recorded it, but died before XACK.
    await admin.set(keys.relayDone(route, 'id-m1'), '1', { PX: 60_000 });
    const got: string[] = [];
    const stop = await node.relay.listen(route, async (m) => {
      got.push(m.text ?? '');
    });
    await node.relay.send(route, msg('m2'));
    await waitFor(() => got.length >= 1);
    await stop();
    assert.deepEqual(got, ['m2']);
    assert.equal(await pendingCount(), 0);
  });

  it('hands pending messages of a stopped listener to the next process, once and in order', async () => {
    const a = await processNode();
    const b = await processNode();
    let attempts = 0;
    const stopA = await a.relay.listen(route, async () => {
      attempts++;
      throw new Error('socket closed');
    });
    await a.relay.send(route, msg('m1'));
    await a.relay.send(route, msg('m2'));
    await waitFor(() => attempts >= 2);
    await stopA();

    const got: string[] = [];
    const stopB = await b.relay.listen(route, async (m) => {
      got.push(m.text ?? '');
    });
    await b.relay.send(route, msg('m3'));
    await waitFor(() => got.length >= 3);
    await stopB();
    assert.deepEqual(got, ['m1', 'm2', 'm3']);
    assert.ok(errors.some((e) => e instanceof Error && e.message === 'socket closed'), 'handler failures reach onError');
  });

  it('delivers a message sent twice with the same id once', async () => {
    const node = await processNode();
    const got: string[] = [];
    const stop = await node.relay.listen(route, async (m) => {
      got.push(m.text ?? '');
    });
    await node.relay.send(route, msg('m1'));
    await node.relay.send(route, msg('m1'));
    await node.relay.send(route, msg('m2'));
    await waitFor(() => got.includes('m2'));
    await stop();
    assert.deepEqual(got, ['m1', 'm2']);
  });

  it('reports and skips a pending entry trimmed from the stream instead of wedging the route', async () => {
    const node = await processNode();
    await node.relay.send(route, msg('m1'));
    assert.equal(await crashedReader(), 1);
    // The crashed listener's entry is trimmed away before anyone adopts it.
    await admin.xTrim(stream, 'MAXLEN', 0);
    const got: string[] = [];
    const stop = await node.relay.listen(route, async (m) => {
      got.push(m.text ?? '');
    });
    await node.relay.send(route, msg('m2'));
    await waitFor(() => got.length >= 1);
    await stop();
    assert.deepEqual(got, ['m2']);
    assert.equal(await pendingCount(), 0);
    assert.ok(errors.some((e) => isHandoverError(e, 'HANDOVER_ERR_CHANNEL') && e.message.includes('trimmed')));
  });

  it('has one reader per route however many processes listen: every message once, each conversation in order; a stand-by takes over when the reader stops', async () => {
    const [a, b] = [await processNode(), await processNode()];
    const byNode: Record<'a' | 'b', RelayMessage[]> = { a: [], b: [] };
    const stopA = await a.relay.listen(route, async (m) => void byNode.a.push(m));
    const stopB = await b.relay.listen(route, async (m) => void byNode.b.push(m));
    const conversations = ['c-1', 'c-2', 'c-3', 'c-4'];
    const sent = async (round: string): Promise<void> => {
      // Both processes send, interleaved, 5 messages per conversation.
      await Promise.all(
        conversations.map(async (c, ci) => {
          for (let n = 0; n < 5; n++) {
            const from = (ci + n) % 2 === 0 ? a : b;
            await from.relay.send(route, { conversationId: conversationId(c), kind: 'agent_message', text: `${round} ${c} ${n}`, at: n, id: `${round}-${c}-${n}` });
          }
        }),
      );
    };
    await sent('r1');
    await waitFor(() => byNode.a.length + byNode.b.length === 20);
    const reader = byNode.a.length > 0 ? 'a' : 'b';
    assert.equal(byNode[reader === 'a' ? 'b' : 'a'].length, 0, 'the stand-by read nothing');
    for (const c of conversations) {
      assert.deepEqual(byNode[reader].filter((m) => m.conversationId === c).map((m) => m.text), [0, 1, 2, 3, 4].map((n) => `r1 ${c} ${n}`));
    }
    // The reader stops (released at once): the stand-by reads the next round.
    await (reader === 'a' ? stopA : stopB)();
    await sent('r2');
    const standby = reader === 'a' ? 'b' : 'a';
    await waitFor(() => byNode[standby].length === 20, 5000);
    for (const c of conversations) {
      assert.deepEqual(byNode[standby].filter((m) => m.conversationId === c).map((m) => m.text), [0, 1, 2, 3, 4].map((n) => `r2 ${c} ${n}`));
    }
    await (reader === 'a' ? stopB : stopA)();
    assert.equal(await pendingCount(), 0);
  });

  it('after a reader crashes holding messages, the next one waits for its lease to lapse, then delivers what it held first, in order', async () => {
    const node = await processNode();
    await node.relay.send(route, msg('m1'));
    await node.relay.send(route, msg('m2'));
    // The crashed reader: held the route's lease, read m1 and m2, and died (no heartbeat key, lease lapsing).
    await admin.set(keys.lease(`relay:${route}`), 'crashed-node', { PX: 300 });
    assert.equal(await crashedReader(), 2);
    const got: string[] = [];
    const stop = await node.relay.listen(route, async (m) => {
      got.push(m.text ?? '');
    });
    await node.relay.send(route, msg('m3'));
    await waitFor(() => got.length >= 3, 5000);
    await stop();
    assert.deepEqual(got, ['m1', 'm2', 'm3']);
    assert.equal(await pendingCount(), 0);
  });

  it('stops promptly while blocked on an idle stream, and a new listener on the route takes over', async () => {
    const node = await processNode();
    const first: string[] = [];
    const stop1 = await node.relay.listen(route, async (m) => {
      first.push(m.text ?? '');
    });
    await stop1(); // resolves within one BLOCK period (mocha's timeout is the only clock here)
    await stop1(); // idempotent
    await node.relay.send(route, msg('m1'));
    const second: string[] = [];
    const stop2 = await node.relay.listen(route, async (m) => {
      second.push(m.text ?? '');
    });
    await waitFor(() => second.length === 1);
    await stop2();
    assert.deepEqual(first, []);
    assert.deepEqual(second, ['m1']);
  });
});
