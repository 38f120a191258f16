/**
 * `GET /metrics` in Prometheus' text format (prom-client), behind a bearer token.
 *
 * Per process (Prometheus scrapes each process; sum them in queries):
 * - counters from what this process did — handoffs by reason and queue, bot turns by channel,
 *   conversations, agent accepts, resolutions, returns to the bot, SLA escalations, callbacks
 *   booked, satisfaction answers and their sum;
 * - histograms — the wait from a handoff request to an agent's accept (by queue) and a customer
 *   turn's time in the middleware and the bot up to the policy's decision (by channel);
 * - Node's own process metrics (`process_*`, `nodejs_*`).
 *
 * Shared state, read from the store at scrape time (the same in every process, so take one
 * process's value, not the sum): each queue's depth and its oldest waiting conversation's age.
 *
 * Without `METRICS_TOKEN` the route is off (404) — metrics name queues and volumes, which is not
 * for the public internet.
 *
 * @example
 * const prom = createPrometheusEndpoint({ metrics: app.metrics, handoffs: stores.handoffs, manifest, token: env.METRICS_TOKEN });
 * createHttpServer({ handlers: [prom.handler, …] });
 * // curl -H "Authorization: Bearer $METRICS_TOKEN" http://127.0.0.1:3978/metrics
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Manifest } from '../config/manifest-schema.js';
import type { Clock } from '../core/clock.js';
import { queueId } from '../core/ids.js';
import type { HandoffStore } from '../core/ports/handoff-store.js';
import type { MetricsRecorder } from '../handoff/metrics.js';
import type { RequestHandler } from './http-server.js';

/** Options of {@link createPrometheusEndpoint}. */
export interface PrometheusOptions {
  readonly metrics: MetricsRecorder;
  readonly handoffs: Pick<HandoffStore, 'queueLength' | 'listQueue'>;
  readonly manifest: Pick<Manifest, 'queues'>;
  readonly clock: Clock;
  /** The bearer token scrapers send; undefined or empty turns the route off (404). */
  readonly token: string | undefined;
  /** Path of the route. Default `/metrics`. */
  readonly path?: string;
  /** Also export Node's process metrics (CPU, memory, event-loop lag). Default true. */
  readonly processMetrics?: boolean;
}

