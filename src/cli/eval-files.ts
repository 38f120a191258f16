/**
 * Reading an eval file (`handover eval nlu|sentiment`): a JSON array of objects, every problem of
 * every item reported at once, each naming the file, the item and the field.
 *
 * @example
 * parseEvalArray('s.json', text, '{ text, locale, grade }', (o, at) => (typeof o.text === 'string' ? [] : [`${at}.text: expected a string`]));
 */
import { HandoverError } from '../core/errors.js';

export function parseEvalArray(file: string, text: string, shape: string, check: (item: Record<string, unknown>, at: string) => string[]): Record<string, unknown>[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new HandoverError('HANDOVER_ERR_EVAL_INVALID', `${file}: not JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(raw)) throw new HandoverError('HANDOVER_ERR_EVAL_INVALID', `${file}: (root): expected an array of ${shape}`);
  const problems: string[] = [];
  const out: Record<string, unknown>[] = [];
  raw.forEach((item: unknown, i) => {
    const at = `${file}: [${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return void problems.push(`${at}: expected an object ${shape}`);
    const bad = check(item as Record<string, unknown>, at);
    problems.push(...bad);
    if (bad.length === 0) out.push(item as Record<string, unknown>);
  });
  if (problems.length > 0) throw new HandoverError('HANDOVER_ERR_EVAL_INVALID', problems.join('\n'), { details: problems });
  return out;
}

/** The problem with an item's `locale`, if any. */
export function localeProblem(o: Record<string, unknown>, at: string, locales: readonly string[]): string[] {
  return typeof o.locale === 'string' && locales.includes(o.locale) ? [] : [`${at}.locale: expected one of ${locales.join(', ')}, got ${JSON.stringify(o.locale)}`];
}
