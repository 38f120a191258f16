/**
 * Agent passwords as `scrypt$<salt hex>$<key hex>` (node:crypto scrypt, default cost, 64-byte
 * key): the only form in which a password appears in manifest.json. Verification runs scrypt off
 * the event loop and compares with `timingSafeEqual`.
 *
 * @example
 * const hash = await hashPassword('ana-demo-password');     // 'scrypt$9f…$4c…'
 * await verifyPassword('ana-demo-password', hash);          // true
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_BYTES = 64;
const FORMAT = /^scrypt\$([0-9a-f]{16,})\$([0-9a-f]{64,})$/;

function derive(password: string, salt: Buffer, keyBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, keyBytes, (e, key) => (e ? reject(e) : resolve(key))));
}

/**
 * Hashes a password for manifest.json (`console.agents[].passwordHash`) with a fresh 16-byte salt.
 *
 * @example
 * const hash = await hashPassword('correct horse battery staple');
 */
export async function hashPassword(password: string, salt: Buffer = randomBytes(16)): Promise<string> {
  const key = await derive(password, salt, KEY_BYTES);
  return `scrypt$${salt.toString('hex')}$${key.toString('hex')}`;
}

/**
 * True when `password` matches `hash`. A malformed hash is simply no match. Takes the same time
 * whether or not the password is right.
 *
 * @example
 * if (!(await verifyPassword(body.password, agent.passwordHash))) throw unauthorized();
 */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const m = FORMAT.exec(hash);
  if (m === null || m[1]!.length % 2 !== 0 || m[2]!.length % 2 !== 0) return false;
  const salt = Buffer.from(m[1]!, 'hex');
  const expected = Buffer.from(m[2]!, 'hex');
  const actual = await derive(password, salt, expected.length);
  return timingSafeEqual(actual, expected);
}

/**
 * A hash no password matches, checked for unknown agent ids so that a wrong id costs the same
 * scrypt time as a wrong password (ids cannot be probed by timing).
 *
 * @example
 * await verifyPassword(password, agent?.passwordHash ?? DECOY_HASH);
 */
export const DECOY_HASH = `scrypt$${'00'.repeat(16)}$${'00'.repeat(KEY_BYTES)}`;
