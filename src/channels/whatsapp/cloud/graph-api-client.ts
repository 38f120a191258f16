import { HandoverError } from '../../../core/errors.js';
import { consoleChannelLogger, type ChannelLogger } from '../shared/channel-logger.js';
import type { InteractivePayload } from '../shared/choices.js';
import { isBusinessScopedUserId } from '../shared/locale-prior.js';
import { realSleep, type Sleep } from '../shared/sleep.js';
import { splitText } from '../shared/split-text.js';

/** Options of {@link GraphApiClient}. */
export interface GraphApiClientOptions {
  /** Default 'https://graph.facebook.com/v21.0'; tests point it at a local server. */
  readonly baseUrl?: string;
  readonly phoneNumberId: string;
  readonly accessToken: string;
  /** Attempts per call, first included (default 4). */
  readonly maxAttempts?: number;
  /** Backoff between attempts when the server gives no Retry-After (default 500 ms doubling, max 30 s). */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** A Retry-After longer than this is not waited for in-line: the call fails and the outbox retries later. */
  readonly maxRetryAfterMs?: number;
  /** Per-request timeout (default 15 s). */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly sleep?: Sleep;
  readonly logger?: ChannelLogger;
}

/** What went wrong with a Graph call; attached as `cause` of the HandoverError thrown. */
export interface GraphFailure {
  readonly kind: 'graph_failure';
  /** HTTP status, or 0 when the server could not be reached. */
  readonly status: number;
  /** True for 5xx, 429 and network errors: the same request may succeed later. */
  readonly retryable: boolean;
  /** Meta's `error.code`, e.g. 131047 (outside the 24 h window) or 131056 (pair rate limit). */
  readonly graphCode?: number;
  readonly attempts: number;
}

/**
 * The Graph failure behind a HandoverError thrown by {@link GraphApiClient}, if any.
 *
 * @example
 * const f = graphFailureOf(e); if (f?.retryable) outbox.add(msg);
 */
export function graphFailureOf(e: unknown): GraphFailure | undefined {
  const cause = e instanceof Error ? e.cause : undefined;
  return typeof cause === 'object' && cause !== null && (cause as { kind?: unknown }).kind === 'graph_failure' ? (cause as GraphFailure) : undefined;
}

/** Meta's error code for "free-form message outside the customer-service window". */
export const GRAPH_CODE_REENGAGEMENT_REQUIRED = 131047;

/** What `GET /<MEDIA_ID>` answers: a short-lived download URL and the file's facts. */
export interface GraphMediaInfo {
  readonly url: string;
  readonly mimeType: string;
  readonly sha256?: string;
  /** Bytes, when Meta says. */
  readonly fileSize?: number;
}

/**
 * How a message is addressed: a phone number goes in `to`, a business-scoped user id (a customer
 * with a WhatsApp username and no phone number shared) in `recipient`, as Meta's API requires.
 *
 * @example
 * addressOf('5511987654321'); // { to: '5511987654321' }
 * addressOf('BR.1502576394655843'); // { recipient: 'BR.1502576394655843' }
 */
export function addressOf(id: string): { to: string } | { recipient: string } {
  return isBusinessScopedUserId(id) ? { recipient: id } : { to: id };
}

/**
 * Minimal typed client for the WhatsApp Cloud API over `fetch`: text (split at 4096 characters),
 * template and interactive messages, read receipts with the typing indicator, and media downloads.
 * Messages go to a phone number (`to`) or a business-scoped user id (`recipient`). Retries 5xx, 429 (honouring Retry-After) and network errors with capped backoff;
 * after `maxAttempts` it throws HandoverError('HANDOVER_ERR_CHANNEL') with a {@link GraphFailure} cause, so
 * the adapter can keep the message in its outbox instead of losing it.
 *
 * @example
 * const graph = new GraphApiClient({ phoneNumberId: '1234567890', accessToken: process.env.WHATSAPP_ACCESS_TOKEN! });
 * await graph.sendText('5511987654321', 'Hello!'); // ['wamid.…']
 */
export class GraphApiClient {
  private readonly baseUrl: string;
  private readonly maxAttempts: number;
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly maxRetryAfterMs: number;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: Sleep;
  private readonly logger: ChannelLogger;

  constructor(private readonly options: GraphApiClientOptions) {
    this.baseUrl = (options.baseUrl ?? 'https://graph.facebook.com/v21.0').replace(/\/+$/, '');
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.backoff = options.backoff ?? { initialMs: 500, maxMs: 30_000 };
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.fetchImpl = options.fetch ?? fetch;
    this.sleep = options.sleep ?? realSleep;
    this.logger = options.logger ?? consoleChannelLogger('whatsapp-cloud');
  }

  /** The phone number id messages are sent from. @example graph.phoneNumberId */
  get phoneNumberId(): string {
    return this.options.phoneNumberId;
  }

