import type { Clock } from '../../core/clock.js';
import { historyMatches, type HistoryEntry, type HistoryIndex, type HistoryQuery } from '../../core/ports/history-index.js';
import type { ExpiringPart } from './conversation-expiry.js';

/**
 * `HistoryIndex` in this process: entries by conversation, searched newest first. An entry goes
 * `retentionMs` after its handoff closed (the transcripts' retention), or with its conversation
 * when the memory store forgets it (idle expiry, erasure).
 *
 * @example
 * const h = new MemoryHistoryIndex(90 * 86_400_000); expiry.register(h);
 */
export class MemoryHistoryIndex implements HistoryIndex, ExpiringPart {
  private readonly byConversation = new Map<string, Map<string, HistoryEntry>>();
  /** Order of recording: among handoffs closed in the same ms, the later recorded comes first. */
  private readonly order = new WeakMap<HistoryEntry, number>();
  private seq = 0;

  constructor(
    private readonly retentionMs: number = Number.POSITIVE_INFINITY,
    private readonly clock: Pick<Clock, 'now'> = { now: () => Date.now() },
  ) {}

  async record(entry: HistoryEntry): Promise<void> {
    let m = this.byConversation.get(entry.conversationId);
    if (m === undefined) this.byConversation.set(entry.conversationId, (m = new Map()));
    m.set(entry.handoffId, entry);
    this.order.set(entry, ++this.seq);
  }

  async search(query: HistoryQuery, limit: number): Promise<{ entries: HistoryEntry[]; scanned: number }> {
    const oldest = this.clock.now() - this.retentionMs;
    const all: HistoryEntry[] = [];
    for (const [id, m] of this.byConversation) {
      for (const [hid, e] of m) {
        if (e.closedAt < oldest) m.delete(hid);
        else all.push(e);
      }
      if (m.size === 0) this.byConversation.delete(id);
    }
    all.sort((a, b) => b.closedAt - a.closedAt || (this.order.get(b) ?? 0) - (this.order.get(a) ?? 0));
    return { entries: all.filter((e) => historyMatches(e, query)).slice(0, limit), scanned: all.length };
  }

  async forgetConversation(conversationId: string): Promise<number> {
    const n = this.byConversation.get(conversationId)?.size ?? 0;
    this.byConversation.delete(conversationId);
    return n;
  }

  forget(conversationId: string): void {
    this.byConversation.delete(conversationId);
  }

  /** Entries held now. */
  get size(): number {
    let n = 0;
    for (const m of this.byConversation.values()) n += m.size;
    return n;
  }
}
