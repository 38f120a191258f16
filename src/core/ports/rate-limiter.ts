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
