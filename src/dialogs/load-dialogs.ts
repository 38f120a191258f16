/**
 * Loads `dialogs/*.json` and `locales/*.json`, validates them against the schemas and against
 * each other (every text key a dialog uses exists in every locale; every queue exists in the
 * manifest), and reports every problem at once, naming the file and the field.
 *
 * @example
 * const catalog = loadDialogs({ dialogsDir: 'dialogs', localesDir: 'locales', manifest });
 * catalog.dialogs.get('order_status')?.queue; // 'support'
 */
import { readdirSync, readFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HandoverError } from '../core/errors.js';
import type { Manifest } from '../config/manifest-schema.js';
import { DialogSpecSchema, LocaleSchema, OutOfScopeSchema, type DialogSpec, type LocaleTexts, type Step } from './dialog-spec.js';

/** Every dialog by intent, and every locale's texts. */
export interface DialogCatalog {
  readonly dialogs: ReadonlyMap<string, DialogSpec>;
  readonly locales: ReadonlyMap<string, LocaleTexts>;
  /** Per locale, messages the bot must not act on (nlu/out-of-scope.json); empty when there is none. */
  readonly outOfScope?: ReadonlyMap<string, readonly string[]>;
}

/** Text keys the middleware and the dialog runtime use; every locale must define them. */
export const SYSTEM_KEYS = [
  'fallback',
  'handoff.notice',
  'handoff.wait_minutes',
  'handoff.wait_soon',
  'handoff.agent_joined',
  'handoff.resolved',
  'handoff.returned',
  'handoff.store_trouble',
  'handoff.callback_offer',
  'handoff.callback_booked',
  'handoff.callback_full',
  'handoff.csat_question',
  'handoff.csat_thanks',
  'auth.ask_zip',
  'auth.retry_zip',
  'auth.failed',
  'auth.ok',
  'nlu.confirm',
  'nlu.something_else',
  'nlu.rephrase',
] as const;

function keysOfStep(step: Step): string[] {
  if ('slot' in step) return [step.prompt, step.retry];
  if ('lookup' in step) return [step.notFound];
  if ('say' in step) return [step.say, ...(step.choices ?? [])];
  if ('faq' in step) return [...step.faq.map((f) => f.answer), step.otherwise];
  return [];
}

function readJson(file: string, problems: string[]): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    problems.push(`${file}: ${(e as Error).message}`);
    return undefined;
  }
}

/**
 * Read and cross-check dialogs and locales; throws HANDOVER_ERR_DIALOGS_INVALID listing every problem.
 *
 * @example
 * loadDialogs({ dialogsDir: 'dialogs', localesDir: 'locales', manifest }).dialogs.size; // 15
 */
export function loadDialogs(opts: {
  dialogsDir: string;
  localesDir: string;
  manifest: Manifest;
  /** The out-of-scope corpus; default `nlu/out-of-scope.json` beside the dialogs folder, used when it exists. */
  outOfScopeFile?: string;
}): DialogCatalog {
  const problems: string[] = [];
  const dialogs = new Map<string, DialogSpec>();
  const locales = new Map<string, LocaleTexts>();
  const list = (dir: string) => {
    try {
      return readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    } catch (e) {
      problems.push(`${dir}: ${(e as Error).message}`);
      return [];
    }
  };
  for (const f of list(opts.dialogsDir)) {
    const file = join(opts.dialogsDir, f);
    const raw = readJson(file, problems);
    if (raw === undefined) continue;
    const parsed = DialogSpecSchema.safeParse(raw);
    if (!parsed.success) {
      for (const i of parsed.error.issues) problems.push(`${file}: ${i.path.join('.') || '(root)'}: ${i.message}`);
      continue;
    }
    const d = parsed.data;
    if (dialogs.has(d.intent)) problems.push(`${file}: intent: "${d.intent}" is declared twice`);
    if (!(d.queue in opts.manifest.queues)) problems.push(`${file}: queue: unknown queue "${d.queue}" (manifest.json queues)`);
    if (!(opts.manifest.defaultLocale in d.examples)) problems.push(`${file}: examples: no examples for the default locale "${opts.manifest.defaultLocale}"`);
    dialogs.set(d.intent, d);
  }
  for (const loc of opts.manifest.locales) {
    const file = join(opts.localesDir, `${loc}.json`);
    const raw = readJson(file, problems);
    if (raw === undefined) continue;
    const parsed = LocaleSchema.safeParse(raw);
    if (!parsed.success) {
      for (const i of parsed.error.issues) problems.push(`${file}: ${i.path.join('.') || '(root)'}: ${i.message}`);
      continue;
    }
    locales.set(loc, parsed.data);
  }
  for (const [loc, texts] of locales) {
    const file = join(opts.localesDir, `${loc}.json`);
    for (const k of SYSTEM_KEYS) if (!(k in texts)) problems.push(`${file}: ${k}: missing (used by the handoff middleware)`);
    for (const d of dialogs.values()) {
      for (const step of d.steps) for (const k of keysOfStep(step)) if (!(k in texts)) problems.push(`${file}: ${k}: missing (used by dialogs/${d.intent}.json)`);
    }
    for (const q of Object.keys(opts.manifest.queues)) if (!(`queue.${q}` in texts)) problems.push(`${file}: queue.${q}: missing (the queue's name for customers)`);
  }
  const outOfScope = new Map<string, readonly string[]>();
  const oosFile = opts.outOfScopeFile ?? join(dirname(opts.dialogsDir), 'nlu', 'out-of-scope.json');
  if (opts.outOfScopeFile !== undefined || existsSync(oosFile)) {
    const raw = readJson(oosFile, problems);
    if (raw !== undefined) {
      const parsed = OutOfScopeSchema.safeParse(raw);
      if (!parsed.success) for (const i of parsed.error.issues) problems.push(`${oosFile}: ${i.path.join('.') || '(root)'}: ${i.message}`);
      else for (const loc of opts.manifest.locales) outOfScope.set(loc, parsed.data[loc] ?? []);
    }
  }
  if (dialogs.size < 2 && problems.length === 0) problems.push(`${opts.dialogsDir}: at least two dialogs are needed to recognise intents`);
  if (problems.length > 0) {
    throw new HandoverError('HANDOVER_ERR_DIALOGS_INVALID', `dialogs or locales are invalid:\n  ${problems.join('\n  ')}`, { details: problems });
  }
  return { dialogs, locales, outOfScope };
}
