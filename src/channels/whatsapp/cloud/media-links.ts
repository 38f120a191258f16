/**
 * Customers' photos, voice notes, videos, documents and stickers stay on Meta's servers; the
 * transcript keeps a signed link to them on our own server instead of a bare media id, so the agent
 * console (same origin) can show or download them without holding the access token:
 *
 *   GET <webhookPath>/media/<mediaId>?e=<expiry, epoch s>&s=<HMAC-SHA256>
 *
 * The link is signed with a key derived from WHATSAPP_APP_SECRET (every process can check it; nobody
 * can forge a link for another media id or extend its life) and proxied on request: Graph looks the
 * media id up (`GET /<MEDIA_ID>`), the bytes are streamed from Meta's short-lived URL with the token,
 * within `maxBytes`. Nothing is stored here: a link works while it is valid and Meta still keeps the
 * media. Responses are served so that a customer's file can never run as a page of ours
 * (`Content-Security-Policy: sandbox`, `nosniff`, and anything but images, audio and video as a download).
 *
 * @example
 * const links = new MediaLinks({ secret: cfg.appSecret, basePath: '/webhooks/whatsapp/media', ttlMs: 7 * 86_400_000, clock });
 * links.link('1479537139650973'); // '/webhooks/whatsapp/media/1479537139650973?e=…&s=…'
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { Clock } from '../../../core/clock.js';
import type { ChannelLogger } from '../shared/channel-logger.js';
import { graphFailureOf, type GraphApiClient } from './graph-api-client.js';

/** Options of {@link MediaLinks}. */
export interface MediaLinksOptions {
  /** WHATSAPP_APP_SECRET (the signing key is derived from it, never the secret itself). */
  readonly secret: string;
  /** Path the links point to, e.g. '/webhooks/whatsapp/media'. */
  readonly basePath: string;
  /** How long a link stays valid (default 7 days). */
  readonly ttlMs?: number;
  readonly clock: Clock;
}

/** Signs and checks media links. */
export class MediaLinks {
  private readonly key: Buffer;
  readonly basePath: string;
  private readonly ttlMs: number;

  constructor(private readonly options: MediaLinksOptions) {
    this.key = createHmac('sha256', options.secret).update('handover:whatsapp-media-link:v1').digest();
    this.basePath = options.basePath.replace(/\/+$/, '');
    this.ttlMs = options.ttlMs ?? 7 * 24 * 60 * 60 * 1000;
  }

  /** A signed, relative link to the media. @example links.link('1479537139650973') */
  link(mediaId: string): string {
    const e = Math.floor((this.options.clock.now() + this.ttlMs) / 1000);
    return `${this.basePath}/${encodeURIComponent(mediaId)}?e=${e}&s=${this.sign(mediaId, e)}`;
  }

  /**
   * The media id of a request path under `basePath` with a valid, unexpired signature; otherwise why not.
   *
   * @example
   * links.check(new URL(req.url, 'http://x')); // { ok: true, mediaId: '1479…' }
   */
  check(url: URL): { ok: true; mediaId: string } | { ok: false; reason: 'not_media' | 'bad_signature' | 'expired' } {
    if (!url.pathname.startsWith(`${this.basePath}/`)) return { ok: false, reason: 'not_media' };
    let mediaId: string;
    try {
      mediaId = decodeURIComponent(url.pathname.slice(this.basePath.length + 1));
    } catch {
      return { ok: false, reason: 'bad_signature' };
    }
    const e = Number(url.searchParams.get('e'));
    const s = url.searchParams.get('s') ?? '';
    if (mediaId === '' || mediaId.includes('/') || !Number.isInteger(e)) return { ok: false, reason: 'bad_signature' };
    const expected = Buffer.from(this.sign(mediaId, e));
    const given = Buffer.from(s);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
    if (e * 1000 < this.options.clock.now()) return { ok: false, reason: 'expired' };
    return { ok: true, mediaId };
  }

  private sign(mediaId: string, e: number): string {
    return createHmac('sha256', this.key).update(`${mediaId}\n${e}`).digest('base64url');
  }
}

/** Types a browser may show inline; everything else is served as a download. */
const INLINE = /^(image\/(jpeg|png|webp|gif)|audio\/[\w.+-]+|video\/[\w.+-]+)$/;

/**
 * Streams one media file from Meta to `res` (200), or answers 404 (unknown or expired at Meta),
 * 413 (over `maxBytes`) or 502 (Meta unreachable).
 *
 * @example
 * await proxyMedia(res, { graph, mediaId: '1479…', maxBytes: 100 * 1024 * 1024, logger });
 */
export async function proxyMedia(res: ServerResponse, opts: { graph: GraphApiClient; mediaId: string; maxBytes: number; logger: ChannelLogger }): Promise<void> {
  const { graph, mediaId, maxBytes, logger } = opts;
  let download: Response;
  let mimeType: string;
  try {
    const info = await graph.mediaInfo(mediaId);
    if (info.fileSize !== undefined && info.fileSize > maxBytes) {
      logger.warn('media larger than the proxy limit; not fetched', { mediaId, fileSize: info.fileSize, maxBytes });
      res.writeHead(413, { 'content-type': 'text/plain' }).end('media too large');
      return;
    }
    mimeType = info.mimeType;
    download = await graph.downloadMedia(info.url);
  } catch (e) {
    const f = graphFailureOf(e);
    const gone = f !== undefined && (f.status === 404 || f.status === 400);
    logger.warn(gone ? 'media not found at Meta (unknown id or past its retention)' : 'could not fetch media from Meta', { mediaId, error: String(e) });
    res.writeHead(gone ? 404 : 502, { 'content-type': 'text/plain' }).end(gone ? 'media not found' : 'media unavailable');
    return;
  }
  const declared = Number(download.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await download.body?.cancel().catch(() => {});
    res.writeHead(413, { 'content-type': 'text/plain' }).end('media too large');
    return;
  }
  const type = (download.headers.get('content-type') ?? mimeType).split(';')[0]?.trim() || 'application/octet-stream';
  res.writeHead(200, {
    'content-type': type,
    ...(Number.isFinite(declared) && declared > 0 ? { 'content-length': String(declared) } : {}),
    'content-disposition': INLINE.test(type) ? 'inline' : `attachment; filename="whatsapp-${mediaId.replace(/[^\w.-]/g, '')}"`,
    'content-security-policy': "sandbox; default-src 'none'",
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, max-age=300',
  });
  if (download.body === null) {
    res.end();
    return;
  }
  let sent = 0;
  const body = Readable.fromWeb(download.body as import('node:stream/web').ReadableStream<Uint8Array>);
  await new Promise<void>((resolve) => {
    body.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      if (sent > maxBytes) {
        logger.warn('media passed the proxy limit while streaming; cut', { mediaId, maxBytes });
        body.destroy();
        res.destroy();
        resolve();
        return;
      }
      if (!res.write(chunk)) body.pause();
    });
    res.on('drain', () => body.resume());
    res.on('close', () => {
      body.destroy();
      resolve();
    });
    body.on('end', () => {
      res.end();
      resolve();
    });
    body.on('error', (e) => {
      logger.warn('media stream from Meta failed', { mediaId, error: String(e) });
      res.destroy();
      resolve();
    });
  });
}
