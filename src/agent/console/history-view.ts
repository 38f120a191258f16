/**
 * History: agents find past (closed) conversations by customer id or name, order number or date
 * (`GET /api/history`) and open one read-only — its transcript and briefing, through the usual
 * conversation view (a closed conversation has no actions). Agents see their queues' conversations
 * and those they closed; supervisors all.
 *
 * @example
 * mountHistory(box, { open: (id) => loadConversation(id), onError: failed });
 */
import type { HistoryItemView, HistoryView } from '../api-types.js';
import { api } from './api-client.js';
import { h, replace } from './dom.js';
import { reasonLabel } from './format.js';

/** The last search (this page's life): reopening History after opening a result shows it again. */
let lastSearch: Record<'customer' | 'order' | 'from' | 'to', string> = { customer: '', order: '', from: '', to: '' };

function when(at: number | null): string {
  return at === null ? '–' : new Date(at).toLocaleString([], { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

function customerText(i: HistoryItemView): string {
  if (i.customerName !== null && i.customerId !== null) return `${i.customerName} (${i.customerId})`;
  return i.customerName ?? i.customerId ?? 'Anonymous visitor';
}

/**
 * The search form and its results in `box`; the newest closed conversations show first.
 *
 * @example
 * mountHistory(conversationBox, { open: (id) => void show(id), onError: console.error });
 */
export function mountHistory(box: HTMLElement, opts: { open(conversationId: string): void; onError(e: unknown): void }): void {
  const customer = h('input', { name: 'customer', class: 'history-customer', placeholder: 'id or name', 'aria-label': 'Customer id or name', autocomplete: 'off' });
  const order = h('input', { name: 'order', class: 'history-order', placeholder: 'e.g. A12345', 'aria-label': 'Order number', autocomplete: 'off' });
  const from = h('input', { name: 'from', type: 'date', class: 'history-from', 'aria-label': 'Closed from' });
  const to = h('input', { name: 'to', type: 'date', class: 'history-to', 'aria-label': 'Closed until' });
  const results = h('div', { class: 'history-results', role: 'region', 'aria-live': 'polite', 'aria-label': 'Results' });
  customer.value = lastSearch.customer;
  order.value = lastSearch.order;
  from.value = lastSearch.from;
  to.value = lastSearch.to;
  const search = async (): Promise<void> => {
    lastSearch = { customer: customer.value, order: order.value, from: from.value, to: to.value };
    const q = new URLSearchParams();
    for (const [k, input] of [['customer', customer], ['order', order], ['from', from], ['to', to]] as const) if (input.value.trim() !== '') q.set(k, input.value.trim());
    try {
      const r = await api<HistoryView>('GET', `/api/history${q.toString() === '' ? '' : `?${q.toString()}`}`);
      replace(
        results,
        r.conversations.length === 0
          ? h('p', { class: 'muted history-empty' }, 'No closed conversation matches.')
          : h(
              'div',
              { class: 'table-scroll' },
              h(
                'table',
                { class: 'history-table' },
                h('caption', {}, `${r.conversations.length} closed conversation${r.conversations.length === 1 ? '' : 's'}, newest first`),
                h('thead', {}, h('tr', {}, ...['Closed', 'Customer', 'Orders', 'Reason', 'Queue', 'Agent', 'Outcome', ''].map((t) => h('th', { scope: 'col' }, t)))),
                h(
                  'tbody',
                  {},
                  ...r.conversations.map((i) =>
                    h(
                      'tr',
                      { 'data-conversation-id': i.conversationId },
                      h('td', {}, when(i.closedAt)),
                      h('td', {}, customerText(i)),
                      h('td', { class: 'history-orders' }, i.orders.join(', ') || '–'),
                      h('td', {}, reasonLabel(i.reason)),
                      h('td', {}, i.queue ?? '–'),
                      h('td', {}, i.agentName ?? '–'),
                      h('td', {}, i.outcome === 'resolved' ? 'resolved' : 'back to the bot'),
                      h('td', {}, h('button', { type: 'button', class: 'history-open', onclick: () => opts.open(i.conversationId) }, 'Open')),
                    ),
                  ),
                ),
              ),
            ),
      );
    } catch (e) {
      opts.onError(e);
    }
  };
  const form = h(
    'form',
    { class: 'history-form', role: 'search', onsubmit: (e: Event) => (e.preventDefault(), void search()) },
    h('label', {}, 'Customer', customer),
    h('label', {}, 'Order number', order),
    h('label', {}, 'Closed from', from),
    h('label', {}, 'until', to),
    h('button', { type: 'submit', class: 'primary history-search' }, 'Search'),
  );
  replace(box, h('div', { class: 'history' }, h('h2', {}, 'History'), h('p', { class: 'muted' }, 'Closed conversations (resolved or returned to the bot), kept as long as transcripts.'), form, results));
  if (window.matchMedia('(max-width: 800px)').matches) box.scrollIntoView({ block: 'start' });
  void search();
}
