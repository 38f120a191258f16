/**
 * One node:http server for the whole service. Request handlers are tried in order, each answering
 * `true` when the path was theirs; upgrade handlers likewise for WebSockets. Whatever nobody
 * claims gets a 404 JSON error, and a handler that throws gets a 500 JSON error and a log line:
 * one broken route never takes the process down.
 *
 * @example
 * const http = createHttpServer({
 *   handlers: [webchat.handleRequest, agentConsole.handleRequest],
 *   upgrades: [webchat.handleUpgrade, agentConsole.handleUpgrade],
 * });
 * const { url } = await http.listen(3978);
 * // on shutdown
 * await http.close();
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { HandoverError } from '../core/errors.js';
import { consoleLogger } from '../core/console-logger.js';
import { toLogger, type Logger, type LoggerLike } from '../core/ports/logger.js';
import { sendError } from './http-json.js';

/**
 * Answers a request and resolves true, or resolves false when the path is not its own.
 *
 * @example
 * const health: RequestHandler = async (req, res) => (req.url === '/healthz' ? (res.end('ok'), true) : false);
 */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
/**
 * Takes over an upgrade (WebSocket) and returns true, or returns false when the path is not its own.
 *
 * @example
 * const ws: UpgradeHandler = (req, socket, head) => req.url === '/ws' && (wss.handleUpgrade(req, socket, head, onSocket), true);
 */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean;

/**
 * Where the server reports what went wrong (handler errors): the {@link Logger} port of core
 * (issue 18: one logger), of which it needs `info` and `error` (a plain two-method object still
 * fits); default: the console.
 *
 * @example
 * const log: ServerLog = { info: () => {}, error: (m, meta) => lines.push(`${m} ${JSON.stringify(meta)}`) };
 */
export type ServerLog = LoggerLike;

/**
 * Options of {@link createHttpServer}.
 *
 * @example
 * createHttpServer({ handlers: [api, pages], upgrades: [sockets], closeGraceMs: 5_000 });
 */
export interface HttpServerOptions {
  readonly handlers: readonly RequestHandler[];
  readonly upgrades?: readonly UpgradeHandler[];
  readonly log?: ServerLog;
  /** How long `close()` waits for running requests before cutting their connections (default 5 s). */
  readonly closeGraceMs?: number;
  /** Slow or stalled clients (slowloris, stalled bodies, idle keep-alive); every field has a default. */
  readonly timeouts?: HttpTimeouts;
}

/**
 * The server's timeouts (manifest.json `limits.http`, in seconds there). A connection that breaks
 * one is closed: headers or the whole request not received in time → 408 and close; a request
 * body that pauses longer than `bodyIdleMs` → 408 and close; an idle keep-alive connection → close.
 *
 * @example
 * const t: HttpTimeouts = { headersMs: 10_000, requestMs: 30_000, bodyIdleMs: 10_000, keepAliveMs: 5_000 };
 */
export interface HttpTimeouts {
  /** Time to receive a request's headers (default 10 s). */
  readonly headersMs?: number;
  /** Time to receive a whole request, headers and body (default 30 s). */
  readonly requestMs?: number;
  /** Longest pause between two chunks of a request body (default 10 s). */
  readonly bodyIdleMs?: number;
  /** How long an idle keep-alive connection stays open (default 5 s). */
  readonly keepAliveMs?: number;
}

/** The defaults of {@link HttpTimeouts}. */
export const DEFAULT_HTTP_TIMEOUTS: Required<HttpTimeouts> = { headersMs: 10_000, requestMs: 30_000, bodyIdleMs: 10_000, keepAliveMs: 5_000 };

/**
 * The running server.
 *
 * @example
 * const srv: HttpServer = createHttpServer({ handlers });
 * const { url } = await srv.listen(0, '127.0.0.1');
 */
export interface HttpServer {
  readonly server: http.Server;
  /** Starts listening; port 0 picks a free one. */
  listen(port: number, host?: string): Promise<{ port: number; host: string; url: string }>;
  /** Stops accepting, lets running requests finish (up to `closeGraceMs`), then closes every connection. */
  close(): Promise<void>;
}

/**
 * The console logger used by default: one line per event, JSON metadata; info on stdout, errors on stderr.
 *
 * @example
 * consoleServerLog.error('handler failed', { path: '/api/queues' });
 */