  /**
   * Sends text, split into ≤ 4096-character parts sent in order. Returns the message ids.
   *
   * @example
   * await graph.sendText('5511987654321', 'Olá!');
   */
  async sendText(to: string, text: string): Promise<string[]> {
    const ids: string[] = [];
    for (const part of splitText(text, 4096)) {
      ids.push(
        await this.post({
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          ...addressOf(to),
          type: 'text',
          text: { body: part, preview_url: false },
        }),
      );
    }
    return ids;
  }

  /**
   * Sends an approved template (the only thing allowed outside the 24-hour window).
   *
   * @example
   * await graph.sendTemplate('5511987654321', { name: 'agent_ready', language: 'pt_BR' });
   */
  async sendTemplate(to: string, template: { name: string; language: string; components?: readonly unknown[] }): Promise<string> {
    return this.post({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      ...addressOf(to),
      type: 'template',
      template: { name: template.name, language: { code: template.language }, ...(template.components === undefined ? {} : { components: template.components }) },
    });
  }

  /**
   * Sends reply buttons or a list message (see `renderChoices` for Meta's limits).
   *
   * @example
   * await graph.sendInteractive('5511987654321', { type: 'button', body: { text: 'Continue?' }, action: { buttons: [{ type: 'reply', reply: { id: 'a.1', title: 'Yes' } }] } });
   */
  async sendInteractive(to: string, interactive: InteractivePayload): Promise<string> {
    return this.post({ messaging_product: 'whatsapp', recipient_type: 'individual', ...addressOf(to), type: 'interactive', interactive });
  }

  /**
   * Uploads a file to Meta (`POST /<phone-number-id>/media`, multipart/form-data with
   * `messaging_product=whatsapp`, `type` and `file`, as Meta's media reference documents) and returns
   * its media id, to send with `sendMedia`. Retried like a message.
   *
   * @example
   * const id = await graph.uploadMedia(bytes, 'image/png', 'label.png');
   */
  async uploadMedia(bytes: Buffer, mimeType: string, filename: string): Promise<string> {
    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    form.set('type', mimeType);
    form.set('file', new Blob([new Uint8Array(bytes)], { type: mimeType }), filename);
    return this.post(form, { endpoint: 'media' });
  }

  /**
   * Sends an uploaded image or document by its media id, with a caption (documents: with the file name
   * the customer sees).
   *
   * @example
   * await graph.sendMedia('5511987654321', 'document', mediaId, { caption: 'Your invoice', filename: 'invoice.pdf' });
   */
  async sendMedia(to: string, kind: 'image' | 'document', mediaId: string, opts: { caption?: string; filename?: string } = {}): Promise<string> {
    const caption = opts.caption === undefined || opts.caption === '' ? {} : { caption: opts.caption };
    return this.post({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      ...addressOf(to),
      type: kind,
      [kind]: { id: mediaId, ...caption, ...(kind === 'document' && opts.filename !== undefined ? { filename: opts.filename } : {}) },
    });
  }

  /**
   * Marks a received message (and the ones before it) as read — the customer sees the blue ticks —
   * and, with `typing`, shows "typing…" until the next message goes out or 25 s pass. One attempt,
   * never retried: presence that arrives late is worse than none.
   *
   * @example
   * await graph.markRead('wamid.HBgL…', { typing: true });
   */
  async markRead(messageId: string, opts: { typing?: boolean } = {}): Promise<void> {
    await this.post(
      { messaging_product: 'whatsapp', status: 'read', message_id: messageId, ...(opts.typing === true ? { typing_indicator: { type: 'text' } } : {}) },
      { attempts: 1, expectId: false },
    );
  }

  /**
   * Looks a received media id up: its short-lived download URL, MIME type, hash and size
   * (`GET /<MEDIA_ID>?phone_number_id=…`, which also checks the media belongs to this number).
   *
   * @example
   * const info = await graph.mediaInfo('1479537139650973'); // { url: 'https://lookaside.fbsbx.com/…', mimeType: 'image/jpeg', … }
   */
  async mediaInfo(mediaId: string): Promise<GraphMediaInfo> {
    const url = `${this.baseUrl}/${encodeURIComponent(mediaId)}?phone_number_id=${encodeURIComponent(this.options.phoneNumberId)}`;
    const res = await this.get(url);
    const body = (await res.json().catch(() => undefined)) as { url?: unknown; mime_type?: unknown; sha256?: unknown; file_size?: unknown } | undefined;
    if (typeof body?.url !== 'string') throw this.failure({ status: res.status, message: 'media lookup answered without a url' }, 1);
    return {
      url: body.url,
      mimeType: typeof body.mime_type === 'string' ? body.mime_type : 'application/octet-stream',
      ...(typeof body.sha256 === 'string' ? { sha256: body.sha256 } : {}),
      ...(typeof body.file_size === 'number' || typeof body.file_size === 'string' ? { fileSize: Number(body.file_size) } : {}),
    };
  }

