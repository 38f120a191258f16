import { checkRule, type RateDecision, type RateLimiter, type TokenBucketRule } from '../../core/ports/rate-limiter.js';
import { systemClock, type Clock } from '../../core/clock.js';

interface Bucket {
  tokens: number;
  at: number;
  /** Tokens a millisecond (kept to tell, when sweeping, whether the bucket is full again). */
  perMs: number;
  burst: number;
}

/**
 * In-process `RateLimiter` (one process: the memory store). The same arithmetic as
 * `takeToken-1.lua`; bounded: past `maxBuckets` the buckets that are full again are dropped (a full
 * bucket is the same as none).
 *
 * @example
 * const limiter = new MemoryRateLimiter();
 * (await limiter.take('webchat-start:127.0.0.1', { burst: 2, perMinute: 6 })).allowed; // true
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock = systemClock,
    private readonly maxBuckets = 100_000,
  ) {}

  async take(key: string, rule: TokenBucketRule): Promise<RateDecision> {
    checkRule(rule);
    const now = this.clock.now();
    const perMs = rule.perMinute / 60_000;
    const b = this.buckets.get(key);
    let tokens = b === undefined ? rule.burst : Math.min(rule.burst, b.tokens + Math.max(0, now - b.at) * perMs);
    let decision: RateDecision;
    if (tokens >= 1) {
      tokens -= 1;
      decision = { allowed: true, retryAfterMs: 0, remaining: Math.floor(tokens) };
    } else {
      decision = { allowed: false, retryAfterMs: Math.ceil((1 - tokens) / perMs), remaining: 0 };
    }
    if (b === undefined && this.buckets.size >= this.maxBuckets) this.sweep(now);
    this.buckets.set(key, { tokens, at: now, perMs, burst: rule.burst });
    return decision;
  }

  private sweep(now: number): void {
    for (const [key, b] of this.buckets) if (b.tokens + (now - b.at) * b.perMs >= b.burst) this.buckets.delete(key);
  }
}
