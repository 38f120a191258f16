/**
 * The briefing an agent reads when a conversation is handed to a person (`HandoffPacket`): who the
 * customer is, why the bot handed off (the policy's trace), what the customer wants, what is known,
 * the mood over the turns, and what the bot did that the customer saw in this episode.
 *
 * @example
 * const packet = buildBriefing({ id, memory, signals, decision, customer, transcript, queued, channel: 'webchat' });
 */
import type { CustomerProfile, HandoffPacket, TranscriptEntry, TurnSignals } from '../core/conversation.js';
import type { ConversationId } from '../core/ids.js';
import type { Decision } from '../policy/evaluate.js';
import type { ConversationMemory } from '../handoff/conversation-memory.js';

/** What the queue gave the handoff (from `HandoffService.request`). */
export interface QueuedAs {
  readonly queue: HandoffPacket['queue'];
  readonly priority: number;
  readonly slaDeadline: number;
  readonly requestedAt: number;
}

/** Everything a briefing is made of. */
export interface BriefingInput {
  readonly id: ConversationId;
  readonly memory: ConversationMemory;
  readonly signals: TurnSignals;
  readonly decision: Decision;
  readonly customer: CustomerProfile | null;
  readonly transcript: readonly TranscriptEntry[];
  readonly queued: QueuedAs;
  readonly channel: string;
}

/**
 * The packet queued with the handoff.
 *
 * @example
 * buildBriefing({ id, memory, signals, decision, customer: null, transcript: [], queued, channel: 'webchat' }).summary;
 * // "An anonymous web chat visitor, about order status, turn 2: …"
 */
export function buildBriefing(b: BriefingInput): HandoffPacket {
  const { memory, signals, decision, queued } = b;
  return {
    conversationId: b.id,
    reason: decision.reason ?? 'customer_request',
    trace: decision.trace,
    intent: signals.topic ?? signals.intent,
    sentiment: memory.sentiment.map((s) => ({ turn: s.turn, score: s.score })),
    collected: { ...memory.collected },
    customer: b.customer,
    authenticated: memory.authenticated,
    steps: [...memory.steps],
    transcript: b.transcript,
    summary: summarize(b.customer, signals, decision, memory.collected, b.channel),
    queue: queued.queue,
    priority: queued.priority,
    slaDeadline: queued.slaDeadline,
    requestedAt: queued.requestedAt,
    channel: b.channel,
    locale: memory.locale,
    turn: signals.turn,
  };
}

/**
 * The briefing's one sentence: who, what about, why now (the policy's own words), what is known.
 * e.g. "Dana Reyes (standard customer), about order status, turn 2: order_number still missing
 * after 1 request(s). Known: order_number A12345." A visitor the directory does not know is never
 * "a standard customer": "An anonymous web chat visitor" (not signed in), "A customer not in the
 * directory" elsewhere.
 */
export function summarize(customer: CustomerProfile | null, signals: TurnSignals, decision: Decision, collected: Readonly<Record<string, unknown>>, channel?: string): string {
  const unknown = channel === 'webchat' ? 'An anonymous web chat visitor' : 'A customer not in the directory';
  const who = customer === null ? unknown : customer.name === undefined ? `A ${signals.value.tier} customer` : `${customer.name} (${signals.value.tier} customer)`;
  const topic = signals.topic ?? signals.intent;
  // an intent that only asks for a person is not a topic
  const isTopic = topic !== null && !(topic === signals.intent && signals.flags.includes('customer_request'));
  const about = isTopic ? `, about ${topic.replace(/_/g, ' ')}` : '';
  const why = decision.fired[0]?.detail ?? (decision.reason ?? 'handoff').replace(/_/g, ' ');
  const known = Object.entries(collected).map(([k, v]) => `${k} ${String(v)}`);
  return `${who}${about}, turn ${signals.turn}: ${why}.${known.length === 0 ? '' : ` Known: ${known.join(', ')}.`}`;
}
