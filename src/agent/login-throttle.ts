/**
 * Slows password guessing on the console's sign-in, on counters shared by every process (Redis) or
 * held by the one process (memory store): an attempt is checked AND counted before any password
 * work (`LoginAttempts.reserve`, one atomic step), so parallel guesses cannot all slip past the
 * check; a sign-in that succeeds gives its attempt back, so only failures stay counted.
 *
 * Policy (manifest.json `console.signIn`, defaults in brackets), failures within `windowMinutes` [15]:
 * - per agent id + client address: `perAgentAddress` [5];
 * - per client address, whatever the id: `perAddress` [30] (a spray of ids from one place);
 * - per agent id from all addresses together: `perAgent` [50] (a distributed attack is slowed);
 * - a browser where the agent signed in before (a known device: an HttpOnly cookie, remembered
 *   `knownDeviceDays` [30]) counts only its own failures for that agent, `perAgentAddress` [5]: the
 *   agent is never locked out by someone else's failures, from her address or any other.
 *
 * @example
 * const throttle = new SignInThrottle({ attempts: stores.loginAttempts, policy: manifest.console.signIn });
 * const attempt = await throttle.begin(req, body.id);   // throws RetryLaterError (429) when over a limit
 * if (!ok) await attempt.failed(); else cookies.push(...(await attempt.succeeded()));
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { clientAddress } from '../server/client-address.js';
import type { SignInSchema } from '../config/manifest-schema.js';
import { HandoverError, type ErrorCode } from '../core/errors.js';
import type { AttemptLimit, LoginAttempts } from '../core/ports/login-attempts.js';
import type { z } from 'zod';
import { parseCookies } from './console-auth.js';

/**
 * The sign-in policy (manifest.json `console.signIn`, parsed with its defaults).
 *
 * @example
 * const policy: SignInPolicy = manifest.console.signIn;
 */
export type SignInPolicy = z.infer<typeof SignInSchema>;

/**
 * Name of the known-device cookie (sent only to `/api/login`).
 *
 * @example
 * parseCookies(req.headers.cookie).get(DEVICE_COOKIE);
 */
export const DEVICE_COOKIE = 'handover_device';

const DEVICE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * A refusal that knows when to come back (`Retry-After`): over a sign-in limit (429), or too many
 * password checks at once (503).
 *
 * @example
 * throw new RetryLaterError('HANDOVER_ERR_TOO_MANY_REQUESTS', 'too many failed sign-ins', 840_000);
 */
export class RetryLaterError extends HandoverError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(code, message);
  }

  /** Whole seconds for the `Retry-After` header (at least 1). */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.retryAfterMs / 1000));
  }
}

/**
 * `Retry-After` for an error that carries a wait, none otherwise.
 *
 * @example
 * sendError(res, e, retryAfterHeaders(e));
 */
export function retryAfterHeaders(e: unknown): Record<string, string> {
  return e instanceof RetryLaterError ? { 'Retry-After': String(e.retryAfterSeconds) } : {};
}


/**
 * One sign-in whose attempt is reserved: settle it once the password is checked.
 *
 * @example
 * const a = await throttle.begin(req, 'ana');
 * await (ok ? a.succeeded() : a.failed());
 */
export interface SignInAttempt {
  /** True when the request came from a known device of this agent (its password check goes first in line). */
  readonly knownDevice: boolean;
  /** The password was wrong: the attempt stays counted. */
  failed(): Promise<void>;
  /**
   * The password was right: the attempt is given back, this agent+address (or device) counter is
   * cleared; resolves with the `Set-Cookie` values to send (the known-device cookie, when new).
   */
  succeeded(): Promise<string[]>;
  /** The password was never checked (the server was busy): the attempt is given back. */
  abandoned(): Promise<void>;
}

/**
 * Reserves sign-in attempts under the policy.
 *
 * @example
 * const throttle = new SignInThrottle({ attempts, policy, secureCookies: true });
 */
export class SignInThrottle {
  private readonly windowMs: number;

  constructor(private readonly opts: { readonly attempts: LoginAttempts; readonly policy: SignInPolicy; readonly secureCookies?: boolean }) {
    this.windowMs = opts.policy.windowMinutes * 60_000;
  }

  /**
   * Checks and counts one attempt for `id` from this request's client before any password work.
   * Throws RetryLaterError (HANDOVER_ERR_TOO_MANY_REQUESTS, with the wait) when a limit is reached;
   * HANDOVER_ERR_STORE_UNAVAILABLE when the counters cannot be read (no unthrottled check then).
   */
  async begin(req: IncomingMessage, id: string): Promise<SignInAttempt> {
    const { policy, attempts } = this.opts;
    const address = clientAddress(req, policy.trustedProxies);
    const token = policy.knownDeviceDays > 0 ? parseCookies(req.headers.cookie).get(DEVICE_COOKIE) : undefined;
    const device = token !== undefined && DEVICE_TOKEN.test(token) ? createHash('sha256').update(token).digest('base64url').slice(0, 32) : undefined;
    const marker = (d: string): string => `device:${id}|${d}`;
    const knownDevice = device !== undefined && (await attempts.remembers(marker(device)));

    const own: AttemptLimit = knownDevice ? { key: `agent-device:${id}|${device}`, limit: policy.perAgentAddress } : { key: `agent-address:${id}|${address}`, limit: policy.perAgentAddress };
    const shared: AttemptLimit[] = knownDevice
      ? []
      : [
          { key: `address:${address}`, limit: policy.perAddress },
          { key: `agent:${id}`, limit: policy.perAgent },
        ];
    const d = await attempts.reserve([own, ...shared], this.windowMs);
    if (!d.allowed) {
      const which = d.refusedBy.includes(own.key) ? 'for this agent from here' : d.refusedBy.some((k) => k.startsWith('address:')) ? 'from this address' : 'for this agent';
      throw new RetryLaterError('HANDOVER_ERR_TOO_MANY_REQUESTS', `too many failed sign-ins ${which}; try again in ${Math.ceil(d.retryAfterMs / 60_000)} min`, d.retryAfterMs);
    }
    const ticket = d.ticket!;
    const sharedKeys = shared.map((l) => l.key);
    return {
      knownDevice,
      failed: async () => {},
      abandoned: () => attempts.release(ticket, [own.key, ...sharedKeys]),
      succeeded: async () => {
        await attempts.release(ticket, sharedKeys, [own.key]);
        if (policy.knownDeviceDays === 0) return [];
        const maxAgeMs = policy.knownDeviceDays * 86_400_000;
        // one device cookie per browser; each agent who signs in on it knows it
        const kept = device !== undefined ? token! : undefined;
        const fresh = kept ?? randomBytes(32).toString('base64url');
        const hash = device ?? createHash('sha256').update(fresh).digest('base64url').slice(0, 32);
        await attempts.remember(marker(hash), maxAgeMs);
        return [this.deviceCookie(fresh, maxAgeMs)];
      },
    };
  }

  /** `Set-Cookie` of the known-device cookie: HttpOnly, SameSite=Strict, sent only to sign-in. */
  private deviceCookie(token: string, maxAgeMs: number): string {
    return [
      `${DEVICE_COOKIE}=${token}`,
      'Path=/api/login',
      'HttpOnly',
      'SameSite=Strict',
      `Max-Age=${Math.floor(maxAgeMs / 1000)}`,
      ...(this.opts.secureCookies === true ? ['Secure'] : []),
    ].join('; ');
  }
}
