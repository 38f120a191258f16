/**
 * The `handover` command: `simulate`, `eval`, `lint`, `chat` (the terminal demo) and `start`.
 * Run `handover help` for usage.
 */
import { resolve } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import { isHandoverError } from '../core/errors.js';
import { loadDialogs } from '../dialogs/load-dialogs.js';
import { checkScenario, openStores, runScenario } from './simulate.js';
import { readScenarios, type Scenario } from './scenario.js';
import { chat, CHAT_USAGE } from './chat.js';
import { lint, LINT_USAGE } from './lint.js';
import { EVAL_USAGE } from './eval-usage.js';
import { ERASE_USAGE } from './erase.js';

const USAGE = `Usage: handover <command> [options]

Commands:
  simulate FILE... [--check] [--store memory|redis://HOST:PORT]
                     Run scenario files through the real middleware and dialogs (virtual clock).
                     Prints JSON lines; with --check, PASS/FAIL per scenario and "N passed, N failed".
                     Format: README "Scenario files"; JSON Schema: schemas/scenario.schema.json.
${CHAT_USAGE}
${EVAL_USAGE}
${ERASE_USAGE}
${LINT_USAGE}
  start [--port N] [--host H] [--whatsapp-web] [--whatsapp-cloud] [--allow-volatile-redis]
        [--demo-customer ID]
                     Run the service: web chat (demo page, widget, Direct Line), the agent console
                     (/agent), its HTTP API (/api, OpenAPI at /api/openapi.json) and webhooks.
                     Stops cleanly on Ctrl+C / SIGTERM. With REDIS_URL it refuses a Redis without
                     persistence or with an evicting maxmemory-policy, unless --allow-volatile-redis.
                     --demo-customer c-1001: the demo page signs in as that customer (demo only).
  hash-password      Read a password from stdin, print its scrypt hash for manifest.json
                     (console.agents[].passwordHash).
  help               This text.

Environment: REDIS_URL (switches the store to Redis), PORT (default 3978),
  HANDOVER_API_TOKENS="name:token,…" (bearer tokens for the HTTP API), WEBCHAT_SECRET (token
  secret shared by every process), PUBLIC_BASE_URL (https://… behind a proxy: secure cookies),
  HANDOVER_ALLOW_VOLATILE_REDIS=1 (same as --allow-volatile-redis), WEBCHAT_CUSTOMER_SECRET
  (verifies the site's signed customer tokens, docs/webchat.md), WEBCHAT_ANONYMOUS=off (signed-in
  customers only), WEBCHAT_DEMO_CUSTOMER (same as --demo-customer).
Exit status: 0 ok, 1 a scenario failed, 2 bad input.`;

async function simulate(args: string[]): Promise<number> {
  const files: string[] = [];
  let check = false;
  let store = process.env.REDIS_URL?.trim() || 'memory';
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--check') check = true;
    else if (a === '--store') {
      const v = args[++i];
      if (v === undefined) return fail('--store needs a value: memory or redis://HOST:PORT');
      store = v;
    } else if (a.startsWith('--store=')) store = a.slice('--store='.length);
    else if (a.startsWith('-')) return fail(`unknown option ${a}\n\n${USAGE}`);
    else files.push(a);
  }
  if (files.length === 0) return fail(`simulate needs at least one scenario file\n\n${USAGE}`);
  const config = loadConfig(resolve('manifest.json'));
  const root = process.cwd();
  const catalog = loadDialogs({ dialogsDir: resolve('dialogs'), localesDir: resolve('locales'), manifest: config.manifest });
  const scenarios: Scenario[] = [];
  const problems: string[] = [];
  for (const f of files) {
    try {
      scenarios.push(...readScenarios(f, { queues: Object.keys(config.manifest.queues), onWarning: (w) => process.stderr.write(`handover: warning: ${w}\n`) }));
    } catch (e) {
      if (!isHandoverError(e)) throw e;
      problems.push(e.message);
    }
  }
  if (problems.length > 0) return fail(problems.join('\n'));
  const stores = await openStores(store);
  let passed = 0;
  let failed = 0;
  const runId = `sim-${process.pid}-${Date.now()}`;
  try {
    for (const s of scenarios) {
      const { lines, result } = await runScenario(s, { manifest: config.manifest, catalog, stores, root, runId });
      if (check) {
        const problem = checkScenario(s, result);
        if (problem === null) {
          passed++;
          process.stdout.write(`PASS ${s.name}\n`);
        } else {
          failed++;
          process.stdout.write(`FAIL ${s.name}: ${problem}\n`);
        }
      } else {
        for (const l of lines) process.stdout.write(`${JSON.stringify(l)}\n`);
        process.stdout.write(`${JSON.stringify(result)}\n`);
      }
    }
  } finally {
    await stores.close();
  }
  if (check) process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}

/** Loaded on demand (require: bin/handover.cjs runs through tsx's CommonJS hook), so the other commands never load the server. */
function loadStart(): typeof import('./start.js') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose
  return require('./start.js') as typeof import('./start.js');
}

/** Loaded on demand, like start. */
function loadErase(): typeof import('./erase.js') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose
  return require('./erase.js') as typeof import('./erase.js');
}

/** Loaded on demand, like start. */
function loadEval(): typeof import('./eval.js') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose
  return require('./eval.js') as typeof import('./eval.js');
}

function fail(message: string): number {
  process.stderr.write(`handover: ${message}\n`);
  return 2;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'simulate':
        return await simulate(rest);
      case 'lint':
        return lint(rest);
      case 'eval':
        return await loadEval().runEval(rest, process.stdout, process.stderr);
      case 'chat':
        return await chat(rest);
      case 'start':
        return await loadStart().start(rest);
      case 'erase':
        return await loadErase().eraseCommand(rest, process.stdout, process.stderr);
      case 'hash-password':
        return await loadStart().hashPasswordCommand(process.stdin, process.stdout);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return cmd === undefined ? 2 : 0;
      default:
        return fail(`unknown command "${cmd}"\n\n${USAGE}`);
    }
  } catch (e) {
    if (isHandoverError(e)) return fail(`${e.code}: ${e.message}`);
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`handover: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
