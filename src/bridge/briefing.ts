/**
 * The briefing an agent reads when a conversation is handed to a person (`HandoffPacket`): who the
 * customer is, why the bot handed off (the policy's trace), what the customer wants, what is known,
 * the mood over the turns, and what the bot did that the customer saw in this episode.
 *
 * @example
 * const packet = buildBriefing({ id, memory, signals, decision, customer, transcript, queued, channel: 'webchat' });
 */
import type { BriefFacts, CustomerMood, CustomerProfile, HandoffPacket, TranscriptEntry, TurnSignals } from '../core/conversation.js';
import type { ConversationId } from '../core/ids.js';
import type { Decision } from '../policy/evaluate.js';
import type { ConversationMemory } from '../handoff/conversation-memory.js';
import { worseningTrend } from '../signals/sentiment-trend.js';
import { BRIEFING_TEXTS } from './briefing-texts.js';

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
 * The packet queued with the handoff: `brief` holds the summary's facts (the console words them in
 * the agent's language), `summary` the same sentence in English.
 *
 * @example
 * buildBriefing({ id, memory, signals, decision, customer: null, transcript: [], queued, channel: 'webchat' }).summary;
 * // 'An anonymous web chat visitor asked to talk to a person.'
 */
export function buildBriefing(b: BriefingInput): HandoffPacket {
  const { memory, signals, decision, queued } = b;
  const brief = briefFacts(b.customer, signals, decision, memory.collected, b.channel, memory.sentiment);
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
    summary: briefingSentence(brief, 'en'),
    brief,
    queue: queued.queue,
    priority: queued.priority,
    slaDeadline: queued.slaDeadline,
    requestedAt: queued.requestedAt,
    channel: b.channel,
    locale: memory.locale,
    turn: signals.turn,
  };
}

/** Intents that say nothing about what the customer needs. */
const NOT_A_TOPIC = new Set(['human', 'greeting', 'goodbye']);

/**
 * The facts of the briefing's sentence: who (a directory customer, with name and tier; an anonymous
 * web chat visitor; a customer the directory does not know), why (the reported reason and its
 * numbers), what they want (the topic), what the bot collected, and their mood.
 *
 * @example
 * briefFacts(null, signals, decision, { order_number: 'A12345' }, 'webchat', [{ turn: 1, score: -3 }]);
 * // { who: { kind: 'anonymous' }, reason: 'missing_entity', wants: 'order_status', known: { order_number: 'A12345' }, mood: 'upset', turn: 2, … }
 */
export function briefFacts(
  customer: CustomerProfile | null,
  signals: TurnSignals,
  decision: Pick<Decision, 'reason'>,
  collected: Readonly<Record<string, unknown>>,
  channel: string | undefined,
  sentiment: readonly { readonly turn: number; readonly score: number }[],
): BriefFacts {
  const who: BriefFacts['who'] =
    customer === null
      ? { kind: channel === 'webchat' ? 'anonymous' : 'unknown' }
      : { kind: 'named', ...(customer.name === undefined ? {} : { name: customer.name }), tier: signals.value.tier };
  const topic = signals.topic ?? signals.intent;
  // an intent that only asks for a person is not a topic
  const isTopic = topic !== null && !NOT_A_TOPIC.has(topic) && !(topic === signals.intent && signals.flags.includes('customer_request'));
  const known: Record<string, string> = {};
  for (const [k, v] of Object.entries(collected)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
    const text = String(v).trim();
    if (text !== '') known[k] = text.length > 60 ? `${text.slice(0, 59)}…` : text;
  }
  const reason = decision.reason ?? 'customer_request';
  const missing = signals.entitiesMissing[0];
  const tries =
    reason === 'missing_entity' ? missing?.requests : reason === 'fallback_loop' || reason === 'low_confidence' ? signals.fallbacks : reason === 'auth_failed' ? signals.authFailures : undefined;
  return {
    who,
    reason,
    wants: isTopic ? topic : null,
    known,
    mood: moodOf(sentiment, signals.sentiment.strongNegative),
    turn: signals.turn,
    ...(tries === undefined || tries < 1 ? {} : { tries }),
    ...(reason === 'missing_entity' && missing !== undefined ? { missing: missing.name } : {}),
  };
}

/**
 * The customer's mood from the sentiment of their messages (oldest first): `angry` when the last
 * message is strong anger or clearly negative (score ≤ −5) or the scores worsen steadily; `upset`
 * when the last is negative (≤ −2) or the last two both are; else `calm`.
 *
 * @example
 * moodOf([{ turn: 1, score: 0 }, { turn: 2, score: -3 }], false); // 'upset'
 */
export function moodOf(points: readonly { readonly turn: number; readonly score: number }[], strongNegative = false): CustomerMood {
  const last = points[points.length - 1]?.score ?? 0;
  const before = points[points.length - 2]?.score ?? 0;
  if (strongNegative || last <= -5 || worseningTrend(points) !== null) return 'angry';
  if (last <= -2 || (last < 0 && before < 0)) return 'upset';
  return 'calm';
}

/** The locales the briefing is written in. */
export type BriefingLocale = keyof typeof BRIEFING_TEXTS;

