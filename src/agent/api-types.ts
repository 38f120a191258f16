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
  /** Conversations this agent owns: the first page (by conversation id); `activeNext` continues it. */
  readonly active: readonly QueueItemView[];
  /** Cursor of the next page of owned conversations (`GET /api/me/conversations?after=…`), null when `active` is all. */
  readonly activeNext: string | null;
  /** How many conversations this agent owns. */
  readonly activeTotal: number;
  /** Server time (ms since the epoch): the page corrects SLA countdowns for clock skew with it. */
  readonly now: number;
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
  readonly slaDeadline: number | null;
  readonly reason: string | null;
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
  readonly slaDeadline: number | null;
  readonly transfers: number;
  readonly escalations: number;
  readonly version: number;
}

/**
 * The handoff briefing: the packet without its transcript copy (the view carries the transcript)
 * and its conversation id (the view's own). Derived, so it never drifts from the packet.
 *
 * @example
 * view.briefing?.trace.forEach((line) => console.log(line));
 */
export type BriefingView = Omit<HandoffPacket, 'transcript' | 'conversationId'>;

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
