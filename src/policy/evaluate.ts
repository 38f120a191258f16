/**
 * The handoff policy: a pure function from the conversation's signal history and the manifest's
 * policy to a decision with a trace. Same input, same decision — which is what makes `simulate`
 * and the replay of old transcripts possible.
 *
 * Every reason is evaluated on every turn; the trace says why each fired or did not. When several
 * fire, the reported one is the first in `HANDOFF_REASONS` (the precedence of scenarios.md) and the
 * rest stay in the trace.
 *
 * @example
 * const d = evaluate(manifest.policy, history);
 * if (d.handoff) console.log(d.reason, d.queue, d.trace);
 */
import { HANDOFF_REASONS, type AgentSideReason, type HandoffReason, type TurnSignals } from '../core/conversation.js';
import type { Policy } from '../core/manifest.js';
import { DEFAULT_TREND, worseningTrend } from '../signals/sentiment-trend.js';

/** A reason that fired, with its queue and why. */
export interface FiredReason {
  readonly reason: HandoffReason;
  readonly queue: string;
  readonly detail: string;
}

/** The cost rule's numbers for one turn (see README, "The cost rule, in numbers"). */
export interface CostEstimate {
  readonly failureProbability: number;
  readonly stakeUsd: number;
  readonly valueAtRiskUsd: number;
  readonly botCostUsd: number;
  readonly expectedBotCostUsd: number;
  readonly humanCostUsd: number;
}

/** Hand off or not; the reported reason, queue and priority; every reason that fired; the trace. */
export interface Decision {
  readonly handoff: boolean;
  readonly reason: HandoffReason | null;
  readonly queue: string | null;
  readonly priority: number;
  readonly fired: readonly FiredReason[];
  /** One line per reason: `reason: fired|no — why, with the numbers`. */
  readonly trace: readonly string[];
  readonly cost: CostEstimate;
}

const NO_DECISION_COST: CostEstimate = {
  failureProbability: 0,
  stakeUsd: 0,
  valueAtRiskUsd: 0,
  botCostUsd: 0,
  expectedBotCostUsd: 0,
  humanCostUsd: 0,
};

const fmt = (n: number) => (Math.round(n * 100) / 100).toFixed(2);

/** True when this turn counts as a low-confidence turn (a prompt's answer never does). */
export function isLowConfidence(t: TurnSignals, below: number): boolean {
  return !t.answeredPrompt && t.confidence !== null && t.confidence < below;
}

/**
 * The cost rule's arithmetic. Evidence since the last progress (fallbacks, low-confidence turns,
 * negative messages, failed authentications, missing entities) lowers the chance the bot succeeds:
 *   P(success) = (1 - baseFailure) × Π (1 - weight_e)      P(fail) = 1 - P(success)
 *   valueAtRisk = stake × valueAtRiskShare                 botCost = botTurnUsd × expectedRemainingBotTurns
 *   expected cost of staying with the bot = P(fail) × valueAtRisk + botCost
 * and the rule fires when that exceeds the cost of a human contact.
 */
export function estimateCost(policy: Policy, history: readonly TurnSignals[]): CostEstimate {
  const c = policy.cost;
  const last = history[history.length - 1];
  if (last === undefined) return NO_DECISION_COST;
  let success = 1 - c.baseFailure;
  for (let i = history.length - 1; i >= 0; i--) {
    const t = history[i]!;
    if (t.progress) break;
    if (t.fallback) success *= 1 - c.evidence.fallback;
    if (isLowConfidence(t, policy.lowConfidence.below)) success *= 1 - c.evidence.lowConfidence;
    if (t.sentiment.score < 0) success *= 1 - c.evidence.negativeSentiment;
    if (t.authFailed) success *= 1 - c.evidence.authFailure;
    if (t.entitiesMissing.length > 0) success *= 1 - c.evidence.missingEntity;
  }
  const failureProbability = 1 - success;
  const stakeUsd = last.value.stake;
  const valueAtRiskUsd = stakeUsd * c.valueAtRiskShare;
  const botCostUsd = c.botTurnUsd * c.expectedRemainingBotTurns;
  return {
    failureProbability,
    stakeUsd,
    valueAtRiskUsd,
    botCostUsd,
    expectedBotCostUsd: failureProbability * valueAtRiskUsd + botCostUsd,
    humanCostUsd: c.humanContactUsd,
  };
}

/**
 * How much history the policy needs after this turn: the turns since the last progress (cost
 * rule), the last `consecutiveTurns` (low-confidence run) and the turns a worsening sentiment
 * trend reads (`DEFAULT_TREND.turns`, with the next one); counts (fallbacks, failed
 * authentications) travel on each turn. Keeping only this bounds a conversation's stored state.
 */
export function historyToKeep(policy: Policy, history: readonly TurnSignals[]): TurnSignals[] {
  let start = history.length - 1;
  while (start > 0 && !history[start]!.progress) start--;
  start = Math.min(start, history.length - Math.max(policy.lowConfidence.consecutiveTurns, DEFAULT_TREND.turns - 1));
  return history.slice(Math.max(0, start));
}

