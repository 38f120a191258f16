import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { HandoverError } from '../../core/errors.js';

/** What a token proves: this user may act in this conversation until `expiresAt`. */
export interface TokenClaims {
  readonly conversationId: string;
  readonly userId: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  /** When the conversation's first token was issued (epoch ms): renewals stop `maxAgeMs` after it. */
  readonly firstIssuedAt: number;
}

/**
 * Issues and checks conversation tokens: `base64url(claims).base64url(HMAC-SHA256)`. Stateless,
 * so any process sharing `secret` accepts a token another process issued (scale-out needs the
 * same secret on every node; with a random per-process secret, tokens die with the process).
 *
 * `verify` throws `HANDOVER_ERR_UNAUTHORIZED` for missing, malformed or forged tokens and
 * `HANDOVER_ERR_FORBIDDEN` for expired ones (Direct Line clients treat 403 as "token expired").
 *
 * A token is renewed (refresh, reconnect, widget resume) by `issue` with the claims' `firstIssuedAt`:
 * renewals carry the first token's time, no token lives past `maxAgeMs` (default 24 h, manifest.json
 * `limits.webchatTokens.maxAgeHours`) after it, and a renewal past it is refused with
 * `HANDOVER_ERR_FORBIDDEN` (the client starts a new conversation), so a leaked token cannot be kept
 * alive forever.
 *
 * @example
 * const tokens = new ConversationTokens({ secret: process.env.WEBCHAT_SECRET, clock: systemClock });
 * const t = tokens.issue('c-1', 'u-1');          // { token, expiresIn: 3600 }
 * tokens.verify(t.token).conversationId;          // 'c-1'
 */
export class ConversationTokens {
  private readonly secret: Buffer;
  private readonly clock: Clock;
  readonly ttlMs: number;
  readonly maxAgeMs: number;

  constructor(opts: { secret?: string | Buffer; clock: Clock; ttlMs?: number; maxAgeMs?: number }) {
    // A random secret is fine for one process; say so loudly in docs rather than refusing to start.
    this.secret = opts.secret === undefined ? randomBytes(32) : Buffer.from(opts.secret);
    if (this.secret.length < 16) {
      throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', 'The web chat token secret must be at least 16 bytes long');
    }
    this.clock = opts.clock;
    this.ttlMs = opts.ttlMs ?? 60 * 60 * 1000;
    this.maxAgeMs = opts.maxAgeMs ?? 24 * 60 * 60 * 1000;
    if (!(this.maxAgeMs > 0)) throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `the web chat token maximum age must be positive, got ${this.maxAgeMs} ms`);
  }

  /**
   * A token for the conversation: a first one, or with `firstIssuedAt` (the claims of the token
   * being renewed) a renewal, which expires at the latest `maxAgeMs` after the first and is
   * refused (HANDOVER_ERR_FORBIDDEN) once that is past.
   */
  issue(conversationId: string, userId: string, firstIssuedAt?: number): { token: string; expiresIn: number } {
    const now = this.clock.now();
    const first = firstIssuedAt ?? now;
    const endOfLife = first + this.maxAgeMs;
    if (endOfLife <= now) {
      throw new HandoverError(
        'HANDOVER_ERR_FORBIDDEN',
        `This conversation's token can no longer be refreshed (${Math.round(this.maxAgeMs / 3_600_000)} h after its first token): start a new conversation`,
      );
    }
    const expiresAt = Math.min(now + this.ttlMs, endOfLife);
    const body = Buffer.from(JSON.stringify({ c: conversationId, u: userId, e: expiresAt, f: first })).toString('base64url');
    return { token: `${body}.${this.sign(body)}`, expiresIn: Math.floor((expiresAt - now) / 1000) };
  }

  verify(token: string | undefined): TokenClaims {
    if (token === undefined || token === '') {
      throw new HandoverError('HANDOVER_ERR_UNAUTHORIZED', 'Missing token: send "Authorization: Bearer <token>"');
    }
    const [body, mac, extra] = token.split('.');
    if (body === undefined || mac === undefined || extra !== undefined || !this.macMatches(body, mac)) {
      throw new HandoverError('HANDOVER_ERR_UNAUTHORIZED', 'Invalid token: it was not issued by this server');
    }
    const claims = parseClaims(body, this.ttlMs);
    if (claims === undefined) throw new HandoverError('HANDOVER_ERR_UNAUTHORIZED', 'Invalid token payload');
    if (claims.expiresAt <= this.clock.now()) {
      throw new HandoverError('HANDOVER_ERR_FORBIDDEN', 'Token expired: refresh it before it expires or start a new conversation');
    }
    return claims;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }

  private macMatches(body: string, mac: string): boolean {
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

function parseClaims(body: string, ttlMs: number): TokenClaims | undefined {
  try {
    const raw: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    if (typeof raw !== 'object' || raw === null) return undefined;
    const { c, u, e, f } = raw as Record<string, unknown>;
    if (typeof c !== 'string' || typeof u !== 'string' || typeof e !== 'number') return undefined;
    // a token from before `f` existed: its own issue time (at most one TTL earlier) starts the count
    return { conversationId: c, userId: u, expiresAt: e, firstIssuedAt: typeof f === 'number' ? f : e - ttlMs };
  } catch {
    return undefined;
  }
}
