import type { AttemptLimit } from '../core/ports/login-attempts.js';
import { HandoverError } from '../core/errors.js';

/**
 * Refuses what no attempt counter can follow: no key or more than three (the Redis script checks
 * three at most), a limit that is not a whole number ≥ 1, a window that is not a positive number of ms.
 *
 * @example
 * checkAttemptLimits([{ key: 'agent:ana', limit: 50 }], 900_000); // ok
 */
export function checkAttemptLimits(limits: readonly AttemptLimit[], windowMs: number): void {
  if (limits.length < 1 || limits.length > 3) throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `a sign-in reservation checks 1 to 3 counters, got ${limits.length}`);
  for (const l of limits) {
    if (!Number.isInteger(l.limit) || l.limit < 1) throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `a sign-in limit must be a whole number ≥ 1, got ${l.limit} for "${l.key}"`);
  }
  if (new Set(limits.map((l) => l.key)).size !== limits.length) throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `a sign-in reservation names a counter twice: ${limits.map((l) => l.key).join(', ')}`);
  if (!Number.isInteger(windowMs) || windowMs < 1) throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `a sign-in window must be a whole number of ms ≥ 1, got ${windowMs}`);
}
