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
import { DialogSpecSchema, LocaleSchema, OutOfScopeSchema, StepSchema, type DialogSpec, type LocaleTexts, type Step } from './dialog-spec.js';
import { didYouMean, explainIssues, show, unknownValue } from './explain-issues.js';

/** Every dialog by intent, and every locale's texts. */
export interface DialogCatalog {
  readonly dialogs: ReadonlyMap<string, DialogSpec>;
  readonly locales: ReadonlyMap<string, LocaleTexts>;
  /** Per locale, messages the bot must not act on (nlu/out-of-scope.json); empty when there is none. */
  readonly outOfScope?: ReadonlyMap<string, readonly string[]>;
}

/**
 * A warning for a catalog with dialogs but no out-of-scope examples in some locale (no
 * nlu/out-of-scope.json beside dialogs/, or a locale missing from it): the recogniser then has no
 * out-of-scope class there and acts on off-topic messages ("what's the weather", another shop's
 * order) — and guesses worse on in-scope ones. Undefined when every locale has them.
 *
 * @example
 * const w = outOfScopeWarning(catalog, manifest.locales); if (w) log.error(w);
 */
export function outOfScopeWarning(catalog: DialogCatalog, locales: readonly string[]): string | undefined {
  if (catalog.dialogs.size === 0) return undefined;
  const missing = locales.filter((l) => (catalog.outOfScope?.get(l)?.length ?? 0) === 0);
  if (missing.length === 0) return undefined;
  return `warning: no out-of-scope examples for ${missing.join(', ')} (nlu/out-of-scope.json beside dialogs/): the recogniser has no out-of-scope class there and will act on off-topic messages — docs/understanding.md, "How the bot understands customers"`;
}

