/**
 * `handover eval nlu FILE... [--report DIR]`: what the recogniser and the bands do with labelled
 * messages, as the bot would on a conversation's first turn. Formats: ../shared/spec/eval.md.
 *
 * @example
 * const r = evalNlu(messages, { recognize: (t, l) => bot.recognize(t, l), bands: (l) => bandsFor(manifest, l) });
 * r.summaries.find((s) => s.summary === 'all')?.acceptedRight; // 0.81
 */
import { localeProblem, parseEvalArray } from './eval-files.js';
import type { Recognition } from '../dialogs/intent-recognizer.js';
import { decide, type NluDecision } from '../dialogs/dialog-bot.js';

/** One labelled message of an eval file (`intent: null` = out of scope). */
export interface NluCase {
  readonly text: string;
  readonly locale: string;
  readonly intent: string | null;
}

/** One output line per message. */
export interface NluLine {
  readonly text: string;
  readonly locale: string;
  readonly gold: string | null;
  readonly intent: string | null;
  readonly confidence: number;
  readonly decision: NluDecision;
}

/** One summary line per locale and one for all (`summary: "all"`). Rates are shares in [0, 1]. */
export interface NluSummary {
  readonly summary: string;
  readonly messages: number;
  readonly acceptedRight: number;
  readonly confirmedRight: number;
  readonly falseFallback: number;
  readonly wrongAccepted: number;
  readonly outOfScopeFallback: number;
  readonly outOfScopeAccepted: number;
  readonly p99Ms: number;
}

/**
 * Read and check eval files: every problem at once, each naming the file and the field.
 *
 * @example
 * parseNluFile('test/nlu/en.json', text, { locales: ['en'], intents: new Set(['greeting']) });
 */
export function parseNluFile(file: string, text: string, known: { locales: readonly string[]; intents: ReadonlySet<string> }): NluCase[] {
  return parseEvalArray(file, text, '{ text, locale, intent }', (o, at) => {
    const bad = [...(typeof o.text === 'string' ? [] : [`${at}.text: expected a string`]), ...localeProblem(o, at, known.locales)];
    if (!('intent' in o)) bad.push(`${at}.intent: missing (an intent id, or null for out of scope)`);
    else if (o.intent !== null && (typeof o.intent !== 'string' || !known.intents.has(o.intent))) bad.push(`${at}.intent: unknown intent ${JSON.stringify(o.intent)}`);
    return bad;
  }).map((o) => ({ text: o.text as string, locale: o.locale as string, intent: o.intent as string | null }));
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** p-quantile of sorted numbers (nearest rank). */
export function quantileOf(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function summarize(name: string, lines: readonly NluLine[], ms: readonly number[]): NluSummary {
  const ins = lines.filter((l) => l.gold !== null);
  const oos = lines.filter((l) => l.gold === null);
  const share = (xs: readonly NluLine[], f: (l: NluLine) => boolean) => (xs.length === 0 ? 0 : r3(xs.filter(f).length / xs.length));
  return {
    summary: name,
    messages: lines.length,
    acceptedRight: share(ins, (l) => l.decision === 'accept' && l.intent === l.gold),
    confirmedRight: share(ins, (l) => l.decision === 'confirm' && l.intent === l.gold),
    falseFallback: share(ins, (l) => l.decision === 'fallback'),
    wrongAccepted: share(ins, (l) => l.decision === 'accept' && l.intent !== l.gold),
    outOfScopeFallback: share(oos, (l) => l.decision === 'fallback'),
    outOfScopeAccepted: share(oos, (l) => l.decision === 'accept'),
    p99Ms: r3(quantileOf([...ms].sort((a, b) => a - b), 0.99)),
  };
}

/**
 * Score every case; `onProgress` is called every 250 messages.
 *
 * @example
 * const { lines, summaries } = evalNlu(cases, { recognize, bands });
 */
export function evalNlu(
  cases: readonly NluCase[],
  opts: {
    recognize: (text: string, locale: string) => Recognition;
    bands: (locale: string) => { accept: number; confirm: number };
    onProgress?: (done: number, total: number) => void;
  },
): { lines: NluLine[]; summaries: NluSummary[] } {
  const lines: NluLine[] = [];
  const ms: number[] = [];
  cases.forEach((c, i) => {
    const t0 = performance.now();
    const r = opts.recognize(c.text, c.locale);
    const decision = decide(r, opts.bands(c.locale));
    ms.push(performance.now() - t0);
    lines.push({ text: c.text, locale: c.locale, gold: c.intent, intent: decision === 'fallback' && r.intent === null ? null : r.intent, confidence: r.confidence, decision });
    if ((i + 1) % 250 === 0) opts.onProgress?.(i + 1, cases.length);
  });
  const locales = [...new Set(cases.map((c) => c.locale))];
  const summaries = locales.map((l) => {
    const idx = lines.map((x, i) => (x.locale === l ? i : -1)).filter((i) => i >= 0);
    return summarize(l, idx.map((i) => lines[i]!), idx.map((i) => ms[i]!));
  });
  summaries.push(summarize('all', lines, ms));
  return { lines, summaries };
}
