/**
 * The index of closed handoffs (resolved, returned to the bot) that agents search to find a past
 * conversation by customer, order number or date. One entry per closed handoff, written by the
 * HandoffService at the closing transition; kept as long as transcripts are
 * (`retention.transcriptsDays`), and removed with the conversation when a customer is erased.
 * Implementations: `MemoryHistoryIndex`, `RedisHistoryIndex` (src/store).
 *
 * @example
 * await stores.history?.record(entry);
 * const found = await stores.history?.search({ order: 'A12345' }, 20);
 */

/** One closed handoff. */
export interface HistoryEntry {
  readonly conversationId: string;
  readonly handoffId: string;
  /** The customer's id (null: anonymous visitor). */
  readonly customerId: string | null;
  readonly customerName: string | null;
  /** Order numbers the conversation mentioned (collected by the bot or settled by the agent), upper-cased. */
  readonly orders: readonly string[];
  readonly reason: string | null;
  /** The queue it was closed in. */
  readonly queue: string | null;
  /** The agent who closed it. */
  readonly agentId: string | null;
  readonly channel: string | null;
  readonly outcome: 'resolved' | 'returned';
  readonly requestedAt: number | null;
  readonly assignedAt: number | null;
  readonly closedAt: number;
}

/** What to look for; every given field must match (all absent: the newest closed handoffs). */
export interface HistoryQuery {
  /** A customer id (exact, case-insensitive) or part of the customer's name (case-insensitive). */
  readonly customer?: string;
  /** An order number (exact, case-insensitive). */
  readonly order?: string;
  /** Closed at or after (ms since the epoch). */
  readonly from?: number;
  /** Closed at or before (ms since the epoch). */
  readonly to?: number;
  /** Only these queues or these agents' own handoffs (an agent's view); absent: all. */
  readonly visibleTo?: { readonly queues: readonly string[]; readonly agentId: string | null };
}

/** The index port. */
export interface HistoryIndex {
  /** Adds (or replaces) the entry of one closed handoff. */
  record(entry: HistoryEntry): Promise<void>;
  /** Matching entries, newest closed first, at most `limit`; `scanned` says how many were looked at. */
  search(query: HistoryQuery, limit: number): Promise<{ readonly entries: HistoryEntry[]; readonly scanned: number }>;
  /** Removes every entry of a conversation (erasure); returns how many went. */
  forgetConversation(conversationId: string): Promise<number>;
}

/**
 * Whether an entry matches a query (both implementations filter with it).
 *
 * @example
 * historyMatches(entry, { order: 'a12345' }); // true when entry.orders includes 'A12345'
 */
export function historyMatches(e: HistoryEntry, q: HistoryQuery): boolean {
  if (q.from !== undefined && e.closedAt < q.from) return false;
  if (q.to !== undefined && e.closedAt > q.to) return false;
  if (q.order !== undefined && !e.orders.includes(q.order.trim().toUpperCase())) return false;
  if (q.customer !== undefined) {
    const c = q.customer.trim().toLowerCase();
    const byId = e.customerId !== null && e.customerId.toLowerCase() === c;
    const byName = e.customerName !== null && e.customerName.toLowerCase().includes(c);
    if (!byId && !byName) return false;
  }
  if (q.visibleTo !== undefined) {
    const mine = q.visibleTo.agentId !== null && e.agentId === q.visibleTo.agentId;
    if (!mine && (e.queue === null || !q.visibleTo.queues.includes(e.queue))) return false;
  }
  return true;
}