/** Text keys the middleware and the dialog runtime use; every locale must define them. */
export const SYSTEM_KEYS = [
  'fallback',
  'handoff.notice',
  'handoff.wait_minutes',
  'handoff.wait_soon',
  'handoff.agent_joined',
  'handoff.transferred',
  'handoff.still_waiting',
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

/**
 * Variables the code fills into each text it renders itself (`{name}` placeholders), read from the
 * calls that render them (src/bridge, src/handoff, src/dialogs); a unit test scans the sources and
 * fails when a call passes other names. Dialog texts get slots and customer fields (see below);
 * `queue.*`, `value.*` and quick-reply choices get none.
 */
export const TEXT_VARIABLES: Readonly<Record<string, readonly string[]>> = {
  fallback: [],
  'handoff.notice': ['queue', 'wait'],
  'handoff.wait_minutes': ['minutes'],
  'handoff.wait_soon': [],
  'handoff.agent_joined': ['agent'],
  'handoff.resolved': ['agent'],
  'handoff.returned': [],
  'handoff.store_trouble': [],
  'handoff.transferred': ['queue', 'wait'],
  'handoff.still_waiting': ['queue', 'position', 'wait'],
  'handoff.callback_offer': ['time'],
  'handoff.callback_booked': ['time'],
  'handoff.callback_full': ['time'],
  'handoff.callback_moved': ['time', 'previous'],
  'handoff.callback_cancelled': ['previous'],
  'handoff.callback_missed': ['booked', 'time'],
  'handoff.callback_missed_no_slot': ['booked'],
  'handoff.csat_question': [],
  'handoff.csat_thanks': [],
  'auth.ask_zip': [],
  'auth.retry_zip': [],
  'auth.failed': [],
  'auth.ok': [],
  'nlu.confirm': ['label'],
  'nlu.something_else': [],
  'nlu.rephrase': [],
};

/** Every dialog text gets these (src/dialogs/dialog-bot.ts `vars`). */
export const CUSTOMER_VARIABLES = ['customer.name', 'customer.comma_name'] as const;
/** After a `lookup: order` step, texts of the same dialog also get these. */
export const ORDER_VARIABLES = ['order.status', 'order.total'] as const;

/** A text key used by a dialog, with where and the variables it gets there. */
export interface TextUse {
  readonly key: string;
  /** `dialogs/order_status.json` */
  readonly file: string;
  /** JSON path of the use: `steps.1.notFound`. */
  readonly path: string;
  /** Variables the text receives at this use. */
  readonly variables: readonly string[];
}

/** The manifest's parts the dialogs are checked against (lint passes what it could read of a broken manifest). */
export interface ManifestView {
  readonly queues: readonly string[];
  readonly locales: readonly string[];
  readonly defaultLocale: string;
}

/** Every problem found, and what could be read in spite of them. */
export interface DialogInspection extends DialogCatalog {
  readonly problems: readonly string[];
  /** Every text key every dialog uses (also of dialogs with schema errors, from their valid steps). */
  readonly textUses: readonly TextUse[];
  /** Per locale file read, its texts (those of the right shape when the file has schema errors). */
  readonly texts: ReadonlyMap<string, LocaleTexts>;
}

function usesOfStep(step: Step, at: string, slotsSoFar: readonly string[], allSlots: readonly string[], lookedUp: boolean): Omit<TextUse, 'file'>[] {
  const vars = [...CUSTOMER_VARIABLES, ...new Set([...slotsSoFar, ...allSlots]), ...(lookedUp ? ORDER_VARIABLES : [])];
  if ('slot' in step) return [{ key: step.prompt, path: `${at}.prompt`, variables: vars }, { key: step.retry, path: `${at}.retry`, variables: vars }];
  if ('lookup' in step) return [{ key: step.notFound, path: `${at}.notFound`, variables: vars }];
  if ('say' in step) return [{ key: step.say, path: `${at}.say`, variables: vars }, ...(step.choices ?? []).map((k, i) => ({ key: k, path: `${at}.choices.${i}`, variables: [] }))];
  if ('faq' in step) return [...step.faq.map((f, i) => ({ key: f.answer, path: `${at}.faq.${i}.answer`, variables: vars })), { key: step.otherwise, path: `${at}.otherwise`, variables: vars }];
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

const STEP_FORMS =
  'one of { "slot", "entity", "prompt", "retry" }, { "authenticate": true }, { "lookup": "order", "notFound" }, { "say", "choices"? }, { "faq": […], "otherwise" }';
const NOUNS = { entity: 'entity kind', flags: 'intent flag', suggestedBy: 'entity kind', steps: 'step', locale: 'locale' };

function schemaProblems(file: string, issues: Parameters<typeof explainIssues>[0], raw: unknown): string[] {
  return explainIssues(issues, raw, { nouns: NOUNS, forms: { steps: STEP_FORMS } }).map((i) => `${file}: ${i.path}: ${i.message}`);
}

/**
 * Read and cross-check dialogs and locales, never throwing: every problem of every file is listed,
 * and a file with schema errors is still cross-checked on the parts that could be read.
 */
export function inspectDialogs(opts: { dialogsDir: string; localesDir: string; manifest: ManifestView; outOfScopeFile?: string }): DialogInspection {
  const problems: string[] = [];
  const dialogs = new Map<string, DialogSpec>();
  const locales = new Map<string, LocaleTexts>();
  const texts = new Map<string, LocaleTexts>();
  const list = (dir: string) => {
    try {
      return readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    } catch (e) {
      problems.push(`${dir}: ${(e as Error).message}`);
      return [];
    }
  };
  const queues = [...opts.manifest.queues];
  // what every dialog declares, valid or not, for the cross-checks
  const declared: { file: string; intent?: string; queue?: string; steps: { step: Step; index: number }[]; examples?: unknown }[] = [];
  for (const f of list(opts.dialogsDir)) {
    const file = join(opts.dialogsDir, f);
    const raw = readJson(file, problems);
    if (raw === undefined) continue;
    const parsed = DialogSpecSchema.safeParse(raw);
    if (parsed.success) {
      const d = parsed.data;
      declared.push({ file, intent: d.intent, queue: d.queue, steps: d.steps.map((step, index) => ({ step, index })), examples: d.examples });
      if (!dialogs.has(d.intent)) dialogs.set(d.intent, d);
      continue;
    }
    problems.push(...schemaProblems(file, parsed.error.issues, raw));
    const o = (raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
    const steps: { step: Step; index: number }[] = [];
    if (Array.isArray(o.steps)) {
      o.steps.forEach((s: unknown, index) => {
        const p = StepSchema.safeParse(s);
        if (p.success) steps.push({ step: p.data, index });
      });
    }
    declared.push({
      file,
      ...(typeof o.intent === 'string' ? { intent: o.intent } : {}),
      ...(typeof o.queue === 'string' ? { queue: o.queue } : {}),
      steps,
      examples: o.examples,
    });
  }
  const intents = new Map<string, string>();
  const allSlots = [...new Set(declared.flatMap((d) => d.steps.flatMap(({ step }) => ('slot' in step ? [step.slot] : []))))];
  const textUses: TextUse[] = [];
  for (const d of declared) {
    if (d.intent !== undefined) {
      const first = intents.get(d.intent);
      if (first !== undefined) problems.push(`${d.file}: intent: "${d.intent}" is declared twice (also in ${first})`);
      else intents.set(d.intent, d.file);
    }
    if (d.queue !== undefined && !queues.includes(d.queue)) problems.push(`${d.file}: queue: ${unknownValue('queue', d.queue, queues)} (manifest.json queues)`);
    if (d.examples !== null && typeof d.examples === 'object' && !(opts.manifest.defaultLocale in d.examples)) {
      problems.push(`${d.file}: examples: no examples for the default locale "${opts.manifest.defaultLocale}"`);
    }
    const slots: string[] = [];
    let lookedUp = false;
    for (const { step, index } of d.steps) {
      for (const u of usesOfStep(step, `steps.${index}`, slots, allSlots, lookedUp)) textUses.push({ ...u, file: d.file });
      if ('slot' in step) slots.push(step.slot);
      if ('lookup' in step) lookedUp = true;
    }
  }
  for (const loc of opts.manifest.locales) {
    const file = join(opts.localesDir, `${loc}.json`);
    const raw = readJson(file, problems);
    if (raw === undefined) continue;
    const parsed = LocaleSchema.safeParse(raw);
    if (parsed.success) {
      locales.set(loc, parsed.data);
      texts.set(loc, parsed.data);
      continue;
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      problems.push(`${file}: (root): expected an object of text keys, got ${show(raw)}`);
      continue;
    }
    // the entries of the right shape are still checked
    const ok: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (LocaleSchema.valueSchema.safeParse(v).success) ok[k] = v as string | string[];
      else problems.push(`${file}: ${k}: expected a text or a non-empty list of texts, got ${show(v)}`);
    }
    texts.set(loc, ok);
  }
  // a key no locale has is a typo in the dialog: said once, where it is written
  const anyLocaleHas = (k: string) => [...texts.values()].some((t) => k in t);
  const allKeys = [...new Set([...texts.values()].flatMap((t) => Object.keys(t)))].sort();
  const reportedAtDialog = new Set<string>();
  for (const u of textUses) {
    if (texts.size > 0 && !anyLocaleHas(u.key)) {
      problems.push(`${u.file}: ${u.path}: ${unknownText(u.key, allKeys)}`);
      reportedAtDialog.add(u.key);
    }
  }
  for (const [loc, t] of texts) {
    const file = join(opts.localesDir, `${loc}.json`);
    const keys = Object.keys(t);
    for (const k of SYSTEM_KEYS) if (!(k in t)) problems.push(`${file}: ${k}: missing (used by the handoff middleware)${didYouMean(k, keys)}`);
    const done = new Set<string>();
    for (const u of textUses) {
      if (u.key in t || reportedAtDialog.has(u.key) || done.has(u.key)) continue;
      done.add(u.key);
      problems.push(`${file}: ${u.key}: missing (used by ${u.file} ${u.path})${didYouMean(u.key, keys)}`);
    }
    for (const q of queues) if (!(`queue.${q}` in t)) problems.push(`${file}: queue.${q}: missing (the queue's name for customers)`);
  }
  const outOfScope = new Map<string, readonly string[]>();
  const oosFile = opts.outOfScopeFile ?? join(dirname(opts.dialogsDir), 'nlu', 'out-of-scope.json');
  if (opts.outOfScopeFile !== undefined || existsSync(oosFile)) {
    const raw = readJson(oosFile, problems);
    if (raw !== undefined) {
      const parsed = OutOfScopeSchema.safeParse(raw);
      if (!parsed.success) problems.push(...explainIssues(parsed.error.issues, raw, { nouns: {} }).map((i) => `${oosFile}: ${i.path}: ${i.message}`));
      else for (const loc of opts.manifest.locales) outOfScope.set(loc, (parsed.data as Record<string, readonly string[] | undefined>)[loc] ?? []);
    }
  }
  if (dialogs.size < 2 && problems.length === 0) problems.push(`${opts.dialogsDir}: at least two dialogs are needed to recognise intents`);
  return { dialogs, locales, outOfScope, problems, textUses, texts };
}

function unknownText(key: string, keys: readonly string[]): string {
  return `text key ${JSON.stringify(key)} is in no locale file${didYouMean(key, keys)}`;
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
  const view: ManifestView = { queues: Object.keys(opts.manifest.queues), locales: opts.manifest.locales, defaultLocale: opts.manifest.defaultLocale };
  const { dialogs, locales, outOfScope, problems } = inspectDialogs({ ...opts, manifest: view });
  if (problems.length > 0) {
    throw new HandoverError('HANDOVER_ERR_DIALOGS_INVALID', `dialogs or locales are invalid:\n  ${problems.join('\n  ')}`, { details: [...problems] });
  }
  return { dialogs, locales, outOfScope };
}
