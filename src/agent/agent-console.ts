/**
 * The agent console, composed: the page (`/agent`, its script and stylesheet), the HTTP API
 * (`/api/**`) and the live socket (`/agent/ws`). Mount `handleRequest` and `handleUpgrade` on the
 * service's HTTP server.
 *
 * Without a session `/agent` answers 401 with the sign-in form; every API route but sign-in,
 * sign-out and the OpenAPI document answers 401, and the socket refuses the upgrade.
 *
 * @example
 * const agentConsole = createAgentConsole({ manifest, service: app.service, stores, loginAttempts: stores.loginAttempts, env: process.env });
 * const http = createHttpServer({ handlers: [agentConsole.handleRequest], upgrades: [agentConsole.handleUpgrade] });
 * // on shutdown
 * await agentConsole.close();
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Manifest } from '../config/manifest-schema.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { LoginAttempts } from '../core/ports/login-attempts.js';
import type { Stores } from '../core/ports/stores.js';
import { CallbackService } from '../handoff/callback-service.js';
import type { HandoffService } from '../handoff/handoff-service.js';
import { Staffing } from '../staffing/staffing.js';
import { sendError } from '../server/http-json.js';
import type { RequestHandler, ServerLog } from '../server/http-server.js';
import { createAgentApi } from './agent-api.js';
import { AgentRoster } from './agent-roster.js';
import { AgentSessions } from './agent-sessions.js';
import { AgentWorklist } from './agent-worklist.js';
import { ApiTokens } from './api-tokens.js';
import { buildConsoleBundle, type ConsoleBundle } from './console-bundle.js';
import { ConsoleAuth } from './console-auth.js';
import { CONSOLE_CSP, consolePage, consoleStyles } from './console-page.js';
import { ConsoleSocketHub } from './console-socket-hub.js';

/**
 * Options of {@link createAgentConsole}.
 *
 * @example
 * createAgentConsole({ manifest, service: app.service, stores, loginAttempts: stores.loginAttempts, env: process.env, secureCookies: true });
 */
export interface AgentConsoleOptions {
  readonly manifest: Manifest;
  readonly service: HandoffService;
  readonly stores: Stores;
  readonly clock?: Clock;
  /** Read for HANDOVER_API_TOKENS (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  /** Overrides HANDOVER_API_TOKENS. */
  readonly apiTokens?: ApiTokens;
  readonly log?: ServerLog;
  /** Mark the session cookie `Secure` (set it when the console is served over HTTPS). */
  readonly secureCookies?: boolean;
  /** Prebuilt console script (when esbuild is not installed at run time). */
  readonly consoleBundlePath?: string;
  /** API body limit (413 above it); default 64 KiB. */
  readonly maxBodyBytes?: number;
  readonly heartbeatMs?: number;
  /**
   * Agents' presence and shifts (default: over `stores.documents`, so every process on the same
   * store shares them). Sign-in, sign-out, the status menu and the console sockets write presence.
   */
  readonly staffing?: Staffing;
  /** Booked callbacks, re-checked when presence or shifts change (default: over the same stores and service). */
  readonly callbacks?: CallbackService;
  /**
   * Sign-in attempt counters and known devices: `stores.loginAttempts` of `openStores`, so every
   * process on one Redis counts the same failures (manifest.json `console.signIn` sets the policy).
   */
  readonly loginAttempts: LoginAttempts;
}

/**
 * The composed console.
 *
 * @example
 * const c = createAgentConsole(opts);
 * await c.warmUp();
 * server.on('upgrade', (req, socket, head) => c.handleUpgrade(req, socket, head) || socket.destroy());
 */
export interface AgentConsole {
  readonly handleRequest: RequestHandler;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Builds the page script now instead of on the first request. */
  warmUp(): Promise<void>;
  /** Closes the live sockets and stops listening to events. */
  close(): Promise<void>;
  /** The live socket hub (tests count its sockets). */
  readonly sockets: ConsoleSocketHub;
}

