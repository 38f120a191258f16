import { createRedisStores } from '../../src/store/redis/index.js';
import type { RedisClient } from '../../src/store/redis/redis-connection.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../support/redis.js';
import { ATTEMPTS, describeRelayContract } from './relay-contract.js';

describe('redis relay', function () {
  let admin: RedisClient;
  before(async () => {
    // No skip when Redis is missing: this fails with how to start one.
    admin = await connectTestRedis();
  });
  after(async () => {
    await admin.close();
  });

  describeRelayContract('redis', async () => {
    const prefix = uniquePrefix();
    const stores = await createRedisStores({ url: REDIS_URL, prefix, relay: { maxAttempts: ATTEMPTS, retryMinMs: 10, retryMaxMs: 40 } });
    return {
      relay: stores.relay,
      close: async () => {
        await stores.close();
        await deleteByPrefix(admin, prefix);
      },
    };
  });
});
