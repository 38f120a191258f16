import { checkRule, type RateDecision, type RateLimiter, type TokenBucketRule } from '../../core/ports/rate-limiter.js';
import { HandoverError } from '../../core/errors.js';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './redis-connection.js';
import { LuaScript } from './lua-script.js';
import { asUnavailable, failFastWhileDown } from './unavailable.js';

const takeScript = LuaScript.load('takeToken-1.lua');

/**
 * `RateLimiter` on Redis: one hash per bucket (`p:rate:{<key>}`), one Lua script per take
 * (`takeToken-1.lua`) timed by Redis' clock, so every process of the deployment draws from the same
 * bucket. A bucket expires once it would be full again. While Redis is away a take rejects with
 * HANDOVER_ERR_STORE_UNAVAILABLE (what it guards, a new conversation, needs Redis too).
 *
 * @example
 * const limiter = new RedisRateLimiter(client, new RedisKeys('handover'));
 * const d = await limiter.take('webchat-start:203.0.113.7', { burst: 20, perMinute: 10 });
 */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async take(key: string, rule: TokenBucketRule): Promise<RateDecision> {
    checkRule(rule);
    const client = failFastWhileDown(this.client, 'check a rate limit');
    let reply: unknown;
    try {
      reply = await takeScript.run(client, [this.keys.rateBucket(key)], [String(rule.burst), String(rule.perMinute)]);
    } catch (e) {
      throw asUnavailable(e, 'check a rate limit');
    }
    if (!Array.isArray(reply) || reply.length !== 3 || !reply.every((n) => typeof n === 'number')) {
      throw new HandoverError('HANDOVER_ERR_STORE_DATA_INVALID', `takeToken replied ${JSON.stringify(reply)}: check that nothing else writes under this key prefix`);
    }
    const [allowed, retryAfterMs, remaining] = reply as [number, number, number];
    return { allowed: allowed === 1, retryAfterMs, remaining };
  }
}
