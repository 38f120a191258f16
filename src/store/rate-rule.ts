import type { TokenBucketRule } from '../core/ports/rate-limiter.js';
import { HandoverError } from '../core/errors.js';

/**
 * Refuses a rule no bucket can follow (a burst under 1 would refuse everything; a zero refill would never refill).
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
