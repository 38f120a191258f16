import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { z } from 'zod';
import { HandoverError, isHandoverError } from '../../core/errors.js';
import type { WebChatAdapter } from './webchat-adapter.js';
import type { ConversationTokens } from './conversation-tokens.js';
import { authorizeConversation } from './authorize-conversation.js';
import { keepAlive, sendOnSocket } from './socket-utils.js';
import type { WebChatLogger } from './webchat-logger.js';
import type { WidgetServerMessage } from './widget-protocol.js';
import { retryAfterMs } from './http-utils.js';
import { clientAddress, type StartRateLimit } from './start-rate-limit.js';
import type { MessageRateLimit } from './message-rate-limit.js';
import { identify, type CustomerIdentityOptions } from './customer-token.js';

/** Options of {@link createWidgetSocketHandler}. */
export interface WidgetSocketHandlerOptions {
  readonly adapter: WebChatAdapter;
  readonly tokens: ConversationTokens;
  readonly log: WebChatLogger;
  readonly path?: string;
  /** Origins allowed to open the socket; '*' (default) because the widget is embedded anywhere and every resume needs a token. */
  readonly allowedOrigins?: readonly string[] | '*';
  readonly heartbeatMs?: number;
  readonly maxFrameBytes?: number;
  readonly maxBufferedBytes?: number;
  /** Anonymous conversations per client IP (the `start` frame); default: not limited. */
  readonly startLimit?: StartRateLimit;
  /**
   * Frames per socket, lines per conversation and per client address (an error frame with
   * `retryAfterMs` past one; the socket closed with 1008 after `closeAfterRefused` refusals in a
   * row); default: not limited.
   */
  readonly messageLimit?: MessageRateLimit;
  /** Proxies in front that append to `X-Forwarded-For` (see `clientAddress`); default 0. */
  readonly trustedProxies?: number;
  /** A socket that has not sent `start` or `resume` this long after opening is closed (1008); default 15 s. */
  readonly helloTimeoutMs?: number;
  /**
   * Signed-in customers: a `start` frame's `customerToken` is verified (an `error` frame with
   * HANDOVER_ERR_CUSTOMER_TOKEN_INVALID / _EXPIRED when it is bad, and no conversation) and its
   * `sub` becomes the conversation's user id, the id the customer directory looks up. Default:
   * anonymous visitors only.
   */
  readonly identity?: CustomerIdentityOptions;
}

/** The widget front door. */
export interface WidgetSocketHandler {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): Promise<void>;
}

const locale = z.string().max(20).regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/);
const clientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), locale: locale.optional(), userName: z.string().max(100).optional(), customerToken: z.string().max(4096).optional() }),
  z.object({
    type: z.literal('resume'),
    conversationId: z.string().max(200),
    token: z.string().max(2000),
    watermark: z.string().max(20).optional(),
    locale: locale.optional(),
  }),
  z.object({ type: z.literal('message'), text: z.string().min(1).max(10_000), clientActivityId: z.string().max(100).optional(), value: z.unknown().optional() }),
  z.object({ type: z.literal('typing') }),
  z.object({ type: z.literal('refresh') }),
]);

interface Session {
  conversationId: string;
  userId: string;
  /** The conversation's first token (renewals stop `maxAgeMs` after it); undefined for a new conversation. */
  firstIssuedAt?: number;
  locale?: string;
  unsubscribe?: () => void;
}

/**
 * Our widget's WebSocket protocol (see `widget-protocol.ts`) over the shared {@link WebChatAdapter}.
 * One socket = one conversation; a protocol error answers with an `error` frame and keeps the
 * socket open so the widget can start over.
 *
 * @example
 * const widgetWs = createWidgetSocketHandler({ adapter, tokens, log });
 * server.on('upgrade', (req, socket, head) => { if (!widgetWs.handleUpgrade(req, socket, head)) socket.destroy(); });
 */
