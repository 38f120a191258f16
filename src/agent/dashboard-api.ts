/**
 * What the supervisor dashboard and the history search answer (`GET /api/dashboard`,
 * `GET /api/history`): built from the ports the console API already holds (handoff store,
 * staffing, relay, the daily metrics documents and the history index), never from a store
 * implementation.
 *
 * @example
 * const board = createDashboard({ manifest, service, stores, staffing, clock, roster });
 * sendJson(res, 200, await board.dashboard());
 */
import type { Manifest } from '../config/manifest-schema.js';
import type { Clock } from '../core/clock.js';
import { HandoverError } from '../core/errors.js';
import { slaDueAtOf } from '../core/handoff-state.js';
import { agentId as toAgentId, queueId } from '../core/ids.js';
import type { HistoryQuery } from '../core/ports/history-index.js';
import type { Stores } from '../core/ports/stores.js';
import type { HandoffService } from '../handoff/handoff-service.js';
import { readMetrics, type MetricsReport } from '../handoff/metrics.js';
import type { Staffing } from '../staffing/staffing.js';
import type { AgentRoster } from './agent-roster.js';
import type { DashboardAgentView, DashboardBreachView, DashboardDayView, DashboardQueueView, DashboardView, HistoryView } from './api-types.js';

/** Days of metrics the dashboard shows (today included). */
export const DASHBOARD_DAYS = 30;
const DAY_MS = 86_400_000;
/** Waiting conversations looked at per queue for breaches and the oldest wait. */
const QUEUE_SCAN = 500;
/** Breached conversations listed at most. */
const BREACHES_LISTED = 50;

/** What {@link createDashboard} needs. */
export interface DashboardOptions {
  readonly manifest: Manifest;
  readonly service: HandoffService;
  readonly stores: Stores;
  readonly staffing: Staffing;
  readonly clock: Clock;
  readonly roster: AgentRoster;
}

const badRequest = (message: string): HandoverError => new HandoverError('HANDOVER_ERR_BAD_REQUEST', message);

/** A day's metrics as the dashboard shows them. */
export function dayView(r: MetricsReport): DashboardDayView {
  return {
    day: r.day,
    conversations: r.counts.conversations,
    handoffs: r.counts.handoffs,
    containmentRate: r.containmentRate,
    overflowRate: r.overflowRate,
    costPerResolutionUsd: r.costPerResolutionUsd,
    satisfaction: { mean: r.satisfactionAfterTransfer.mean, responses: r.satisfactionAfterTransfer.responses },
    handoffsByReason: { ...r.counts.byReason },
    resolvedByAgent: r.counts.resolvedByAgent,
    returnedToBot: r.counts.returnedToBot,
  };
}

/**
 * A `from`/`to` query value: a date (YYYY-MM-DD, UTC; `to` means the end of that day), an ISO
 * date-time, or ms since the epoch. 400 otherwise.
 *
 * @example
 * parseHistoryTime('2026-12-03', 'to'); // 2026-12-03T23:59:59.999Z in ms
 */
export function parseHistoryTime(raw: string, which: 'from' | 'to'): number {
  const v = raw.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const start = Date.parse(`${v}T00:00:00Z`);
    if (Number.isNaN(start)) throw badRequest(`${which}: "${raw}" is not a date`);
    return which === 'from' ? start : start + DAY_MS - 1;
  }
  if (/^\d{1,16}$/.test(v)) return Number(v);
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw badRequest(`${which}: "${raw}" is not a date (YYYY-MM-DD), an ISO date-time or ms since the epoch`);
  return t;
}

/**
 * The history query of a request's search parameters (`customer`, `order`, `from`, `to`, `limit`).
 *
 * @example
 * historyQueryOf(new URLSearchParams('order=A12345')); // { query: { order: 'A12345' }, limit: 50 }
 */
export function historyQueryOf(q: URLSearchParams): { query: HistoryQuery; limit: number } {
  const text = (name: string): string | undefined => {
    const v = q.get(name)?.trim();
    if (v === undefined || v === '') return undefined;
    if (v.length > 120) throw badRequest(`${name}: at most 120 characters`);
    return v;
  };
  const customer = text('customer');
  const order = text('order');
  const fromRaw = text('from');
  const toRaw = text('to');
  const from = fromRaw === undefined ? undefined : parseHistoryTime(fromRaw, 'from');
  const to = toRaw === undefined ? undefined : parseHistoryTime(toRaw, 'to');
  if (from !== undefined && to !== undefined && from > to) throw badRequest(`from (${fromRaw}) is after to (${toRaw})`);
  const rawLimit = q.get('limit');
  const limit = rawLimit === null ? 50 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw badRequest('limit must be a whole number from 1 to 200');
  return {
    query: { ...(customer === undefined ? {} : { customer }), ...(order === undefined ? {} : { order }), ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) },
    limit,
  };
}