export const consoleServerLog: Logger = consoleLogger();

const notFound = (): HandoverError => new HandoverError('HANDOVER_ERR_NOT_FOUND', 'no such endpoint');

/**
 * Composes request and upgrade handlers on one node:http server.
 *
 * @example
 * const srv = createHttpServer({ handlers: [async (req, res) => { res.end('ok'); return true; }] });
 * await srv.listen(0, '127.0.0.1');
 */
export function createHttpServer(opts: HttpServerOptions): HttpServer {
  const log = toLogger(opts.log, consoleServerLog);
  const graceMs = opts.closeGraceMs ?? 5_000;
  const running = new Set<Promise<void>>();
  let closing: Promise<void> | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      for (const h of opts.handlers) {
        if (await h(req, res)) return;
      }
      // Unread request bodies would otherwise stall a keep-alive connection.
      req.resume();
      sendError(res, notFound());
    } catch (e) {
      log.error('request handler failed', { method: req.method, path: pathOf(req), error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      if (!res.headersSent) sendError(res, e);
      else res.destroy();
    }
  };

  const t = { ...DEFAULT_HTTP_TIMEOUTS, ...opts.timeouts };
  const requestMs = Math.max(1, Math.round(t.requestMs));
  // node refuses a headers timeout above the request timeout
  const headersMs = Math.max(1, Math.min(Math.round(t.headersMs), requestMs));
  const server = http.createServer(
    {
      headersTimeout: headersMs,
      requestTimeout: requestMs,
      keepAliveTimeout: Math.max(1, Math.round(t.keepAliveMs)),
      // how often node looks for connections past those timeouts (its default, 30 s, would let a short timeout run long)
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.round(headersMs / 4))),
    },
    (req, res) => {
      if (closing !== undefined) res.setHeader('Connection', 'close');
      watchBody(req, res, t.bodyIdleMs, log);
      const p = handle(req, res);
      running.add(p);
      void p.finally(() => running.delete(p));
    },
  );
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      for (const u of opts.upgrades ?? []) {
        if (u(req, socket, head)) return;
      }
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    } catch (e) {
      log.error('upgrade handler failed', { path: pathOf(req), error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      socket.destroy();
    }
  });
  server.on('clientError', (e: NodeJS.ErrnoException, socket) => {
    // headers or the whole request not received in time (limits.http): 408, else a malformed request
    const status = e.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    else socket.destroy();
  });

  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const a = server.address() as AddressInfo;
          const shownHost = host === undefined || host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
          resolve({ port: a.port, host: a.address, url: `http://${shownHost}:${a.port}` });
        });
      });
    },
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => {
          if (!server.listening) return resolve();
          server.close(() => resolve());
        });
        server.closeIdleConnections();
        let timer: NodeJS.Timeout | undefined;
        const grace = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs);
          timer.unref();
        });
        await Promise.race([Promise.allSettled([...running]), grace]);
        clearTimeout(timer);
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}

/**
 * Closes a request whose body stops arriving: every `idleMs` it checks that the connection read
 * something since the last look, else answers 408 (when nothing was answered yet) and closes. Adds
 * no listener to the request stream, so handlers read the body as they like.
 */
function watchBody(req: IncomingMessage, res: ServerResponse, idleMs: number, log: Logger): void {
  if (req.complete || !hasBody(req)) return;
  const socket = req.socket;
  let last = socket.bytesRead;
  const timer = setInterval(() => {
    if (req.complete || socket.destroyed) return clearInterval(timer);
    const now = socket.bytesRead;
    if (now !== last) {
      last = now;
      return;
    }
    clearInterval(timer);
    log.info('request body stalled: connection closed', { method: req.method, path: pathOf(req), idleMs });
    if (!res.headersSent && socket.writable) {
      const body = JSON.stringify({ error: { code: 'HANDOVER_ERR_REQUEST_TIMEOUT', message: `the request body stalled for ${idleMs} ms` } });
      socket.end(`HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    }
    socket.destroySoon();
    setTimeout(() => socket.destroy(), 1000).unref();
  }, Math.max(10, Math.round(idleMs)));
  timer.unref();
  res.once('close', () => clearInterval(timer));
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0] ?? '/';
}
