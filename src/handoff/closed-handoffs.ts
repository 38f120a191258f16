/**
 * What the console's history index keeps of a closed handoff: who the customer was, the order
 * numbers the conversation mentioned, why it was handed off, where and by whom it was closed.
 * Written by the HandoffService at the closing transition (resolve, return to the bot).
 *
 * @example
 * await recordClosedHandoff(stores, id, after, 'resolved');
 */
import type { HandoffPacket } from '../core/conversation.js';
import type { HandoffState } from '../core/handoff-state.js';
import type { HistoryEntry } from '../core/ports/history-index.js';
import type { Stores } from '../core/ports/stores.js';

/** Order-number-like values: letters/digits, 3 to 32 characters, at least one digit. */
const ORDER = /^(?=.*\d)[A-Za-z0-9-]{3,32}$/;

/** Order numbers in collected fields: `order_number`, `order`, `order_id`, any `*order*` field. */
function ordersIn(collected: Readonly<Record<string, unknown>> | undefined, into: Set<string>): void {
  for (const [k, v] of Object.entries(collected ?? {})) {
    if (!/order/i.test(k)) continue;
    for (const x of Array.isArray(v) ? v : [v]) {
      const s = typeof x === 'number' ? String(x) : typeof x === 'string' ? x.trim() : '';
      if (ORDER.test(s)) into.add(s.toUpperCase());
    }
  }
}

/**
 * The history entry of a closed handoff (its briefing, when stored, gives customer and orders).
 *
 * @example
 * historyEntryOf('webchat:1', state, packet, 'resolved').orders; // ['A12345']
 */
export function historyEntryOf(conversationId: string, s: HandoffState, packet: HandoffPacket | undefined, outcome: HistoryEntry['outcome']): HistoryEntry {
  const orders = new Set<string>();
  ordersIn(packet?.collected, orders);
  ordersIn(s.returnDigest?.collected, orders);
  return {
    conversationId,
    handoffId: s.handoffId ?? `closed-${s.closedAt ?? 0}`,
    customerId: packet?.customer?.id ?? null,
    customerName: packet?.customer?.name ?? null,
    orders: [...orders],
    reason: s.reason ?? packet?.reason ?? null,
    queue: s.queue ?? packet?.queue ?? null,
    agentId: s.agentId ?? s.returnDigest?.agentId ?? null,
    channel: packet?.channel ?? s.channel?.split(':')[0] ?? null,
    outcome,
    requestedAt: s.requestedAt,
    assignedAt: s.assignedAt,
    closedAt: s.closedAt ?? Date.now(),
  };
}

/**
 * Indexes a closed handoff (no-op on stores without a history index). Never throws: the closing
 * transition is already committed; a failed index write is handed to `onError`.
 */
export async function recordClosedHandoff(stores: Stores, conversationId: string, s: HandoffState, outcome: HistoryEntry['outcome'], onError: (e: unknown) => void = () => {}): Promise<void> {
  const history = stores.history;
  if (history === undefined || s.handoffId === null) return;
  try {
    const packet = await stores.packets.get(s.handoffId);
    await history.record(historyEntryOf(conversationId, s, packet, outcome));
  } catch (e) {
    onError(e);
  }
}
