import type { Clock } from '../../core/clock.js';
import { systemClock } from '../../core/clock.js';
import type { Lease } from '../../core/ports/lease.js';

/**
 * In-process `Lease`: enough for one process (the default) and for tests that run several supervisors
 * in one process against one shared instance. Expiry follows the injected clock, so tests make a lease
 * lapse by moving a `ManualClock` instead of sleeping.
 *
 * @example
 * const lease = new MemoryLease(new ManualClock(0));
 * await lease.acquire('whatsapp-web:main', 'a', 30_000); // true
 * await lease.acquire('whatsapp-web:main', 'b', 30_000); // false until 'a' releases or 30 s pass
 */
export class MemoryLease implements Lease {
  private readonly leases = new Map<string, { holder: string; expiresAt: number }>();

  constructor(private readonly clock: Clock = systemClock) {}

  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    const cur = this.leases.get(name);
    if (cur !== undefined && cur.holder !== holder && cur.expiresAt > now) return false;
    this.leases.set(name, { holder, expiresAt: now + ttlMs });
    return true;
  }

  async renew(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    const cur = this.leases.get(name);
    // An expired lease is not renewed even by its old holder: someone may already have seen it free.
    if (cur === undefined || cur.holder !== holder || cur.expiresAt <= now) return false;
    cur.expiresAt = now + ttlMs;
    return true;
  }

  async release(name: string, holder: string): Promise<void> {
    if (this.leases.get(name)?.holder === holder) this.leases.delete(name);
  }
}
