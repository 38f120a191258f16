import { randomBytes } from 'node:crypto';
import type { AttemptDecision, AttemptLimit, LoginAttempts } from '../../core/ports/login-attempts.js';
import { systemClock, type Clock } from '../../core/clock.js';
import { checkAttemptLimits } from '../attempt-rule.js';

interface Attempt {
  readonly at: number;
  readonly ticket: string;
}

/**
 * In-process `LoginAttempts` (one process: the memory store): the same sliding windows as
 * `reserveAttempt-3.lua`, checked and counted in one synchronous step (no await between them), so
 * parallel sign-ins cannot all see room left. Bounded: past `maxKeys` counters (or markers) the
 * empty or expired ones go, then the oldest.
 *
 * @example
 * const attempts = new MemoryLoginAttempts(clock);
 * const d = await attempts.reserve([{ key: 'address:10.0.0.7', limit: 30 }], 900_000);
 */
export class MemoryLoginAttempts implements LoginAttempts {
  private readonly counters = new Map<string, Attempt[]>();
  private readonly markers = new Map<string, number>();

  constructor(
    private readonly clock: Clock = systemClock,
    private readonly maxKeys = 100_000,
  ) {}

  async reserve(limits: readonly AttemptLimit[], windowMs: number): Promise<AttemptDecision> {
    checkAttemptLimits(limits, windowMs);
    const now = this.clock.now();
    let wait = 0;
    const refusedBy: string[] = [];
    for (const { key, limit } of limits) {
      const list = this.recent(key, now, windowMs);
      if (list.length >= limit) {
        wait = Math.max(wait, list[list.length - limit]!.at + windowMs - now);
        refusedBy.push(key);
      }
    }
    if (refusedBy.length > 0) return { allowed: false, retryAfterMs: Math.max(1, wait), ticket: null, refusedBy };
    const ticket = randomBytes(12).toString('base64url');
    for (const { key } of limits) {
      const list = this.counters.get(key);
      if (list === undefined) {
        if (this.counters.size >= this.maxKeys) this.sweep(this.counters, now, windowMs);
        this.counters.set(key, [{ at: now, ticket }]);
      } else {
        list.push({ at: now, ticket });
      }
    }
    return { allowed: true, retryAfterMs: 0, ticket, refusedBy: [] };
  }

  async release(ticket: string, giveBack: readonly string[], clear: readonly string[] = []): Promise<void> {
    for (const key of giveBack) {
      const list = this.counters.get(key);
      if (list === undefined) continue;
      const i = list.findIndex((a) => a.ticket === ticket);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.counters.delete(key);
    }
    for (const key of clear) this.counters.delete(key);
  }

  async remember(marker: string, ttlMs: number): Promise<void> {
    this.markers.delete(marker); // re-inserted last: the oldest go first when bounding
    if (this.markers.size >= this.maxKeys) {
      const now = this.clock.now();
      for (const [m, until] of this.markers) if (until <= now) this.markers.delete(m);
      const oldest = this.markers.keys().next();
      if (this.markers.size >= this.maxKeys && oldest.done !== true) this.markers.delete(oldest.value);
    }
    this.markers.set(marker, this.clock.now() + ttlMs);
  }

  async remembers(marker: string): Promise<boolean> {
    const until = this.markers.get(marker);
    if (until === undefined) return false;
    if (until > this.clock.now()) return true;
    this.markers.delete(marker);
    return false;
  }

  /** The attempts of `key` still in the window (older ones dropped). */
  private recent(key: string, now: number, windowMs: number): Attempt[] {
    const list = this.counters.get(key);
    if (list === undefined) return [];
    let drop = 0;
    while (drop < list.length && list[drop]!.at <= now - windowMs) drop++;
    if (drop > 0) list.splice(0, drop);
    if (list.length === 0) this.counters.delete(key);
    return list;
  }

  private sweep(counters: Map<string, Attempt[]>, now: number, windowMs: number): void {
    for (const key of [...counters.keys()]) this.recent(key, now, windowMs);
    const oldest = counters.keys().next();
    if (counters.size >= this.maxKeys && oldest.done !== true) counters.delete(oldest.value);
  }
}
