import type { ConversationId, QueueId } from '../../core/ids.js';
import { initialState, queueScore, type HandoffState } from '../../core/handoff-state.js';
import type { CommitResult, HandoffStore, QueueEntry } from '../../core/ports/handoff-store.js';

/**
 * In-process `HandoffStore`: a Map of states; queue membership and the deadline index are derived
 * from each committed state, as the port requires.
 *
 * @example
 * const store = new MemoryHandoffStore(); await store.commit(id, 0, next);
 */
export class MemoryHandoffStore implements HandoffStore {
  private readonly states = new Map<ConversationId, HandoffState>();
  private readonly queues = new Map<QueueId, Map<ConversationId, number>>();
  private readonly deadlines = new Map<ConversationId, number>();

  async get(id: ConversationId): Promise<HandoffState> {
    return this.states.get(id) ?? initialState();
  }

  async commit(id: ConversationId, expectedVersion: number, next: HandoffState): Promise<CommitResult> {
    const current = this.states.get(id) ?? initialState();
    if (current.version !== expectedVersion) return { ok: false, current };
    const stored: HandoffState = { ...next, version: expectedVersion + 1 };
    this.states.set(id, stored);
    if (current.queue !== null) this.queues.get(current.queue)?.delete(id);
    if (stored.status === 'queued' && stored.queue !== null && stored.enqueuedAt !== null) {
      let q = this.queues.get(stored.queue);
      if (q === undefined) this.queues.set(stored.queue, (q = new Map()));
      q.set(id, queueScore(stored.priority, stored.enqueuedAt));
    }
    if (stored.slaDeadline === null) this.deadlines.delete(id);
    else this.deadlines.set(id, stored.slaDeadline);
    return { ok: true, state: stored };
  }

  async listQueue(queue: QueueId, limit = 100): Promise<QueueEntry[]> {
    const q = this.queues.get(queue);
    if (q === undefined) return [];
    return [...q.entries()]
      .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, limit)
      .map(([conversationId]) => {
        const s = this.states.get(conversationId) ?? initialState();
        return { conversationId, priority: s.priority, enqueuedAt: s.enqueuedAt ?? 0, slaDeadline: s.slaDeadline };
      });
  }

  async queueLength(queue: QueueId): Promise<number> {
    return this.queues.get(queue)?.size ?? 0;
  }

  async dueDeadlines(now: number, limit: number): Promise<ConversationId[]> {
    return [...this.deadlines.entries()]
      .filter(([, d]) => d <= now)
      .sort((a, b) => a[1] - b[1])
      .slice(0, limit)
      .map(([id]) => id);
  }
}