  /**
   * Downloads media from the URL `mediaInfo` gave (the access token is required there too). The
   * caller streams the body and must consume or cancel it.
   *
   * @example
   * const res = await graph.downloadMedia(info.url); res.body?.pipeTo(…);
   */
  async downloadMedia(url: string): Promise<Response> {
    return this.get(url);
  }

  private async get(url: string): Promise<Response> {
    let res: Response;
    try {
      res = await this.fetchImpl(url, { headers: { authorization: `Bearer ${this.options.accessToken}` }, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      throw this.failure({ status: 0, message: e instanceof Error ? e.message : String(e) }, 1);
    }
    if (res.ok) return res;
    const body = (await res.json().catch(() => undefined)) as GraphResponseBody | undefined;
    throw this.failure({ status: res.status, ...(body?.error?.code === undefined ? {} : { graphCode: body.error.code }), message: body?.error?.message ?? res.statusText }, 1);
  }

  private async post(payload: Record<string, unknown> | FormData, opts: { attempts?: number; expectId?: boolean; endpoint?: 'messages' | 'media' } = {}): Promise<string> {
    const url = `${this.baseUrl}/${encodeURIComponent(this.options.phoneNumberId)}/${opts.endpoint ?? 'messages'}`;
    const form = payload instanceof FormData;
    const maxAttempts = Math.max(1, opts.attempts ?? this.maxAttempts);
    let last: { status: number; graphCode?: number; message: string } = { status: 0, message: 'not attempted' };
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      let retryAfterMs: number | undefined;
      try {
        const res = await this.fetchImpl(url, {
          method: 'POST',
          // a form sets its own multipart content type (with the boundary)
          headers: { authorization: `Bearer ${this.options.accessToken}`, ...(form ? {} : { 'content-type': 'application/json' }) },
          body: form ? payload : JSON.stringify(payload),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        const body = (await res.json().catch(() => undefined)) as GraphResponseBody | undefined;
        if (res.ok) {
          const id = form ? body?.id : body?.messages?.[0]?.id;
          if (typeof id === 'string') return id;
          if (opts.expectId === false) return '';
          // 200 without an id: accepted, but nothing to correlate statuses with.
          this.logger.warn('Graph API accepted a message without returning its id', { status: res.status });
          return '';
        }
        last = { status: res.status, ...(body?.error?.code === undefined ? {} : { graphCode: body.error.code }), message: body?.error?.message ?? res.statusText };
        const retryable = res.status === 429 || res.status >= 500;
        if (!retryable) break;
        retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
        if (retryAfterMs !== undefined && retryAfterMs > this.maxRetryAfterMs) {
          this.logger.warn('Graph API asks to wait longer than we wait in-line; leaving it to the outbox', { retryAfterMs });
          attempt = maxAttempts; // fall through to the "gave up" error below
          break;
        }
      } catch (e) {
        last = { status: 0, message: e instanceof Error ? e.message : String(e) };
      }
      if (attempt === maxAttempts) break;
      const delayMs = retryAfterMs ?? Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** (attempt - 1));
      this.logger.warn('Graph API call failed; retrying', { status: last.status, graphCode: last.graphCode, attempt, delayMs });
      await this.sleep(delayMs);
    }
    throw this.failure(last, maxAttempts);
  }

  private failure(last: { status: number; graphCode?: number; message: string }, attempts: number): HandoverError {
    const retryable = last.status === 0 || last.status === 429 || last.status >= 500;
    const failure: GraphFailure = {
      kind: 'graph_failure',
      status: last.status,
      retryable,
      ...(last.graphCode === undefined ? {} : { graphCode: last.graphCode }),
      attempts,
    };
    return new HandoverError(
      'HANDOVER_ERR_CHANNEL',
      retryable
        ? `WhatsApp Cloud API unavailable after ${attempts} attempt(s) (last: ${last.status} ${last.message}); the message is kept for a later retry`
        : `WhatsApp Cloud API refused the request (${last.status}${last.graphCode === undefined ? '' : `, code ${last.graphCode}`}: ${last.message})`,
      { cause: failure, details: [`status=${last.status}`, ...(last.graphCode === undefined ? [] : [`graphCode=${last.graphCode}`])] },
    );
  }
}

interface GraphResponseBody {
  messages?: Array<{ id?: string }>;
  /** A media upload's id. */
  id?: string;
  error?: { code?: number; message?: string };
}

/** Retry-After is either seconds or an HTTP date. */
function parseRetryAfter(v: string | null): number | undefined {
  if (v === null || v.trim() === '') return undefined;
  const seconds = Number(v);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