export function createWidgetSocketHandler(opts: WidgetSocketHandlerOptions): WidgetSocketHandler {
  const path = opts.path ?? '/webchat/ws';
  const heartbeatMs = opts.heartbeatMs ?? 30_000;
  const maxBufferedBytes = opts.maxBufferedBytes ?? 1 << 20;
  const allowedOrigins = opts.allowedOrigins ?? '*';
  const { adapter, tokens, log } = opts;
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxFrameBytes ?? 32 * 1024 });
  const sockets = new Set<WebSocket>();
  /** Sockets with a conversation, told when lines can or cannot be stored (`status` frames). */
  const attached = new Map<WebSocket, (m: WidgetServerMessage) => void>();
  let sending = true;
  let stopWatching: (() => void) | undefined;
  const watchStore = (): void => {
    if (stopWatching !== undefined) return;
    stopWatching = adapter.activityLog.watchAvailability?.((available) => {
      sending = available;
      for (const send of attached.values()) send({ type: 'status', sending: available });
    }) ?? (() => {});
  };

  function onConnection(ws: WebSocket, req: IncomingMessage): void {
    sockets.add(ws);
    watchStore();
    const stopHeartbeat = keepAlive(ws, heartbeatMs);
    let session: Session | undefined;
    let closed = false;
    const address = clientAddress(req, opts.trustedProxies ?? 0);
    const budget = opts.messageLimit?.connection();
    // a socket that never says start/resume holds a connection for nothing
    const helloTimer = setTimeout(() => {
      if (session === undefined) ws.close(1008, 'no start or resume');
    }, opts.helloTimeoutMs ?? 15_000);
    helloTimer.unref();
    /** Counts a refusal; past `closeAfterRefused` in a row the socket goes (the client ignores the waits). */
    const refusedOnce = (): void => {
      if (budget?.refused() === true && ws.readyState === ws.OPEN) {
        log.warn('widget socket closed: too many refused frames', { address });
        ws.close(1008, 'too many messages: slow down');
      }
    };
    // Frames are handled one at a time so `start` finishes before the `message` that follows it.
    let chain = Promise.resolve();
    const send = (m: WidgetServerMessage): void => sendOnSocket(ws, m, maxBufferedBytes);
    const sendError = (e: unknown, clientActivityId?: string): void => {
      const wait = retryAfterMs(e);
      const about = { ...(clientActivityId === undefined ? {} : { clientActivityId }), ...(wait === undefined ? {} : { retryAfterMs: wait }) };
      if (isHandoverError(e, 'HANDOVER_ERR_STORE_UNAVAILABLE')) {
        // the store's own words stay in the log
        send({ type: 'error', code: e.code, message: 'Messages cannot be stored right now: send it again later', ...about });
      } else if (isHandoverError(e)) send({ type: 'error', code: e.code, message: e.message, ...about });
      else {
        log.error('widget socket frame failed', { error: String(e) });
        send({ type: 'error', code: 'HANDOVER_ERR_INTERNAL', message: 'Internal error', ...about });
      }
    };

    const attach = async (next: Session, watermark: string | undefined, resumed: boolean): Promise<void> => {
      session?.unsubscribe?.();
      session = next;
      const { token, expiresIn } = tokens.issue(next.conversationId, next.userId, next.firstIssuedAt);
      next.firstIssuedAt ??= tokens.verify(token).firstIssuedAt;
      send({ type: 'session', conversationId: next.conversationId, token, expiresIn, userId: next.userId, resumed });
      attached.set(ws, send);
      if (!sending) send({ type: 'status', sending: false });
      const stop = await adapter.openStream(next.conversationId, watermark, (batch) =>
        send({ type: 'activities', activities: batch.activities, ...(batch.watermark === undefined ? {} : { watermark: batch.watermark }) }),
      );
      if (closed || session !== next) stop();
      else next.unsubscribe = stop;
    };

    const handle = async (raw: RawData): Promise<void> => {
      let json: unknown;
      try {
        json = JSON.parse(raw.toString());
      } catch {
        throw new HandoverError('HANDOVER_ERR_BAD_REQUEST', 'Frame is not valid JSON');
      }
      const parsed = clientMessage.safeParse(json);
      if (!parsed.success) {
        const details = parsed.error.issues.map((i) => `${i.path.join('.') || '(frame)'}: ${i.message}`);
        throw new HandoverError('HANDOVER_ERR_BAD_REQUEST', `Invalid frame: ${details.join('; ')}`, { details });
      }
      const m = parsed.data;
      if (budget !== undefined) {
        try {
          budget.take();
        } catch (e) {
          refusedOnce();
          // typing is dropped without a word; a line is answered by name so the widget resends it after the wait
          if (m.type === 'typing') return;
          sendError(e, m.type === 'message' ? m.clientActivityId : undefined);
          return;
        }
      }
      switch (m.type) {
        case 'start': {
          // a signed-in customer (verified token) or, when the site allows it, an anonymous visitor
          const customer = identify(opts.identity, m.customerToken);
          if (customer === undefined) await opts.startLimit?.check(req);
          const userId = customer?.customerId ?? `wu_${randomBytes(9).toString('base64url')}`;
          const userName = customer?.name ?? m.userName;
          const { conversationId } = await adapter.startConversation({
            userId,
            ...(userName === undefined ? {} : { userName }),
            ...(m.locale === undefined ? {} : { locale: m.locale }),
          });
          log.info('widget conversation started', { conversationId, signedIn: customer !== undefined });
          await attach({ conversationId, userId, ...(m.locale === undefined ? {} : { locale: m.locale }) }, undefined, false);
          return;
        }
        case 'resume': {
          const claims = await authorizeConversation(tokens, adapter.activityLog, m.token, m.conversationId);
          // a resume replays the history: it draws on the conversation's bucket, so a client that is
          // closed for flooding and comes straight back is refused before that work (it retries after the wait)
          await opts.messageLimit?.check(address, m.conversationId);
          await attach({ conversationId: m.conversationId, userId: claims.userId, firstIssuedAt: claims.firstIssuedAt, ...(m.locale === undefined ? {} : { locale: m.locale }) }, m.watermark, true);
          return;
        }
        case 'refresh': {
          const s = requireSession(session);
          const { token, expiresIn } = tokens.issue(s.conversationId, s.userId, s.firstIssuedAt);
          send({ type: 'session', conversationId: s.conversationId, token, expiresIn, userId: s.userId, resumed: true });
          return;
        }
        case 'message': {
          const s = requireSession(session);
          const clientActivityId = m.clientActivityId;
          let r;
          try {
            if (opts.messageLimit !== undefined) {
              try {
                await opts.messageLimit.check(address, s.conversationId);
              } catch (e) {
                if (isHandoverError(e, 'HANDOVER_ERR_TOO_MANY_REQUESTS')) refusedOnce();
                throw e;
              }
            }
            budget?.passed();
            r = await adapter.receive(s.conversationId, s.userId, {
              type: 'message',
              text: m.text,
              ...(m.value === undefined ? {} : { value: m.value }),
              ...(s.locale === undefined ? {} : { locale: s.locale }),
              ...(clientActivityId === undefined ? {} : { channelData: { clientActivityID: clientActivityId } }),
            });
          } catch (e) {
            // the error names the line, so the widget knows which one to show as not sent and send again
            sendError(e, clientActivityId);
            return;
          }
          if (clientActivityId !== undefined) send({ type: 'ack', clientActivityId, id: r.id, ...(r.watermark === undefined ? {} : { watermark: r.watermark }) });
          return;
        }
        case 'typing': {
          const s = requireSession(session);
          // typing is ephemeral: while the store is away it is dropped, so it never holds up (in this
          // socket's frame chain) the line typed next, which must be refused at once
          if (!sending) return;
          budget?.passed();
          await adapter.receive(s.conversationId, s.userId, { type: 'typing' });
          return;
        }
      }
    };

    ws.on('message', (raw) => {
      chain = chain.then(() => handle(raw)).catch((e: unknown) => sendError(e));
    });
    ws.on('error', (e) => log.warn('widget socket error', { error: e.message }));
    ws.on('close', () => {
      closed = true;
      clearTimeout(helloTimer);
      sockets.delete(ws);
      attached.delete(ws);
      stopHeartbeat();
      session?.unsubscribe?.();
    });
  }

  return {
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== path) return false;
      const origin = req.headers.origin;
      if (allowedOrigins !== '*' && (origin === undefined || !allowedOrigins.includes(origin))) {
        socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        socket.destroy();
        return true;
      }
      wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, req));
      return true;
    },
    async close() {
      stopWatching?.();
      for (const ws of sockets) ws.close(1001, 'server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      for (const ws of sockets) ws.terminate();
    },
  };
}

function requireSession(session: Session | undefined): Session {
  if (session === undefined) throw new HandoverError('HANDOVER_ERR_BAD_REQUEST', 'Send "start" or "resume" first');
  return session;
}
