/**
 * `handover eval sentiment FILE...`: does the anger trigger (`negative_sentiment`) fire on the
 * messages a person grades "strong", and only on those? Formats: ../shared/spec/eval.md.
 *
 * @example
 * evalSentiment([{ text: 'this is ridiculous!!!', locale: 'en', grade: 'strong' }], manifest).summaries[0];
 * // { summary: 'en', messages: 1, strong: 1, precision: 1, recall: 1, … }
 */
import type { Manifest } from '../config/manifest-schema.js';
import { localeProblem, parseEvalArray } from './eval-files.js';
import { SentimentScorer } from '../signals/sentiment.js';

export const GRADES = ['none', 'mild', 'strong'] as const;

/** A graded message of an eval file. */
export interface SentimentCase {
  readonly text: string;
  readonly locale: string;
  readonly grade: (typeof GRADES)[number];
}

/** Precision and recall of `strong` against grade "strong". */
export interface SentimentSummary {
  readonly summary: string;
  readonly messages: number;
  /** Messages graded strong. */
  readonly gradedStrong: number;
  /** Messages the trigger fired on. */
  readonly fired: number;
  readonly precision: number;
  readonly recall: number;
  /** Share of messages graded mild that fired (what a supervisor would not escalate). */
  readonly mildFired: number;
}

/**
 * Read and check a sentiment eval file; every problem at once, naming the file and field.
 *
 * @example
 * parseSentimentFile('s.json', '[{"text":"ugh","locale":"en","grade":"mild"}]', { locales: ['en'] });
 */
export function parseSentimentFile(file: string, text: string, known: { locales: readonly string[] }): SentimentCase[] {
  return parseEvalArray(file, text, '{ text, locale, grade }', (o, at) => [
    ...(typeof o.text === 'string' ? [] : [`${at}.text: expected a string`]),
    ...localeProblem(o, at, known.locales),
    ...(GRADES.includes(o.grade as never) ? [] : [`${at}.grade: expected none, mild or strong, got ${JSON.stringify(o.grade)}`]),
  ]).map((o) => ({ text: o.text as string, locale: o.locale as string, grade: o.grade as SentimentCase['grade'] }));
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

function summarize(name: string, rows: readonly { c: SentimentCase; strong: boolean }[]): SentimentSummary {
  const tp = rows.filter((r) => r.strong && r.c.grade === 'strong').length;
  const fired = rows.filter((r) => r.strong).length;
  const gradedStrong = rows.filter((r) => r.c.grade === 'strong').length;
  const mild = rows.filter((r) => r.c.grade === 'mild');
  return {
    summary: name,
    messages: rows.length,
    gradedStrong,
    fired,
    precision: fired === 0 ? 0 : r3(tp / fired),
    recall: gradedStrong === 0 ? 0 : r3(tp / gradedStrong),
    mildFired: mild.length === 0 ? 0 : r3(mild.filter((r) => r.strong).length / mild.length),
  };
}

/**
 * Score every message with the policy's thresholds.
 *
 * @example
 * const { lines, summaries } = evalSentiment(cases, manifest);
 */
export function evalSentiment(cases: readonly SentimentCase[], manifest: Pick<Manifest, 'policy'>) {
  const scorer = new SentimentScorer();
  const rows = cases.map((c) => {
    const r = scorer.score(c.text, c.locale, manifest.policy.negativeSentiment);
    return { c, strong: r.strongNegative, score: r.score };
  });
  const lines = rows.map((r) => ({ text: r.c.text, locale: r.c.locale, grade: r.c.grade, strong: r.strong, score: r.score }));
  const locales = [...new Set(cases.map((c) => c.locale))];
  const summaries = [...locales.map((l) => summarize(l, rows.filter((r) => r.c.locale === l))), summarize('all', rows)];
  return { lines, summaries };
}
