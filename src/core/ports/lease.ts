/**
 * A named, expiring lock held by one process at a time. The WhatsApp Web session can be open in one
 * process only (two Chromium profiles on one number log each other out), so the process that holds
 * the `whatsapp-web:<clientId>` lease is the one that runs the client; the others wait, and take over
 * when the holder stops renewing (crash, partition) and the lease lapses.
 *
 * Semantics every implementation follows (the memory one and the Redis one):
 * - `acquire` succeeds when the lease is free, expired, or already held by `holder` (then it extends it);
 * - `renew` succeeds only while `holder` still holds an unexpired lease, and extends it to now + ttlMs;
 * - `release` frees the lease only if `holder` holds it (never someone else's);
 * - expiry is measured by the store (memory: the injected Clock; Redis: PX on the key), never by the caller.
 *
 * @example
 * if (await lease.acquire('whatsapp-web:main', 'node-a', 30_000)) {
 *   // ... run the client, renew every 10 s ...
 *   await lease.renew('whatsapp-web:main', 'node-a', 30_000);
 *   await lease.release('whatsapp-web:main', 'node-a');
 * }
 */
export interface Lease {
  /** Take the lease if free or expired (or extend it if `holder` already has it). True when held. */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Extend a lease `holder` still holds. False when it lapsed or another holder has it. */
  renew(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Give the lease up early so another process need not wait for the TTL. No-op if not held. */
  release(name: string, holder: string): Promise<void>;
}
