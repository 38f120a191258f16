/**
 * JSON shapes of the console HTTP API (`/api/**`) and the console WebSocket (`/agent/ws`).
 * Types only, so the console page can import them without pulling server code in. The OpenAPI
 * document (`/api/openapi.json`, src/agent/openapi-document.ts) describes the same shapes.
 *
 * @example
 * const me = (await (await fetch('/api/me')).json()) as MeView;
 */
import type { DomainEvent } from '../core/events.js';
import type { HandoffPacket, TranscriptEntry } from '../core/conversation.js';

/**
 * The caller: a console agent, or an external help desk using a bearer token.
 *
 * @example
 * const caller: CallerView = { kind: 'agent', id: 'ana', name: 'Ana', role: 'agent', queues: ['support'] };
 */
export type CallerView =
  | { readonly kind: 'agent'; readonly id: string; readonly name: string; readonly role: 'agent' | 'supervisor'; readonly queues: readonly string[] }
  | { readonly kind: 'desk'; readonly name: string; readonly queues: readonly string[] };

/**
 * `GET /api/me`.
 *
 * @example
 * const me = (await (await fetch('/api/me')).json()) as MeView;
 */
export interface MeView {
  readonly caller: CallerView;
  readonly macros: readonly MacroView[];
  /** Every queue of the manifest (transfer targets). */
  readonly allQueues: readonly string[];
  /** Each queue's name for people (manifest.json `queues.<id>.label`), by id. */
  readonly queueLabels: Readonly<Record<string, string>>;
  /** Conversations this agent owns: the first page (by conversation id); `activeNext` continues it. */
  readonly active: readonly QueueItemView[];
  /** Cursor of the next page of owned conversations (`GET /api/me/conversations?after=…`), null when `active` is all. */
  readonly activeNext: string | null;
  /** How many conversations this agent owns. */
  readonly activeTotal: number;
  /** Server time (ms since the epoch): the page corrects SLA countdowns for clock skew with it. */
  readonly now: number;
  /** The signed-in agent's presence (null for a bearer token). */
  readonly presence: PresenceView | null;
  /** The language briefings are written in for this caller (the agent's `locale`, else Accept-Language, else the default locale). */
  readonly locale: string;
}

/**
 * An agent's presence: `status` is what counts (an online agent whose console lost its connection
 * is away after the grace period), `chosen` what they picked.
 *
 * @example
 * const p: PresenceView = { status: 'online', chosen: 'online', connections: 1, since: 1767628800000 };
 */
export interface PresenceView {
  readonly status: 'online' | 'away' | 'offline';
  readonly chosen: 'online' | 'away' | 'offline';
  /** Console sockets open now, on every process. */
  readonly connections: number;
  readonly since: number;
}

/**
 * Working hours in the callbacks' time zone: ranges per weekday (a missing day is off) and
 * exceptions by date (`[]` is a day off). The same shape as manifest.json `console.agents[].shifts`.
 *
 * @example
 * const s: ShiftsView = { mon: [['09:00', '17:00']], exceptions: { '2026-12-25': [] } };
 */
export interface ShiftsView {
  readonly mon?: readonly (readonly [string, string])[];
  readonly tue?: readonly (readonly [string, string])[];
  readonly wed?: readonly (readonly [string, string])[];
  readonly thu?: readonly (readonly [string, string])[];
  readonly fri?: readonly (readonly [string, string])[];
  readonly sat?: readonly (readonly [string, string])[];
  readonly sun?: readonly (readonly [string, string])[];
  readonly exceptions?: Readonly<Record<string, readonly (readonly [string, string])[]>>;
}

/**
 * One agent for supervisors: queues, presence and shifts (`GET /api/staff`).
 *
 * @example
 * staff.agents.filter((a: StaffView) => a.presence.status === 'online');
 */
export interface StaffView {
  readonly id: string;
  readonly name: string;
  readonly queues: readonly string[];
  readonly presence: PresenceView;
  /** Working hours now in force; null: whenever their queues are open. */
  readonly shifts: ShiftsView | null;
  /** Where they come from: a supervisor (console), manifest.json, or none. */
  readonly shiftsFrom: 'console' | 'manifest' | 'none';
  readonly onShiftNow: boolean;
}

/**
 * `GET /api/staff`.
 *
 * @example
 * const staff = (await (await fetch('/api/staff')).json()) as StaffListView;
 */
export interface StaffListView {
  readonly agents: readonly StaffView[];
  /** The callbacks' time zone, in which shifts are read. */
  readonly timezone: string;
  readonly now: number;
}

/**
 * What re-checking the booked callbacks did after a presence or shift change.
 *
 * @example
 * if (r.rechecked.moved > 0) say(`${r.rechecked.moved} callbacks moved`);
 */
export interface RecheckView {
  readonly moved: number;
  readonly cancelled: number;
}

