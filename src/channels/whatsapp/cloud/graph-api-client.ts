import { HandoverError } from '../../../core/errors.js';
import { consoleChannelLogger, type ChannelLogger } from '../shared/channel-logger.js';
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

/**
 * Minimal typed client for the WhatsApp Cloud API over `fetch`: text (split at 4096 characters) and
 * template messages. Retries 5xx, 429 (honouring Retry-After) and network errors with capped backoff;
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
          to,
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
      to,
      type: 'template',
      template: { name: template.name, language: { code: template.language }, ...(template.components === undefined ? {} : { components: template.components }) },
    });
  }

  private async post(payload: Record<string, unknown>): Promise<string> {
    const url = `${this.baseUrl}/${encodeURIComponent(this.options.phoneNumberId)}/messages`;
    let last: { status: number; graphCode?: number; message: string } = { status: 0, message: 'not attempted' };
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      let retryAfterMs: number | undefined;
      try {
        const res = await this.fetchImpl(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${this.options.accessToken}`, 'content-type': 'application/json' },
          body: JSON.stringify(payload),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        const body = (await res.json().catch(() => undefined)) as GraphResponseBody | undefined;
        if (res.ok) {
          const id = body?.messages?.[0]?.id;
          if (typeof id === 'string') return id;
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
          attempt = this.maxAttempts; // fall through to the "gave up" error below
          break;
        }
      } catch (e) {
        last = { status: 0, message: e instanceof Error ? e.message : String(e) };
      }
      if (attempt === this.maxAttempts) break;
      const delayMs = retryAfterMs ?? Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** (attempt - 1));
      this.logger.warn('Graph API call failed; retrying', { status: last.status, graphCode: last.graphCode, attempt, delayMs });
      await this.sleep(delayMs);
    }
    const retryable = last.status === 0 || last.status === 429 || last.status >= 500;
    const failure: GraphFailure = {
      kind: 'graph_failure',
      status: last.status,
      retryable,
      ...(last.graphCode === undefined ? {} : { graphCode: last.graphCode }),
      attempts: this.maxAttempts,
    };
    throw new HandoverError(
      'HANDOVER_ERR_CHANNEL',
      retryable
        ? `WhatsApp Cloud API unavailable after ${this.maxAttempts} attempts (last: ${last.status} ${last.message}); the message is kept for a later retry`
        : `WhatsApp Cloud API refused the message (${last.status}${last.graphCode === undefined ? '' : `, code ${last.graphCode}`}: ${last.message})`,
      { cause: failure, details: [`status=${last.status}`, ...(last.graphCode === undefined ? [] : [`graphCode=${last.graphCode}`])] },
    );
  }
}

interface GraphResponseBody {
  messages?: Array<{ id?: string }>;
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
