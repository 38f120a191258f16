import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TurnContext } from 'botbuilder';
import { consoleChannelLogger, type ChannelLogger } from '../shared/channel-logger.js';
import type { GraphApiClient } from './graph-api-client.js';
import { proxyMedia, type MediaLinks } from './media-links.js';
import { readRawBody } from './read-raw-body.js';
import { verifyHubSignature } from './verify-signature.js';
import type { WhatsAppCloudAdapter } from './whatsapp-cloud-adapter.js';

/** Options of {@link createCloudWebhookHandler}. */
export interface CloudWebhookHandlerOptions {
  readonly adapter: WhatsAppCloudAdapter;
  /** The bot: usually `(ctx) => bot.run(ctx)`. */
  readonly logic: (context: TurnContext) => Promise<void>;
  /** WHATSAPP_VERIFY_TOKEN: the string typed into Meta's webhook settings. */
  readonly verifyToken: string;
  /** WHATSAPP_APP_SECRET: signs every POST (X-Hub-Signature-256). */
  readonly appSecret: string;
  /** Default '/webhooks/whatsapp'. */
  readonly path?: string;
  /** Default 1 MiB; Meta's payloads are a few KB. */
  readonly maxBodyBytes?: number;
  /**
   * Serve the signed media links the adapter writes into transcripts (GET `<links.basePath>/<id>?e=…&s=…`),
   * proxying the download from Meta with the access token; files over `maxBytes` (default 100 MiB) are refused.
   */
  readonly media?: { readonly links: MediaLinks; readonly graph: GraphApiClient; readonly maxBytes?: number };
  readonly logger?: ChannelLogger;
}

/** A node:http handler that says whether it handled the request, plus a way to await background work. */
export type CloudWebhookHandler = ((req: IncomingMessage, res: ServerResponse) => Promise<boolean>) & {
  /** Resolves when every accepted webhook has been processed (tests, graceful shutdown). */
  idle(): Promise<void>;
};

/**
 * The Cloud API webhook as a plain node:http handler, so the app mounts it on the same server as the
 * web chat and the agent console: it returns false for other paths. GET answers Meta's verification;
 * POST reads the raw body (413 as soon as it passes the limit), checks the signature (401 when missing
 * or wrong — nothing is processed), parses JSON (400), answers 200 at once and processes in the
 * background (Meta retries slow webhooks, which dedupe then absorbs). With `media`, it also serves
 * the signed media links under `media.links.basePath` (403 for a bad or expired signature).
 *
 * @example
 * const whatsapp = createCloudWebhookHandler({ adapter, logic: (ctx) => bot.run(ctx), verifyToken, appSecret });
 * http.createServer(async (req, res) => {
 *   if (await whatsapp(req, res)) return;
 *   if (await webchat(req, res)) return;
 *   res.writeHead(404).end();
 * }).listen(3978);
 */
export function createCloudWebhookHandler(options: CloudWebhookHandlerOptions): CloudWebhookHandler {
  const path = options.path ?? '/webhooks/whatsapp';
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const logger = options.logger ?? consoleChannelLogger('whatsapp-cloud');
  const inFlight = new Set<Promise<void>>();

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== path) {
      const media = options.media;
      if (media === undefined || !url.pathname.startsWith(`${media.links.basePath}/`)) return false;
      await serveMedia(media, url, req, res);
      return true;
    }
    try {
      if (req.method === 'GET') {
        verify(url, res);
      } else if (req.method === 'POST') {
        await receive(req, res);
      } else {
        res.writeHead(405, { allow: 'GET, POST', 'content-type': 'text/plain' }).end('method not allowed');
      }
    } catch (e) {
      logger.error('webhook handler failed', { error: String(e) });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
    }
    return true;
  };

  async function serveMedia(media: NonNullable<CloudWebhookHandlerOptions['media']>, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET', 'content-type': 'text/plain' }).end('method not allowed');
        return;
      }
      const checked = media.links.check(url);
      if (!checked.ok) {
        logger.warn('media link refused', { reason: checked.reason });
        res.writeHead(403, { 'content-type': 'text/plain' }).end(checked.reason === 'expired' ? 'link expired' : 'forbidden');
        return;
      }
      await proxyMedia(res, { graph: media.graph, mediaId: checked.mediaId, maxBytes: media.maxBytes ?? 100 * 1024 * 1024, logger });
    } catch (e) {
      logger.error('media proxy failed', { error: String(e) });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
      else res.destroy();
    }
  }

  function verify(url: URL, res: ServerResponse): void {
    const mode = url.searchParams.get('hub.mode');
    const token = url.searchParams.get('hub.verify_token') ?? '';
    const challenge = url.searchParams.get('hub.challenge') ?? '';
    if (mode === 'subscribe' && sameSecret(token, options.verifyToken)) {
      logger.info('webhook verified by Meta');
      res.writeHead(200, { 'content-type': 'text/plain' }).end(challenge);
      return;
    }
    logger.warn('webhook verification refused (wrong hub.verify_token or mode)');
    res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden');
  }

  async function receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      logger.warn('webhook body too large (declared); refused without reading', { bytesRead: 0, contentLength: declared, limit });
      return tooLarge(req, res);
    }
    const body = await readRawBody(req, limit);
    if (!body.ok) {
      if (body.reason === 'too_large') {
        logger.warn('webhook body too large; refused while streaming', { bytesRead: body.bytesRead, limit });
        return tooLarge(req, res);
      }
      return; // the client went away; nothing to answer
    }
    if (!verifyHubSignature(body.body, req.headers['x-hub-signature-256'], options.appSecret)) {
      logger.warn('webhook signature missing or wrong; refused', { hasHeader: req.headers['x-hub-signature-256'] !== undefined });
      res.writeHead(401, { 'content-type': 'text/plain' }).end('bad signature');
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body.body.toString('utf8'));
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('body is not JSON');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('EVENT_RECEIVED');
    const work = options.adapter
      .processWebhook(payload, options.logic)
      .catch((e: unknown) => logger.error('webhook processing failed', { error: String(e) }));
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  }

  function tooLarge(req: IncomingMessage, res: ServerResponse): void {
    // Close the connection after answering: reading the rest of a huge body to keep it alive is the
    // very cost the limit exists to avoid.
    res.once('finish', () => req.socket.destroy());
    res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' }).end('payload too large');
  }

  return Object.assign(handler, {
    async idle(): Promise<void> {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  });
}

/** Constant-time comparison of two strings of any length (hash both, compare the digests). */
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
