/**
 * `handover lint`: checks manifest.json, dialogs/ and locales/ and lists every problem of every file
 * in one run — a file with schema errors is still cross-checked on what could be read — each with
 * the file, the JSON path, the bad value and the valid ones. Besides the schemas and the
 * cross-references (queues, text keys, locales) it checks every `{placeholder}` of every text
 * against the variables that text receives where the code or a dialog renders it.
 *
 * @example
 * lintProject('.').problems;
 * // ['locales/es.json: handoff.notice: unknown placeholder {queu} — did you mean {queue}? valid: {queue}, {wait}']
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ManifestSchema } from '../config/manifest-schema.js';
import { withOwnQueues } from '../config/load-config.js';
import { NEUTRAL_TEXTS } from '../dialogs/neutral-texts.js';
import { LocaleSchema, type LocaleTexts } from '../dialogs/dialog-spec.js';
import { TEXT_VARIABLES, inspectDialogs, type DialogInspection, type ManifestView } from '../dialogs/load-dialogs.js';
import { alternatives, didYouMean, explainIssues } from '../dialogs/explain-issues.js';

const KNOWN_LOCALES = ['en', 'pt-BR', 'es'];
/** The placeholders `Texts.render` fills (src/core/texts.ts). */
const PLACEHOLDER = /\{([a-z0-9_.]+)\}/gi;

export interface LintResult {
  readonly problems: readonly string[];
  /** `manifest.json, 15 dialogs, locales en, pt-BR, es` */
  readonly summary: string;
}

/** Lint the bot in `root` (manifest.json, dialogs/, locales/, nlu/out-of-scope.json). */
export function lintProject(root: string): LintResult {
  const rel = (p: string) => relative(process.cwd(), join(root, p)) || '.';
  const problems: string[] = [];
  const manifestFile = rel('manifest.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
  } catch (e) {
    problems.push(`${manifestFile}: ${(e as Error).message}`);
  }
  if (raw !== undefined) {
    // the queues a manifest of its own need not name go where `loadConfig` sends them
    const parsed = ManifestSchema.safeParse(withOwnQueues(raw));
    if (!parsed.success) {
      for (const i of explainIssues(parsed.error.issues, raw, { nouns: { locales: 'locale', defaultLocale: 'locale' } })) problems.push(`${manifestFile}: ${i.path}: ${i.message}`);
    }
  }
  const view = manifestView(raw, join(root, 'locales'));
  if (!existsSync(join(root, 'dialogs'))) {
    // your own bot: createHandover gives the handoff neutral texts under your locales/ (see engineCatalog)
    const inspection = ownBotTexts(view, rel('locales'));
    problems.push(...inspection.problems, ...placeholderProblems(inspection, view, rel('locales')));
    return { problems, summary: `${manifestFile}, no dialogs/ (your own bot: handoff texts are the neutral defaults under ${rel('locales')}/), locales ${view.locales.join(', ')}` };
  }
  const inspection = inspectDialogs({ dialogsDir: rel('dialogs'), localesDir: rel('locales'), manifest: view });
  problems.push(...inspection.problems, ...placeholderProblems(inspection, view, rel('locales')));
  return { problems, summary: `${manifestFile}, ${inspection.dialogs.size} dialogs, locales ${[...inspection.texts.keys()].join(', ')}` };
}

/**
 * The locale files of a bot without dialogs/: each is optional (the handoff's neutral texts stand
 * in for what it lacks); what it does hold must be texts, and its placeholders are checked.
 */
function ownBotTexts(view: ManifestView, localesDir: string): DialogInspection {
  const problems: string[] = [];
  const texts = new Map<string, LocaleTexts>();
  for (const locale of view.locales) {
    const file = join(localesDir, `${locale}.json`);
    if (!existsSync(file)) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      problems.push(`${file}: ${(e as Error).message}`);
      continue;
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      problems.push(`${file}: expected an object of texts`);
      continue;
    }
    const own: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      if (LocaleSchema.valueSchema.safeParse(v).success) own[k] = v as string | string[];
      else problems.push(`${file}: ${k}: expected a text or a non-empty list of texts, got ${JSON.stringify(v)}`);
      // a typo in the handoff's own namespaces would silently not apply; other keys are your bot's
      if (/^(handoff|auth|nlu)\./.test(k) && !(k in (NEUTRAL_TEXTS['en'] ?? {}))) problems.push(`${file}: ${k}: not a text of the handoff${didYouMean(k, Object.keys(NEUTRAL_TEXTS['en'] ?? {}))}`);
    }
    texts.set(locale, own);
  }
  return { dialogs: new Map(), locales: texts, outOfScope: new Map(), problems, textUses: [], texts };
}

