import { HandoverError } from '../errors.js';

/**
 * A token bucket: `burst` tokens at most, refilled continuously at `perMinute` tokens a minute.
 *
 * @example
 * const rule: TokenBucketRule = { burst: 20, perMinute: 10 }; // 20 at once, then one every 6 s
 */
export interface TokenBucketRule {
  readonly burst: number;
  readonly perMinute: number;
}

/**
 * What `RateLimiter.take` decided.
 *
 * @example
 * const d: RateDecision = { allowed: false, retryAfterMs: 4200, remaining: 0 };
 */
export interface RateDecision {
  readonly allowed: boolean;
  /** When refused: how long until a token is there (ms); 0 when allowed. */
  readonly retryAfterMs: number;
  /** Whole tokens left in the bucket after this take. */
  readonly remaining: number;
}

/**
 * Token buckets by key, shared by every process of a deployment on Redis (one Lua script per take,
 * timed by Redis' own clock), in-process on the memory store. Used to limit anonymous web chat
 * conversations per client IP.
 *
 * @example
 * const d = await limiter.take(`webchat-start:${ip}`, { burst: 20, perMinute: 10 });
 * if (!d.allowed) res.writeHead(429, { 'Retry-After': String(Math.ceil(d.retryAfterMs / 1000)) }).end();
 */
export interface RateLimiter {
  /** Takes one token from the bucket `key` (a new bucket starts full). */
  take(key: string, rule: TokenBucketRule): Promise<RateDecision>;
}

/**
 * Refuses a rule no bucket can follow (a burst under 1 would refuse everything; a zero refill
 * would never refill). Every `RateLimiter` runs it on each take, and whoever builds limits from
 * configuration runs it at start.
 *
 * @example
 * checkRule({ burst: 20, perMinute: 10 }); // ok
 * checkRule({ burst: 0, perMinute: 10 });  // throws HANDOVER_ERR_CONFIG_INVALID
 */
export function checkRule(rule: TokenBucketRule): void {
  if (!Number.isInteger(rule.burst) || rule.burst < 1 || !Number.isFinite(rule.perMinute) || rule.perMinute <= 0) {
    throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `a rate limit needs a whole burst ≥ 1 and a refill > 0 a minute, got burst ${rule.burst}, ${rule.perMinute}/min`);
  }
}