/**
 * The dashboard and the history search over the given ports.
 *
 * @example
 * const board = createDashboard(opts); const d = await board.dashboard();
 */
export function createDashboard(opts: DashboardOptions): {
  dashboard(): Promise<DashboardView>;
  history(query: HistoryQuery, limit: number): Promise<HistoryView>;
} {
  const { manifest, service, stores, staffing, clock, roster } = opts;
  const roles = new Map(manifest.console.agents.map((a) => [a.id, a.role] as const));

  const queueView = async (id: string, now: number, breaches: DashboardBreachView[]): Promise<DashboardQueueView> => {
    const [waiting, entries, expectedWaitMs] = await Promise.all([stores.handoffs.queueLength(queueId(id)), service.listQueue(id, QUEUE_SCAN), service.expectedWaitMs(id)]);
    const states = await Promise.all(entries.map((e) => stores.handoffs.get(e.conversationId)));
    let breached = 0;
    let oldest: number | null = null;
    states.forEach((s, i) => {
      // read entry by entry: only those still waiting in this queue count
      if (s.status !== 'queued' || s.queue !== id) return;
      const due = slaDueAtOf(s);
      const since = s.requestedAt ?? s.enqueuedAt;
      if (due !== null && now > due) {
        breached++;
        breaches.push({ conversationId: entries[i]!.conversationId, queue: id, priority: s.priority, waitingMs: since === null ? 0 : Math.max(0, now - since), overdueMs: now - due, escalations: s.escalations });
      }
      if (since !== null && (oldest === null || since < oldest)) oldest = since;
    });
    return { id, label: manifest.queues[id]!.label, slaSeconds: manifest.queues[id]!.slaSeconds, waiting, breached, oldestWaitMs: oldest === null ? null : Math.max(0, now - oldest), expectedWaitMs };
  };

  const agentViews = async (): Promise<DashboardAgentView[]> => {
    const snap = await staffing.snapshot();
    return Promise.all(
      snap.members.map(async (m) => ({
        id: m.id,
        name: m.name,
        role: roles.get(m.id) ?? 'agent',
        status: m.presence.status,
        connections: m.presence.connections,
        onShiftNow: m.onShiftNow,
        queues: m.queues,
        openChats: (await stores.handoffs.listAssigned(toAgentId(m.id), { limit: 1 })).total,
      })),
    );
  };

  return {
    async dashboard() {
      const now = clock.now();
      const today = Math.floor(now / DAY_MS) * DAY_MS;
      const dayStarts = Array.from({ length: DASHBOARD_DAYS }, (_v, i) => today - (DASHBOARD_DAYS - 1 - i) * DAY_MS);
      const breaches: DashboardBreachView[] = [];
      const [queues, agents, dead, reports] = await Promise.all([
        Promise.all(Object.keys(manifest.queues).map((q) => queueView(q, now, breaches))),
        agentViews(),
        stores.relay.deadLetters(1),
        Promise.all(dayStarts.map((d) => readMetrics(stores.documents, manifest, d))),
      ]);
      const days = reports.map(dayView);
      breaches.sort((a, b) => b.overdueMs - a.overdueMs);
      return { queues, agents, breaches: breaches.slice(0, BREACHES_LISTED), deadLetters: dead.total, today: days[days.length - 1]!, days, now };
    },

    async history(query, limit) {
      const index = stores.history;
      if (index === undefined) throw new HandoverError('HANDOVER_ERR_NOT_SUPPORTED', 'these stores keep no history index: history needs the built-in memory or Redis store');
      const { entries, scanned } = await index.search(query, limit);
      return {
        conversations: entries.map((e) => ({ ...e, orders: [...e.orders], agentName: e.agentId === null ? null : (roster.find(e.agentId)?.name ?? e.agentId) })),
        scanned,
        now: clock.now(),
      };
    },
  };
}
