import type { Lease } from '../../core/ports/lease.js';
import { HandoverError } from '../../core/errors.js';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './redis-connection.js';
import { LuaScript } from './lua-script.js';

const acquireScript = LuaScript.load('acquireLease-1.lua');
const renewScript = LuaScript.load('renewLease-1.lua');
const releaseScript = LuaScript.load('releaseLease-1.lua');

/**
 * `Lease` on Redis: one string key per lease holding the holder's id, with a PX expiry, so the
 * lease lapses by Redis' clock when its holder stops renewing (crash, partition) and no process's
 * clock has to agree with another's.
 *
 * - `acquire` = `SET key holder NX PX ttl`, or, when the key is already the caller's, PEXPIRE;
 * - `renew` = PEXPIRE only while GET still answers the caller (a lapsed lease is never re-created);
 * - `release` = DEL only while GET still answers the caller.
 * Each is one Lua script, so "is it mine?" and the write that follows cannot be split by the key
 * expiring and another holder taking it in between (see `scripts/*Lease-1.lua`).
 *
 * @example
 * const lease = new RedisLease(client, new RedisKeys('handover'));
 * if (await lease.acquire('whatsapp-web:main', 'node-a', 30_000)) {
 *   setInterval(() => void lease.renew('whatsapp-web:main', 'node-a', 30_000), 10_000);
 * }
 */
export class RedisLease implements Lease {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return (await acquireScript.run(this.client, [this.keys.lease(name)], [checkHolder(holder), checkTtl(ttlMs)])) === 1;
  }

  async renew(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return (await renewScript.run(this.client, [this.keys.lease(name)], [checkHolder(holder), checkTtl(ttlMs)])) === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    await releaseScript.run(this.client, [this.keys.lease(name)], [checkHolder(holder)]);
  }
}

/** PX takes a positive integer; a fractional or zero TTL would be a Redis error far from its cause. */
function checkTtl(ttlMs: number): string {
  if (!Number.isFinite(ttlMs) || ttlMs < 1) {
    throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `lease TTL must be at least 1 ms, got ${ttlMs}`);
  }
  return String(Math.ceil(ttlMs));
}

/** An empty holder id could never be told apart from "nobody", so it is refused. */
function checkHolder(holder: string): string {
  if (holder === '') throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', 'lease holder id must not be empty');
  return holder;
}
