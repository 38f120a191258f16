/**
 * The supervisor dashboard (supervisors and help desks): live queue tiles (waiting, breached in
 * red, oldest wait, expected wait), the conversations past their SLA (longest over first), agents with status and open chats, undelivered messages,
 * today's figures and four charts of the last 30 days drawn as inline SVG (svg-charts.ts).
 * Reads `GET /api/dashboard` and refreshes every 10 s while it is on screen.
 *
 * @example
 * const stop = mountDashboard(box, { onError: (e) => say(String(e)) });
 */
import type { DashboardDayView, DashboardView } from '../api-types.js';
import { api } from './api-client.js';
import { h, replace } from './dom.js';
import { reasonLabel } from './format.js';
import { barChart, lineChart } from './svg-charts.js';

/** How often the dashboard refreshes itself. */
export const DASHBOARD_REFRESH_MS = 10_000;

const pct = (v: number): string => `${Math.round(v * 100)}%`;
const usd = (v: number): string => `$${v.toFixed(2)}`;
const orDash = (v: number | null, f: (v: number) => string): string => (v === null ? '–' : f(v));

/** "42 s", "3 min", "1 h 05 min". */
export function durationText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

const shortDay = (day: string): string => day.slice(5);

function figure(label: string, value: string, hint: string, cls = ''): HTMLElement {
  return h('div', { class: `figure ${cls}`.trim(), title: hint }, h('span', { class: 'figure-value' }, value), h('span', { class: 'figure-label' }, label));
}

function todayFigures(d: DashboardDayView, deadLetters: number): HTMLElement {
  return h(
    'div',
    { class: 'figures', 'aria-label': 'Today' },
    figure('conversations', String(d.conversations), 'Conversations that started today (UTC)'),
    figure('handoffs', String(d.handoffs), 'Handoffs to a person requested today'),
    figure('containment', orDash(d.containmentRate, pct), 'Conversations never handed off ÷ conversations'),
    figure('overflow', orDash(d.overflowRate, pct), "Handoffs requested while the queue's expected wait was over its SLA ÷ handoffs", d.overflowRate !== null && d.overflowRate > 0 ? 'warn' : ''),
    figure('cost per resolution', orDash(d.costPerResolutionUsd, usd), '(bot turns × bot turn cost + human contacts × human contact cost) ÷ (contained conversations + handoffs resolved by an agent)'),
    figure('satisfaction after transfer', d.satisfaction.mean === null ? '–' : `${d.satisfaction.mean.toFixed(1)} / 5`, `Mean 1–5 rating after an agent resolved (${d.satisfaction.responses} answers)`),
    figure('undelivered messages', String(deadLetters), 'Messages for customers given up on after retries (dead letters)', deadLetters > 0 ? 'alert' : ''),
  );
}

/**
 * The dashboard's content for one answer of `GET /api/dashboard`.
 *
 * @example
 * replace(box, ...renderDashboard(view));
 */
