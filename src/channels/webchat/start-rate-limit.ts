import type { IncomingMessage } from 'node:http';
import { HandoverError } from '../../core/errors.js';
import type { RateLimiter, TokenBucketRule } from '../../core/ports/rate-limiter.js';
import { withRetryAfter } from './http-utils.js';
import { clientAddress } from '../../server/client-address.js';

export { clientAddress };

/**
 * How anonymous conversations are limited per client IP (both front doors: `POST
 * /v3/directline/conversations` and the widget's `start`). A token bucket per IP: `burst` at once,
 * then `perMinute`. The defaults (60, 60 a minute) let one address create at most 1,800
 * conversations in the history's 30-minute "recent" window, far under its 10,000 cap, so one
 * client cannot push other customers' recent conversations out.
 *
 * @example
 * const opts: StartRateLimitOptions = { limiter: stores.rateLimiter, burst: 60, perMinute: 60, trustedProxies: 1 };
 */
export interface StartRateLimitOptions {
  /** The buckets: `stores.rateLimiter` (shared by every process on Redis, in this process on the memory store). */
  readonly limiter: RateLimiter;
  /** Conversations an address may start at once. Default 60. */
  readonly burst?: number;
  /** Refill, conversations a minute. Default 60. */
  readonly perMinute?: number;
  /**
   * Reverse proxies in front of the service that append to `X-Forwarded-For`: the client is the
   * address the outermost of them saw. Default 0: the socket's peer (a header is never trusted).
   */
  readonly trustedProxies?: number;
}

/**
 * The check both front doors run before starting a conversation.
 *
 * @example
 * const limit = new StartRateLimit({ limiter: stores.rateLimiter });
 * await limit.check(req); // throws HANDOVER_ERR_TOO_MANY_REQUESTS (429, Retry-After) past the limit
 */
export class StartRateLimit {
  private readonly limiter: RateLimiter;
  private readonly rule: TokenBucketRule;
  private readonly trustedProxies: number;

  constructor(opts: StartRateLimitOptions) {
    this.limiter = opts.limiter;
    this.rule = { burst: opts.burst ?? 60, perMinute: opts.perMinute ?? 60 };
    this.trustedProxies = opts.trustedProxies ?? 0;
    if (!Number.isInteger(this.trustedProxies) || this.trustedProxies < 0) {
      throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `trustedProxies must be a whole number ≥ 0, got ${this.trustedProxies}`);
    }
  }

  /** Takes a token for the request's client; throws HANDOVER_ERR_TOO_MANY_REQUESTS (with the wait) when there is none. */
  async check(req: IncomingMessage): Promise<void> {
    const who = clientAddress(req, this.trustedProxies);
    const d = await this.limiter.take(`webchat-start:${who}`, this.rule);
    if (d.allowed) return;
    throw withRetryAfter(
      new HandoverError('HANDOVER_ERR_TOO_MANY_REQUESTS', `Too many new conversations from this address: try again in ${Math.ceil(d.retryAfterMs / 1000)} s`),
      d.retryAfterMs,
    );
  }
}

/**
 * The limit from the environment (each optional; every problem reported at once):
 * `WEBCHAT_START_BURST` (default 60), `WEBCHAT_START_PER_MINUTE` (default 60),
 * `WEBCHAT_TRUSTED_PROXIES` (default 0).
 *
 * @example
 * webChatStartLimitFromEnv({ WEBCHAT_START_BURST: '10' }); // { burst: 10 }
 */
export function webChatStartLimitFromEnv(env: NodeJS.ProcessEnv): Omit<StartRateLimitOptions, 'limiter'> {
  const problems: string[] = [];
  const read = (name: string, min: number, whole: boolean): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || (whole && !Number.isInteger(n))) {
      problems.push(`${name}: "${raw}" is not a ${whole ? 'whole ' : ''}number ≥ ${min}`);
      return undefined;
    }
    return n;
  };
  const burst = read('WEBCHAT_START_BURST', 1, true);
  const perMinute = read('WEBCHAT_START_PER_MINUTE', 0.001, false);
  const trustedProxies = read('WEBCHAT_TRUSTED_PROXIES', 0, true);
  if (problems.length > 0) throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `environment is invalid:\n  ${problems.join('\n  ')}`, { details: problems });
  return {
    ...(burst === undefined ? {} : { burst }),
    ...(perMinute === undefined ? {} : { perMinute }),
    ...(trustedProxies === undefined ? {} : { trustedProxies }),
  };
}