const PAGE_HEADERS = {
  'Content-Security-Policy': CONSOLE_CSP,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

/**
 * Builds the agent console over the handoff service and the stores.
 *
 * @example
 * const c = createAgentConsole({ manifest, service, stores, loginAttempts: stores.loginAttempts });
 * if (await c.handleRequest(req, res)) return;
 */
export function createAgentConsole(opts: AgentConsoleOptions): AgentConsole {
  const clock = opts.clock ?? systemClock;
  const roster = new AgentRoster(opts.manifest);
  const sessions = new AgentSessions({ documents: opts.stores.documents, clock, ttlMs: opts.manifest.console.sessionTtlMinutes * 60_000 });
  const tokens = opts.apiTokens ?? ApiTokens.fromEnv(opts.env ?? process.env);
  const auth = new ConsoleAuth({ roster, sessions, tokens, ...(opts.secureCookies === undefined ? {} : { secureCookies: opts.secureCookies }) });
  const staffing = opts.staffing ?? new Staffing({ manifest: opts.manifest, documents: opts.stores.documents, clock });
  const callbacks = opts.callbacks ?? new CallbackService({ manifest: opts.manifest, stores: opts.stores, clock, service: opts.service, staffing });
  const sockets = new ConsoleSocketHub({
    auth,
    sessions,
    stores: opts.stores,
    clock,
    presence: staffing.presence,
    isAgent: (id) => staffing.isAgent(id),
    // a socket that brings an agent back online (after sign-out or away) may give back capacity
    onPresenceChange: () => callbacks.recheck(),
    ...(opts.log === undefined ? {} : { log: opts.log }),
    ...(opts.heartbeatMs === undefined ? {} : { heartbeatMs: opts.heartbeatMs }),
  });
  const api = createAgentApi({
    manifest: opts.manifest,
    service: opts.service,
    stores: opts.stores,
    clock,
    auth,
    roster,
    sessions,
    worklist: new AgentWorklist(opts.stores),
    staffing,
    callbacks,
    onLogout: (token) => sockets.closeSession(token),
    loginAttempts: opts.loginAttempts,
    ...(opts.secureCookies === undefined ? {} : { secureCookies: opts.secureCookies }),
    ...(opts.log === undefined ? {} : { log: opts.log }),
    ...(opts.maxBodyBytes === undefined ? {} : { maxBodyBytes: opts.maxBodyBytes }),
  });

  let bundle: Promise<ConsoleBundle> | undefined;
  const getBundle = (): Promise<ConsoleBundle> => {
    if (bundle === undefined) {
      const building = buildConsoleBundle(opts.consoleBundlePath === undefined ? {} : { prebuiltPath: opts.consoleBundlePath });
      bundle = building;
      // A failed build is retried on the next request rather than cached.
      building.catch(() => {
        if (bundle === building) bundle = undefined;
      });
    }
    return bundle;
  };

  const asset = (req: IncomingMessage, res: ServerResponse, type: string, body: string, etag: string): void => {
    const headers = { 'Content-Type': type, 'Cache-Control': 'no-cache', ETag: etag, 'X-Content-Type-Options': 'nosniff' };
    if (req.headers['if-none-match'] === etag) res.writeHead(304, headers).end();
    else res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
  };
  const stylesEtag = `"${createHash('sha256').update(consoleStyles).digest('base64url').slice(0, 22)}"`;

  const handleRequest: RequestHandler = async (req, res) => {
    if (await api(req, res)) return true;
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/agent' && !url.pathname.startsWith('/agent/')) return false;
    const isGet = req.method === 'GET' || req.method === 'HEAD';
    if (url.pathname === '/agent' || url.pathname === '/agent/') {
      if (!isGet) return false;
      const caller = await auth.principalOf(req);
      const view = caller?.kind === 'agent' ? 'console' : 'login';
      res.writeHead(view === 'console' ? 200 : 401, { ...PAGE_HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : consolePage(view));
      return true;
    }
    if (url.pathname === '/agent/console.js' && isGet) {
      try {
        const { code, etag } = await getBundle();
        asset(req, res, 'application/javascript; charset=utf-8', code, etag);
      } catch (e) {
        opts.log?.error('console bundle failed', { error: e instanceof Error ? e.message : String(e) });
        sendError(res, e);
      }
      return true;
    }
    if (url.pathname === '/agent/console.css' && isGet) {
      asset(req, res, 'text/css; charset=utf-8', consoleStyles, stylesEtag);
      return true;
    }
    return false;
  };

  return {
    handleRequest,
    handleUpgrade: (req, socket, head) => sockets.handleUpgrade(req, socket, head),
    async warmUp() {
      await getBundle();
    },
    close: () => sockets.close(),
    sockets,
  };
}
