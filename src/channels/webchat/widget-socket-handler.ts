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
}

/** The widget front door. */
export interface WidgetSocketHandler {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): Promise<void>;
}

const locale = z.string().max(20).regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/);
const clientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), locale: locale.optional(), userName: z.string().max(100).optional() }),
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

  function onConnection(ws: WebSocket): void {
    sockets.add(ws);
    const stopHeartbeat = keepAlive(ws, heartbeatMs);
    let session: Session | undefined;
    let closed = false;
    // Frames are handled one at a time so `start` finishes before the `message` that follows it.
    let chain = Promise.resolve();
    const send = (m: WidgetServerMessage): void => sendOnSocket(ws, m, maxBufferedBytes);
    const sendError = (e: unknown): void => {
      if (isHandoverError(e)) send({ type: 'error', code: e.code, message: e.message });
      else {
        log.error('widget socket frame failed', { error: String(e) });
        send({ type: 'error', code: 'HANDOVER_ERR_INTERNAL', message: 'Internal error' });
      }
    };

    const attach = async (next: Session, watermark: string | undefined, resumed: boolean): Promise<void> => {
      session?.unsubscribe?.();
      session = next;
      const { token, expiresIn } = tokens.issue(next.conversationId, next.userId);
      send({ type: 'session', conversationId: next.conversationId, token, expiresIn, userId: next.userId, resumed });
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
      switch (m.type) {
        case 'start': {
          const userId = `wu_${randomBytes(9).toString('base64url')}`;
          const { conversationId } = await adapter.startConversation({
            userId,
            ...(m.userName === undefined ? {} : { userName: m.userName }),
            ...(m.locale === undefined ? {} : { locale: m.locale }),
          });
          log.info('widget conversation started', { conversationId });
          await attach({ conversationId, userId, ...(m.locale === undefined ? {} : { locale: m.locale }) }, undefined, false);
          return;
        }
        case 'resume': {
          const claims = await authorizeConversation(tokens, adapter.activityLog, m.token, m.conversationId);
          await attach({ conversationId: m.conversationId, userId: claims.userId, ...(m.locale === undefined ? {} : { locale: m.locale }) }, m.watermark, true);
          return;
        }
        case 'refresh': {
          const s = requireSession(session);
          const { token, expiresIn } = tokens.issue(s.conversationId, s.userId);
          send({ type: 'session', conversationId: s.conversationId, token, expiresIn, userId: s.userId, resumed: true });
          return;
        }
        case 'message': {
          const s = requireSession(session);
          await adapter.receive(s.conversationId, s.userId, {
            type: 'message',
            text: m.text,
            ...(m.value === undefined ? {} : { value: m.value }),
            ...(s.locale === undefined ? {} : { locale: s.locale }),
            ...(m.clientActivityId === undefined ? {} : { channelData: { clientActivityID: m.clientActivityId } }),
          });
          return;
        }
        case 'typing': {
          const s = requireSession(session);
          await adapter.receive(s.conversationId, s.userId, { type: 'typing' });
          return;
        }
      }
    };

    ws.on('message', (raw) => {
      chain = chain.then(() => handle(raw)).catch(sendError);
    });
    ws.on('error', (e) => log.warn('widget socket error', { error: e.message }));
    ws.on('close', () => {
      closed = true;
      sockets.delete(ws);
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
      wss.handleUpgrade(req, socket, head, onConnection);
      return true;
    },
    async close() {
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