/** What the checks need of the manifest, read from it even when it is invalid. */
function manifestView(raw: unknown, localesDir: string): ManifestView {
  const m = (raw !== null && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const queues = m.queues !== null && typeof m.queues === 'object' && !Array.isArray(m.queues) ? Object.keys(m.queues) : [];
  let locales = Array.isArray(m.locales) ? m.locales.filter((l): l is string => typeof l === 'string' && KNOWN_LOCALES.includes(l)) : [];
  if (locales.length === 0) {
    try {
      locales = readdirSync(localesDir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).filter((l) => KNOWN_LOCALES.includes(l));
    } catch {
      locales = [];
    }
  }
  const defaultLocale = typeof m.defaultLocale === 'string' && locales.includes(m.defaultLocale) ? m.defaultLocale : (locales[0] ?? 'en');
  return { queues, locales, defaultLocale };
}

function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/**
 * Every `{name}` of every text checked against what the text receives: the code's variables
 * (TEXT_VARIABLES), a dialog's (slots, customer fields, the looked-up order), none for queue
 * names, data values and quick replies; a text no one renders is held to the default locale's.
 */
export function placeholderProblems(inspection: DialogInspection, view: ManifestView, localesDir: string): string[] {
  const problems: string[] = [];
  const reference = inspection.texts.get(view.defaultLocale);
  const known = (key: string, locale: string): { vars: readonly string[]; from: string } | undefined => {
    const code = TEXT_VARIABLES[key];
    if (code !== undefined) return { vars: code, from: 'the code' };
    const uses = inspection.textUses.filter((u) => u.key === key);
    if (uses.length > 0) {
      // a name must be filled at every use, else one of them shows it empty
      const vars = uses.slice(1).reduce<readonly string[]>((acc, u) => acc.filter((v) => u.variables.includes(v)), uses[0]!.variables);
      return { vars, from: uses.map((u) => `${u.file} ${u.path}`).join(', ') };
    }
    if (key.startsWith('queue.') || key.startsWith('value.')) return { vars: [], from: 'the code' };
    const ref = reference?.[key];
    if (locale !== view.defaultLocale && ref !== undefined) {
      return { vars: [...new Set((typeof ref === 'string' ? [ref] : ref).flatMap(placeholdersOf))], from: `${view.defaultLocale}.json` };
    }
    return undefined;
  };
  for (const [locale, texts] of inspection.texts) {
    const file = join(localesDir, `${locale}.json`);
    for (const [key, value] of Object.entries(texts)) {
      const variants: [string, string][] = typeof value === 'string' ? [[key, value]] : value.map((v, i) => [`${key}[${i}]`, v]);
      const k = known(key, locale);
      for (const [path, text] of variants) {
        for (const name of placeholdersOf(text)) {
          if (k === undefined || k.vars.includes(name)) continue;
          const valid = k.vars.length === 0 ? `; this text gets no values (${k.from})` : alternatives('valid', name, k.vars, (c) => `{${c}}`);
          problems.push(`${file}: ${path}: unknown placeholder {${name}}${valid} — the customer would see "${text.replace(PLACEHOLDER, (m, n: string) => (k.vars.includes(n) ? m : ''))}"`);
        }
        const stray = text.replace(PLACEHOLDER, '');
        if (/[{}]/.test(stray)) problems.push(`${file}: ${path}: a "{" or "}" that is not a placeholder (write {name}, no spaces): ${JSON.stringify(text)}`);
      }
    }
  }
  return problems;
}

/**
 * The command (flags parsed by commands.ts): prints every problem (stderr) or `ok: …` (stdout);
 * exit 0 ok, 2 problems.
 *
 * @example
 * process.exitCode = lint({ dir: '.' });
 */
export function lint(flags: { readonly dir?: string }, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): number {
  const dir = flags.dir ?? '.';
  const { problems, summary } = lintProject(dir);
  if (problems.length === 0) {
    out.write(`ok: ${summary}\n`);
    return 0;
  }
  for (const p of problems) err.write(`${p}\n`);
  err.write(`${problems.length} problem${problems.length === 1 ? '' : 's'} (${summary})\n`);
  return 2;
}
