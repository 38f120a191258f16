/**
 * Sign-in attempts counted per key in a sliding window, reserved atomically before the password
 * work: `reserve` either records one attempt on every key (all under their limits) or records
 * nothing and says how long to wait. A sign-in that succeeds gives its attempt back (`release`), so
 * only failures stay counted. Shared by every process of a deployment on Redis (one Lua script per
 * reservation, timed by Redis' clock); in-process on the memory store.
 *
 * @example
 * const d = await attempts.reserve([{ key: 'agent-address:ana|203.0.113.7', limit: 5 }, { key: 'address:203.0.113.7', limit: 30 }], 15 * 60_000);
 * if (!d.allowed) refuse(429, d.retryAfterMs);
 * else if (await passwordIsRight()) await attempts.release(d.ticket!, ['address:203.0.113.7'], ['agent-address:ana|203.0.113.7']);
 */

/**
 * One counter and its limit: at most `limit` attempts in the window.
 *
 * @example
 * const l: AttemptLimit = { key: 'agent:ana', limit: 50 };
 */
export interface AttemptLimit {
  readonly key: string;
  /** Attempts allowed in the window (a whole number ≥ 1). */
  readonly limit: number;
}

/**
 * What `LoginAttempts.reserve` decided.
 *
 * @example
 * const d: AttemptDecision = { allowed: false, retryAfterMs: 840_000, ticket: null, refusedBy: ['agent-address:ana|10.0.0.7'] };
 */
export interface AttemptDecision {
  readonly allowed: boolean;
  /** When refused: how long until every full key has room again (ms); 0 when allowed. */
  readonly retryAfterMs: number;
  /** When allowed: the id of the recorded attempt (give it back with `release`); null when refused. */
  readonly ticket: string | null;
  /** When refused: the keys that were full. */
  readonly refusedBy: readonly string[];
}

/**
 * Sliding-window attempt counters plus remembered markers (known devices).
 *
 * @example
 * const attempts: LoginAttempts = stores.loginAttempts;
 */
export interface LoginAttempts {
  /**
   * Atomically: when every key holds fewer than its `limit` attempts within the last `windowMs`,
   * records one attempt on each and returns its ticket; otherwise records nothing.
   */
  reserve(limits: readonly AttemptLimit[], windowMs: number): Promise<AttemptDecision>;
  /** Gives the ticket's attempt back on `giveBack` and forgets every attempt on `clear`. */
  release(ticket: string, giveBack: readonly string[], clear?: readonly string[]): Promise<void>;
  /** Remembers `marker` for `ttlMs` (a later call renews it). */
  remember(marker: string, ttlMs: number): Promise<void>;
  /** True while `marker` is remembered. */
  remembers(marker: string): Promise<boolean>;
}
