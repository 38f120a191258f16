/**
 * JSON over HTTP for the service's own endpoints (agent console API, health): bounded bodies,
 * one error shape `{ error: { code, message } }`, with the status from the error catalogue
 * (`httpStatusOf`, src/core/errors.ts).
 * Internal errors never leak their message to the client.
 *
 * @example
 * try {
 *   const body = await readJsonBody(req, 64 * 1024);
 *   sendJson(res, 200, { ok: true, body });
 * } catch (e) {
 *   sendError(res, e);
 * }
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HandoverError, httpStatusOf, isHandoverError } from '../core/errors.js';

// The status of every error code is the catalogue's (src/core/errors.ts); re-exported here for
// the callers that have always imported it from the HTTP helpers.
export { httpStatusOf };

/**
 * Reads a request body of at most `limitBytes` as bytes. Throws `HANDOVER_ERR_PAYLOAD_TOO_LARGE`
 * as soon as it passes the limit (a declared Content-Length over it without reading; the rest is
 * drained, not buffered, so the client reads the 413 rather than a reset) or
 * `HANDOVER_ERR_REQUEST_TIMEOUT` when the connection went before the body was whole (the server
 * closes a body that stalls past `limits.http.bodyIdleTimeoutSeconds`, see `createHttpServer`).
 *
 * @example
 * const bytes = await readBodyBytes(req, 5 * 1024 * 1024, 'the file');
 */
export async function readBodyBytes(req: IncomingMessage, limitBytes: number, what = 'the request body'): Promise<Buffer> {
  const tooLarge = (): HandoverError => new HandoverError('HANDOVER_ERR_PAYLOAD_TOO_LARGE', `${what} is larger than ${limitBytes} bytes`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > limitBytes) {
        // Discard, but give up on a sender that never stops.
        if (size > limitBytes * 8) req.destroy();
        continue;
      }
      chunks.push(buf);
    }
  } catch (cause) {
    if (size > limitBytes) throw tooLarge();
    throw new HandoverError('HANDOVER_ERR_REQUEST_TIMEOUT', `the connection closed before ${what} was complete`, { cause });
  }
  if (size > limitBytes) throw tooLarge();
  return Buffer.concat(chunks);
}

/**
 * Reads a JSON body of at most `limitBytes` (see `readBodyBytes`). An empty body is `undefined`;
 * one that is not JSON is `HANDOVER_ERR_BAD_REQUEST`.
 *
 * @example
 * const body = await readJsonBody(req, 64 * 1024);
 */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const text = (await readBodyBytes(req, limitBytes)).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HandoverError('HANDOVER_ERR_BAD_REQUEST', 'the request body is not valid JSON');
  }
}

/**
 * Writes a JSON response unless the response already started or the socket is gone.
 *
 * @example
 * sendJson(res, 201, { id });
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(payload);
}

/**
 * The error body for a status: HandoverErrors below 500 say what went wrong; anything else is
 * `HANDOVER_ERR_INTERNAL` (or the store being down) with no internals.
 *
 * @example
 * errorBody(new HandoverError('HANDOVER_ERR_NOT_FOUND', 'no such endpoint')); // { error: { code, message } }
 */
export function errorBody(e: unknown): { error: { code: string; message: string } } {
  const status = httpStatusOf(e);
  if (isHandoverError(e) && (status < 500 || status === 501 || status === 503)) return { error: { code: e.code, message: e.message } };
  return { error: { code: 'HANDOVER_ERR_INTERNAL', message: 'internal error; it has been logged' } };
}

/**
 * Sends `{ error: { code, message } }` with the status of the error. After a 413 the connection
 * may still carry unread body bytes, so it is not reused.
 *
 * @example
 * catch (e) { sendError(res, e); }
 */
export function sendError(res: ServerResponse, e: unknown, headers: Record<string, string | string[]> = {}): void {
  const status = httpStatusOf(e);
  const extra: Record<string, string | string[]> = status === 413 ? { ...headers, Connection: 'close' } : headers;
  // a caller that knows the wait (a rate limit, a busy pool) passes its own Retry-After
  if (isHandoverError(e, 'HANDOVER_ERR_TOO_MANY_REQUESTS') && extra['Retry-After'] === undefined) extra['Retry-After'] = '60';
  sendJson(res, status, errorBody(e), extra);
}
