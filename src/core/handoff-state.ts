/**
 * The handoff state machine: one owner at a time.
 *
 *   bot -> queued -> assigned -> resolved | returned   (resolved/returned: the bot owns the chat again)
 *   queued --schedule--> scheduled --callbackDue--> queued (a booked callback: out of the queue until its time)
 *   queued|assigned --transfer--> queued (2nd transfer without resolution goes to `senior`)
 *   queued --escalate--> queued (SLA breached: priority raised)
 *
 * `transition` is pure: it never throws for a refused move, it returns `{ ok: false, code }`.
 * Stores apply its result with a compare-and-set on `version`, so every check made here (the
 * queues an agent may take, the version a transfer expects, a transfer already done under the same
 * idempotency key) holds for exactly the state that the commit replaces.
 *
 * @example
 * const r = transition(initialState(), { type: 'request', ... }, now);
 * if (r.ok) await store.commit(id, 0, r.state);
 */
import type { AgentId, HandoffId, QueueId } from './ids.js';
import type { AgentSideReason, HandoffReason, ReturnDigest } from './conversation.js';

export type HandoffStatus = 'bot' | 'queued' | 'scheduled' | 'assigned' | 'resolved' | 'returned';

/**
 * Every field of a stored state, as stored (JSON): a field a status does not use is null. Read
 * `HandoffState`, which says per status which fields are set.
 */
export interface HandoffStateFields {
  readonly status: HandoffStatus;
  /** When a booked callback is due (status `scheduled`); also its `slaDeadline`, so the SLA sweep finds it. */
  readonly callbackAt?: number | null;
  /** Monotonic, bumped by every committed transition; 0 = never stored. */
  readonly version: number;
  readonly handoffId: HandoffId | null;
  readonly queue: QueueId | null;
  readonly priority: number;
  readonly reason: HandoffReason | AgentSideReason | null;
  readonly requestedAt: number | null;
  /** When it (re-)entered its current queue: the FIFO tie-break inside a priority. */
  readonly enqueuedAt: number | null;
  /**
   * When the SLA sweep looks at it next: the SLA deadline, then, after each escalation, the next
   * escalation's time. For what was promised use `slaDueAt`.
   */
  readonly slaDeadline: number | null;
  /**
   * The SLA deadline the conversation entered its queue with (request, transfer, a due callback):
   * an escalation does not move it, so a breach keeps showing as one, and by how much.
   * Absent on states stored before it existed: `slaDueAtOf` falls back to `slaDeadline`.
   */
  readonly slaDueAt?: number | null;
  /** Number of SLA escalations already applied to this handoff. */
  readonly escalations: number;
  readonly agentId: AgentId | null;
  readonly assignedAt: number | null;
  /** Transfers between queues since the handoff was requested. */
  readonly transfers: number;
  readonly closedAt: number | null;
  readonly returnDigest: ReturnDigest | null;
  /** Where the chat lives (channel + serialized conversation reference) so any process can reach it. */
  readonly channel: string | null;
  /**
   * Idempotency keys of this handoff's latest transfers (at most {@link TRANSFER_KEYS_KEPT}): a
   * transfer repeated with one of them (a double click, a client's retry) is already done.
   * Absent in states stored by older versions.
   */
  readonly transferKeys?: readonly string[];
}