/**
 * Decide on the last turn of `history`.
 *
 * @example
 * const d = evaluate(manifest.policy, history); // { handoff: true, reason: 'missing_entity', queue: 'support', … }
 */
export function evaluate(policy: Policy, history: readonly TurnSignals[]): Decision {
  const t = history[history.length - 1];
  if (t === undefined) {
    return { handoff: false, reason: null, queue: null, priority: 0, fired: [], trace: ['no customer turn yet'], cost: NO_DECISION_COST };
  }
  const topicQueue = t.topicQueue ?? policy.defaultQueue;
  const cost = estimateCost(policy, history);
  const valuable = policy.highValue.tiers.includes(t.value.tier) || t.value.maxOrderTotal > policy.highValue.orderTotalAbove;
  const lowConf = isLowConfidence(t, policy.lowConfidence.below);
  const checks: Record<HandoffReason, () => { fired: boolean; queue: string; detail: string | (() => string) }> = {
    customer_request: () => ({
      fired: t.explicitRequest,
      queue: topicQueue,
      detail: t.explicitRequest ? `the customer asked for a person (intent ${t.intent ?? 'none'})` : 'no request for a person',
    }),
    sensitive_topic: () => {
      const fired = t.flags.includes('sensitive_topic');
      return { fired, queue: topicQueue, detail: fired ? `intent ${t.intent} is a sensitive topic` : 'no sensitive topic' };
    },
    auth_failed: () => {
      const fired = t.authFailed && t.authFailures >= policy.authFailed.attempts;
      return {
        fired,
        queue: policy.authFailed.queue,
        detail: () => `${t.authFailures} failed authentication attempt(s), threshold ${policy.authFailed.attempts}`,
      };
    },
    revenue_risk: () => {
      const fired = t.flags.includes('revenue_risk');
      return { fired, queue: topicQueue, detail: fired ? `intent ${t.intent} puts revenue at risk` : 'no revenue or churn risk' };
    },
    high_value: () => {
      const buying = t.flags.includes('purchase') || t.flags.includes('high_value');
      const queue = buying ? policy.highValue.salesQueue : topicQueue;
      if (t.flags.includes('high_value')) return { fired: true, queue, detail: `intent ${t.intent} is high value` };
      if (t.flags.includes('purchase')) {
        const tierHit = policy.highValue.tiers.includes(t.value.tier);
        const amountHit = t.value.amountNamed > policy.highValue.amountAbove;
        if (tierHit || amountHit) {
          return {
            fired: true,
            queue,
            detail: tierHit ? `purchase by a ${t.value.tier} customer` : `purchase naming $${fmt(t.value.amountNamed)} > $${fmt(policy.highValue.amountAbove)}`,
          };
        }
      }
      const strike = t.fallback || lowConf;
      if (strike && valuable) {
        return {
          fired: true,
          queue,
          detail: `${t.fallback ? 'fallback' : 'low confidence'} for a valuable customer (tier ${t.value.tier}, largest order $${fmt(t.value.maxOrderTotal)})`,
        };
      }
      return { fired: false, queue, detail: () => `tier ${t.value.tier}, largest order $${fmt(t.value.maxOrderTotal)}, amount named $${fmt(t.value.amountNamed)}` };
    },
    negative_sentiment: () => {
      // a strong message, or a customer getting angrier turn after turn (src/signals/sentiment-trend.ts)
      const trend = t.sentiment.strongNegative ? null : worseningTrend(history.map((h) => ({ turn: h.turn, score: h.sentiment.score })));
      return {
        fired: t.sentiment.strongNegative || trend !== null,
        queue: topicQueue,
        detail: () =>
          trend !== null
            ? `sentiment worsening over the last ${trend.length} turns (scores ${trend.join(', ')})`
            : `sentiment score ${t.sentiment.score} (comparative ${t.sentiment.comparative})${t.sentiment.strongNegative ? ': strong anger or frustration' : ''}`,
      };
    },
    missing_entity: () => {
      const missing = t.entitiesMissing.filter((e) => e.requests >= policy.missingEntity.afterRequests);
      return {
        fired: missing.length > 0,
        queue: topicQueue,
        detail:
          missing.length > 0
            ? `${missing.map((m) => `${m.name} still missing after ${m.requests} request(s)`).join(', ')}`
            : 'no critical entity missing after a request',
      };
    },
    low_confidence: () => {
      const n = policy.lowConfidence.consecutiveTurns;
      const window = history.slice(-n);
      const fired = window.length === n && window.every((w) => isLowConfidence(w, policy.lowConfidence.below));
      return {
        fired,
        queue: topicQueue,
        detail: () => `confidence ${t.confidence === null ? 'n/a' : fmt(t.confidence)}${t.answeredPrompt ? ' (answer to a prompt)' : ''}; last ${n}: ${window
          .map((w) => (w.answeredPrompt ? 'prompt' : w.confidence === null ? 'n/a' : fmt(w.confidence)))
          .join(', ')} vs ${fmt(policy.lowConfidence.below)}`,
      };
    },
    fallback_loop: () => {
      const count = t.fallbacks;
      return {
        fired: t.fallback && count >= policy.fallbackLoop.fallbacks,
        queue: topicQueue,
        detail: () => `${count} fallback(s) in the conversation, threshold ${policy.fallbackLoop.fallbacks}`,
      };
    },
    stalled: () => {
      const fired = !t.progress && t.secondsSinceProgress > policy.stalled.afterSeconds;
      return {
        fired,
        queue: topicQueue,
        detail: () => `${Math.round(t.secondsSinceProgress)} s since the last progress, this turn ${t.progress ? 'made' : 'made no'} progress, limit ${policy.stalled.afterSeconds} s`,
      };
    },
    cost: () => {
      const c = cost;
      return {
        fired: c.expectedBotCostUsd > c.humanCostUsd,
        queue: topicQueue,
        detail: () => `expected bot cost $${fmt(c.expectedBotCostUsd)} = P(fail) ${fmt(c.failureProbability)} × value at risk $${fmt(c.valueAtRiskUsd)} + bot $${fmt(c.botCostUsd)} vs human $${fmt(c.humanCostUsd)}`,
      };
    },
  };

  // The trace is only read on a handoff, by simulate or by a debugger: its text is built on first
  // read, so a calm turn allocates no strings (the middleware runs this on every turn).
  const fired: FiredReason[] = [];
  const lines: TraceLine[] = [];
  const enabled = policy.triggers;
  for (const reason of HANDOFF_REASONS) {
    const r = checks[reason]();
    if (enabled.length !== HANDOFF_REASONS.length && !enabled.includes(reason)) {
      lines.push({ reason, fired: false, detail: () => `off (manifest policy.triggers)${r.fired ? ', would have fired' : ''}` });
      continue;
    }
    lines.push({ reason, fired: r.fired, detail: r.detail });
    if (r.fired) fired.push({ reason, queue: r.queue, detail: typeof r.detail === 'string' ? r.detail : r.detail() });
  }
  const first = fired[0];
  return new LazyTraceDecision(first, first === undefined ? 0 : priorityOf(policy, first.reason), fired, lines, cost);
}

