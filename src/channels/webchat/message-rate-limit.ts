import { HandoverError } from '../../core/errors.js';
import { checkRule, type RateLimiter, type TokenBucketRule } from '../../core/ports/rate-limiter.js';
import { systemClock, type Clock } from '../../core/clock.js';
import { withRetryAfter } from './http-utils.js';

/**
 * The message limits (manifest.json `limits.messages`): three token buckets a customer line must
 * each get a token from, cheapest first, so a flood is refused before it costs a store call.
 *
 * @example
 * const limits: MessageLimits = { perConnection: { burst: 20, perMinute: 120 }, perConversation: { burst: 20, perMinute: 60 }, perAddress: { burst: 300, perMinute: 1200 }, closeAfterRefused: 50 };
 */
export interface MessageLimits {
  /** Frames of one widget socket (lines, typing, start/resume/refresh), counted in this process. */
  readonly perConnection: TokenBucketRule;
  /** Lines (and Direct Line typing) of one conversation, whatever socket or process they come through. */
  readonly perConversation: TokenBucketRule;
  /** Lines of every conversation from one client address (see `clientAddress`). */
  readonly perAddress: TokenBucketRule;
  /** A widget socket refused this many times in a row is closed with 1008 (policy violation). */
  readonly closeAfterRefused: number;
}

/**
 * Options of {@link MessageRateLimit}: the buckets, and limits that default to the manifest's.
 *
 * @example
 * new MessageRateLimit({ limiter: stores.rateLimiter, perConversation: { burst: 10, perMinute: 30 } });
 */
export interface MessageRateLimitOptions extends Partial<MessageLimits> {
  /**
   * The buckets of the conversation and address limits: `stores.rateLimiter` (on Redis one per
   * conversation / address for the whole deployment; the memory store's count in this process).
   */
  readonly limiter: RateLimiter;
  readonly clock?: Clock;
}

/** The manifest's defaults. */
export const DEFAULT_MESSAGE_LIMITS: MessageLimits = {
  perConnection: { burst: 20, perMinute: 120 },
  perConversation: { burst: 20, perMinute: 60 },
  perAddress: { burst: 300, perMinute: 1200 },
  closeAfterRefused: 50,
};

/** Remembered refusals of shared buckets at most (oldest dropped first). */
const MAX_BLOCKED = 10_000;

/**
 * Customer lines per connection, per conversation and per client address. A refused line throws
 * HANDOVER_ERR_TOO_MANY_REQUESTS with the wait attached (`retryAfterMs`: an error frame on the
 * widget socket, 429 + Retry-After on Direct Line); it is neither stored nor answered.
 *
 * A shared bucket that refused is remembered here until its token is due, so a flood of refused
 * lines costs no store round trip (no other process can refill a bucket sooner than that).
 *
 * @example
 * const limit = new MessageRateLimit({ limiter: stores.rateLimiter });
 * const conn = limit.connection();            // one per widget socket
 * conn.take();                                // throws past the connection's bucket
 * await limit.check('203.0.113.7', 'c-1');    // throws past the conversation's or address's
 */
export class MessageRateLimit {
  readonly limits: MessageLimits;
  private readonly limiter: RateLimiter;
  private readonly clock: Clock;
  /** bucket key → epoch ms until which it is known to be empty */
  private readonly blocked = new Map<string, number>();

  constructor(opts: MessageRateLimitOptions) {
    this.limits = {
      perConnection: opts.perConnection ?? DEFAULT_MESSAGE_LIMITS.perConnection,
      perConversation: opts.perConversation ?? DEFAULT_MESSAGE_LIMITS.perConversation,
      perAddress: opts.perAddress ?? DEFAULT_MESSAGE_LIMITS.perAddress,
      closeAfterRefused: opts.closeAfterRefused ?? DEFAULT_MESSAGE_LIMITS.closeAfterRefused,
    };
    checkRule(this.limits.perConnection);
    checkRule(this.limits.perConversation);
    checkRule(this.limits.perAddress);
    if (!Number.isInteger(this.limits.closeAfterRefused) || this.limits.closeAfterRefused < 1) {
      throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `closeAfterRefused must be a whole number ≥ 1, got ${this.limits.closeAfterRefused}`);
    }
    this.clock = opts.clock ?? systemClock;
    this.limiter = opts.limiter;
  }

  /** A fresh budget for one connection (a widget socket). */
  connection(): ConnectionBudget {
    return new ConnectionBudget(this.limits.perConnection, this.limits.closeAfterRefused, this.clock);
  }

  /**
   * Takes a token from the conversation's bucket, then from the address's; throws
   * HANDOVER_ERR_TOO_MANY_REQUESTS (with the wait) when either is empty.
   */
  async check(address: string, conversationId: string): Promise<void> {
    await this.take(`webchat-msg-conv:${conversationId}`, this.limits.perConversation, 'in this conversation');
    await this.take(`webchat-msg-addr:${address}`, this.limits.perAddress, 'from this address');
  }

  private async take(key: string, rule: TokenBucketRule, scope: string): Promise<void> {
    const now = this.clock.now();
    const until = this.blocked.get(key);
    if (until !== undefined) {
      if (until > now) throw tooMany(until - now, scope);
      this.blocked.delete(key);
    }
    const d = await this.limiter.take(key, rule);
    if (d.allowed) return;
    if (this.blocked.size >= MAX_BLOCKED) this.forgetExpired(now);
    this.blocked.set(key, now + d.retryAfterMs);
    throw tooMany(d.retryAfterMs, scope);
  }

  private forgetExpired(now: number): void {
    for (const [k, until] of this.blocked) if (until <= now) this.blocked.delete(k);
    // still full: the oldest go (a forgotten refusal only costs one more store call)
    for (const k of this.blocked.keys()) {
      if (this.blocked.size < MAX_BLOCKED) break;
      this.blocked.delete(k);
    }
  }
}

/**
 * One connection's bucket, in this process and synchronous (a flooding socket is refused without a
 * store call), plus its count of refusals in a row.
 *
 * @example
 * const budget = limit.connection();
 * try { budget.take(); } catch (e) { if (budget.refused()) ws.close(1008, 'too many messages'); }
 */
export class ConnectionBudget {
  private tokens: number;
  private at: number;
  private inARow = 0;

  constructor(
    private readonly rule: TokenBucketRule,
    private readonly closeAfter: number,
    private readonly clock: Clock,
  ) {
    this.tokens = rule.burst;
    this.at = clock.now();
  }

  /** Takes a token; throws HANDOVER_ERR_TOO_MANY_REQUESTS (with the wait) when there is none. */
  take(): void {
    const now = this.clock.now();
    const perMs = this.rule.perMinute / 60_000;
    this.tokens = Math.min(this.rule.burst, this.tokens + Math.max(0, now - this.at) * perMs);
    this.at = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return;
    }
    throw tooMany(Math.ceil((1 - this.tokens) / perMs), 'on this connection');
  }

  /** A frame of this connection went through: the refusals in a row start over. */
  passed(): void {
    this.inARow = 0;
  }

  /** Counts a refusal; true once there were `closeAfterRefused` in a row (close the connection). */
  refused(): boolean {
    this.inARow++;
    return this.inARow >= this.closeAfter;
  }
}

function tooMany(waitMs: number, scope: string): HandoverError {
  const ms = Math.max(1, Math.ceil(waitMs));
  return withRetryAfter(new HandoverError('HANDOVER_ERR_TOO_MANY_REQUESTS', `Too many messages ${scope}: slow down and send it again in ${Math.ceil(ms / 1000)} s`), ms);
}

