import { randomBytes } from 'node:crypto';
import type { AttemptDecision, AttemptLimit, LoginAttempts } from '../../core/ports/login-attempts.js';
import { HandoverError } from '../../core/errors.js';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './redis-connection.js';
import { LuaScript } from './lua-script.js';
import { asUnavailable, failFastWhileDown } from './unavailable.js';
import { checkAttemptLimits } from '../attempt-rule.js';

const reserveScript = LuaScript.load('reserveAttempt-3.lua');
const releaseScript = LuaScript.load('releaseAttempt-3.lua');

/**
 * `LoginAttempts` on Redis: one sorted set per counter (`p:signin:{signin}:n:<key>`, member =
 * ticket, score = Redis time), checked and counted by one Lua script (`reserveAttempt-3.lua`) so
 * every process of the deployment draws on the same counters and parallel sign-ins cannot
 * overshoot; markers are strings with a TTL. While Redis is away every call rejects with
 * HANDOVER_ERR_STORE_UNAVAILABLE (the sign-in is refused: no unthrottled password checks).
 *
 * @example
 * const attempts = new RedisLoginAttempts(client, new RedisKeys('handover'));
 * const d = await attempts.reserve([{ key: 'agent:ana', limit: 50 }], 900_000);
 */
export class RedisLoginAttempts implements LoginAttempts {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async reserve(limits: readonly AttemptLimit[], windowMs: number): Promise<AttemptDecision> {
    checkAttemptLimits(limits, windowMs);
    const client = failFastWhileDown(this.client, 'check sign-in attempts');
    const ticket = randomBytes(12).toString('base64url');
    const keys = [0, 1, 2].map((i) => this.keys.signInAttempts(limits[i]?.key ?? `unused-${i}`));
    const args = [String(windowMs), ticket, ...[0, 1, 2].map((i) => String(limits[i]?.limit ?? 0))];
    let reply: unknown;
    try {
      reply = await reserveScript.run(client, keys, args);
    } catch (e) {
      throw asUnavailable(e, 'check sign-in attempts');
    }
    if (!Array.isArray(reply) || reply.length < 2 || !reply.every((n) => typeof n === 'number')) {
      throw new HandoverError('HANDOVER_ERR_STORE_DATA_INVALID', `reserveAttempt replied ${JSON.stringify(reply)}: check that nothing else writes under this key prefix`);
    }
    const [allowed, wait, ...full] = reply as number[];
    if (allowed === 1) return { allowed: true, retryAfterMs: 0, ticket, refusedBy: [] };
    return { allowed: false, retryAfterMs: wait!, ticket: null, refusedBy: full.map((i) => limits[i - 1]!.key) };
  }

  async release(ticket: string, giveBack: readonly string[], clear: readonly string[] = []): Promise<void> {
    const ops = [...giveBack.map((key) => ({ key, op: 'give' })), ...clear.map((key) => ({ key, op: 'clear' }))];
    if (ops.length === 0) return;
    if (ops.length > 3) throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `a sign-in release changes 1 to 3 counters, got ${ops.length}`);
    const client = failFastWhileDown(this.client, 'give a sign-in attempt back');
    const keys = [0, 1, 2].map((i) => this.keys.signInAttempts(ops[i]?.key ?? `unused-${i}`));
    try {
      await releaseScript.run(client, keys, [ticket, ...[0, 1, 2].map((i) => ops[i]?.op ?? '')]);
    } catch (e) {
      throw asUnavailable(e, 'give a sign-in attempt back');
    }
  }

  async remember(marker: string, ttlMs: number): Promise<void> {
    const client = failFastWhileDown(this.client, 'remember a known device');
    try {
      await client.set(this.keys.signInMarker(marker), '1', { PX: Math.max(1, Math.ceil(ttlMs)) });
    } catch (e) {
      throw asUnavailable(e, 'remember a known device');
    }
  }

  async remembers(marker: string): Promise<boolean> {
    const client = failFastWhileDown(this.client, 'read a known device');
    try {
      return (await client.exists(this.keys.signInMarker(marker))) === 1;
    } catch (e) {
      throw asUnavailable(e, 'read a known device');
    }
  }
}
