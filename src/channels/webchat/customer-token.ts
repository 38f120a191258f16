import { createHmac, timingSafeEqual } from 'node:crypto';
import { systemClock, type Clock } from '../../core/clock.js';
import { HandoverError } from '../../core/errors.js';

/** Who a verified customer token says the visitor is. */
export interface CustomerIdentity {
  /** The customer id your customer directory knows (`sub`); it becomes the conversation's user id. */
  readonly customerId: string;
  /** Display name (`name`), if the token carries one. */
  readonly name?: string;
  /** When the token expires (epoch ms, from `exp`). */
  readonly expiresAt: number;
}

/** What to put in a token: `sub` (customer id), optional `name`, and its lifetime. */
export interface CustomerTokenClaims {
  readonly sub: string;
  readonly name?: string;
  /** Expiry in epoch seconds (JWT `exp`); default: now + `ttlSeconds`. */
  readonly exp?: number;
  /** Lifetime when `exp` is not given; default 600 s. */
  readonly ttlSeconds?: number;
}

/** Customer ids: 1–128 visible characters, no spaces or control characters (they end up in keys and logs). */
const CUSTOMER_ID = /^[^\s\p{C}]{1,128}$/u;
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/**
 * Signs a customer token: a JWT (HS256, i.e. HMAC-SHA256) with `sub` = the customer id, `exp`
 * and an optional `name`. Your site's server does this (any JWT library does the same) for the
 * signed-in customer and hands it to the widget (`data-customer-token`) or to Direct Line
 * (`Authorization: Bearer <token>` on `POST /v3/directline/conversations`).
 *
 * @example
 * const token = signCustomerToken(process.env.WEBCHAT_CUSTOMER_SECRET!, { sub: 'c-1001', name: 'Dana Reyes', ttlSeconds: 600 });
 */
