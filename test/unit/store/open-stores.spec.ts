/**
 * `openStores` (memory or Redis from configuration) and `handover simulate --store redis://…`,
 * which must pass every scenario on Redis and leave no key behind.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openStores } from '../../../src/store/open-stores.js';
import { openStores as openSimulateStores, runScenario } from '../../../src/cli/simulate.js';
import { readScenarios } from '../../../src/cli/scenario.js';
import { loadDialogs } from '../../../src/dialogs/load-dialogs.js';
import { conversationId } from '../../../src/core/ids.js';
import { isHandoverError } from '../../../src/core/errors.js';
import { RedisKeys, type RedisStores } from '../../../src/store/redis/index.js';
import type { RedisClient } from '../../../src/store/redis/redis-connection.js';
import { manifest } from '../../support/harness.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../../support/redis.js';

async function countKeys(admin: RedisClient, prefix: string): Promise<number> {
  let n = 0;
  for await (const batch of admin.scanIterator({ MATCH: new RedisKeys(prefix).pattern(), COUNT: 500 })) n += batch.length;
  return n;
}

describe('openStores: the store named by configuration', function () {
  let admin: RedisClient;
  before(async () => {
    // No skip when Redis is missing: this fails with how to start one.
    admin = await connectTestRedis();
  });
  after(async () => {
    await admin.close();
  });

  it('"memory" gives every port in this process, lease and web chat history included', async () => {
    const stores = await openStores('memory');
    assert.equal(stores.kind, 'memory');
    assert.equal(stores.prefix, null);
    assert.equal(await stores.lease.acquire('l', 'a', 1000), true);
    await stores.activityLog.create('c');
    assert.equal(await stores.activityLog.append('c', { id: '1', type: 'message' }), '1');
    assert.equal((await stores.handoffs.get(conversationId('c'))).version, 0);
    await stores.close();
  });

  it('a redis:// URL gives the Redis store under the prefix, which close() keeps', async () => {
    const prefix = uniquePrefix();
    const stores = await openStores(REDIS_URL, { prefix });
    try {
      assert.equal(stores.kind, 'redis');
      assert.equal(stores.prefix, prefix);
      assert.equal(await stores.lease.acquire('l', 'a', 60_000), true);
      await stores.documents.write('d', { v: 1 });
      await stores.activityLog.create('c');
      await stores.close();
      const keys = new RedisKeys(prefix);
      const left: string[] = [];
      for await (const batch of admin.scanIterator({ MATCH: keys.pattern() })) left.push(...batch);
      // a deployment's data outlives its processes
      assert.deepEqual(left.sort(), [keys.activity('c'), keys.activityRecent(), keys.document('d'), keys.lease('l')].sort());
    } finally {
      await stores.close();
      await deleteByPrefix(admin, prefix);
    }
  });

  it('deleteKeysOnClose removes every key under its prefix, and only those', async () => {
    const [mine, other] = [uniquePrefix(), uniquePrefix()];
    const keep = await openStores(REDIS_URL, { prefix: other });
    const throwaway = await openStores(REDIS_URL, { prefix: mine, deleteKeysOnClose: true });
    try {
      for (const s of [keep, throwaway]) {
        await s.documents.write('d', { v: 1 });
        await s.transcripts.append(conversationId('c'), { at: 1, from: 'customer', type: 'message', text: 'hi' });
      }
      assert.equal(await countKeys(admin, mine), 2);
      await throwaway.close();
      assert.equal(await countKeys(admin, mine), 0);
      assert.equal(await countKeys(admin, other), 2);
    } finally {
      await Promise.all([keep.close(), throwaway.close()]);
      await deleteByPrefix(admin, other);
      await deleteByPrefix(admin, mine);
    }
  });

  it('refuses anything but "memory" or a Redis URL with HANDOVER_ERR_CONFIG_INVALID, hiding passwords', async () => {
    for (const bad of ['', 'redis', 'postgres://x', 'redis:/user:pw@host', 'http://127.0.0.1:6379']) {
      await assert.rejects(openStores(bad), (e: unknown) => {
        assert.ok(isHandoverError(e, 'HANDOVER_ERR_CONFIG_INVALID'), String(e));
        assert.doesNotMatch(e.message, /pw@/);
        return true;
      });
    }
  });

  it('says how to start Redis when none answers (HANDOVER_ERR_STORE_UNAVAILABLE)', async () => {
    await assert.rejects(openStores('redis://127.0.0.1:1', { prefix: uniquePrefix() }), (e: unknown) => {
      assert.ok(isHandoverError(e, 'HANDOVER_ERR_STORE_UNAVAILABLE'));
      assert.match(e.message, /redis-server/);
      return true;
    });
  });

  describe('handover simulate --store redis://…', function () {
    this.timeout(60_000);

    it('runs scenarios on a private prefix and deletes its keys on close', async () => {
      const stores = (await openSimulateStores(REDIS_URL)) as RedisStores;
      const prefix = stores.keys.prefix;
      assert.match(prefix, /^handover-sim:\d+:\d+$/);
      try {
        const catalog = loadDialogs({ dialogsDir: 'dialogs', localesDir: 'locales', manifest });
        const handing = readScenarios('../shared/scenarios/acme-en.json').find((s) => s.expect?.handoff != null);
        assert.ok(handing !== undefined);
        const { result } = await runScenario(handing, { manifest, catalog, stores, root: process.cwd(), runId: 'redis-test' });
        assert.equal(result.result.handoff?.reason, handing.expect?.handoff?.reason);
        assert.ok((await countKeys(admin, prefix)) > 0, 'the scenario ran on Redis');
      } finally {
        await stores.close();
      }
      assert.equal(await countKeys(admin, prefix), 0);
    });

    it('passes every scenario (the public ones and ours) with --check and leaves no key behind', () => {
      const ours = readdirSync('test/scenarios').filter((f) => f.endsWith('.json')).map((f) => join('test/scenarios', f));
      const r = spawnSync(process.execPath, ['bin/handover.cjs', 'simulate', '../shared/scenarios/acme-en.json', ...ours, '--check', '--store', REDIS_URL], {
        encoding: 'utf8',
        env: { ...process.env, REDIS_URL: '' },
      });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      const last = r.stdout.trim().split('\n').at(-1) ?? '';
      assert.match(last, /^\d+ passed, 0 failed$/);
      assert.ok(Number(last.split(' ')[0]) >= 72);
      return countKeys(admin, `handover-sim:${r.pid}`).then((n) => assert.equal(n, 0, 'keys left under the run\'s prefix'));
    });
  });
});
