import assert from 'node:assert/strict';
import { createRedisStores, RedisActivityLog, RedisKeys } from '../../src/store/redis/index.js';
import type { RedisClient } from '../../src/store/redis/redis-connection.js';
import { isHandoverError } from '../../src/core/errors.js';
import type { AppendNotice } from '../../src/core/ports/activity-log.js';
import { waitFor } from './store-contract.js';
import { openStores } from '../../src/store/open-stores.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../support/redis.js';
import { describeActivityLogContract } from './activity-log-contract.js';

describe('redis activity log', function () {
  let admin: RedisClient;
  before(async () => {
    // No skip when Redis is missing: this fails with how to start one.
    admin = await connectTestRedis();
  });
  after(async () => {
    await admin.close();
  });

  describeActivityLogContract('redis', async (caps, clock) => {
    const prefix = uniquePrefix();
    const stores = await openStores(REDIS_URL, { prefix, activityLog: caps, clock });
    return {
      log: stores.activityLog,
      handoffs: stores.handoffs,
      close: async () => {
        await stores.close();
        await deleteByPrefix(admin, prefix);
      },
    };
  });

  describe('on Redis', () => {
    let prefix: string;
    beforeEach(() => {
      prefix = uniquePrefix();
    });
    afterEach(async () => {
      await deleteByPrefix(admin, prefix);
    });

    it('is shared by every process on the prefix: a page can reconnect to another node', async () => {
      const [a, b] = [await createRedisStores({ url: REDIS_URL, prefix }), await createRedisStores({ url: REDIS_URL, prefix })];
      try {
        await a.activityLog.create('c-1');
        assert.equal(await b.activityLog.exists('c-1'), true);
        assert.equal(await a.activityLog.append('c-1', { id: 'x1', type: 'message', text: 'hi' }), '1');
        assert.equal(await b.activityLog.append('c-1', { id: 'x2', type: 'message', text: 'hello' }), '2');
        assert.deepEqual(await a.activityLog.since('c-1', '1'), { activities: [{ id: 'x2', type: 'message', text: 'hello' }], watermark: '2' });
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it('announces every append, from any process, to every watcher in position order, and calls onResync after a reconnect', async () => {
      const [a, b] = [await createRedisStores({ url: REDIS_URL, prefix }), await createRedisStores({ url: REDIS_URL, prefix })];
      try {
        const heard: AppendNotice[] = [];
        let resyncs = 0;
        const stop = await b.activityLog.watch((n) => void heard.push(n), () => void resyncs++);
        await a.activityLog.create('c-1');
        const marks = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).activityLog.append('c-1', { id: `x${i}`, type: 'message', text: `m${i}` })));
        await a.activityLog.append('c-1', { id: 'once', type: 'message' }, { onceKey: 'k' });
        await a.activityLog.append('c-1', { id: 'once-again', type: 'message' }, { onceKey: 'k' }); // not appended: not announced
        await waitFor(() => heard.length >= 11);
        assert.deepEqual(heard.map((n) => n.watermark), Array.from({ length: 11 }, (_, i) => String(i + 1)));
        assert.ok(heard.every((n) => n.conversationId === 'c-1'));
        for (const [i, w] of marks.entries()) assert.equal(heard.find((n) => n.watermark === w)?.activity['text'], `m${i}`);
        // The feed's connection is cut (as a Redis restart would): the watcher is told to catch up.
        const list = String(await admin.sendCommand(['CLIENT', 'LIST', 'TYPE', 'pubsub']));
        const ids = list.split('\n').filter((l) => l.includes(`name=${prefix} `)).map((l) => /id=(\d+)/.exec(l)?.[1]).filter((x): x is string => x !== undefined);
        assert.ok(ids.length > 0);
        for (const id of ids) await admin.sendCommand(['CLIENT', 'KILL', 'ID', id]);
        await waitFor(() => resyncs >= 1, 5000);
        await a.activityLog.append('c-1', { id: 'after', type: 'message' });
        await waitFor(() => heard.some((n) => n.activity.id === 'after'), 5000);
        await stop();
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it('keeps a conversation in one hash slot and leaves no keys behind a forgotten conversation', async () => {
      const stores = await createRedisStores({ url: REDIS_URL, prefix, activityLog: { maxConversations: 1, maxActivitiesPerConversation: 2, keepRecentMs: 0 } });
      try {
        const keys = new RedisKeys(prefix);
        const tag = (k: string) => /\{([^}]*)\}/.exec(k)?.[1];
        assert.equal(tag(keys.activityItems('webchat:c|1')), tag(keys.activity('webchat:c|1')));
        assert.equal(tag(keys.activityOnce('webchat:c|1', 'relay-1')), tag(keys.activity('webchat:c|1')));
        await stores.activityLog.create('old');
        for (let n = 0; n < 5; n++) await stores.activityLog.append('old', { id: `o${n}`, type: 'message' });
        assert.equal(await admin.lLen(keys.activityItems('old')), 2);
        await new Promise((r) => setTimeout(r, 2)); // "old" idle for more than 0 ms
        await stores.activityLog.create('new');
        assert.equal(await admin.exists([keys.activity('old'), keys.activityItems('old')]), 0);
        assert.deepEqual(await admin.zRange(keys.activityRecent(), 0, -1), ['new']);
      } finally {
        await stores.close();
      }
    });

    it('refuses caps below 1 with HANDOVER_ERR_CONFIG_INVALID', async () => {
      const client = await connectTestRedis();
      try {
        assert.throws(() => new RedisActivityLog(client, new RedisKeys(prefix), { maxActivitiesPerConversation: 0 }), (e: unknown) => isHandoverError(e, 'HANDOVER_ERR_CONFIG_INVALID'));
        assert.throws(() => new RedisActivityLog(client, new RedisKeys(prefix), { maxConversations: 1.5 }), (e: unknown) => isHandoverError(e, 'HANDOVER_ERR_CONFIG_INVALID'));
      } finally {
        await client.close();
      }
    });
  });
});
