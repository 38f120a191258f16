import { describeAgentActionContract, describeAgentIndexContract } from './agent-actions-contract.js';
import { createRedisStores } from '../../src/store/redis/index.js';
import type { RedisClient } from '../../src/store/redis/redis-connection.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../support/redis.js';

// Wrapped in a describe so the before/after hooks are this file's, not root hooks of the whole run.
describe('redis store: agent actions', function () {
  let admin: RedisClient | undefined;

  before(async () => {
    // No skip when Redis is missing: this fails with how to start one.
    admin = await connectTestRedis();
  });

  after(async () => {
    await admin?.close();
  });

  const factory = async () => {
    const prefix = uniquePrefix();
    const stores = await createRedisStores({ url: REDIS_URL, prefix, relay: { retryMinMs: 20 } });
    return {
      ...stores,
      close: async () => {
        await stores.close();
        if (admin !== undefined) await deleteByPrefix(admin, prefix);
      },
    };
  };
  describeAgentIndexContract('redis', factory);
  describeAgentActionContract('redis', factory);
});
