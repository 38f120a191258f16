import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { HandoverError } from '../../core/errors.js';
import type { WebChatAdapter } from './webchat-adapter.js';
import type { ConversationTokens } from './conversation-tokens.js';
import { authorizeConversation } from './authorize-conversation.js';
import { bearerToken, corsHeaders, readJsonBody, sendError, sendJson } from './http-utils.js';
import { keepAlive, rejectUpgrade, sendOnSocket } from './socket-utils.js';
import type { WebChatLogger } from './webchat-logger.js';
import { clientAddress, type StartRateLimit } from './start-rate-limit.js';
import type { MessageRateLimit } from './message-rate-limit.js';
import { identify, type CustomerIdentityOptions } from './customer-token.js';
import { keepUploads, parseMultipart, readUpload, uploadLimits, type WebChatUploadOptions } from './customer-uploads.js';
import { readBodyBytes } from '../../server/http-json.js';

/** Options of {@link createDirectLineHandler}. */
export interface DirectLineHandlerOptions {
  readonly adapter: WebChatAdapter;
  readonly tokens: ConversationTokens;
  readonly log: WebChatLogger;
  /** Mount point; Direct Line clients are configured with `domain: '<origin>/v3/directline'`. */
  readonly basePath?: string;
  readonly maxBodyBytes?: number;
  readonly allowedOrigins?: readonly string[] | '*';
  /** e.g. `https://chat.example.com`; default: derived from the request's Host header. */
  readonly publicBaseUrl?: string;
  readonly heartbeatMs?: number;
  readonly maxBufferedBytes?: number;
  /** Anonymous conversations per client IP (`POST /conversations`: 429 + Retry-After past it); default: not limited. */
  readonly startLimit?: StartRateLimit;
  /** Posted activities per conversation and per client address (429 + Retry-After past one, nothing stored); default: not limited. */
  readonly messageLimit?: MessageRateLimit;
  /** Proxies in front that append to `X-Forwarded-For` (see `clientAddress`); default 0. */
  readonly trustedProxies?: number;
  /**
   * Signed-in customers: `POST /conversations` with `Authorization: Bearer <customer token>` (what
   * botframework-directlinejs sends for `createDirectLine({ token })`) starts the conversation as
   * that customer (401 HANDOVER_ERR_CUSTOMER_TOKEN_INVALID / _EXPIRED for a bad one); without a
   * token the visitor is anonymous unless `anonymous: false` (401). Default: anonymous only.
   */
  readonly identity?: CustomerIdentityOptions;
  /**
   * Customers' files: `POST /conversations/{id}/upload` (multipart: an `activity` part and one part
   * per file, as botframework-directlinejs sends them) within the limits (413 / 415 past them), kept
   * by `keep`, and the activity posted with them as attachments. Default: uploads refused.
   */
  readonly uploads?: WebChatUploadOptions;
}

/** The Direct Line front door: request and upgrade handlers plus `close`. */
export interface DirectLineHandler {
  handleRequest(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): Promise<void>;
}

const textLimit = 10_000;
const postedActivitySchema = z
  .object({
    type: z.enum(['message', 'typing', 'event']),
    text: z.string().max(textLimit).optional(),
    name: z.string().max(200).optional(),
    value: z.unknown().optional(),
    locale: z.string().max(20).optional(),
    from: z.object({ id: z.string().max(200).optional(), name: z.string().max(200).optional() }).passthrough().optional(),
    channelData: z.record(z.unknown()).optional(),
  })
  .passthrough();

const startSchema = z
  .object({
    user: z.object({ id: z.string().optional(), name: z.string().max(200).optional() }).passthrough().optional(),
    locale: z.string().max(20).optional(),
  })
  .passthrough()
  .optional();

