import type { IncomingMessage, ServerResponse } from 'node:http';
import { HandoverError, isHandoverError, type ErrorCode } from '../../core/errors.js';

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

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  HANDOVER_ERR_BAD_REQUEST: 400,
  HANDOVER_ERR_UNAUTHORIZED: 401,
  HANDOVER_ERR_FORBIDDEN: 403,
  HANDOVER_ERR_UNKNOWN_CONVERSATION: 404,
  HANDOVER_ERR_NOT_FOUND: 404,
  HANDOVER_ERR_PAYLOAD_TOO_LARGE: 413,
  HANDOVER_ERR_NOT_SUPPORTED: 405,
};

/**
 * HTTP status for an error: known HandoverError codes map to 4xx, everything else is a 500.
 *
 * @example
 * statusForError(new HandoverError('HANDOVER_ERR_UNAUTHORIZED', 'x')); // 401
 */
export function statusForError(e: unknown): number {
  return isHandoverError(e) ? STATUS_BY_CODE[e.code] ?? 500 : 500;
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
      : { error: { code: 'HANDOVER_ERR_INTERNAL', message: 'Internal error' } };
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
