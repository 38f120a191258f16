/**
 * Outgoing webhooks: every domain event listed in a manifest webhook's `events` is POSTed to its
 * `url` as JSON, signed so the receiver can trust it:
 *
 *   X-Handover-Signature: sha256=<hex HMAC-SHA256 of the raw body, key = env[secretEnv]>
 *   X-Handover-Timestamp: <unix seconds>   (also inside the signed body as `timestamp`)
 *   X-Handover-Event: handoff.accepted
 *   X-Handover-Delivery: <id, the same on every retry of one event>
 *
 * Deliveries run off the customer's turn (the event bus handler only enqueues), retry with
 * exponential backoff and jitter on network errors, timeouts, 429 and 5xx, and give up on other
 * 4xx. With several processes on one store every process hears every event; a claim in the
 * DocumentStore (`create`, exactly one winner) makes each event go out once.
 *
 * @example
 * const webhooks = startWebhooks({ webhooks: manifest.webhooks, events: stores.events, dedupe: stores.documents });
 * // on shutdown
 * await webhooks.close();
 */
import { createHash, createHmac } from 'node:crypto';
import type { Manifest } from '../config/manifest-schema.js';
import { systemClock, type Clock } from '../core/clock.js';
import { HandoverError } from '../core/errors.js';
import type { DomainEvent } from '../core/events.js';
import type { DocumentStore } from '../core/ports/document-store.js';
import type { EventBus } from '../core/ports/event-bus.js';
import type { ServerLog } from '../server/http-server.js';
import { Redactor } from '../core/redact.js';

/**
 * Options of {@link startWebhooks}.
 *
 * @example
 * startWebhooks({ webhooks: manifest.webhooks, events: stores.events, dedupe: stores.documents, attempts: 6, baseDelayMs: 1000 });
 */
export interface WebhookOptions {
  readonly webhooks: Manifest['webhooks'];
  readonly events: EventBus;
  /** Where the secrets are read (`secretEnv` names a variable); default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Claims each (webhook, event) once across processes; leave out with a single process. */
  readonly dedupe?: DocumentStore;
  readonly clock?: Clock;
  readonly log?: ServerLog;
  /** Attempts per delivery, the first included (default 6: about a minute of retrying). */
  readonly attempts?: number;
  /** First retry delay; doubles each time, with jitter (default 1 s). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Per-attempt timeout (default 10 s). */
  readonly timeoutMs?: number;
  /** Deliveries waiting or running at most; beyond it new ones are dropped and logged (default 10,000). */
  readonly maxPending?: number;
  /** Replaceable for tests. */
  readonly fetch?: typeof fetch;
  /**
   * Personal data masking of every body sent (manifest.json → `pii`; docs/operations.md, "Personal data"): a
   * transfer note or message text that reaches a webhook is masked even when the event bus it came
   * from was not. Default: every pattern on.
   */
  readonly redactor?: Redactor;
}

/**
 * The outcome of one delivery (for logs and tests).
 *
 * @example
 * webhooks.deliveries.filter((d: WebhookDelivery) => !d.ok);
 */
export interface WebhookDelivery {
  readonly url: string;
  readonly event: DomainEvent['type'];
  readonly id: string;
  readonly attempts: number;
  readonly ok: boolean;
  readonly status?: number;
  readonly error?: string;
}

/**
 * A running dispatcher.
 *
 * @example
 * const w = startWebhooks(opts);
 * await w.idle();
 * await w.close();
 */
export interface Webhooks {
  /** Resolves when nothing is waiting or running (tests). */
  idle(): Promise<void>;
  /** Every finished delivery, most recent last (the last 100). */
  readonly deliveries: readonly WebhookDelivery[];
  /** Stops listening; running deliveries get `graceMs` (default 2 s) to finish, then are aborted. */
  close(graceMs?: number): Promise<void>;
}

/**
 * The JSON body of a webhook POST.
 *
 * @example
 * const p = JSON.parse(rawBody) as WebhookPayload; // { id, type: 'handoff.accepted', timestamp, event }
 */
export interface WebhookPayload {
  /** Same on every retry of one event to one URL: receivers dedupe on it. */
  readonly id: string;
  readonly type: DomainEvent['type'];
  /** Unix seconds of this attempt (equals X-Handover-Timestamp; reject stale ones). */
  readonly timestamp: number;
  readonly event: DomainEvent;
}

/**
 * The signature header value of a raw body.
 *
 * @example
 * signWebhookBody('{"id":"…"}', process.env.HANDOVER_WEBHOOK_SECRET!); // 'sha256=5d41…'
 */
export function signWebhookBody(rawBody: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** Stable id of an event (the same in every process that hears it). */
function eventId(e: DomainEvent, url: string): string {
  return createHash('sha256').update(url).update('\n').update(JSON.stringify(e)).digest('base64url').slice(0, 32);
}

/**
 * Checks every webhook's secret variable is set; all problems reported at once.
 *
 * @example
 * checkWebhookSecrets(manifest.webhooks, process.env); // throws HANDOVER_ERR_CONFIG_INVALID
 */
export function checkWebhookSecrets(webhooks: Manifest['webhooks'], env: NodeJS.ProcessEnv): void {
  const problems = webhooks
    .map((w, i) => (typeof env[w.secretEnv] === 'string' && env[w.secretEnv]!.length >= 16 ? null : `webhooks.${i} (${w.url}): set ${w.secretEnv} to a secret of at least 16 characters`))
    .filter((p): p is string => p !== null);
  if (problems.length > 0) throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `webhook secrets missing:\n  ${problems.join('\n  ')}`, { details: problems });
}