/**
 * The Direct Line 3.0 subset that Microsoft Web Chat and botframework-directlinejs use, over
 * the same {@link WebChatAdapter} as our widget: start, WebSocket stream, post (echoed on the
 * stream with its `channelData.clientActivityID`), reconnect, polling and token refresh, and, with
 * `uploads`, attachment upload (see customer-uploads.ts).
 *
 * User ids sent by the client are ignored: the server issues its own, bound into the token, so a
 * client cannot claim another customer's id (and with it their bot user state). A signed-in
 * customer's id comes from the site's signed customer token (like the user id inside a token from
 * Azure's `/tokens/generate`), never from the body.
 *
 * @example
 * const dl = createDirectLineHandler({ adapter, tokens, log });
 * server.on('request', async (req, res) => { if (!(await dl.handleRequest(req, res))) notFound(res); });
 * server.on('upgrade', (req, socket, head) => { if (!dl.handleUpgrade(req, socket, head)) socket.destroy(); });
 */
export function createDirectLineHandler(opts: DirectLineHandlerOptions): DirectLineHandler {
  const base = (opts.basePath ?? '/v3/directline').replace(/\/$/, '');
  const maxBodyBytes = opts.maxBodyBytes ?? 256 * 1024;
  const allowedOrigins = opts.allowedOrigins ?? '*';
  const heartbeatMs = opts.heartbeatMs ?? 30_000;
  const maxBufferedBytes = opts.maxBufferedBytes ?? 1 << 20;
  const { adapter, tokens } = opts;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 });
  const sockets = new Set<WebSocket>();

  const streamUrl = (req: IncomingMessage, conversationId: string, token: string, watermark: string): string => {
    const origin = opts.publicBaseUrl ?? `${'encrypted' in req.socket && req.socket.encrypted === true ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`;
    const wsOrigin = origin.replace(/^http/, 'ws');
    return `${wsOrigin}${base}/conversations/${encodeURIComponent(conversationId)}/stream?watermark=${encodeURIComponent(watermark)}&t=${encodeURIComponent(token)}`;
  };

  async function route(req: IncomingMessage, res: ServerResponse, path: string, url: URL, cors: Record<string, string>): Promise<void> {
    const method = req.method ?? 'GET';
    if (path === '/conversations') {
      if (method !== 'POST') throw methodNotAllowed(method);
      // a signed-in customer (the site's token as the bearer) or, when the site allows it, an anonymous visitor
      let customer;
      try {
        // botframework-directlinejs created without a token sends "Bearer undefined": an anonymous start
        const bearer = bearerToken(req);
        customer = identify(opts.identity, bearer === 'undefined' || bearer === 'null' ? undefined : bearer);
      } catch (e) {
        // refused before its body is read: let it drain so the client reads the 401
        req.resume();
        throw e;
      }
      if (customer === undefined) await opts.startLimit?.check(req);
      const parsed = startSchema.safeParse(await readJsonBody(req, maxBodyBytes));
      if (!parsed.success) throw badRequest(parsed.error);
      const userId = customer?.customerId ?? `dl_${randomBytes(9).toString('base64url')}`;
      const userName = customer?.name ?? parsed.data?.user?.name;
      const locale = parsed.data?.locale;
      const { conversationId } = await adapter.startConversation({
        userId,
        ...(userName === undefined ? {} : { userName }),
        ...(locale === undefined ? {} : { locale }),
      });
      const { token, expiresIn } = tokens.issue(conversationId, userId);
      opts.log.info('direct line conversation started', { conversationId, signedIn: customer !== undefined });
      sendJson(res, 201, { conversationId, token, expires_in: expiresIn, streamUrl: streamUrl(req, conversationId, token, '') }, cors);
      return;
    }
    if (path === '/tokens/refresh') {
      if (method !== 'POST') throw methodNotAllowed(method);
      const claims = tokens.verify(bearerToken(req));
      if (!(await adapter.activityLog.exists(claims.conversationId))) {
        throw new HandoverError('HANDOVER_ERR_UNKNOWN_CONVERSATION', 'The conversation of this token is gone');
      }
      const { token, expiresIn } = tokens.issue(claims.conversationId, claims.userId, claims.firstIssuedAt);
      sendJson(res, 200, { conversationId: claims.conversationId, token, expires_in: expiresIn }, cors);
      return;
    }
    const m = /^\/conversations\/([^/]+)(\/activities|\/upload)?$/.exec(path);
    if (m === null || m[1] === undefined) {
      throw new HandoverError('HANDOVER_ERR_NOT_FOUND', `No Direct Line endpoint ${method} ${base}${path}`);
    }
    const conversationId = decodePathPart(m[1]);
    const sub = m[2];
    if (sub === '/upload') {
      if (opts.uploads === undefined) throw new HandoverError('HANDOVER_ERR_METHOD_NOT_ALLOWED', 'Attachment upload is not supported by this server');
      if (method !== 'POST') throw methodNotAllowed(method);
      await upload(req, res, conversationId, cors, opts.uploads);
      return;
    }
    if (sub === undefined) {
      // Reconnect: a fresh token and a streamUrl that resumes after the client's watermark.
      if (method !== 'GET') throw methodNotAllowed(method);
      const claims = await authorizeConversation(tokens, adapter.activityLog, bearerToken(req), conversationId);
      const { token, expiresIn } = tokens.issue(conversationId, claims.userId, claims.firstIssuedAt);
      const watermark = url.searchParams.get('watermark') ?? '';
      sendJson(res, 200, { conversationId, token, expires_in: expiresIn, streamUrl: streamUrl(req, conversationId, token, watermark) }, cors);
      return;
    }
    if (method === 'GET') {
      await authorizeConversation(tokens, adapter.activityLog, bearerToken(req), conversationId);
      const page = await adapter.activityLog.since(conversationId, url.searchParams.get('watermark') ?? undefined);
      sendJson(res, 200, { activities: page.activities, watermark: page.watermark }, cors);
      return;
    }
    if (method !== 'POST') throw methodNotAllowed(method);
    const claims = await authorizeConversation(tokens, adapter.activityLog, bearerToken(req), conversationId);
    if (opts.messageLimit !== undefined) {
      try {
        await opts.messageLimit.check(clientAddress(req, opts.trustedProxies ?? 0), conversationId);
      } catch (e) {
        // refused before its body is read: let it drain so the client reads the 429
        req.resume();
        throw e;
      }
    }
    const parsed = postedActivitySchema.safeParse(await readJsonBody(req, maxBodyBytes));
    if (!parsed.success) throw badRequest(parsed.error);
    const a = parsed.data;
    const { id } = await adapter.receive(conversationId, claims.userId, {
      type: a.type,
      ...(a.text === undefined ? {} : { text: a.text }),
      ...(a.name === undefined ? {} : { name: a.name }),
      ...(a.value === undefined ? {} : { value: a.value }),
      ...(a.locale === undefined ? {} : { locale: a.locale }),
      ...(a.from?.name === undefined ? {} : { userName: a.from.name }),
      ...(a.channelData === undefined ? {} : { channelData: a.channelData }),
    });
    sendJson(res, 200, { id }, cors);
  }

  const limits = uploadLimits(opts.uploads?.limits);
  /** `POST /conversations/{id}/upload`: files checked, kept, and posted as one activity with them. */
  async function upload(req: IncomingMessage, res: ServerResponse, conversationId: string, cors: Record<string, string>, uploads: WebChatUploadOptions): Promise<void> {
    let claims;
    try {
      claims = await authorizeConversation(tokens, adapter.activityLog, bearerToken(req), conversationId);
      await opts.messageLimit?.check(clientAddress(req, opts.trustedProxies ?? 0), conversationId);
    } catch (e) {
      // refused before its body is read: let it drain so the client reads the answer
      req.resume();
      throw e;
    }
    let body: Buffer;
    try {
      // the files and the multipart framing around them (the activity part, boundaries, headers)
      body = await readBodyBytes(req, limits.maxBytes + 64 * 1024, 'the upload');
    } catch (e) {
      if (e instanceof HandoverError && e.code === 'HANDOVER_ERR_PAYLOAD_TOO_LARGE') {
        throw new HandoverError('HANDOVER_ERR_PAYLOAD_TOO_LARGE', `The upload is too large: files up to ${Math.round(limits.maxBytes / (1024 * 1024))} MB can be sent`);
      }
      throw e;
    }
    const { activity, files } = readUpload(parseMultipart(body, req.headers['content-type']), limits);
    const text = typeof activity['text'] === 'string' ? activity['text'].slice(0, textLimit) : undefined;
    const channelData = typeof activity['channelData'] === 'object' && activity['channelData'] !== null && !Array.isArray(activity['channelData']) ? (activity['channelData'] as Record<string, unknown>) : undefined;
    const locale = typeof activity['locale'] === 'string' ? activity['locale'].slice(0, 20) : undefined;
    const attachments = await keepUploads(files, `${adapter.channelId}:${conversationId}`, uploads.keep);
    const { id } = await adapter.receive(conversationId, claims.userId, {
      type: 'message',
      ...(text === undefined || text === '' ? {} : { text }),
      ...(locale === undefined ? {} : { locale }),
      ...(channelData === undefined ? {} : { channelData }),
      attachments,
    });
    opts.log.info('direct line upload', { conversationId, files: files.length, bytes: files.reduce((n, f) => n + f.bytes.length, 0) });
    sendJson(res, 200, { id }, cors);
  }

  return {
    async handleRequest(req, res) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== base && !url.pathname.startsWith(`${base}/`)) return false;
      const cors = corsHeaders(req, allowedOrigins);
      if (req.method === 'OPTIONS') {
        res.writeHead(204, cors);
        res.end();
        return true;
      }
      try {
        await route(req, res, url.pathname.slice(base.length), url, cors);
      } catch (e) {
        if (!(e instanceof HandoverError)) opts.log.error('direct line request failed', { path: url.pathname, error: String(e) });
        sendError(res, e, cors);
      }
      return true;
    },

    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const m = new RegExp(`^${escapeRegExp(base)}/conversations/([^/]+)/stream$`).exec(url.pathname);
      if (m === null || m[1] === undefined) return false;
      let conversationId: string;
      try {
        conversationId = decodePathPart(m[1]);
      } catch (e) {
        rejectUpgrade(socket, e);
        return true;
      }
      const token = url.searchParams.get('t') ?? bearerToken(req);
      void (async () => {
        try {
          await authorizeConversation(tokens, adapter.activityLog, token ?? undefined, conversationId);
        } catch (e) {
          rejectUpgrade(socket, e);
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) => {
          sockets.add(ws);
          const stopHeartbeat = keepAlive(ws, heartbeatMs);
          let unsubscribe: (() => void) | undefined;
          let closed = false;
          ws.on('close', () => {
            closed = true;
            sockets.delete(ws);
            stopHeartbeat();
            unsubscribe?.();
          });
          // Clients send "" as keep-alive; nothing else is expected on this socket.
          ws.on('message', () => {});
          ws.on('error', (e) => opts.log.warn('direct line socket error', { conversationId, error: e.message }));
          adapter
            .openStream(conversationId, url.searchParams.get('watermark') ?? undefined, (batch) => sendOnSocket(ws, batch, maxBufferedBytes))
            .then((stop) => (closed ? stop() : (unsubscribe = stop)))
            .catch((e: unknown) => {
              opts.log.error('direct line stream failed', { conversationId, error: String(e) });
              ws.close(1011, 'stream failed');
            });
        });
      })();
      return true;
    },

    async close() {
      for (const ws of sockets) ws.close(1001, 'server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      for (const ws of sockets) ws.terminate();
    },
  };
}

function methodNotAllowed(method: string): HandoverError {
  return new HandoverError('HANDOVER_ERR_METHOD_NOT_ALLOWED', `Method ${method} is not allowed here`);
}

function badRequest(error: z.ZodError): HandoverError {
  const details = error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
  return new HandoverError('HANDOVER_ERR_BAD_REQUEST', `Invalid request body: ${details.join('; ')}`, { details });
}

/** A percent-encoded path segment; malformed encoding (`%E0%A4%A`) is the client's error: 400, not 500. */
function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HandoverError('HANDOVER_ERR_BAD_REQUEST', 'The conversation id in the path is not valid percent-encoding');
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
