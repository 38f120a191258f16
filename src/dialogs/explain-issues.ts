/**
 * zod issues as a designer reads them: every problem names the field, the value found and the
 * values that would be valid, with a "did you mean" when one is close (edit distance).
 *
 * @example
 * explainIssues(ScenarioSchema.safeParse(raw).error!.issues, raw, { nouns: { reason: 'handoff reason' } });
 * // [{ path: 'expect.handoff.reason', message: '"custmer_request" is not a handoff reason — did you mean "customer_request"? valid: customer_request, …' }]
 */
import type { ZodIssue } from 'zod';

/** Levenshtein distance (insert, delete, substitute; a swap of two neighbours counts 1). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The candidate closest to `value` when it is close enough to be a typo (case ignored), else undefined. */
export function closest(value: string, candidates: readonly string[]): string | undefined {
  const v = value.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(v, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  return bestD <= Math.max(1, Math.min(3, Math.floor(Math.max(v.length, best.length) / 3))) ? best : undefined;
}

/** ` — did you mean "x"?` or '' (format: how a candidate is written, e.g. as a `{placeholder}`). */
export function didYouMean(value: string, candidates: readonly string[], format: (c: string) => string = (c) => JSON.stringify(c)): string {
  const c = closest(value, candidates);
  return c === undefined || c === value ? '' : ` — did you mean ${format(c)}?`;
}

/** `unknown queue "suport" — did you mean "support"? known: support, sales`. */
export function unknownValue(noun: string, value: string, known: readonly string[]): string {
  return `unknown ${noun} ${JSON.stringify(value)}${alternatives('known', value, known)}`;
}

/** `— did you mean "x"? valid: a, b` or `; valid: a, b`. */
export function alternatives(word: string, value: string, valid: readonly string[], format?: (c: string) => string): string {
  const dym = didYouMean(value, valid, format);
  const list = valid.length === 0 ? '(none)' : (format === undefined ? valid : valid.map(format)).join(', ');
  return dym === '' ? `; ${word}: ${list}` : `${dym} ${word}: ${list}`;
}

/** `a queue`, `an entity kind`. */
function an(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

/** A value shown in a message: JSON, cut to 60 characters. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** The value at `path` inside `root`, or undefined. */
export function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

export interface ExplainOptions {
  /** By field name (the last path element), what its values are called: `{ reason: 'handoff reason' }`. */
  readonly nouns?: Readonly<Record<string, string>>;
  /** By field name, what a valid value looks like when no alternative matched (unions). */
  readonly forms?: Readonly<Record<string, string>>;
}

export interface ExplainedIssue {
  /** `turns.1.at`, or `(root)`. */
  readonly path: string;
  readonly message: string;
}

/** Every issue, each naming the bad value and what would be valid. */
export function explainIssues(issues: readonly ZodIssue[], root: unknown, opts: ExplainOptions = {}): ExplainedIssue[] {
  const out: ExplainedIssue[] = [];
  for (const issue of issues) explainOne(issue, root, opts, out);
  // one message per path and text (a union can repeat one)
  const seen = new Set<string>();
  return out.filter((i) => {
    const k = `${i.path}\n${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function fieldName(path: readonly (string | number)[]): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return undefined;
}

function explainOne(issue: ZodIssue, root: unknown, opts: ExplainOptions, out: ExplainedIssue[]): void {
  const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  const value = valueAt(root, issue.path);
  const name = fieldName(issue.path);
  const noun = name === undefined ? undefined : opts.nouns?.[name];
  const push = (message: string): void => void out.push({ path, message });
  switch (issue.code) {
    case 'invalid_enum_value': {
      const valid = issue.options.map(String);
      const got = String(issue.received);
      return push(`${show(issue.received)} is not ${noun === undefined ? 'valid' : an(noun)}${alternatives('valid', got, valid)}`);
    }
    case 'invalid_literal':
      return push(`expected ${show(issue.expected)}, got ${show(value)}`);
    case 'invalid_type':
      if (issue.received === 'undefined') return push(`missing (expected ${noun === undefined ? issue.expected : an(noun)})`);
      return push(`expected ${issue.expected}, got ${show(value)}`);
    case 'unrecognized_keys':
      return push(`unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`);
    case 'invalid_union': {
      const best = bestBranch(issue.unionErrors.map((e) => e.issues), value, issue.path.length);
      if (best === undefined) {
        const form = name === undefined ? undefined : opts.forms?.[name];
        const keys = value !== null && typeof value === 'object' && !Array.isArray(value) ? ` (fields ${Object.keys(value).map((k) => JSON.stringify(k)).join(', ') || 'none'})` : '';
        return push(`${show(value)}${keys} is not ${noun === undefined ? 'valid' : an(noun)}${form === undefined ? '' : `; expected ${form}`}`);
      }
      for (const i of best) explainOne(i, root, opts, out);
      return;
    }
    default: {
      const shown = show(value);
      return push(/\bgot\b/.test(issue.message) || value === undefined ? issue.message : `${issue.message} (got ${shown})`);
    }
  }
}

/**
 * The alternative of a union the value was meant as: the one that knows most of its fields, then
 * the one missing fewest, then the one with fewest problems; undefined when none fits at all.
 */
function bestBranch(branches: readonly (readonly ZodIssue[])[], value: unknown, depth: number): readonly ZodIssue[] | undefined {
  const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
  const fields = isObject ? Object.keys(value as object).length : 0;
  let best: readonly ZodIssue[] | undefined;
  let bestScore = -Infinity;
  for (const issues of branches) {
    // the value is not even of this alternative's type (a string where an object goes)
    if (issues.some((i) => i.path.length === depth && (i.code === 'invalid_type' || i.code === 'invalid_literal'))) continue;
    const unknown = issues.reduce((n, i) => n + (i.code === 'unrecognized_keys' && i.path.length === depth ? i.keys.length : 0), 0);
    if (isObject && unknown >= fields) continue; // knows none of the value's fields
    const missing = issues.filter((i) => i.code === 'invalid_type' && i.received === 'undefined' && i.path.length === depth + 1).length;
    const score = -unknown * 1000 - missing * 10 - issues.length;
    if (score > bestScore) {
      bestScore = score;
      best = issues;
    }
  }
  return best;
}