/**
 * Subscribes to the event bus and delivers matching events to every webhook of the manifest.
 * Throws `HANDOVER_ERR_CONFIG_INVALID` at once when a secret variable is missing.
 *
 * @example
 * const w = startWebhooks({ webhooks: [{ url, events: ['handoff.requested'], secretEnv: 'HOOK_SECRET' }], events: stores.events });
 */
export function startWebhooks(opts: WebhookOptions): Webhooks {
  const env = opts.env ?? process.env;
  checkWebhookSecrets(opts.webhooks, env);
  const clock = opts.clock ?? systemClock;
  const doFetch = opts.fetch ?? fetch;
  const attempts = Math.max(1, opts.attempts ?? 6);
  const baseDelayMs = opts.baseDelayMs ?? 1_000;
  const maxDelayMs = opts.maxDelayMs ?? 30_000;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxPending = opts.maxPending ?? 10_000;
  const redactor = opts.redactor ?? new Redactor();
  const aborter = new AbortController();
  const running = new Set<Promise<void>>();
  const deliveries: WebhookDelivery[] = [];
  let idleWaiters: (() => void)[] = [];
  let closed = false;

  const record = (d: WebhookDelivery): void => {
    deliveries.push(d);
    if (deliveries.length > 100) deliveries.shift();
    if (!d.ok) {
      const err = new HandoverError('HANDOVER_ERR_WEBHOOK_DELIVERY', `webhook ${d.url} did not take ${d.event} after ${d.attempts} attempt(s)`);
      opts.log?.error(err.message, { code: err.code, status: d.status, error: d.error, delivery: d.id });
    }
  };

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (aborter.signal.aborted) return resolve();
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        aborter.signal.removeEventListener('abort', done);
        resolve();
      }
      aborter.signal.addEventListener('abort', done, { once: true });
    });

  const deliver = async (hook: Manifest['webhooks'][number], e: DomainEvent): Promise<void> => {
    const id = eventId(e, hook.url);
    if (opts.dedupe !== undefined) {
      const claim = await opts.dedupe.create(`webhook-delivery:${id}`, { at: clock.now() }).catch(() => ({ ok: true }) as const);
      if (!claim.ok) return; // another process delivers this one
    }
    const secret = env[hook.secretEnv] ?? '';
    let status: number | undefined;
    let error: string | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (aborter.signal.aborted) {
        error = 'shut down before delivery';
        return record({ url: hook.url, event: e.type, id, attempts: attempt - 1, ok: false, ...(status === undefined ? {} : { status }), error });
      }
      const timestamp = Math.floor(clock.now() / 1000);
      const body = JSON.stringify({ id, type: e.type, timestamp, event: redactor.event(e) } satisfies WebhookPayload);
      const timeout = AbortSignal.timeout(timeoutMs);
      try {
        const res = await doFetch(hook.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'User-Agent': 'handover-webhooks/1',
            'X-Handover-Event': e.type,
            'X-Handover-Delivery': id,
            'X-Handover-Timestamp': String(timestamp),
            'X-Handover-Signature': signWebhookBody(body, secret),
          },
          body,
          signal: AbortSignal.any([aborter.signal, timeout]),
          redirect: 'error',
        });
        status = res.status;
        error = undefined;
        await res.body?.cancel().catch(() => undefined);
        if (res.ok) return record({ url: hook.url, event: e.type, id, attempts: attempt, ok: true, status });
        if (res.status !== 429 && res.status < 500) return record({ url: hook.url, event: e.type, id, attempts: attempt, ok: false, status, error: `HTTP ${res.status}` });
        error = `HTTP ${res.status}`;
      } catch (err) {
        status = undefined;
        error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      }
      if (attempt < attempts) {
        const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
        await sleep(delay / 2 + Math.random() * (delay / 2));
      }
    }
    record({ url: hook.url, event: e.type, id, attempts, ok: false, ...(status === undefined ? {} : { status }), ...(error === undefined ? {} : { error }) });
  };

  const settle = (): void => {
    if (running.size > 0) return;
    const w = idleWaiters;
    idleWaiters = [];
    for (const r of w) r();
  };

  const unsubscribe = opts.events.subscribe((e) => {
    if (closed) return;
    for (const hook of opts.webhooks) {
      if (!(hook.events as readonly string[]).includes(e.type)) continue;
      if (running.size >= maxPending) {
        opts.log?.error('webhook backlog full: event dropped', { url: hook.url, event: e.type });
        continue;
      }
      // Not awaited: the customer's turn never waits for a receiver.
      const p = deliver(hook, e).catch((err: unknown) => opts.log?.error('webhook delivery crashed', { error: String(err) }));
      running.add(p);
      void p.finally(() => {
        running.delete(p);
        settle();
      });
    }
  });

  return {
    deliveries,
    idle() {
      if (running.size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async close(graceMs = 2_000) {
      if (closed) return;
      closed = true;
      unsubscribe();
      if (running.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.allSettled([...running]),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, graceMs);
          }),
        ]);
        clearTimeout(timer);
      }
      aborter.abort();
      await Promise.allSettled([...running]);
    },
  };
}
