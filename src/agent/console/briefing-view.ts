/**
 * The briefing of the open conversation, compact so the transcript and the reply box fit beside it:
 * the reason, the one-sentence summary (in the agent's language, from the API), the decision trace
 * folded into one line ("Why: 3 rules fired", opened on demand), then the facts, what the bot
 * collected, what the customer saw of the bot, and who the customer is, side by side.
 *
 * @example
 * box.append(briefingView(view));
 */
import type { ConversationView } from '../api-types.js';
import { h } from './dom.js';
import { channelContact, clockTime, reasonLabel, sentimentTrend } from './format.js';

/**
 * "Why: 3 rules fired" from the policy's trace (`reason: FIRED — …` / `reason: no — …`).
 *
 * @example
 * traceHeadline(['customer_request: FIRED — asked', 'stalled: no — progress']); // 'Why: 1 rule fired'
 */
export function traceHeadline(trace: readonly string[]): string {
  const fired = trace.filter((t) => /^[a-z_]+: fired\b/i.test(t)).length;
  if (fired === 0) return `Why: the decision trace (${trace.length} line${trace.length === 1 ? '' : 's'})`;
  return `Why: ${fired} rule${fired === 1 ? '' : 's'} fired`;
}

/**
 * The briefing section of a conversation view.
 *
 * @example
 * conversationBox.append(briefingView(view));
 */
export function briefingView(view: ConversationView): HTMLElement {
  const b = view.briefing;
  if (b === null) return h('section', { class: 'briefing' }, h('h3', {}, 'Briefing'), h('p', { class: 'muted' }, 'No briefing for this conversation.'));
  const dl = (cls: string, entries: [string, string][], empty: string): HTMLElement =>
    entries.length === 0 ? h('p', { class: `${cls} muted` }, empty) : h('dl', { class: cls }, ...entries.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
  const c = b.customer;
  const profile: [string, string][] =
    c === null
      ? []
      : [
          ['Name', c.name ?? '–'],
          ['Customer id', c.id],
          ...(c.email === undefined ? [] : [['Email', c.email] as [string, string]]),
          ...(c.tier === undefined ? [] : [['Tier', c.tier] as [string, string]]),
          ...(c.zip === undefined ? [] : [['ZIP', c.zip] as [string, string]]),
          ...(c.orders === undefined || c.orders.length === 0
            ? []
            : [['Orders', c.orders.map((o) => `${o.number} $${o.total.toFixed(2)}${o.status === undefined ? '' : ` (${o.status})`}`).join(', ')] as [string, string]]),
        ];
  const mood = b.brief?.mood;
  return h(
    'section',
    { class: 'briefing', 'aria-labelledby': 'briefing-title' },
    h(
      'div',
      { class: 'brief-head' },
      h('h3', { id: 'briefing-title' }, 'Briefing'),
      h('span', { class: 'reason', 'data-reason': b.reason, title: b.reason }, reasonLabel(b.reason)),
      mood === undefined || mood === 'calm' ? null : h('span', { class: `mood mood-${mood}` }, mood === 'angry' ? 'angry' : 'getting upset'),
    ),
    // the API words it in the agent's language; lang lets the browser read and hyphenate it right
    h('p', { class: 'summary', lang: b.summaryLocale }, b.summary),
    h('details', { class: 'trace-box' }, h('summary', {}, traceHeadline(b.trace)), h('ul', { class: 'trace' }, ...b.trace.map((t) => h('li', {}, t)))),
    h(
      'div',
      { class: 'brief-grid' },
      dl(
        'facts',
        [
          ['Intent', b.intent ?? 'none recognised'],
          ['Sentiment', sentimentTrend(b.sentiment)],
          ['Authenticated', b.authenticated ? 'yes' : 'no'],
          ['Channel', `${b.channel} · ${b.locale}`],
          ['Requested', clockTime(b.requestedAt)],
        ],
        '',
      ),
      h('div', { class: 'brief-part' }, h('h4', {}, 'Collected by the bot'), dl('collected', Object.entries(b.collected).map(([k, v]) => [k, show(v)]), 'Nothing collected.')),
      h(
        'div',
        { class: 'brief-part' },
        h('h4', {}, 'What the bot tried'),
        b.steps.length === 0 ? h('p', { class: 'steps muted' }, 'No steps recorded.') : h('ol', { class: 'steps' }, ...b.steps.map((t) => h('li', {}, t))),
      ),
      h(
        'div',
        { class: 'brief-part' },
        h('h4', {}, 'Customer'),
        // not in the customer directory: who they are on their channel (a WhatsApp profile), if known
        dl('customer', c === null ? channelContact(view.transcript) : profile, 'Not identified (anonymous web chat).'),
      ),
    ),
  );
}