export function signCustomerToken(secret: string | Buffer, claims: CustomerTokenClaims, now: number = Date.now()): string {
  if (!CUSTOMER_ID.test(claims.sub)) {
    throw new HandoverError('HANDOVER_ERR_BAD_REQUEST', `A customer id must be 1-128 visible characters without spaces, got ${JSON.stringify(claims.sub)}`);
  }
  const iat = Math.floor(now / 1000);
  const exp = claims.exp ?? iat + (claims.ttlSeconds ?? 600);
  const payload = { sub: claims.sub, ...(claims.name === undefined ? {} : { name: claims.name }), iat, exp };
  const body = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${body}.${mac(secret, body)}`;
}

function mac(secret: string | Buffer, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

/**
 * Verifies customer tokens signed with the site's secret (`WEBCHAT_CUSTOMER_SECRET`, ≥ 32 bytes).
 * A token that is malformed, not HS256, signed with another secret or altered, or has no valid
 * `sub` is refused with `HANDOVER_ERR_CUSTOMER_TOKEN_INVALID`; one past its `exp` (or before its
 * `nbf`), give or take `leewaySeconds`, with `HANDOVER_ERR_CUSTOMER_TOKEN_EXPIRED`. Both are 401 on
 * Direct Line and an `error` frame on the widget socket: the visitor is never silently made
 * anonymous with a bad token.
 *
 * @example
 * const tokens = new CustomerTokens({ secret: process.env.WEBCHAT_CUSTOMER_SECRET! });
 * tokens.verify(token).customerId; // 'c-1001'
 */
export class CustomerTokens {
  private readonly secret: Buffer;
  private readonly clock: Clock;
  private readonly leewayMs: number;

  constructor(opts: { secret: string | Buffer; clock?: Clock; leewaySeconds?: number }) {
    this.secret = Buffer.from(opts.secret);
    if (this.secret.length < 32) {
      throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `The web chat customer token secret (WEBCHAT_CUSTOMER_SECRET) must be at least 32 bytes long, got ${this.secret.length}`);
    }
    this.clock = opts.clock ?? systemClock;
    this.leewayMs = (opts.leewaySeconds ?? 30) * 1000;
  }

  /** Signs a token with this secret (the demo page's sign-in, tests). */
  sign(claims: CustomerTokenClaims): string {
    return signCustomerToken(this.secret, claims, this.clock.now());
  }

  verify(token: string): CustomerIdentity {
    const invalid = (why: string): HandoverError => new HandoverError('HANDOVER_ERR_CUSTOMER_TOKEN_INVALID', `Invalid customer token: ${why}`);
    if (token.length > 4096) throw invalid('longer than 4096 characters');
    const parts = token.split('.');
    if (parts.length !== 3) throw invalid('not a JWT (header.payload.signature)');
    const [header, payload, signature] = parts as [string, string, string];
    const head = decodeJson(header);
    if (head === undefined || head['alg'] !== 'HS256') throw invalid(`the algorithm must be HS256, got ${JSON.stringify(head?.['alg'] ?? null)}`);
    const expected = Buffer.from(mac(this.secret, `${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid('the signature does not match (another secret, or the token was altered)');
    const claims = decodeJson(payload);
    if (claims === undefined) throw invalid('the payload is not a JSON object');
    const { sub, name, exp, nbf } = claims;
    if (typeof sub !== 'string' || !CUSTOMER_ID.test(sub)) throw invalid('"sub" (the customer id) must be 1-128 visible characters without spaces');
    if (typeof exp !== 'number' || !Number.isFinite(exp)) throw invalid('"exp" (expiry, epoch seconds) is required');
    if (name !== undefined && (typeof name !== 'string' || name.length > 200)) throw invalid('"name" must be a string of at most 200 characters');
    const now = this.clock.now();
    if (exp * 1000 + this.leewayMs <= now) {
      throw new HandoverError('HANDOVER_ERR_CUSTOMER_TOKEN_EXPIRED', `The customer token expired at ${new Date(exp * 1000).toISOString()}: sign a fresh one when the page loads`);
    }
    if (typeof nbf === 'number' && nbf * 1000 - this.leewayMs > now) {
      throw new HandoverError('HANDOVER_ERR_CUSTOMER_TOKEN_EXPIRED', `The customer token is not valid before ${new Date(nbf * 1000).toISOString()}`);
    }
    return { customerId: sub, ...(typeof name === 'string' && name !== '' ? { name } : {}), expiresAt: exp * 1000 };
  }
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How a channel treats visitors: `tokens` verifies customer tokens (absent: every visitor is
 * anonymous, and a token sent anyway is refused as not configured); `anonymous: false` refuses
 * visitors without a token (HANDOVER_ERR_UNAUTHORIZED).
 */
export interface CustomerIdentityOptions {
  readonly tokens?: CustomerTokens;
  /** Visitors without a token may chat anonymously; default true. */
  readonly anonymous?: boolean;
}

/**
 * Who starts a conversation: the verified customer for a token, `undefined` (anonymous) for none
 * when anonymous visitors are allowed; throws otherwise (see {@link CustomerTokens.verify}).
 *
 * @example
 * const who = identify(opts.identity, m.customerToken); // { customerId: 'c-1001', … } | undefined
 */
export function identify(opts: CustomerIdentityOptions | undefined, token: string | undefined): CustomerIdentity | undefined {
  if (token === undefined || token === '') {
    if (opts?.anonymous === false) {
      throw new HandoverError('HANDOVER_ERR_UNAUTHORIZED', 'This site allows signed-in customers only: send a customer token (data-customer-token, or Authorization: Bearer on POST /conversations)');
    }
    return undefined;
  }
  if (opts?.tokens === undefined) {
    throw new HandoverError('HANDOVER_ERR_CUSTOMER_TOKEN_INVALID', 'Invalid customer token: this server has no customer token secret (set WEBCHAT_CUSTOMER_SECRET)');
  }
  return opts.tokens.verify(token);
}

/**
 * The customer token secret from the environment: `WEBCHAT_CUSTOMER_SECRET` (≥ 32 bytes), and
 * `WEBCHAT_ANONYMOUS=off` to refuse visitors without a token.
 *
 * @example
 * customerIdentityFromEnv(process.env); // { tokens: CustomerTokens, anonymous: true } or { anonymous: true }
 */
export function customerIdentityFromEnv(env: NodeJS.ProcessEnv, clock?: Clock): { tokens?: CustomerTokens; anonymous: boolean } {
  const secret = env['WEBCHAT_CUSTOMER_SECRET'];
  const anonymousSetting = (env['WEBCHAT_ANONYMOUS'] ?? 'on').trim().toLowerCase();
  if (!['on', 'off', 'true', 'false', '1', '0'].includes(anonymousSetting)) {
    throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `WEBCHAT_ANONYMOUS must be on or off, got ${JSON.stringify(env['WEBCHAT_ANONYMOUS'])}`);
  }
  const anonymous = ['on', 'true', '1'].includes(anonymousSetting);
  if (secret === undefined || secret === '') {
    if (!anonymous) throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', 'WEBCHAT_ANONYMOUS=off needs WEBCHAT_CUSTOMER_SECRET: without it no visitor could chat');
    return { anonymous };
  }
  return { tokens: new CustomerTokens({ secret, ...(clock === undefined ? {} : { clock }) }), anonymous };
}
