/**
 * The per-turn signals, as pure functions: from what the bot reported about a turn (the facts),
 * the customer's words and the conversation's running counters, to the `TurnSignals` the policy
 * reads and the next counters. No I/O, no botbuilder, no mutation of the inputs.
 *
 * @example
 * const { signals, state: next } = measureTurn(state, facts, { text: 'hmm', now, customer, sentiment });
 */
import type { CustomerProfile, TurnSignals } from '../core/conversation.js';
import { extractEntities } from './entities.js';
import { asksForPerson } from './explicit-request.js';
import type { SentimentResult } from './sentiment.js';
import { valueAtRisk } from './value.js';

/** What the bot reported about one turn (`TurnObservation` in src/bridge satisfies this). */
export interface TurnFacts {
  readonly recognition: { readonly intent: string | null; readonly confidence: number; readonly flags?: readonly string[] } | null;
  readonly answeredPrompt: boolean;
  readonly isFallback: boolean;
  readonly requested: readonly string[];
  readonly missing: readonly string[];
  readonly filled: Readonly<Record<string, unknown>>;
  readonly authFailures: number;
  readonly authSucceeded: boolean;
  readonly madeProgress: boolean;
  readonly topic: { readonly intent: string; readonly queue: string | null } | null;
  readonly handoffRequested: boolean;
  readonly steps: readonly string[];
}

/** The running counters a conversation carries from turn to turn. */
export interface SignalState {
  readonly turn: number;
  readonly locale: string;
  readonly lastProgressAt: number;
  readonly collected: Readonly<Record<string, unknown>>;
  readonly entityRequests: Readonly<Record<string, number>>;
  readonly authFailures: number;
  readonly authenticated: boolean;
  readonly fallbacks: number;
  readonly lastTopic: { readonly intent: string; readonly queue: string | null } | null;
}

/**
 * Critical-entity requests: how many times each still-missing entity was asked for. A filled
 * entity is forgotten; a missing one reports the requests made so far.
 */
export function trackEntityRequests(
  requests: Readonly<Record<string, number>>,
  facts: Pick<TurnFacts, 'requested' | 'filled' | 'missing'>,
): { requests: Record<string, number>; missing: { name: string; requests: number }[] } {
  const next: Record<string, number> = { ...requests };
  for (const name of facts.requested) next[name] = (next[name] ?? 0) + 1;
  for (const name of Object.keys(facts.filled)) delete next[name];
  return { requests: next, missing: facts.missing.map((name) => ({ name, requests: next[name] ?? 1 })) };
}

/** Authentication attempts: failures add up over the conversation; one success authenticates. */
export function trackAuthentication(
  prev: { authFailures: number; authenticated: boolean },
  facts: Pick<TurnFacts, 'authFailures' | 'authSucceeded'>,
): { authFailures: number; authenticated: boolean; failedNow: boolean } {
  return {
    authFailures: prev.authFailures + facts.authFailures,
    authenticated: prev.authenticated || facts.authSucceeded,
    failedNow: facts.authFailures > 0,
  };
}

/** The fallback count: the bot's "I didn't understand"s in the conversation so far. */
export function countFallbacks(prev: number, facts: Pick<TurnFacts, 'isFallback'>): number {
  return prev + (facts.isFallback ? 1 : 0);
}

/** Seconds since progress, measured when the message arrived; progress on this turn resets the clock. */
export function progressClock(lastProgressAt: number, now: number, madeProgress: boolean): { secondsSinceProgress: number; lastProgressAt: number } {
  return { secondsSinceProgress: Math.max(0, (now - lastProgressAt) / 1000), lastProgressAt: madeProgress ? now : lastProgressAt };
}

/** All the signals of one customer turn, and the counters for the next. */
export function measureTurn(
  state: SignalState,
  facts: TurnFacts,
  input: { readonly text: string; readonly now: number; readonly customer: CustomerProfile | null; readonly sentiment: SentimentResult },
): { signals: TurnSignals; state: SignalState } {
  const entities = extractEntities(input.text);
  const collected: Record<string, unknown> = { ...state.collected, ...facts.filled };
  if (entities.order_number !== undefined && collected.order_number === undefined) collected.order_number = entities.order_number;
  const entity = trackEntityRequests(state.entityRequests, facts);
  const auth = trackAuthentication(state, facts);
  const fallbacks = countFallbacks(state.fallbacks, facts);
  const clock = progressClock(state.lastProgressAt, input.now, facts.madeProgress);
  const rec = facts.recognition;
  const topic = facts.topic ?? state.lastTopic;
  const turn = state.turn;
  const signals: TurnSignals = {
    turn,
    at: input.now,
    intent: rec?.intent ?? null,
    confidence: rec === null ? null : rec.confidence,
    topic: topic?.intent ?? null,
    topicQueue: topic?.queue ?? null,
    // an intent's flags count only when the bot acted on it (began its dialog), never on a prompt's answer
    flags: !facts.answeredPrompt && rec !== null && facts.topic?.intent === rec.intent ? [...(rec.flags ?? [])] : [],
    answeredPrompt: facts.answeredPrompt,
    fallback: facts.isFallback,
    fallbacks,
    entitiesRequested: [...facts.requested],
    entitiesMissing: entity.missing,
    authFailed: auth.failedNow,
    authFailures: auth.authFailures,
    authenticated: auth.authenticated,
    sentiment: { score: input.sentiment.score, comparative: input.sentiment.comparative, strongNegative: input.sentiment.strongNegative },
    progress: facts.madeProgress,
    secondsSinceProgress: clock.secondsSinceProgress,
    value: valueAtRisk(input.customer, collected, entities.amount ?? 0),
    explicitRequest: facts.handoffRequested || asksForPerson(input.text, state.locale),
  };
  return {
    signals,
    state: {
      ...state,
      lastProgressAt: clock.lastProgressAt,
      collected,
      entityRequests: entity.requests,
      authFailures: auth.authFailures,
      authenticated: auth.authenticated,
      fallbacks,
      lastTopic: topic,
    },
  };
}