/** The bot owns the chat and never handed it off (or only in an earlier episode: see the closed states). */
export type BotState = HandoffStateFields & {
  readonly status: 'bot';
  readonly handoffId: null;
  readonly agentId: null;
  readonly slaDeadline: null;
  readonly assignedAt: null;
  readonly closedAt: null;
};
/** Waiting for an agent in `queue`, promised by `slaDueAt`. */
export type QueuedState = HandoffStateFields & {
  readonly status: 'queued';
  readonly handoffId: HandoffId;
  readonly queue: QueueId;
  readonly reason: HandoffReason | AgentSideReason;
  readonly requestedAt: number;
  readonly enqueuedAt: number;
  readonly slaDeadline: number;
  readonly agentId: null;
};
/** Out of the queue until a booked callback is due (`callbackAt`, also its `slaDeadline`). */
export type ScheduledState = HandoffStateFields & {
  readonly status: 'scheduled';
  readonly handoffId: HandoffId;
  readonly queue: QueueId;
  readonly reason: HandoffReason | AgentSideReason;
  readonly requestedAt: number;
  readonly callbackAt: number;
  readonly slaDeadline: number;
  readonly agentId: null;
};
/** With an agent. */
export type AssignedState = HandoffStateFields & {
  readonly status: 'assigned';
  readonly handoffId: HandoffId;
  readonly queue: QueueId;
  readonly reason: HandoffReason | AgentSideReason;
  readonly requestedAt: number;
  readonly agentId: AgentId;
  readonly assignedAt: number;
  readonly slaDeadline: null;
};
/** An agent solved it; the bot owns the chat again. */
export type ResolvedState = HandoffStateFields & {
  readonly status: 'resolved';
  readonly handoffId: HandoffId;
  readonly queue: QueueId;
  readonly agentId: AgentId;
  readonly closedAt: number;
};
/** An agent gave the chat back to the bot with what was settled. */
export type ReturnedState = HandoffStateFields & {
  readonly status: 'returned';
  readonly handoffId: HandoffId;
  readonly queue: QueueId;
  readonly agentId: AgentId;
  readonly closedAt: number;
  readonly returnDigest: ReturnDigest;
};

/**
 * The persisted state of a conversation's ownership, one shape per status: narrowing on `status`
 * says which fields are set (an assigned state has its agent, a queued one its queue and deadline).
 */
export type HandoffState = BotState | QueuedState | ScheduledState | AssignedState | ResolvedState | ReturnedState;

/** A state in which a person owns the chat (now, or at a booked time). */
export type WithHumanState = QueuedState | ScheduledState | AssignedState;

/** How many transfer idempotency keys a state remembers. */
export const TRANSFER_KEYS_KEPT = 8;

/** States in which the bot must stay silent (a person owns the chat, now or at a booked time). */
export function isWithHuman<S extends Pick<HandoffStateFields, 'status'>>(s: S): s is Extract<S, { readonly status: WithHumanState['status'] }> {
  return s.status === 'queued' || s.status === 'assigned' || s.status === 'scheduled';
}

export function initialState(): BotState {
  return {
    status: 'bot',
    version: 0,
    handoffId: null,
    queue: null,
    priority: 0,
    reason: null,
    requestedAt: null,
    enqueuedAt: null,
    slaDeadline: null,
    escalations: 0,
    agentId: null,
    assignedAt: null,
    transfers: 0,
    closedAt: null,
    returnDigest: null,
    channel: null,
  };
}

export type HandoffCommand =
  | {
      readonly type: 'request';
      readonly handoffId: HandoffId;
      readonly queue: QueueId;
      readonly priority: number;
      readonly reason: HandoffReason | AgentSideReason;
      readonly slaMs: number;
      readonly channel: string;
    }
  | {
      readonly type: 'assign';
      readonly agentId: AgentId;
      /** The queues this agent may take from (absent: any, e.g. a supervisor); checked against the state being replaced. */
      readonly queues?: readonly QueueId[];
    }
  /** An agent starts talking on their own (e.g. typing on the business phone): the bot yields at once. */
  | { readonly type: 'takeover'; readonly handoffId: HandoffId; readonly agentId: AgentId; readonly queue: QueueId; readonly channel: string }
  | {
      readonly type: 'transfer';
      readonly queue: QueueId;
      readonly slaMs: number;
      /** Queue used instead when this is the 2nd transfer without resolution. */
      readonly seniorQueue: QueueId;
      readonly seniorSlaMs: number;
      readonly maxTransfers: number;
      /** Lowest priority of a conversation sent to the senior queue (the policy's `repeated_transfer` priority). */
      readonly seniorPriority?: number;
      /** The state version the caller saw: refused with `VERSION_CHANGED` when the conversation moved since. */
      readonly expectedVersion?: number;
      /** Same key as one of the latest transfers: refused with `ALREADY_DONE` (nothing changes). */
      readonly idempotencyKey?: string;
    }
  | { readonly type: 'escalate'; readonly priorityBoost: number; readonly slaMs: number }
  | { readonly type: 'schedule'; readonly at: number }
  | { readonly type: 'callbackDue'; readonly priority: number; readonly slaMs: number }
  | { readonly type: 'resolve'; readonly agentId: AgentId }
  | { readonly type: 'return'; readonly digest: ReturnDigest };

