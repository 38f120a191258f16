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
 * Where the server reports what went wrong (handler errors); default: the console.
 *
 * @example
 * const log: ServerLog = { info: () => {}, error: (m, meta) => console.error(m, meta) };
 */
export interface ServerLog {
  info(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

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
}

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
 * The console logger used by default: one line per event, JSON metadata.
 *
 * @example
 * consoleServerLog.error('handler failed', { path: '/api/queues' });
 */
export const consoleServerLog: ServerLog = {
  info: (message, meta) => console.log(meta === undefined ? message : `${message} ${JSON.stringify(meta)}`),
  error: (message, meta) => console.error(meta === undefined ? message : `${message} ${JSON.stringify(meta)}`),
};

const notFound = (): HandoverError => new HandoverError('HANDOVER_ERR_NOT_FOUND', 'no such endpoint');

/**
 * Composes request and upgrade handlers on one node:http server.
 *
 * @example
 * const srv = createHttpServer({ handlers: [async (req, res) => { res.end('ok'); return true; }] });
 * await srv.listen(0, '127.0.0.1');
 */
export function createHttpServer(opts: HttpServerOptions): HttpServer {
  const log = opts.log ?? consoleServerLog;
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

  const server = http.createServer((req, res) => {
    if (closing !== undefined) res.setHeader('Connection', 'close');
    const p = handle(req, res);
    running.add(p);
    void p.finally(() => running.delete(p));
  });
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
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
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

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0] ?? '/';
}
