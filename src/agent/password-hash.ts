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
import { HandoverError } from '../core/errors.js';

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
  checks += 1;
  const actual = await derive(password, salt, expected.length);
  return timingSafeEqual(actual, expected);
}

let checks = 0;

/**
 * How many passwords this process has run through scrypt so far (tests count the checks a burst of
 * sign-ins caused: the throttle must refuse before this work, not after).
 *
 * @example
 * const before = passwordChecksSoFar(); await flood(); passwordChecksSoFar() - before; // ≤ 5
 */
export function passwordChecksSoFar(): number {
  return checks;
}

/**
 * Bounds concurrent password checks: scrypt runs on libuv's thread pool (4 threads by default,
 * shared with file and DNS work), so a burst of sign-ins must neither take every thread nor queue
 * without end. At most `maxConcurrent` checks run; up to `maxWaiting` wait in order (a known device
 * of the agent waits in a queue of its own, served first); beyond that `run` throws
 * HANDOVER_ERR_BUSY (503 + Retry-After) at once.
 *
 * @example
 * const gate = new PasswordCheckGate({ maxConcurrent: 1, maxWaiting: 16 });
 * const ok = await gate.run(() => verifyPassword(password, hash), { priority: knownDevice });
 */
export class PasswordCheckGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly priorityWaiting: Array<() => void> = [];
  private readonly maxConcurrent: number;
  private readonly maxWaiting: number;

  constructor(opts: { readonly maxConcurrent?: number; readonly maxWaiting?: number } = {}) {
    this.maxConcurrent = opts.maxConcurrent ?? 1;
    this.maxWaiting = opts.maxWaiting ?? 16;
  }

  /** Checks running and waiting now. */
  get load(): { readonly running: number; readonly waiting: number } {
    return { running: this.running, waiting: this.waiting.length + this.priorityWaiting.length };
  }

  /** Runs `work` when a slot is free; throws HANDOVER_ERR_BUSY when the wait queue is full. */
  async run<T>(work: () => Promise<T>, opts: { readonly priority?: boolean } = {}): Promise<T> {
    if (this.running >= this.maxConcurrent) {
      const queue = opts.priority === true ? this.priorityWaiting : this.waiting;
      if (queue.length >= this.maxWaiting) {
        throw new HandoverError('HANDOVER_ERR_BUSY', 'many sign-ins at once right now: try again in a second');
      }
      // the slot is handed over by the finishing check (running stays counted), so nobody overtakes
      await new Promise<void>((resolve) => queue.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await work();
    } finally {
      const next = this.priorityWaiting.shift() ?? this.waiting.shift();
      if (next === undefined) this.running -= 1;
      else next();
    }
  }
}

/**
 * A hash no password matches, checked for unknown agent ids so that a wrong id costs the same
 * scrypt time as a wrong password (ids cannot be probed by timing).
 *
 * @example
 * await verifyPassword(password, agent?.passwordHash ?? DECOY_HASH);
 */
export const DECOY_HASH = `scrypt$${'00'.repeat(16)}$${'00'.repeat(KEY_BYTES)}`;