/**
 * Why a move is refused: `QUEUE_NOT_ALLOWED` the conversation waits in a queue the agent may not
 * take; `VERSION_CHANGED` the caller's expected version is stale; `ALREADY_DONE` a transfer with
 * this idempotency key was already applied (the caller treats it as success, changing nothing).
 */
export type TransitionCode = 'NOT_IN_STATE' | 'NOT_ASSIGNED_TO_AGENT' | 'QUEUE_NOT_ALLOWED' | 'VERSION_CHANGED' | 'ALREADY_DONE';
export type TransitionResult =
  | { readonly ok: true; readonly state: HandoffState }
  | { readonly ok: false; readonly code: TransitionCode; readonly message: string };

const refuse = (code: TransitionCode, message: string): TransitionResult => ({ ok: false, code, message });

/** Apply one command to a state; pure, version not bumped (the store does that on commit). */
export function transition(s: HandoffState, c: HandoffCommand, now: number): TransitionResult {
  switch (c.type) {
    case 'request':
      if (isWithHuman(s)) return refuse('NOT_IN_STATE', `cannot request a handoff while ${s.status}`);
      return {
        ok: true,
        state: {
          ...initialState(),
          version: s.version,
          status: 'queued',
          handoffId: c.handoffId,
          queue: c.queue,
          priority: c.priority,
          reason: c.reason,
          requestedAt: now,
          enqueuedAt: now,
          slaDeadline: now + c.slaMs,
          slaDueAt: now + c.slaMs,
          channel: c.channel,
        },
      };
    case 'assign':
      if (s.status !== 'queued' && s.status !== 'scheduled') return refuse('NOT_IN_STATE', `cannot accept a conversation that is ${s.status}`);
      if (c.queues !== undefined && (s.queue === null || !c.queues.includes(s.queue))) {
        return refuse('QUEUE_NOT_ALLOWED', `the conversation waits in queue "${s.queue ?? '-'}", which is not one of ${c.agentId}'s (${c.queues.join(', ') || 'none'})`);
      }
      return { ok: true, state: { ...s, status: 'assigned', agentId: c.agentId, assignedAt: now, slaDeadline: null, slaDueAt: null, callbackAt: null } };
    case 'schedule':
      if (s.status !== 'queued') return refuse('NOT_IN_STATE', `cannot book a callback for a conversation that is ${s.status}`);
      if (c.at <= now) return refuse('NOT_IN_STATE', 'a callback must be booked in the future');
      return { ok: true, state: { ...s, status: 'scheduled', callbackAt: c.at, slaDeadline: c.at, slaDueAt: c.at } };
    case 'callbackDue':
      if (s.status !== 'scheduled') return refuse('NOT_IN_STATE', `no callback is booked for a conversation that is ${s.status}`);
      return {
        ok: true,
        state: { ...s, status: 'queued', priority: Math.max(s.priority, c.priority), enqueuedAt: now, slaDeadline: now + c.slaMs, slaDueAt: now + c.slaMs, callbackAt: null },
      };
    case 'takeover':
      if (s.status === 'assigned') return refuse('NOT_IN_STATE', `conversation is already with ${s.agentId}`);
      if (s.status === 'queued') return { ok: true, state: { ...s, status: 'assigned', agentId: c.agentId, assignedAt: now, slaDeadline: null, slaDueAt: null } };
      return {
        ok: true,
        state: {
          ...initialState(),
          version: s.version,
          status: 'assigned',
          handoffId: c.handoffId,
          queue: c.queue,
          reason: 'agent_takeover',
          requestedAt: now,
          agentId: c.agentId,
          assignedAt: now,
          channel: c.channel,
        },
      };
    case 'transfer': {
      // the key first: a double click carries the same key and the same (now stale) version
      if (c.idempotencyKey !== undefined && (s.transferKeys ?? []).includes(c.idempotencyKey)) {
        return refuse('ALREADY_DONE', `the transfer with idempotency key "${c.idempotencyKey}" was already made`);
      }
      if (c.expectedVersion !== undefined && c.expectedVersion !== s.version) {
        return refuse('VERSION_CHANGED', `the conversation changed since version ${c.expectedVersion} (now ${s.version}): reload it and decide again`);
      }
      if (!isWithHuman(s)) return refuse('NOT_IN_STATE', `cannot transfer a conversation that is ${s.status}`);
      const transfers = s.transfers + 1;
      const toSenior = transfers >= c.maxTransfers;
      const transferKeys = c.idempotencyKey === undefined ? s.transferKeys : [...(s.transferKeys ?? []), c.idempotencyKey].slice(-TRANSFER_KEYS_KEPT);
      return {
        ok: true,
        state: {
          ...s,
          status: 'queued',
          queue: toSenior ? c.seniorQueue : c.queue,
          reason: toSenior ? 'repeated_transfer' : s.reason,
          priority: toSenior ? Math.max(Math.max(s.priority, 1) + 1, c.seniorPriority ?? 0) : s.priority,
          transfers,
          ...(transferKeys === undefined ? {} : { transferKeys }),
          agentId: null,
          assignedAt: null,
          enqueuedAt: now,
          slaDeadline: now + (toSenior ? c.seniorSlaMs : c.slaMs),
          slaDueAt: now + (toSenior ? c.seniorSlaMs : c.slaMs),
        },
      };
    }
    case 'escalate':
      if (s.status !== 'queued') return refuse('NOT_IN_STATE', `cannot escalate a conversation that is ${s.status}`);
      return {
        ok: true,
        state: {
          ...s,
          priority: s.priority + c.priorityBoost,
          escalations: s.escalations + 1,
          // the next look; the promise stays where it was
          slaDeadline: now + c.slaMs,
          slaDueAt: slaDueAtOf(s),
        },
      };
    case 'resolve':
      if (s.status !== 'assigned') return refuse('NOT_IN_STATE', `cannot resolve a conversation that is ${s.status}`);
      if (s.agentId !== c.agentId) return refuse('NOT_ASSIGNED_TO_AGENT', `conversation is owned by ${s.agentId}`);
      return { ok: true, state: { ...s, status: 'resolved', closedAt: now, slaDeadline: null, slaDueAt: null } };
    case 'return':
      if (s.status !== 'assigned') return refuse('NOT_IN_STATE', `cannot return a conversation that is ${s.status}`);
      if (s.agentId !== c.digest.agentId) return refuse('NOT_ASSIGNED_TO_AGENT', `conversation is owned by ${s.agentId}`);
      return { ok: true, state: { ...s, status: 'returned', closedAt: now, slaDeadline: null, slaDueAt: null, returnDigest: c.digest } };
  }
}

/**
 * The SLA deadline promised for the current wait (not moved by escalations), or null when nobody
 * waits; states stored before `slaDueAt` existed fall back to `slaDeadline`.
 *
 * @example
 * slaDueAtOf(state) - now; // negative: breached by that many ms
 */
export function slaDueAtOf(s: Pick<HandoffState, 'slaDueAt' | 'slaDeadline'>): number | null {
  return s.slaDueAt === undefined ? s.slaDeadline : s.slaDueAt;
}

/**
 * Queue score: higher priority first, then earlier enqueue time. Encoded so that the *lowest*
 * score is served first (Redis ZRANGE order): `(maxPriority - priority) * 1e13 + enqueuedAt`.
 */
export const MAX_PRIORITY = 9;
export function queueScore(priority: number, enqueuedAt: number): number {
  const p = Math.min(MAX_PRIORITY, Math.max(0, Math.round(priority)));
  return (MAX_PRIORITY - p) * 1e13 + enqueuedAt;
}
