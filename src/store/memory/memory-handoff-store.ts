import type { AgentId, ConversationId, QueueId } from '../../core/ids.js';
import { initialState, isWithHuman, queueScore, type HandoffState } from '../../core/handoff-state.js';
import type { TranscriptEntry } from '../../core/conversation.js';
import type { AssignedPage, CommitResult, GuardedAppendResult, HandoffStore, QueueEntry } from '../../core/ports/handoff-store.js';
import type { TranscriptStore } from '../../core/ports/transcript-store.js';
import { MemoryTranscriptStore } from './memory-transcript-store.js';
import type { ConversationExpiry } from './conversation-expiry.js';

/**
 * In-process `HandoffStore`: a Map of states; queue membership, the deadline index and each
 * agent's owned conversations are derived from each committed state, as the port requires.
 * Guarded transcript appends go to `transcripts` (the same store the `Stores` hand out): the check
 * and the append happen in one synchronous step, which is what atomic means in one process.
 *
 * With an `expiry` (what `createMemoryStores` passes) a conversation idle past its TTL is forgotten
 * with its state, queue place, deadline and ownership — unless this store says it is with a person
 * (waiting, booked for a callback or with an agent): such a conversation is never forgotten.
 *
 * @example
 * const transcripts = new MemoryTranscriptStore();
 * const store = new MemoryHandoffStore(transcripts); await store.commit(id, 0, next);
 */
export class MemoryHandoffStore implements HandoffStore {
  private readonly states = new Map<ConversationId, HandoffState>();
  private readonly queues = new Map<QueueId, Map<ConversationId, number>>();
  private readonly deadlines = new Map<ConversationId, number>();
  private readonly assigned = new Map<AgentId, Set<ConversationId>>();

  constructor(
    private readonly transcripts: TranscriptStore = new MemoryTranscriptStore(),
    private readonly expiry?: ConversationExpiry,
  ) {
    expiry?.register({ forget: (id) => this.forget(id as ConversationId) });
    expiry?.keepWhile((id) => this.isWithPerson(id as ConversationId));
  }

  /** True while the conversation waits for an agent, is booked for a callback or is with an agent. */
  isWithPerson(id: ConversationId): boolean {
    const s = this.states.get(id);
    return s !== undefined && isWithHuman(s);
  }

  /** Entry counts of this store's maps (what the memory bound is measured by). */
  counts(): { states: number; queued: number; deadlines: number; assigned: number } {
    let queued = 0;
    for (const q of this.queues.values()) queued += q.size;
    let assigned = 0;
    for (const a of this.assigned.values()) assigned += a.size;
    return { states: this.states.size, queued, deadlines: this.deadlines.size, assigned };
  }

  async get(id: ConversationId): Promise<HandoffState> {
    this.expiry?.check(id);
    return this.states.get(id) ?? initialState();
  }

  async commit(id: ConversationId, expectedVersion: number, next: HandoffState): Promise<CommitResult> {
    this.expiry?.touch(id);
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
    if (current.status === 'assigned' && current.agentId !== null) {
      const mine = this.assigned.get(current.agentId);
      mine?.delete(id);
      if (mine?.size === 0) this.assigned.delete(current.agentId);
    }
    if (stored.status === 'assigned' && stored.agentId !== null) {
      let mine = this.assigned.get(stored.agentId);
      if (mine === undefined) this.assigned.set(stored.agentId, (mine = new Set()));
      mine.add(id);
    }
    return { ok: true, state: stored };
  }

  appendTranscriptIf(id: ConversationId, expectedVersion: number, entries: readonly TranscriptEntry[]): Promise<GuardedAppendResult> {
    this.expiry?.touch(id);
    const current = this.states.get(id) ?? initialState();
    if (current.version !== expectedVersion) return Promise.resolve({ ok: false, current });
    // no await between the check and the append: nothing can commit in between
    return this.transcripts.append(id, ...entries).then(() => ({ ok: true }));
  }

  async listAssigned(agent: AgentId, page: { after?: string | null; limit?: number } = {}): Promise<AssignedPage> {
    const limit = Math.max(1, page.limit ?? 100);
    const after = page.after ?? null;
    const all = [...(this.assigned.get(agent) ?? [])].sort();
    const rest = after === null ? all : all.filter((c) => c > after);
    const conversations = rest.slice(0, limit);
    return { conversations, next: rest.length > limit ? (conversations.at(-1) ?? null) : null, total: all.length };
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

  /** Drops everything this store holds for a conversation (it expired). */
  private forget(id: ConversationId): void {
    const s = this.states.get(id);
    if (s === undefined) return;
    this.states.delete(id);
    this.deadlines.delete(id);
    if (s.queue !== null) {
      const q = this.queues.get(s.queue);
      q?.delete(id);
      if (q?.size === 0) this.queues.delete(s.queue);
    }
    if (s.agentId !== null) {
      const mine = this.assigned.get(s.agentId);
      mine?.delete(id);
      if (mine?.size === 0) this.assigned.delete(s.agentId);
    }
  }
}
