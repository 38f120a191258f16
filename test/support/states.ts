/**
 * Handoff states for tests, made by the state machine itself (`transition`), so each is a state
 * the product can be in: a queued one has its queue and deadline, an assigned one its agent.
 *
 * @example
 * const s = assignedState({ queue: 'billing', agent: 'ana' });
 */
import { initialState, transition, type AssignedState, type HandoffCommand, type HandoffState, type QueuedState, type ResolvedState, type ReturnedState } from '../../src/core/handoff-state.js';
import { agentId, handoffId, queueId } from '../../src/core/ids.js';
import type { ReturnDigest } from '../../src/core/conversation.js';

function apply<S extends HandoffState>(s: HandoffState, c: HandoffCommand, now: number): S {
  const r = transition(s, c, now);
  if (!r.ok) throw new Error(`test state: ${c.type} refused (${r.code}: ${r.message})`);
  return r.state as S;
}

export interface StateOptions {
  readonly queue?: string;
  readonly agent?: string;
  readonly handoff?: string;
  readonly at?: number;
  readonly version?: number;
}

export function queuedState(o: StateOptions = {}): QueuedState {
  const at = o.at ?? 0;
  const s = apply<QueuedState>(initialState(), { type: 'request', handoffId: handoffId(o.handoff ?? 'h-1'), queue: queueId(o.queue ?? 'support'), priority: 1, reason: 'customer_request', slaMs: 120_000, channel: 'webchat' }, at);
  return { ...s, version: o.version ?? 1 };
}

export function assignedState(o: StateOptions = {}): AssignedState {
  return apply<AssignedState>(queuedState(o), { type: 'assign', agentId: agentId(o.agent ?? 'ana') }, (o.at ?? 0) + 10);
}

export function resolvedState(o: StateOptions = {}): ResolvedState {
  return apply<ResolvedState>(assignedState(o), { type: 'resolve', agentId: agentId(o.agent ?? 'ana') }, (o.at ?? 0) + 20);
}

export function returnedState(o: StateOptions & { readonly collected?: ReturnDigest['collected'] } = {}): ReturnedState {
  return apply<ReturnedState>(assignedState(o), { type: 'return', digest: { agentId: agentId(o.agent ?? 'ana'), collected: o.collected ?? {} } }, (o.at ?? 0) + 20);
}