/**
 * One upcoming callback slot of a queue (`GET /api/queues/{queue}/callbacks`).
 *
 * @example
 * slots.filter((s: CallbackSlotView) => s.free > 0)[0]?.start;
 */
export interface CallbackSlotView {
  readonly start: number;
  readonly end: number;
  readonly booked: number;
  readonly free: number;
}

/**
 * The callback the customer booked for this handoff: the time promised now and its history.
 *
 * @example
 * if (view.callback) show(`Callback booked for ${new Date(view.callback.at).toLocaleTimeString()}`);
 */
export interface CallbackView {
  readonly at: number;
  readonly bookedAt: number;
  readonly queue: string;
  readonly changes: readonly { readonly at: number; readonly from: number; readonly to: number | null; readonly why: string }[];
}

/**
 * A response macro; in a conversation view its placeholders are already filled where known.
 *
 * @example
 * const m: MacroView = { id: 'greet', title: 'Greeting', text: 'Hi Dana, I am Ana.' };
 */
export interface MacroView {
  readonly id: string;
  readonly title: string;
  readonly text: string;
}

/**
 * One waiting (or owned) conversation in a list.
 *
 * @example
 * queue.conversations.map((c: QueueItemView) => c.slaDeadline);
 */
export interface QueueItemView {
  readonly conversationId: string;
  readonly status: string;
  readonly queue: string | null;
  readonly priority: number;
  readonly enqueuedAt: number | null;
  /** The SLA deadline promised when it entered the queue (escalations do not move it; past it: breached). */
  readonly slaDeadline: number | null;
  /** SLA escalations so far (each raised the priority). */
  readonly escalations: number;
  readonly reason: string | null;
  /** The briefing's one sentence, in the caller's language (`MeView.locale`) when the packet has its facts. */
  readonly summary: string | null;
  readonly intent: string | null;
  readonly channel: string | null;
  readonly customerName: string | null;
  readonly transfers: number;
  readonly agentId: string | null;
}

/**
 * `GET /api/queues/{queue}` and each entry of `GET /api/queues`.
 *
 * @example
 * const q = (await (await fetch('/api/queues/support')).json()) as QueueView;
 */
export interface QueueView {
  readonly id: string;
  /** The queue's name for people (manifest.json `queues.<id>.label`). */
  readonly label: string;
  readonly slaSeconds: number;
  readonly waiting: number;
  readonly expectedWaitMs: number;
  /** Highest priority first, then oldest first. */
  readonly conversations: readonly QueueItemView[];
}

/**
 * The ownership state of a conversation.
 *
 * @example
 * if (view.state.status === 'assigned' && view.state.agentId === 'ana') showComposer();
 */
export interface StateView {
  readonly status: string;
  readonly queue: string | null;
  readonly priority: number;
  readonly reason: string | null;
  readonly agentId: string | null;
  readonly requestedAt: number | null;
  readonly assignedAt: number | null;
  /** The SLA deadline promised for the current wait (escalations do not move it); null when nobody waits. */
  readonly slaDeadline: number | null;
  readonly transfers: number;
  readonly escalations: number;
  readonly version: number;
  /** When a booked callback is due (status `scheduled`). */
  readonly callbackAt: number | null;
}

/**
 * The handoff briefing: the packet without its transcript copy (the view carries the transcript)
 * and its conversation id (the view's own). Derived, so it never drifts from the packet. `summary`
 * is written in the caller's language (`summaryLocale`) from `brief`; a packet stored before
 * `brief` existed keeps its English summary.
 *
 * @example
 * view.briefing?.trace.forEach((line) => console.log(line));
 */
export type BriefingView = Omit<HandoffPacket, 'transcript' | 'conversationId'> & {
  /** The language `summary` is written in. */
  readonly summaryLocale: string;
};

/**
 * `GET /api/conversations/{id}` and the answer of every action on it.
 *
 * @example
 * const view = (await (await fetch(`/api/conversations/${encodeURIComponent(id)}`)).json()) as ConversationView;
 */
export interface ConversationView {
  readonly conversationId: string;
  readonly state: StateView;
  readonly briefing: BriefingView | null;
  /** The callback booked for this handoff (its time, even once due), or null. */
  readonly callback: CallbackView | null;
  /** The full transcript, oldest first (customer, bot, agent and system lines). */
  readonly transcript: readonly TranscriptEntry[];
  readonly macros: readonly MacroView[];
  readonly now: number;
}

/**
 * Frames the server sends on `/agent/ws`.
 *
 * @example
 * ws.onmessage = (m) => { const f = JSON.parse(m.data) as ConsoleSocketFrame; if (f.type === 'event') show(f.event); };
 */
export type ConsoleSocketFrame =
  | { readonly type: 'hello'; readonly caller: CallerView; readonly now: number }
  | { readonly type: 'event'; readonly event: DomainEvent; readonly now: number };

/**
 * Every error body: `{ error: { code, message } }`.
 *
 * @example
 * const { error } = (await res.json()) as ApiErrorBody; // { code: 'HANDOVER_ERR_ALREADY_TAKEN', message }
 */
