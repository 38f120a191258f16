/**
 * The Lease contract: `MemoryLease` and `RedisLease` must behave the same. Each factory says how
 * to make a lease lapse in its own terms (memory: move the manual clock; Redis: let PX expire),
 * because expiry is measured by the store, never by the caller.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Lease } from '../../../src/core/ports/lease.js';

export interface LeaseFixture {
  readonly lease: Lease;
  /** TTL to use in these tests (short on Redis so a lapse is quick to wait for). */
  readonly ttlMs: number;
  /** Returns once the lease `name` acquired with `ttlMs` has lapsed. */
  lapse(name: string): Promise<void>;
  close(): Promise<void>;
}

export function describeLeaseContract(name: string, factory: () => Promise<LeaseFixture>): void {
  describe(`lease contract: ${name}`, function () {
    let f: LeaseFixture;
    let lease: Lease;
    let ttl: number;
    const leaseName = () => `whatsapp-web:${randomUUID()}`;
    beforeEach(async () => {
      f = await factory();
      lease = f.lease;
      ttl = f.ttlMs;
    });
    afterEach(async () => {
      await f.close();
    });

    it('gives a free lease to the first holder and refuses the others while it is held', async () => {
      const n = leaseName();
      assert.equal(await lease.acquire(n, 'a', ttl), true);
      assert.equal(await lease.acquire(n, 'b', ttl), false);
      assert.equal(await lease.renew(n, 'b', ttl), false);
    });

    it('lets the holder acquire again (extends it) and renew', async () => {
      const n = leaseName();
      assert.equal(await lease.acquire(n, 'a', ttl), true);
      assert.equal(await lease.acquire(n, 'a', ttl), true);
      assert.equal(await lease.renew(n, 'a', ttl), true);
    });

    it('lets exactly one of many concurrent acquirers win', async () => {
      const n = leaseName();
      const won = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((h) => lease.acquire(n, h, ttl)));
      assert.equal(won.filter(Boolean).length, 1);
    });

    it('releases only for its holder, and a released lease is free at once', async () => {
      const n = leaseName();
      await lease.acquire(n, 'a', ttl);
      await lease.release(n, 'b'); // not b's: no-op
      assert.equal(await lease.acquire(n, 'b', ttl), false);
      await lease.release(n, 'a');
      assert.equal(await lease.acquire(n, 'b', ttl), true);
      await lease.release(leaseName(), 'nobody'); // releasing a lease nobody holds is harmless
    });

    it('lapses when not renewed: another holder takes it, and the old holder cannot renew it back', async () => {
      const n = leaseName();
      assert.equal(await lease.acquire(n, 'a', ttl), true);
      await f.lapse(n);
      assert.equal(await lease.renew(n, 'a', ttl), false, 'a lapsed lease is not renewed, even by its old holder');
      assert.equal(await lease.acquire(n, 'b', ttl), true, 'the renew attempt did not re-create it for a');
      assert.equal(await lease.acquire(n, 'a', ttl), false);
      await lease.release(n, 'a'); // a no longer holds it: b keeps it
      assert.equal(await lease.renew(n, 'b', ttl), true);
    });

    it('lets the old holder acquire a lapsed lease again when nobody else took it', async () => {
      const n = leaseName();
      await lease.acquire(n, 'a', ttl);
      await f.lapse(n);
      assert.equal(await lease.acquire(n, 'a', ttl), true);
      assert.equal(await lease.renew(n, 'a', ttl), true);
    });

    it('keeps leases with different names apart', async () => {
      const [x, y] = [leaseName(), leaseName()];
      assert.equal(await lease.acquire(x, 'a', ttl), true);
      assert.equal(await lease.acquire(y, 'b', ttl), true);
      await lease.release(x, 'a');
      assert.equal(await lease.renew(y, 'b', ttl), true);
    });
  });
}