/** One evaluated reason: whether it fired and why (text built only when the trace is read). */
interface TraceLine {
  readonly reason: HandoffReason;
  readonly fired: boolean;
  readonly detail: string | (() => string);
}

/**
 * A decision whose trace text is built on first read. A class, not an object literal with a
 * getter: a literal's getter is a fresh accessor per call, which gives every decision its own
 * hidden class in the old generation, pointing back at the young closure and everything it
 * captured (the turn's signals): those survived every scavenge (~0.6 MB each on the Redis bench).
 * JSON keeps the plain shape, trace included.
 */
class LazyTraceDecision implements Decision {
  readonly handoff: boolean;
  readonly reason: HandoffReason | null;
  readonly queue: string | null;
  #trace: string[] | undefined;
  readonly #lines: readonly TraceLine[];

  constructor(
    first: FiredReason | undefined,
    readonly priority: number,
    readonly fired: readonly FiredReason[],
    lines: readonly TraceLine[],
    readonly cost: CostEstimate,
  ) {
    this.handoff = first !== undefined;
    this.reason = first?.reason ?? null;
    this.queue = first?.queue ?? null;
    this.#lines = lines;
  }

  get trace(): readonly string[] {
    this.#trace ??= this.#lines.map((l) => `${l.reason}: ${l.fired ? 'FIRED' : 'no'} — ${typeof l.detail === 'string' ? l.detail : l.detail()}`);
    return this.#trace;
  }

  toJSON(): Decision {
    return { handoff: this.handoff, reason: this.reason, queue: this.queue, priority: this.priority, fired: this.fired, trace: this.trace, cost: this.cost };
  }
}

/**
 * Default priority per reason (0 lowest … 9 highest) when the manifest's `policy.priorities` does
 * not set one.
 *
 * @example
 * DEFAULT_PRIORITIES['negative_sentiment']; // 2
 */
export const DEFAULT_PRIORITIES: Readonly<Record<string, number>> = {
  customer_request: 2,
  sensitive_topic: 3,
  auth_failed: 2,
  revenue_risk: 3,
  high_value: 3,
  negative_sentiment: 2,
  missing_entity: 2,
  low_confidence: 1,
  fallback_loop: 1,
  stalled: 1,
  cost: 2,
  repeated_transfer: 3,
  agent_takeover: 0,
} satisfies Record<HandoffReason | AgentSideReason, number>;

/** A reason's queue priority from the manifest, else the default. @example priorityOf(policy, 'stalled') // 1 */
export function priorityOf(policy: Policy, reason: string): number {
  return (policy.priorities as Record<string, number | undefined>)[reason] ?? DEFAULT_PRIORITIES[reason] ?? 1;
}
