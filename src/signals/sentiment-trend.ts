/**
 * A worsening trend: the customer gets angrier turn after turn although no single message is
 * strong enough to escalate ("the parcel is late" → "still nothing?" → "this is getting really
 * annoying"). The policy's `negative_sentiment` reads it from the conversation's signal history,
 * beside the message's own `strongNegative`.
 *
 * It fires when, over the last `turns` customer turns, each score is lower than the one before
 * (the first at most 0: calm, then annoyed, then angrier), the last is at or below
 * `lastAtOrBelow` and together they reach `sumAtOrBelow`. Mild complaints mostly score between 0
 * and -2 (see docs/understanding.md, "Anger"), so level or improving complaints never make a trend.
 *
 * @example
 * worseningTrend([{ turn: 1, score: 0 }, { turn: 2, score: -1.5 }, { turn: 3, score: -3 }]); // [0, -1.5, -3]
 * worseningTrend([{ turn: 1, score: -3 }, { turn: 2, score: -1 }, { turn: 3, score: -3 }]); // null
 */

/** One customer turn's sentiment score. */
export interface SentimentPoint {
  readonly turn: number;
  readonly score: number;
}

export interface TrendOptions {
  /** How many of the last turns make a trend. */
  readonly turns: number;
  /** The last turn's score must be at or below this… */
  readonly lastAtOrBelow: number;
  /** …and the turns' scores must add up to this or less. */
  readonly sumAtOrBelow: number;
}

export const DEFAULT_TREND: TrendOptions = { turns: 3, lastAtOrBelow: -3, sumAtOrBelow: -4.5 };

/**
 * The scores of the last turns when they worsen steadily, else null. `points` are in
 * conversation order; only the last `turns` are read.
 */
export function worseningTrend(points: readonly SentimentPoint[], opts: TrendOptions = DEFAULT_TREND): number[] | null {
  if (opts.turns < 2 || points.length < opts.turns) return null;
  const scores = points.slice(-opts.turns).map((p) => p.score);
  if (!(scores[0]! <= 0)) return null;
  for (let i = 1; i < scores.length; i++) if (!(scores[i]! < scores[i - 1]!)) return null;
  const last = scores[scores.length - 1]!;
  const sum = scores.reduce((a, b) => a + b, 0);
  return last <= opts.lastAtOrBelow && sum <= opts.sumAtOrBelow ? scores : null;
}