export interface ApiErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

/**
 * `GET /api/me/conversations`: one page of the conversations the agent owns, by conversation id.
 *
 * @example
 * const page = (await (await fetch(`/api/me/conversations?after=${encodeURIComponent(me.activeNext!)}`)).json()) as MyConversationsView;
 */
export interface MyConversationsView {
  readonly conversations: readonly QueueItemView[];
  /** Pass as `after` for the next page; null on the last page. */
  readonly next: string | null;
  /** How many conversations the agent owns. */
  readonly total: number;
  readonly now: number;
}

/**
 * One live queue of the supervisor dashboard.
 *
 * @example
 * const red = q.breached > 0;
 */
export interface DashboardQueueView {
  readonly id: string;
  /** The queue's name for people (manifest.json `queues.<id>.label`). */
  readonly label: string;
  readonly slaSeconds: number;
  /** Conversations waiting now. */
  readonly waiting: number;
  /** Waiting past the SLA deadline they entered the queue with (escalation does not move it). */
  readonly breached: number;
  /** How long the longest-waiting customer has waited since asking for a person; null when none waits. */
  readonly oldestWaitMs: number | null;
  /** What a customer joining now is told (staffing: presence and shifts). */
  readonly expectedWaitMs: number;
}

/**
 * One agent of the supervisor dashboard.
 *
 * @example
 * `${a.name}: ${a.status}, ${a.openChats} open`;
 */
export interface DashboardAgentView {
  readonly id: string;
  readonly name: string;
  readonly role: 'agent' | 'supervisor';
  readonly status: 'online' | 'away' | 'offline';
  /** Console sockets open now. */
  readonly connections: number;
  readonly onShiftNow: boolean;
  readonly queues: readonly string[];
  /** Conversations the agent has accepted and not closed. */
  readonly openChats: number;
}

/**
 * One UTC day of the metrics (docs/operations.md "Metrics"); a rate is null when its denominator is zero.
 *
 * @example
 * d.containmentRate === null ? '–' : `${Math.round(d.containmentRate * 100)}%`;
 */
export interface DashboardDayView {
  /** YYYY-MM-DD (UTC). */
  readonly day: string;
  readonly conversations: number;
  readonly handoffs: number;
  readonly containmentRate: number | null;
  readonly overflowRate: number | null;
  readonly costPerResolutionUsd: number | null;
  readonly satisfaction: { readonly mean: number | null; readonly responses: number };
  readonly handoffsByReason: Readonly<Record<string, number>>;
  readonly resolvedByAgent: number;
  readonly returnedToBot: number;
}

/**
 * A conversation waiting past its SLA (the dashboard's breaches list).
 *
 * @example
 * `${b.queue}: over by ${Math.round(b.overdueMs / 1000)} s`;
 */
export interface DashboardBreachView {
  readonly conversationId: string;
  readonly queue: string;
  readonly priority: number;
  /** Since the customer asked for a person. */
  readonly waitingMs: number;
  /** Past the SLA deadline it entered the queue with. */
  readonly overdueMs: number;
  readonly escalations: number;
}

/**
 * `GET /api/dashboard` (supervisors and help desks).
 *
 * @example
 * const d = (await (await fetch('/api/dashboard')).json()) as DashboardView;
 */
export interface DashboardView {
  readonly queues: readonly DashboardQueueView[];
  readonly agents: readonly DashboardAgentView[];
  /** Conversations waiting past their SLA, longest over first (at most 50). */
  readonly breaches: readonly DashboardBreachView[];
  /** Undelivered messages for customers (GET /api/dead-letters lists them). */
  readonly deadLetters: number;
  readonly today: DashboardDayView;
  /** The last 30 UTC days, oldest first, today last. */
  readonly days: readonly DashboardDayView[];
  readonly now: number;
}

/**
 * One closed handoff found by `GET /api/history`.
 *
 * @example
 * location.hash = `#/c/${encodeURIComponent(h.conversationId)}`;
 */
export interface HistoryItemView {
  readonly conversationId: string;
  /** null: an anonymous visitor. */
  readonly customerId: string | null;
  readonly customerName: string | null;
  readonly orders: readonly string[];
  readonly reason: string | null;
  readonly queue: string | null;
  readonly agentId: string | null;
  readonly agentName: string | null;
  readonly channel: string | null;
  readonly outcome: 'resolved' | 'returned';
  readonly requestedAt: number | null;
  readonly assignedAt: number | null;
  readonly closedAt: number;
}

/**
 * `GET /api/history?customer=&order=&from=&to=&limit=`.
 *
 * @example
 * const { conversations } = (await (await fetch('/api/history?order=A12345')).json()) as HistoryView;
 */
export interface HistoryView {
  readonly conversations: readonly HistoryItemView[];
  /** Closed handoffs looked at (newest first, at most 5000 within from/to). */
  readonly scanned: number;
  readonly now: number;
}