/** The route and its registry (tests read the registry directly). */
export interface PrometheusEndpoint {
  readonly handler: RequestHandler;
  readonly registry: Registry;
  /** Stops hearing the recorder. */
  close(): void;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * The `/metrics` route over an app's metrics recorder and handoff store.
 *
 * @example
 * const prom = createPrometheusEndpoint({ metrics: app.metrics, handoffs: stores.handoffs, manifest, clock, token: 's3cret' });
 */
export function createPrometheusEndpoint(opts: PrometheusOptions): PrometheusEndpoint {
  const path = opts.path ?? '/metrics';
  const registry = new Registry();
  if (opts.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const handoffs = new Counter({ name: 'handover_handoffs_total', help: 'Handoffs requested, by reason and queue', labelNames: ['reason', 'queue'] as const, registers });
  const overflowed = new Counter({
    name: 'handover_handoffs_overflowed_total',
    help: "Handoffs requested while the queue's expected wait already exceeded its SLA",
    labelNames: ['queue'] as const,
    registers,
  });
  const botTurns = new Counter({ name: 'handover_bot_turns_total', help: 'Customer turns the bot answered, by channel', labelNames: ['channel'] as const, registers });
  const conversations = new Counter({ name: 'handover_conversations_total', help: 'Conversations started', registers });
  const accepted = new Counter({ name: 'handover_agent_accepts_total', help: 'Conversations an agent took (human contacts), by queue', labelNames: ['queue'] as const, registers });
  const resolved = new Counter({ name: 'handover_resolved_total', help: 'Conversations resolved by an agent, by queue', labelNames: ['queue'] as const, registers });
  const returned = new Counter({ name: 'handover_returned_to_bot_total', help: 'Conversations an agent returned to the bot', registers });
  const escalations = new Counter({ name: 'handover_sla_escalations_total', help: 'SLA breaches escalated, by queue', labelNames: ['queue'] as const, registers });
  const callbacks = new Counter({ name: 'handover_callbacks_booked_total', help: 'Callback times booked', registers });
  const csatAnswers = new Counter({ name: 'handover_csat_responses_total', help: 'Satisfaction answers (1-5) after an agent resolved', registers });
  const csatSum = new Counter({ name: 'handover_csat_score_sum', help: 'Sum of the satisfaction answers (divide by handover_csat_responses_total)', registers });
  const wait = new Histogram({
    name: 'handover_wait_seconds',
    help: "From a handoff request to an agent's accept, by queue",
    labelNames: ['queue'] as const,
    buckets: [5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600],
    registers,
  });
  const turn = new Histogram({
    name: 'handover_turn_duration_seconds',
    help: "A customer turn's time in the middleware and the bot, up to the policy's decision, by channel",
    labelNames: ['channel'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const queueNames = Object.keys(opts.manifest.queues);
  new Gauge({
    name: 'handover_queue_depth',
    help: 'Conversations waiting in each queue (shared: the same in every process)',
    labelNames: ['queue'] as const,
    registers,
    async collect() {
      const lengths = await Promise.all(queueNames.map((q) => opts.handoffs.queueLength(queueId(q))));
      queueNames.forEach((q, i) => this.set({ queue: q }, lengths[i] ?? 0));
    },
  });
  new Gauge({
    name: 'handover_queue_oldest_wait_seconds',
    help: 'How long the longest-waiting conversation of each queue has waited (0 when empty; shared)',
    labelNames: ['queue'] as const,
    registers,
    async collect() {
      const now = opts.clock.now();
      const heads = await Promise.all(queueNames.map((q) => opts.handoffs.listQueue(queueId(q), 1000)));
      queueNames.forEach((q, i) => {
        const oldest = Math.min(...(heads[i] ?? []).map((e) => e.enqueuedAt));
        this.set({ queue: q }, Number.isFinite(oldest) ? Math.max(0, (now - oldest) / 1000) : 0);
      });
    },
  });

  const stop = opts.metrics.observe((c, l) => {
    const queue = l.queue ?? 'unknown';
    if (c.handoffs) handoffs.inc({ reason: l.reason ?? Object.keys(c.byReason ?? {})[0] ?? 'unknown', queue }, c.handoffs);
    if (c.handoffsOverflowed) overflowed.inc({ queue }, c.handoffsOverflowed);
    if (c.botTurns) botTurns.inc({ channel: l.channel ?? 'unknown' }, c.botTurns);
    if (c.botTurns && l.turnMs !== undefined) turn.observe({ channel: l.channel ?? 'unknown' }, l.turnMs / 1000);
    if (c.conversations) conversations.inc(c.conversations);
    if (c.humanContacts) accepted.inc({ queue }, c.humanContacts);
    if (c.humanContacts && l.waitMs !== undefined) wait.observe({ queue }, l.waitMs / 1000);
    if (c.resolvedByAgent) resolved.inc({ queue }, c.resolvedByAgent);
    if (c.returnedToBot) returned.inc(c.returnedToBot);
    if (c.slaEscalations) escalations.inc({ queue }, c.slaEscalations);
    if (c.callbacksBooked) callbacks.inc(c.callbacksBooked);
    if (c.csatResponses) csatAnswers.inc(c.csatResponses);
    if (c.csatTotal) csatSum.inc(c.csatTotal);
  });

  const expected = opts.token === undefined || opts.token === '' ? undefined : digest(opts.token);
  const handler: RequestHandler = async (req: IncomingMessage, res: ServerResponse) => {
    if ((req.url ?? '').split('?')[0] !== path || expected === undefined) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return true;
    }
    const auth = req.headers.authorization ?? '';
    const given = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (given === '' || !timingSafeEqual(digest(given), expected)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="metrics"', 'Content-Type': 'text/plain; charset=utf-8' }).end('A bearer token (METRICS_TOKEN) is required\n');
      return true;
    }
    try {
      const body = await registry.metrics();
      res.writeHead(200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' }).end(req.method === 'HEAD' ? undefined : body);
    } catch (e) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '5' }).end(`metrics unavailable: ${e instanceof Error ? e.message : String(e)}\n`);
    }
    return true;
  };
  return { handler, registry, close: stop };
}
