/**
 * After the bot's turn: what happened (signals, measured from the observation, the text and the
 * memory) and what the policy makes of it (the decision), folded into the conversation's memory.
 *
 * A bot that reports nothing through `observe()` (any botbuilder bot) is read from what it sent:
 * a message that says it did not understand (in any of the shipped languages), or the very message
 * it sent the turn before (a bot repeating its question), is a fallback — so `fallback_loop` and
 * `stalled` fire for it too; any other message is progress. A wrapped recogniser
 * (`observeRecognizer`) gives such a bot `low_confidence`.
 *
 * @example
 * const { signals, decision } = evaluator.evaluate(memory, obs, { customer, text, now, botSaid: hold.texts() });
 */
import { foldText } from '../core/fold-text.js';
import type { CustomerProfile, TurnSignals } from '../core/conversation.js';
import { evaluate, historyToKeep, type Decision } from '../policy/evaluate.js';
import { SentimentScorer } from '../signals/sentiment.js';
import { measureTurn } from '../signals/turn-signals.js';
import { HISTORY_LIMIT, type ConversationMemory } from '../handoff/conversation-memory.js';
import type { MiddlewareKit } from './middleware-kit.js';
import type { TurnObservation } from './turn-observation.js';

/** "I did not understand" as bots say it, in en, pt-BR and es (folded: lower case, no accents). */
const DID_NOT_UNDERSTAND =
  /\b(did ?n[o']?t (quite )?(understand|get (that|it|you))|do ?n[o']?t understand|not sure what you mean|could ?n[o']?t understand|nao (entendi|compreendi|consegui entender)|nao entendo|no (entendi|te entendi|comprendi|entiendo))\b/;

/** What the turn gave the evaluator besides the observation. */
export interface TurnFacts {
  readonly customer: CustomerProfile | null;
  readonly text: string;
  readonly now: number;
  /** The texts of the bot's messages this turn (sent and held). */
  readonly botSaid: readonly string[];
}

export class TurnEvaluator {
  private readonly sentiment = new SentimentScorer();

  constructor(private readonly kit: MiddlewareKit) {}

  /** Signals of the turn and the policy's decision; the memory takes the turn in. */
  evaluate(memory: ConversationMemory, obs: TurnObservation, facts: TurnFacts): { signals: TurnSignals; decision: Decision } {
    readUnreportedTurn(memory, obs, facts.botSaid);
    const signals = this.measure(memory, obs, facts);
    memory.history.push(signals);
    const policy = this.kit.opts.manifest.policy;
    const decision = evaluate(policy, memory.history);
    memory.history = historyToKeep(policy, memory.history).slice(-HISTORY_LIMIT);
    return { signals, decision };
  }

  private measure(memory: ConversationMemory, obs: TurnObservation, facts: TurnFacts): TurnSignals {
    const sentiment = this.sentiment.score(facts.text, memory.locale, this.kit.opts.manifest.policy.negativeSentiment);
    const last = memory.history[memory.history.length - 1];
    const { signals, state } = measureTurn(
      {
        turn: memory.turn,
        locale: memory.locale,
        lastProgressAt: memory.lastProgressAt,
        collected: memory.collected,
        entityRequests: memory.entityRequests,
        authFailures: memory.authFailures,
        authenticated: memory.authenticated,
        fallbacks: memory.fallbacks ?? 0,
        lastTopic: last === undefined || last.topic === null ? null : { intent: last.topic, queue: last.topicQueue },
      },
      obs,
      { text: facts.text, now: facts.now, customer: facts.customer, sentiment },
    );
    memory.lastProgressAt = state.lastProgressAt;
    memory.collected = { ...state.collected };
    memory.entityRequests = { ...state.entityRequests };
    memory.authFailures = state.authFailures;
    memory.authenticated = state.authenticated;
    memory.fallbacks = state.fallbacks;
    memory.sentiment.push({ turn: memory.turn, score: sentiment.score });
    if (memory.sentiment.length > HISTORY_LIMIT) memory.sentiment.splice(0, memory.sentiment.length - HISTORY_LIMIT);
    return signals;
  }
}

/**
 * A bot that reported nothing this turn: a "did not understand" or a repeat of its last turn's
 * message is a fallback; another message is progress. Remembers what it said for the next turn.
 */
function readUnreportedTurn(memory: ConversationMemory, obs: TurnObservation, botSaid: readonly string[]): void {
  if (obs.reportedProgress) {
    delete memory.lastBotSaid;
    return;
  }
  const said = botSaid.map((t) => foldText(t).replace(/\s+/g, ' ').trim()).filter((t) => t !== '');
  if (said.length === 0) return;
  const before = new Set(memory.lastBotSaid ?? []);
  memory.lastBotSaid = said.slice(-3);
  if (said.some((t) => DID_NOT_UNDERSTAND.test(t))) obs.fallback();
  else if (said.every((t) => before.has(t))) {
    obs.isFallback = true;
    obs.said('repeated its previous message');
  } else obs.progress('answered');
}
