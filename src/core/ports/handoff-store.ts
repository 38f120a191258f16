import type { AgentId, ConversationId, QueueId } from '../ids.js';
import type { HandoffState } from '../handoff-state.js';
import type { TranscriptEntry } from '../conversation.js';

/** A conversation waiting in a queue, in service order. */
export interface QueueEntry {
  readonly conversationId: ConversationId;
  readonly priority: number;
  readonly enqueuedAt: number;
  readonly slaDeadline: number | null;
}

/** The stored state after a winning commit, or the current state after a lost race. */
export type CommitResult =
  | { readonly ok: true; readonly state: HandoffState }
  | { readonly ok: false; readonly current: HandoffState };

/** The result of a guarded append: written, or refused with the state that moved on. */
export type GuardedAppendResult = { readonly ok: true } | { readonly ok: false; readonly current: HandoffState };

/**
 * One page of the conversations an agent owns, in conversation id order; `next` is the cursor of
 * the following page (null on the last one), `total` how many the agent owns now.
 */
export interface AssignedPage {
  readonly conversations: readonly ConversationId[];
  readonly next: string | null;
  readonly total: number;
}

/**
 * Handoff ownership state with compare-and-set commits. Queue membership, the SLA index and each
 * agent's owned conversations are *derived from the committed state* in the same atomic step: a
 * conversation is in queue Q exactly when its state is `queued` with `queue === Q`, in the deadline
 * index exactly when `slaDeadline` is set, and in agent A's list exactly when it is `assigned`
 * with `agentId === A`. Implementations: `MemoryHandoffStore`, `RedisHandoffStore`.
 *
 * @example
 * const cur = await store.get(id);                       // version 0 when never stored
 * const r = await store.commit(id, cur.version, next);   // ok:false => someone else won
 */
export interface HandoffStore {
  /** The current state; `initialState()` (version 0) for an unknown conversation. */
  get(id: ConversationId): Promise<HandoffState>;
  /**
   * Atomically replace the state if its version is still `expectedVersion`; the stored version
   * becomes `expectedVersion + 1`. On a lost race returns the current state instead.
   */
  commit(id: ConversationId, expectedVersion: number, next: HandoffState): Promise<CommitResult>;
  /** Waiting conversations of one queue, highest priority first, then oldest first. */
  listQueue(queue: QueueId, limit?: number): Promise<QueueEntry[]>;
  /** How many conversations wait in a queue. */
  queueLength(queue: QueueId): Promise<number>;
  /**
   * Optional: how many conversations wait ahead of `id` in `queue` (its index in `listQueue`
   * order), or null when it does not wait there. Without it, callers list the queue.
   */
  queuePosition?(queue: QueueId, id: ConversationId): Promise<number | null>;
  /** Conversations whose SLA deadline is at or before `now`, earliest first. */
  dueDeadlines(now: number, limit: number): Promise<ConversationId[]>;
  /**
   * Append lines to the conversation's transcript only while its state is still at
   * `expectedVersion`, atomically with that check (the version is not bumped, so concurrent
   * appends do not conflict with each other). A line written this way cannot land after a
   * transition that the writer did not see: an agent's message never follows the resolution.
   */
  appendTranscriptIf(id: ConversationId, expectedVersion: number, entries: readonly TranscriptEntry[]): Promise<GuardedAppendResult>;
  /**
   * The conversations `agent` owns (status `assigned`), a page at a time in conversation id order:
   * `after` is the previous page's `next`; `limit` defaults to 100. Complete: every conversation
   * owned for the whole paging is returned exactly once.
   */
  listAssigned(agent: AgentId, page?: { readonly after?: string | null; readonly limit?: number }): Promise<AssignedPage>;
}
