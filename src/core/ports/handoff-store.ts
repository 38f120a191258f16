import type { ConversationId, QueueId } from '../ids.js';
import type { HandoffState } from '../handoff-state.js';

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

/**
 * Handoff ownership state with compare-and-set commits. Queue membership and the SLA index are
 * *derived from the committed state* in the same atomic step: a conversation is in queue Q exactly
 * when its state is `queued` with `queue === Q`, and in the deadline index exactly when
 * `slaDeadline` is set. Implementations: `MemoryHandoffStore`, `RedisHandoffStore`.
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
  /** Conversations whose SLA deadline is at or before `now`, earliest first. */
  dueDeadlines(now: number, limit: number): Promise<ConversationId[]>;
}
