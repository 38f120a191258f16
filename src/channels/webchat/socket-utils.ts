import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import type { WebSocket } from 'ws';
import { isHandoverError } from '../../core/errors.js';
import { statusForError } from './http-utils.js';

/**
 * Refuses a WebSocket upgrade with a plain HTTP error (the upgrade has no ServerResponse).
 *
 * @example
 * if (!allowed) return rejectUpgrade(socket, new HandoverError('HANDOVER_ERR_UNAUTHORIZED', 'Missing token'));
 */
export function rejectUpgrade(socket: Duplex, e: unknown): void {
  const status = statusForError(e);
  const body = JSON.stringify({
    error: isHandoverError(e) && status < 500 ? { code: e.code, message: e.message } : { code: 'HANDOVER_ERR_INTERNAL', message: 'Internal error' },
  });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/**
 * Pings a socket every `intervalMs` and terminates it when the previous ping got no pong, so
 * half-open connections (phones going to sleep) do not pile up. Returns the stop function.
 *
 * @example
 * const stop = keepAlive(ws, 30_000); ws.on('close', stop);
 */
export function keepAlive(ws: WebSocket, intervalMs: number): () => void {
  let alive = true;
  ws.on('pong', () => (alive = true));
  const timer = setInterval(() => {
    if (!alive) {
      ws.terminate();
      return;
    }
    alive = false;
    ws.ping();
  }, intervalMs);
  // Never keep the process alive for a heartbeat.
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Sends JSON unless the socket is closed or too far behind; a client that does not read
 * (over `maxBufferedBytes` queued) is dropped rather than buffered in memory forever.
 *
 * @example
 * sendOnSocket(ws, { activities: [], watermark: '0' }, 1 << 20);
 */
export function sendOnSocket(ws: WebSocket, message: unknown, maxBufferedBytes: number): void {
  if (ws.readyState !== ws.OPEN) return;
  if (ws.bufferedAmount > maxBufferedBytes) {
    ws.terminate();
    return;
  }
  ws.send(JSON.stringify(message));
}