export function renderDashboard(d: DashboardView, open: (conversationId: string) => void = () => {}): HTMLElement[] {
  const labels = d.days.map((x) => shortDay(x.day));
  const queues = h(
    'section',
    { class: 'dash-queues', 'aria-label': 'Queues' },
    ...d.queues.map((q) =>
      h(
        'div',
        { class: `queue-tile${q.breached > 0 ? ' breached' : ''}`, 'data-queue': q.id },
        h('h4', { title: q.id }, q.label),
        h('p', { class: 'tile-main' }, h('span', { class: 'waiting-count' }, String(q.waiting)), ' waiting'),
        h('p', { class: q.breached > 0 ? 'breach-count alert' : 'breach-count' }, `${q.breached} past SLA (${durationText(q.slaSeconds * 1000)})`),
        h('p', { class: 'muted' }, q.oldestWaitMs === null ? 'nobody waiting' : `longest wait ${durationText(q.oldestWaitMs)}`),
        h('p', { class: 'muted' }, `expected wait ${durationText(q.expectedWaitMs)}`),
      ),
    ),
  );
  const breaches =
    d.breaches.length === 0
      ? h('p', { class: 'muted dash-no-breach' }, 'Nobody is waiting past their SLA.')
      : h(
          'div',
          { class: 'table-scroll' },
          h(
            'table',
            { class: 'dash-breaches' },
            h('caption', {}, `Past SLA (${d.breaches.length})`),
            h('thead', {}, h('tr', {}, ...['Queue', 'Over by', 'Waiting', 'Priority', ''].map((t) => h('th', { scope: 'col' }, t)))),
            h(
              'tbody',
              {},
              ...d.breaches.map((b) =>
                h(
                  'tr',
                  { 'data-conversation-id': b.conversationId },
                  h('td', {}, d.queues.find((q) => q.id === b.queue)?.label ?? b.queue),
                  h('td', { class: 'alert' }, `+${durationText(b.overdueMs)}`),
                  h('td', {}, durationText(b.waitingMs)),
                  h('td', {}, `P${b.priority}${b.escalations > 0 ? ` (escalated ×${b.escalations})` : ''}`),
                  h('td', {}, h('button', { type: 'button', class: 'breach-open', onclick: () => open(b.conversationId) }, 'View')),
                ),
              ),
            ),
          ),
        );
  const agents = h(
    'table',
    { class: 'dash-agents' },
    h('caption', {}, 'Agents'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Agent'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Open chats'), h('th', { scope: 'col' }, 'Shift'), h('th', { scope: 'col' }, 'Queues'))),
    h(
      'tbody',
      {},
      ...d.agents.map((a) =>
        h(
          'tr',
          { 'data-agent-id': a.id },
          h('td', {}, a.name, a.role === 'supervisor' ? h('span', { class: 'muted' }, ' (supervisor)') : null),
          h('td', {}, h('span', { class: `presence-badge presence-${a.status}` }, a.status)),
          h('td', { class: 'open-chats' }, String(a.openChats)),
          h('td', {}, a.onShiftNow ? 'on shift' : 'off shift'),
          h('td', { class: 'muted' }, a.queues.join(', ') || '–'),
        ),
      ),
    ),
  );
  const reasons = Object.entries(d.today.handoffsByReason).sort((a, b) => b[1] - a[1]);
  const charts = h(
    'div',
    { class: 'dash-charts' },
    h(
      'figure',
      { class: 'chart-box', 'data-chart': 'containment' },
      h('figcaption', {}, 'Containment and overflow, last 30 days'),
      lineChart({
        title: 'Containment and overflow, last 30 days',
        labels,
        max: 1,
        format: pct,
        series: [
          { name: 'containment', color: '#0b6bcb', values: d.days.map((x) => x.containmentRate) },
          { name: 'overflow', color: '#b54708', values: d.days.map((x) => x.overflowRate) },
        ],
      }),
    ),
    h(
      'figure',
      { class: 'chart-box', 'data-chart': 'reasons' },
      h('figcaption', {}, 'Handoffs by reason, today'),
      barChart({ title: 'Handoffs by reason, today', color: '#7a5af8', format: (v) => String(Math.round(v)), bars: reasons.map(([r, n]) => ({ label: reasonLabel(r), value: n })) }),
    ),
    h(
      'figure',
      { class: 'chart-box', 'data-chart': 'cost' },
      h('figcaption', {}, 'Cost per resolution (USD), last 30 days'),
      barChart({ title: 'Cost per resolution, last 30 days', color: '#067647', format: usd, bars: d.days.map((x) => ({ label: shortDay(x.day), value: x.costPerResolutionUsd })) }),
    ),
    h(
      'figure',
      { class: 'chart-box', 'data-chart': 'satisfaction' },
      h('figcaption', {}, 'Satisfaction after transfer (1–5), last 30 days'),
      lineChart({ title: 'Satisfaction after transfer, last 30 days', labels, max: 5, format: (v) => v.toFixed(1), series: [{ name: 'mean rating', color: '#c11574', values: d.days.map((x) => x.satisfaction.mean) }] }),
    ),
  );
  return [
    h('div', { class: 'dash-head' }, h('h2', {}, 'Dashboard'), h('span', { class: 'muted dash-updated' }, `updated ${new Date(d.now).toLocaleTimeString()} · refreshes every ${DASHBOARD_REFRESH_MS / 1000} s`)),
    queues,
    breaches,
    h('h3', {}, `Today (${d.today.day}, UTC)`),
    todayFigures(d.today, d.deadLetters),
    h('div', { class: 'table-scroll' }, agents),
    charts,
    h('p', { class: 'muted' }, 'Figures come from the daily counts every process writes (every 10 s with handover start); a day without conversations has no point.'),
  ];
}

/**
 * Shows the dashboard in `box` and keeps it fresh until `box` shows something else (or `stop()`).
 *
 * @example
 * const stop = mountDashboard(conversationBox, { onError: failed });
 */
export function mountDashboard(box: HTMLElement, opts: { onError(e: unknown): void; open?: (conversationId: string) => void; refreshMs?: number }): () => void {
  const root = h('div', { class: 'dashboard', 'aria-live': 'off' }, h('p', { class: 'muted' }, 'Loading the dashboard…'));
  replace(box, root);
  // one column on a phone: the view is below the queues, bring it into sight
  if (window.matchMedia('(max-width: 800px)').matches) box.scrollIntoView({ block: 'start' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const stop = (): void => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
  };
  const load = async (): Promise<void> => {
    if (stopped) return;
    if (!root.isConnected) return stop();
    try {
      const d = await api<DashboardView>('GET', '/api/dashboard');
      if (!root.isConnected) return stop();
      replace(root, ...renderDashboard(d, opts.open));
      root.dataset['loadedAt'] = String(d.now);
    } catch (e) {
      opts.onError(e);
    }
    if (!stopped) timer = setTimeout(() => void load(), opts.refreshMs ?? DASHBOARD_REFRESH_MS);
  };
  void load();
  return stop;
}
