import assert from 'node:assert/strict';
import { createRedisStores, RedisKeys, RedisLease, type RedisStores } from '../../../../src/store/redis/index.js';
import type { RedisClient } from '../../../../src/store/redis/redis-connection.js';
import { isHandoverError } from '../../../../src/core/errors.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../../../support/redis.js';
import { describeLeaseContract } from '../lease-contract.js';

describe('RedisLease', function () {
  let admin: RedisClient;
  before(async () => {
    // No skip when Redis is missing: this fails with how to start one.
    admin = await connectTestRedis();
  });
  after(async () => {
    await admin.close();
  });

  // Expiry is Redis' own (PX). To lapse a lease without a race against a short TTL, the test cuts
  // the key's remaining time to 1 ms and waits for Redis to drop it; the real TTL is tested below.
  describeLeaseContract('redis', async () => {
    const prefix = uniquePrefix();
    const stores = await createRedisStores({ url: REDIS_URL, prefix });
    const keys = new RedisKeys(prefix);
    return {
      lease: stores.lease,
      ttlMs: 30_000,
      lapse: async (name: string) => {
        await admin.pExpire(keys.lease(name), 1);
        while ((await admin.exists(keys.lease(name))) === 1) await new Promise((r) => setTimeout(r, 10));
      },
      close: async () => {
        await stores.close();
        await deleteByPrefix(admin, prefix);
      },
    };
  });

  describe('on Redis', () => {
    let prefix: string;
    let stores: RedisStores;
    let keys: RedisKeys;
    beforeEach(async () => {
      prefix = uniquePrefix();
      stores = await createRedisStores({ url: REDIS_URL, prefix });
      keys = new RedisKeys(prefix);
    });
    afterEach(async () => {
      await stores.close();
      await deleteByPrefix(admin, prefix);
    });

    it('stores the holder under the prefix with a PX expiry that acquire and renew push forward', async () => {
      const lease: RedisLease = stores.lease;
      assert.equal(await lease.acquire('whatsapp-web:main', 'node-a', 60_000), true);
      assert.equal(await admin.get(keys.lease('whatsapp-web:main')), 'node-a');
      const first = await admin.pTTL(keys.lease('whatsapp-web:main'));
      assert.ok(first > 0 && first <= 60_000, `PTTL ${first}`);
      assert.equal(await lease.renew('whatsapp-web:main', 'node-a', 600_000), true);
      assert.ok((await admin.pTTL(keys.lease('whatsapp-web:main'))) > 60_000);
      assert.equal(await lease.acquire('whatsapp-web:main', 'node-a', 900_000), true);
      assert.ok((await admin.pTTL(keys.lease('whatsapp-web:main'))) > 600_000);
    });

    it('lapses by itself when its TTL passes without a renew', async () => {
      assert.equal(await stores.lease.acquire('short', 'node-a', 40), true);
      while ((await admin.exists(keys.lease('short'))) === 1) await new Promise((r) => setTimeout(r, 10));
      assert.equal(await stores.lease.renew('short', 'node-a', 40), false);
      assert.equal(await stores.lease.acquire('short', 'node-b', 60_000), true);
    });

    it('is shared by every process on the prefix (two Stores = two nodes)', async () => {
      const other = await createRedisStores({ url: REDIS_URL, prefix });
      try {
        assert.equal(await stores.lease.acquire('l', 'node-a', 60_000), true);
        assert.equal(await other.lease.acquire('l', 'node-b', 60_000), false);
        await stores.lease.release('l', 'node-a');
        assert.equal(await other.lease.acquire('l', 'node-b', 60_000), true);
      } finally {
        await other.close();
      }
    });

    it('refuses a TTL below 1 ms and an empty holder with HANDOVER_ERR_CONFIG_INVALID', async () => {
      await assert.rejects(stores.lease.acquire('l', 'a', 0), (e: unknown) => isHandoverError(e, 'HANDOVER_ERR_CONFIG_INVALID'));
      await assert.rejects(stores.lease.renew('l', 'a', Number.NaN), (e: unknown) => isHandoverError(e, 'HANDOVER_ERR_CONFIG_INVALID'));
      await assert.rejects(stores.lease.acquire('l', '', 1000), (e: unknown) => isHandoverError(e, 'HANDOVER_ERR_CONFIG_INVALID'));
    });
  });
});