/**
 * The briefing locale for a language tag: exact (`pt-BR`), then by language (`pt-PT` → `pt-BR`,
 * `es-MX` → `es`); undefined when none fits.
 *
 * @example
 * briefingLocale('es-AR'); // 'es'
 * briefingLocale('de');    // undefined
 */
export function briefingLocale(tag: string | undefined | null): BriefingLocale | undefined {
  if (tag === undefined || tag === null) return undefined;
  const t = tag.trim().toLowerCase();
  const all = Object.keys(BRIEFING_TEXTS) as BriefingLocale[];
  return all.find((l) => l.toLowerCase() === t) ?? all.find((l) => l.split('-')[0]!.toLowerCase() === t.split('-')[0]);
}

/**
 * The first language of an Accept-Language header that briefings are written in (by weight, then
 * order); undefined when none is.
 *
 * @example
 * acceptedLocale('de-DE,de;q=0.9,pt-BR;q=0.8,en;q=0.5'); // 'pt-BR'
 */
export function acceptedLocale(header: string | readonly string[] | undefined): BriefingLocale | undefined {
  const text = Array.isArray(header) ? header.join(',') : (header as string | undefined);
  if (text === undefined || text === '') return undefined;
  const ranked = text
    .split(',')
    .slice(0, 20)
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag!.trim(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((r) => r.tag !== '' && r.tag !== '*' && Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranked) {
    const l = briefingLocale(r.tag);
    if (l !== undefined) return l;
  }
  return undefined;
}

/**
 * The briefing as one sentence a person would write, in `locale` (en, pt-BR or es; any other
 * falls back to English): who, what they want and what is known, why the bot handed off, the mood.
 * No scores, no turn numbers, no rule names.
 *
 * @example
 * briefingSentence({ who: { kind: 'named', name: 'Dana Reyes', tier: 'standard' }, reason: 'missing_entity', wants: 'order_status',
 *   known: {}, mood: 'upset', turn: 3, tries: 2, missing: 'order_number' }, 'en');
 * // 'Dana Reyes, a standard customer, wants to know where their order is; the bot could not get the order number after two tries, and the customer is getting upset.'
 */
export function briefingSentence(brief: BriefFacts, locale: string): string {
  const texts = BRIEFING_TEXTS[briefingLocale(locale) ?? 'en'];
  const t = (key: string, vars: Readonly<Record<string, string>> = {}): string =>
    (texts[key] ?? BRIEFING_TEXTS.en[key] ?? '').replace(/\{([a-z_]+)\}/g, (_m, name: string) => vars[name] ?? '');
  const has = (key: string): boolean => texts[key] !== undefined;
  const words = (id: string): string => id.replace(/_/g, ' ');

  const w = brief.who;
  const who =
    w.kind === 'anonymous'
      ? t('who.anonymous')
      : w.kind === 'unknown'
        ? t('who.unknown')
        : t(w.name === undefined ? 'who.named_no_name' : 'who.named', { name: w.name ?? '', tier: t(`tier.${w.tier ?? 'standard'}`) });

  const known = { ...brief.known };
  let wants: string;
  if (brief.wants === null) wants = t('wants.none');
  else if (known['order_number'] !== undefined && has(`wants.${brief.wants}.order`)) {
    wants = t(`wants.${brief.wants}.order`, { order: known['order_number'] });
    delete known['order_number'];
  } else wants = has(`wants.${brief.wants}`) ? t(`wants.${brief.wants}`) : t('wants.other', { topic: words(brief.wants) });
  const items = Object.entries(known).map(([k, v]) => `${has(`field.${k}`) ? t(`field.${k}`) : words(k)} ${v}`);
  const knownText = items.length === 0 ? '' : t('known', { list: items.join(', ') });
  const mood = t(`mood.${brief.mood}`);

  if (brief.wants === null && brief.reason === 'customer_request') return t('sentence.request', { who, known: knownText, mood });
  const n = brief.tries ?? 0;
  const count = has(`count.${n}`) ? t(`count.${n}`) : String(n);
  const missing = brief.missing === undefined ? '' : has(`missing.${brief.missing}`) ? t(`missing.${brief.missing}`) : t('missing.other', { name: words(brief.missing) });
  const whyKey = n === 1 && has(`why.${brief.reason}_one`) ? `why.${brief.reason}_one` : `why.${brief.reason}`;
  const why = has(whyKey) ? t(whyKey, { count, missing }) : words(brief.reason);
  return t('sentence', { who, wants, known: knownText, why, mood });
}

/**
 * The briefing's one sentence in English (what `summary` holds; `briefingSentence` words it in
 * another locale). A visitor the directory does not know is never "a standard customer": "An
 * anonymous web chat visitor" (not signed in), "A customer we have no record of" elsewhere.
 *
 * @example
 * summarize(null, signals, decision, {}, 'webchat'); // 'An anonymous web chat visitor asked to talk to a person.'
 */
export function summarize(
  customer: CustomerProfile | null,
  signals: TurnSignals,
  decision: Pick<Decision, 'reason'>,
  collected: Readonly<Record<string, unknown>>,
  channel?: string,
  sentiment: readonly { readonly turn: number; readonly score: number }[] = [],
): string {
  return briefingSentence(briefFacts(customer, signals, decision, collected, channel, sentiment), 'en');
}
