import type { IncomingMessage, ServerResponse } from 'node:http';
import { HandoverError, httpStatusOf, isHandoverError } from '../../core/errors.js';

/**
 * Small HTTP helpers shared by the web chat front doors: bounded JSON bodies, JSON replies,
 * CORS, and the one place that turns errors into 4xx/5xx JSON.
 *
 * @example
 * const body = await readJsonBody(req, 256 * 1024); // throws HANDOVER_ERR_PAYLOAD_TOO_LARGE / _BAD_REQUEST
 * sendJson(res, 201, { ok: true });
 */
// one implementation for every front door (bounded, 413 without buffering, 400 on bad JSON)
export { readJsonBody } from '../../server/http-json.js';

/**
 * Writes a JSON response unless the socket is already gone.
 *
 * @example
 * sendJson(res, 200, { id }, corsHeaders(req, '*'));
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(payload);
}

/** How long a client told "retry" (429, 503) should wait, by error (set where the error is made). */
const retryAfterByError = new WeakMap<object, number>();

/** A store outage is usually a restart: try again soon, not at once. */
const DEFAULT_UNAVAILABLE_RETRY_MS = 2000;

/**
 * Attaches the wait a client should observe before retrying (sent as `Retry-After`, whole seconds
 * rounded up, and as `retryAfterMs` in widget error frames); returns the same error.
 *
 * @example
 * throw withRetryAfter(new HandoverError('HANDOVER_ERR_TOO_MANY_REQUESTS', 'Too many new conversations'), 4200);
 */
export function withRetryAfter<E extends object>(e: E, ms: number): E {
  retryAfterByError.set(e, Math.max(0, Math.ceil(ms)));
  return e;
}

/**
 * The wait before retrying that goes with an error: the attached one, else 2 s for
 * HANDOVER_ERR_STORE_UNAVAILABLE; undefined for errors a retry would not cure.
 *
 * @example
 * retryAfterMs(new HandoverError('HANDOVER_ERR_STORE_UNAVAILABLE', 'Redis is away')); // 2000
 */
export function retryAfterMs(e: unknown): number | undefined {
  if (typeof e === 'object' && e !== null && retryAfterByError.has(e)) return retryAfterByError.get(e);
  return isHandoverError(e, 'HANDOVER_ERR_STORE_UNAVAILABLE') ? DEFAULT_UNAVAILABLE_RETRY_MS : undefined;
}

/**
 * HTTP status for an error, from the error catalogue (src/core/errors.ts, `httpStatusOf`): a
 * HandoverError's code gives its status, anything else is a 500.
 *
 * @example
 * statusForError(new HandoverError('HANDOVER_ERR_UNAUTHORIZED', 'x')); // 401
 */
export function statusForError(e: unknown): number {
  return httpStatusOf(e);
}

/**
 * Direct Line-shaped error body `{ error: { code, message } }`. Internal errors never leak
 * their message to the client.
 *
 * @example
 * try { … } catch (e) { sendError(res, e, cors); }
 */
export function sendError(res: ServerResponse, e: unknown, headers: Record<string, string> = {}): void {
  const status = statusForError(e);
  const body =
    isHandoverError(e) && status < 500
      ? { error: { code: e.code, message: e.message } }
      : status === 503
        ? // the store's own words stay in the log; the client learns only that a retry will do
          { error: { code: 'HANDOVER_ERR_STORE_UNAVAILABLE', message: 'The service cannot store messages right now: nothing was stored; send it again after Retry-After seconds' } }
        : { error: { code: 'HANDOVER_ERR_INTERNAL', message: 'Internal error' } };
  const wait = retryAfterMs(e);
  if (wait !== undefined && (status === 429 || status === 503)) headers = { ...headers, 'Retry-After': String(Math.max(1, Math.ceil(wait / 1000))) };
  // After a 413 the connection may still carry unread body bytes: do not reuse it.
  if (status === 413) headers = { ...headers, Connection: 'close' };
  sendJson(res, status, body, headers);
}

/**
 * CORS headers for a request: the origin echoes back when allowed (bearer tokens, no cookies).
 *
 * @example
 * res.writeHead(204, corsHeaders(req, ['https://shop.example'])).end();
 */
export function corsHeaders(req: IncomingMessage, allowedOrigins: readonly string[] | '*'): Record<string, string> {
  const origin = req.headers.origin;
  const base = {
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, x-ms-bot-agent, x-requested-with',
    'Access-Control-Max-Age': '600',
    // a cross-origin client (Web Chat on the shop's site) may read when to retry a 429 / 503
    'Access-Control-Expose-Headers': 'Retry-After',
  };
  if (allowedOrigins === '*') return { ...base, 'Access-Control-Allow-Origin': '*' };
  if (origin !== undefined && allowedOrigins.includes(origin)) {
    return { ...base, 'Access-Control-Allow-Origin': origin, Vary: 'Origin' };
  }
  return { Vary: 'Origin' };
}

/**
 * The token in `Authorization: Bearer <token>`, or undefined.
 *
 * @example
 * tokens.verify(bearerToken(req));
 */
export function bearerToken(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (h === undefined) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}
