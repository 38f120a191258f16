/**
 * Slows password guessing: after `maxFailures` failed sign-ins for one agent id from one address
 * within `windowMs`, further attempts are refused (429) until the window passes. Per process, in
 * memory: with N processes an attacker gets at most N × maxFailures tries per window.
 *
 * @example
 * const throttle = new LoginThrottle({ clock });
 * throttle.check(`${id}|${ip}`);       // throws HANDOVER_ERR_TOO_MANY_REQUESTS when over the limit
 * throttle.failed(`${id}|${ip}`);      // after a wrong password
 * throttle.succeeded(`${id}|${ip}`);
 */
import type { Clock } from '../core/clock.js';
import { HandoverError } from '../core/errors.js';

/**
 * Counts failed sign-ins per key (agent id + address) in a sliding window.
 *
 * @example
 * const t = new LoginThrottle({ clock, maxFailures: 5, windowMs: 15 * 60_000 });
 * t.check('ana|10.0.0.7');
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly maxFailures: number;
  private readonly windowMs: number;

  constructor(private readonly opts: { readonly clock: Clock; readonly maxFailures?: number; readonly windowMs?: number }) {
    this.maxFailures = opts.maxFailures ?? 5;
    this.windowMs = opts.windowMs ?? 15 * 60_000;
  }

  private recent(key: string): number[] {
    const since = this.opts.clock.now() - this.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  /** Throws `HANDOVER_ERR_TOO_MANY_REQUESTS` when this key failed too often recently. */
  check(key: string): void {
    if (this.recent(key).length >= this.maxFailures) {
      throw new HandoverError('HANDOVER_ERR_TOO_MANY_REQUESTS', 'too many failed sign-ins; wait a few minutes and try again');
    }
  }

  failed(key: string): void {
    const list = this.recent(key);
    list.push(this.opts.clock.now());
    this.failures.set(key, list);
    // Bound memory under a spray of made-up ids: forget the oldest keys.
    if (this.failures.size > 10_000) {
      const oldest = this.failures.keys().next();
      if (oldest.done !== true) this.failures.delete(oldest.value);
    }
  }

  succeeded(key: string): void {
    this.failures.delete(key);
  }
}
