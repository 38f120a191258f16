import type { Redactor } from '../../core/redact.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Activity } from 'botbuilder';
import type { ActivityLog } from '../../core/ports/activity-log.js';
import type { TurnInbox } from '../../core/ports/turn-inbox.js';
import type { Clock } from '../../core/clock.js';
import { systemClock } from '../../core/clock.js';
import { WebChatAdapter, type BotLogic } from './webchat-adapter.js';
import { ConversationTokens } from './conversation-tokens.js';
import { createDirectLineHandler } from './direct-line-handler.js';
import { createWidgetSocketHandler } from './widget-socket-handler.js';
import { buildWidgetBundle, type WidgetBundle } from './widget-bundle.js';
import { demoPage } from './demo-page.js';
import { sendError } from './http-utils.js';
import { consoleWebChatLogger, type WebChatLogger } from './webchat-logger.js';
import { StartRateLimit, type StartRateLimitOptions } from './start-rate-limit.js';
import { MessageRateLimit, type MessageRateLimitOptions } from './message-rate-limit.js';
import { CustomerTokens } from './customer-token.js';
import { randomBytes } from 'node:crypto';
import type { EventBus } from '../../core/ports/event-bus.js';
import type { WebChatUploadOptions } from './customer-uploads.js';

/**
 * Options of {@link createWebChatChannel}. Required: the bot (`logic`) and the stores' ports the
 * channel works over (`activityLog`, and the buckets of both rate limits), which whoever builds it
 * picks (`handover start`: the opened store's; a test: memory ones).
 */
export interface WebChatChannelOptions {
  /** The bot: called for every customer activity, inside the adapter's middleware. */
  readonly logic: BotLogic;
  /** Conversation history: `stores.activityLog` (in this process on the memory store, shared on Redis). */
  readonly activityLog: ActivityLog;
  readonly clock?: Clock;
  readonly log?: WebChatLogger;
  /** HMAC secret for conversation tokens (≥ 16 bytes). Same value on every node; default random per process. */
  readonly tokenSecret?: string;
  readonly tokenTtlMs?: number;
  /** A conversation's tokens are renewed (refresh, reconnect, resume) up to this long after its first token; default 24 h. */
  readonly tokenMaxAgeMs?: number;
  readonly botId?: string;
  readonly botName?: string;
  /** CORS / WebSocket origins for embedding pages; default '*'. */
  readonly allowedOrigins?: readonly string[] | '*';
  /** Request body limit of the Direct Line endpoints (413 above it); default 256 KiB. */
  readonly maxBodyBytes?: number;
  /** Public origin for Direct Line `streamUrl`s behind a proxy, e.g. `https://chat.example.com`. */
  readonly publicBaseUrl?: string;
  /** Serve the demo page at `/` (default true). */
  readonly demoPage?: boolean;
  /** Prebuilt widget bundle (when esbuild is not installed at runtime). */
  readonly widgetBundlePath?: string;
  readonly heartbeatMs?: number;
  /** Outgoing activities never sent to the browser; default: `handoff.initiate` events. */
  readonly isPrivate?: (activity: Partial<Activity>) => boolean;
  /**
   * With a shared history (Redis): `stores.turnInbox`, so a customer line acknowledged by a process
   * that dies before its bot answered is answered by another (see `TurnInbox`). Default: none.
   */
  readonly turnInbox?: TurnInbox;
  /** How often the turn inbox is swept for lines to take over (ms). Default 2000. */
  readonly inboxSweepMs?: number;
  /** Personal data masking of the history and the echo (see `WebChatAdapterOptions.redactor`). */
  readonly redactor?: Redactor;
  /**
   * Anonymous conversations per client IP, both front doors (429 / an error frame with the wait past
   * it): `{ limiter: stores.rateLimiter }` (shared across processes on Redis), by default 60 at once
   * and 60 a minute per address; `false` turns it off.
   */
  readonly startRateLimit: StartRateLimitOptions | false;
  /**
   * Customer lines per widget socket, per conversation and per client address (both front doors;
   * an error frame with `retryAfterMs` / 429 + Retry-After past one, the line neither stored nor
   * answered): `{ limiter: stores.rateLimiter, ...manifest.limits.messages }` (the conversation and
   * address buckets shared across processes on Redis; each limit defaults to the manifest's
   * default); `false` turns it off.
   */
  readonly messageRateLimit: MessageRateLimitOptions | false;
  /** Proxies in front that append to `X-Forwarded-For`, for the per-address limits (see `clientAddress`); default: `startRateLimit.trustedProxies`, else 0. */
  readonly trustedProxies?: number;
  /** A widget socket that has not sent `start` or `resume` this long after opening is closed; default 15 s. */
  readonly helloTimeoutMs?: number;
  /**
   * Signed-in customers (docs/webchat.md, "Identify your logged-in customers"): verifies the
   * site's customer tokens (widget `data-customer-token`, Direct Line `Authorization: Bearer` on
   * `POST /conversations`); the token's `sub` becomes the user id the customer directory looks up.
   * Default: none, every visitor is anonymous.
   */
  readonly customerTokens?: CustomerTokens;
  /** Visitors without a customer token may chat (anonymously); default true. */
  readonly anonymous?: boolean;
  /**
   * Demo only, never in production: the demo page signs its visitor in as this customer with a
   * token the server mints at each page load (with `customerTokens`' secret, or a random one).
   */
  readonly demoCustomer?: { readonly id: string; readonly name?: string };
  /**
   * Customers' photos and documents (both front doors: Direct Line's `/upload`, which the widget
   * uses too), within limits, kept by `keep` (`CustomerMedia.put`, where the console reads them).
   * Default: uploads refused.
   */
  readonly uploads?: WebChatUploadOptions;
  /**
   * The deployment's event bus: an `agent.typing` event (published by any process's console hub)
   * shows the agent typing to this conversation's clients connected here. Default: not shown.
   */
  readonly events?: EventBus;
}

