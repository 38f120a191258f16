/**
 * `handover eval nlu|sentiment|scenarios`: measure understanding and decisions on labelled files
 * (formats: ../shared/spec/eval.md). JSON Lines on stdout, progress on stderr, `--report DIR`
 * writes DIR/index.html (no network needed to open it). Exit 0; 2 for bad input.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConversationState, MemoryStorage } from 'botbuilder';
import { loadConfig } from '../config/load-config.js';
import { bandsFor, type Manifest } from '../config/manifest-schema.js';
import { HandoverError } from '../core/errors.js';
import { DialogBot } from '../dialogs/dialog-bot.js';
import { loadDialogs, type DialogCatalog } from '../dialogs/load-dialogs.js';
import { evalNlu, parseNluFile, type NluCase } from './eval-nlu.js';
import { evalSentiment, parseSentimentFile, type SentimentCase } from './eval-sentiment.js';
import { evalScenarios } from './eval-scenarios.js';
import { readScenarios, type Scenario } from './scenario.js';
import { nluReport, scenariosReport } from './eval-report.js';

/** What `handover eval` was asked (parsed by commands.ts). */
export interface EvalArgs {
  /** nlu, sentiment or scenarios. */
  readonly kind: string;
  readonly files: readonly string[];
  /** --report DIR, or null. */
  readonly report: string | null;
}

function readFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new HandoverError('HANDOVER_ERR_EVAL_INVALID', `${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

/** Every file's cases, or every problem of every file at once. */
function readAll<T>(files: readonly string[], parse: (file: string, text: string) => T[]): T[] {
  const out: T[] = [];
  const problems: string[] = [];
  for (const f of files) {
    try {
      out.push(...parse(f, readFile(f)));
    } catch (e) {
      if (!(e instanceof HandoverError)) throw e;
      problems.push(e.message);
    }
  }
  if (problems.length > 0) throw new HandoverError('HANDOVER_ERR_EVAL_INVALID', problems.join('\n'));
  return out;
}

function project(): { manifest: Manifest; catalog: DialogCatalog } {
  const { manifest } = loadConfig(resolve('manifest.json'));
  const catalog = loadDialogs({ dialogsDir: resolve('dialogs'), localesDir: resolve('locales'), manifest });
  return { manifest, catalog };
}

function writeReport(dir: string, html: string, err: NodeJS.WritableStream): void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'index.html');
  writeFileSync(file, html);
  err.write(`eval: report written to ${file}\n`);
}

/**
 * Run `handover eval …`; returns the exit status.
 *
 * @example
 * await runEval({ kind: 'nlu', files: ['test/nlu/en.json'], report: null }, process.stdout, process.stderr); // 0
 */
export async function runEval(args: EvalArgs, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const { kind, files, report } = args;
  if (files.length === 0) throw new HandoverError('HANDOVER_ERR_EVAL_INVALID', 'eval needs at least one file');
  const line = (o: unknown) => out.write(`${JSON.stringify(o)}\n`);
  if (kind === 'nlu') {
    const { manifest, catalog } = project();
    const cases: NluCase[] = readAll(files, (f, t) => parseNluFile(f, t, { locales: manifest.locales, intents: new Set(catalog.dialogs.keys()) }));
    err.write(`eval nlu: training the recogniser (${manifest.locales.join(', ')})…\n`);
    const bot = new DialogBot({ catalog, manifest, conversationState: new ConversationState(new MemoryStorage()) });
    const { lines, summaries } = evalNlu(cases, {
      recognize: (t, l) => bot.recognize(t, l),
      bands: (l) => bandsFor(manifest, l),
      onProgress: (done, total) => err.write(`eval nlu: ${done}/${total} messages\n`),
    });
    for (const l of lines) line(l);
    for (const s of summaries) line(s);
    if (report !== null) writeReport(report, nluReport({ lines, summaries, manifest, files }), err);
    return 0;
  }
  if (kind === 'sentiment') {
    const { manifest } = loadConfig(resolve('manifest.json'));
    const cases: SentimentCase[] = readAll(files, (f, t) => parseSentimentFile(f, t, { locales: manifest.locales }));
    const { lines, summaries } = evalSentiment(cases, manifest);
    for (const l of lines) line(l);
    for (const s of summaries) line(s);
    return 0;
  }
  if (kind === 'scenarios') {
    const { manifest, catalog } = project();
    const scenarios: Scenario[] = readAll(files, (f) => readScenarios(f, { queues: Object.keys(manifest.queues), onWarning: (w) => err.write(`handover: warning: ${w}\n`) }));
    const r = await evalScenarios(scenarios, { manifest, catalog, root: process.cwd(), onProgress: (done, total) => err.write(`eval scenarios: ${done}/${total}\n`) });
    for (const l of r.lines) line(l);
    line(r.summary);
    line(r.baseline);
    if (report !== null) writeReport(report, scenariosReport(r, files), err);
    return 0;
  }
  throw new HandoverError('HANDOVER_ERR_EVAL_INVALID', `eval needs nlu, sentiment or scenarios, got ${kind === undefined ? 'nothing' : JSON.stringify(kind)}`);
}