/** The composed channel: mount `handleRequest` and `handleUpgrade` on one node:http server. */
export interface WebChatChannel {
  /** Add middleware here (`adapter.use(handoff)`); send proactive agent messages with `adapter.continueConversation`. */
  readonly adapter: WebChatAdapter;
  /** Handles `/v3/directline/**`, `/webchat/widget.js` and the demo page `/`; resolves false for other paths. */
  handleRequest(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Handles `/webchat/ws` and Direct Line stream upgrades; returns false for other paths. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Builds the widget now (optional: it is built on first request otherwise). */
  warmUp(): Promise<void>;
  /** Closes sockets and waits for running turns. */
  close(): Promise<void>;
}

/**
 * Web chat for browser customers: our widget (WebSocket) and a Direct Line 3.0 subset for
 * Microsoft Web Chat, both feeding one botbuilder {@link WebChatAdapter}.
 *
 * @example
 * const webchat = createWebChatChannel({
 *   logic: (ctx) => bot.run(ctx),
 *   activityLog: stores.activityLog,
 *   startRateLimit: { limiter: stores.rateLimiter },
 *   messageRateLimit: { limiter: stores.rateLimiter, ...manifest.limits.messages },
 *   tokenSecret: process.env.WEBCHAT_SECRET,
 * });
 * webchat.adapter.use(handoffMiddleware);
 * const server = http.createServer(async (req, res) => {
 *   if (await webchat.handleRequest(req, res)) return;
 *   res.writeHead(404).end();
 * });
 * server.on('upgrade', (req, socket, head) => { if (!webchat.handleUpgrade(req, socket, head)) socket.destroy(); });
 * server.listen(3978);
 */
export function createWebChatChannel(opts: WebChatChannelOptions): WebChatChannel {
  const log = opts.log ?? consoleWebChatLogger;
  const clock = opts.clock ?? systemClock;
  const adapter = new WebChatAdapter({
    activityLog: opts.activityLog,
    logic: opts.logic,
    clock,
    log,
    ...(opts.botId === undefined ? {} : { botId: opts.botId }),
    ...(opts.botName === undefined ? {} : { botName: opts.botName }),
    ...(opts.isPrivate === undefined ? {} : { isPrivate: opts.isPrivate }),
    ...(opts.turnInbox === undefined ? {} : { turnInbox: opts.turnInbox }),
    ...(opts.inboxSweepMs === undefined ? {} : { inboxSweepMs: opts.inboxSweepMs }),
    ...(opts.redactor === undefined ? {} : { redactor: opts.redactor }),
  });
  const startLimit = opts.startRateLimit === false ? undefined : new StartRateLimit(opts.startRateLimit);
  const messageLimit = opts.messageRateLimit === false ? undefined : new MessageRateLimit({ clock, ...opts.messageRateLimit });
  const trustedProxies = opts.trustedProxies ?? (opts.startRateLimit === false ? undefined : opts.startRateLimit?.trustedProxies) ?? 0;
  const tokens = new ConversationTokens({
    clock,
    ...(opts.tokenSecret === undefined ? {} : { secret: opts.tokenSecret }),
    ...(opts.tokenTtlMs === undefined ? {} : { ttlMs: opts.tokenTtlMs }),
    ...(opts.tokenMaxAgeMs === undefined ? {} : { maxAgeMs: opts.tokenMaxAgeMs }),
  });
  const customerTokens = opts.customerTokens ?? (opts.demoCustomer === undefined ? undefined : new CustomerTokens({ secret: randomBytes(32), clock }));
  const identity = { ...(customerTokens === undefined ? {} : { tokens: customerTokens }), anonymous: opts.anonymous ?? true };
  const shared = {
    adapter,
    tokens,
    log,
    identity,
    ...(opts.allowedOrigins === undefined ? {} : { allowedOrigins: opts.allowedOrigins }),
    ...(opts.heartbeatMs === undefined ? {} : { heartbeatMs: opts.heartbeatMs }),
    ...(startLimit === undefined ? {} : { startLimit }),
    ...(messageLimit === undefined ? {} : { messageLimit }),
    trustedProxies,
  };
  const directLine = createDirectLineHandler({
    ...shared,
    ...(opts.uploads === undefined ? {} : { uploads: opts.uploads }),
    ...(opts.maxBodyBytes === undefined ? {} : { maxBodyBytes: opts.maxBodyBytes }),
    ...(opts.publicBaseUrl === undefined ? {} : { publicBaseUrl: opts.publicBaseUrl }),
  });
  const widgetSocket = createWidgetSocketHandler({ ...shared, ...(opts.helloTimeoutMs === undefined ? {} : { helloTimeoutMs: opts.helloTimeoutMs }) });
  let bundle: Promise<WidgetBundle> | undefined;
  const getBundle = (): Promise<WidgetBundle> => {
    if (bundle === undefined) {
      const building = buildWidgetBundle(opts.widgetBundlePath === undefined ? {} : { prebuiltPath: opts.widgetBundlePath });
      bundle = building;
      // A failed build is retried on the next request instead of being cached forever.
      building.catch(() => {
        if (bundle === building) bundle = undefined;
      });
    }
    return bundle;
  };
  const serveDemo = opts.demoPage ?? true;
  // an agent typing anywhere in the deployment: shown to this conversation's clients held here
  const prefix = `${adapter.channelId}:`;
  const stopTyping = opts.events?.subscribe((e) => {
    if (e.type === 'agent.typing' && e.conversationId.startsWith(prefix)) adapter.showAgentTyping(e.conversationId.slice(prefix.length), { id: e.agentId, name: e.agentName });
  });

  return {
    adapter,
    async handleRequest(req, res) {
      if (await directLine.handleRequest(req, res)) return true;
      const url = new URL(req.url ?? '/', 'http://localhost');
      const isGet = req.method === 'GET' || req.method === 'HEAD';
      if (url.pathname === '/webchat/widget.js' && isGet) {
        try {
          const { code, etag } = await getBundle();
          const headers = {
            'Content-Type': 'application/javascript; charset=utf-8',
            'Cache-Control': 'no-cache',
            ETag: etag,
            'Access-Control-Allow-Origin': '*',
            'X-Content-Type-Options': 'nosniff',
          };
          if (req.headers['if-none-match'] === etag) res.writeHead(304, headers).end();
          else res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : code);
        } catch (e) {
          log.error('widget bundle failed', { error: e instanceof Error ? e.message : String(e) });
          sendError(res, e);
        }
        return true;
      }
      if (serveDemo && isGet && (url.pathname === '/' || url.pathname === '/index.html')) {
        res.writeHead(200, {
          'Content-Type': 'text/html; charset=utf-8',
          'Cache-Control': 'no-cache',
          'X-Content-Type-Options': 'nosniff',
          // Inline styles: the demo's own <style> and the widget's shadow-root stylesheet.
          'Content-Security-Policy': "default-src 'self'; connect-src 'self' ws: wss:; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
        });
        // the demo visitor is signed in with a token minted for this page load (demo mode only)
        const demo = opts.demoCustomer;
        const signIn = demo === undefined || customerTokens === undefined || url.searchParams.get('as') === 'anonymous' ? undefined : { ...demo, token: customerTokens.sign({ sub: demo.id, ...(demo.name === undefined ? {} : { name: demo.name }), ttlSeconds: 3600 }) };
        res.end(req.method === 'HEAD' ? undefined : demoPage(url.searchParams.get('locale'), signIn));
        return true;
      }
      return false;
    },
    handleUpgrade(req, socket, head) {
      return widgetSocket.handleUpgrade(req, socket, head) || directLine.handleUpgrade(req, socket, head);
    },
    async warmUp() {
      await getBundle();
    },
    async close() {
      stopTyping?.();
      await Promise.all([directLine.close(), widgetSocket.close()]);
      await adapter.drain();
      await adapter.stopFeed();
      await adapter.stopInbox();
    },
  };
}

export { WebChatAdapter, type BotLogic, type StreamBatch, type CustomerActivity, type Received } from './webchat-adapter.js';
export { StartRateLimit, clientAddress, webChatStartLimitFromEnv, type StartRateLimitOptions } from './start-rate-limit.js';
export { MessageRateLimit, ConnectionBudget, DEFAULT_MESSAGE_LIMITS, type MessageLimits, type MessageRateLimitOptions } from './message-rate-limit.js';
export { ConversationTokens } from './conversation-tokens.js';
export { CustomerTokens, signCustomerToken, customerIdentityFromEnv, type CustomerIdentity, type CustomerTokenClaims } from './customer-token.js';
export type { WebChatLogger } from './webchat-logger.js';
export type { WidgetClientMessage, WidgetServerMessage } from './widget-protocol.js';
export { DEFAULT_UPLOAD_MAX_BYTES, DEFAULT_UPLOAD_TYPES, uploadLimits, uploadLimitsFromEnv, type UploadLimits, type WebChatUploadOptions } from './customer-uploads.js';
