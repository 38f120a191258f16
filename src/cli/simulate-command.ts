/**
 * `handover simulate FILE... [--check] [--store memory|redis://HOST:PORT]`: scenario files through
 * the real middleware and dialogs on a virtual clock (README "Scenario files"). JSON lines per
 * scenario, or with --check `PASS`/`FAIL` lines and `N passed, N failed`. Exit 0, 1 when a
 * scenario failed, 2 for bad input.
 *
 * @example
 * process.exitCode = await simulateCommand(['test/scenarios/refund.json'], { check: true });
 */
import { resolve } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import { isHandoverError } from '../core/errors.js';
import { loadDialogs } from '../dialogs/load-dialogs.js';
import { checkScenario, openStores, runScenario } from './simulate.js';
import { readScenarios, type Scenario } from './scenario.js';

/** The parsed flags of simulate (commands.ts). */
export interface SimulateFlags {
  readonly check?: boolean;
  /** Default: REDIS_URL, else memory. */
  readonly store?: string;
}

/**
 * Runs the scenario files; resolves with the exit status.
 *
 * @example
 * await simulateCommand(['a.json', 'b.yaml'], { store: 'memory' });
 */
export async function simulateCommand(files: readonly string[], flags: SimulateFlags, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const check = flags.check === true;
  const store = flags.store ?? (process.env.REDIS_URL?.trim() || 'memory');
  const config = loadConfig(resolve('manifest.json'));
  const root = process.cwd();
  const catalog = loadDialogs({ dialogsDir: resolve('dialogs'), localesDir: resolve('locales'), manifest: config.manifest });
  const scenarios: Scenario[] = [];
  const problems: string[] = [];
  for (const f of files) {
    try {
      scenarios.push(...readScenarios(f, { queues: Object.keys(config.manifest.queues), onWarning: (w) => err.write(`handover: warning: ${w}\n`) }));
    } catch (e) {
      if (!isHandoverError(e)) throw e;
      problems.push(e.message);
    }
  }
  if (problems.length > 0) {
    err.write(`handover: ${problems.join('\n')}\n`);
    return 2;
  }
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
          out.write(`PASS ${s.name}\n`);
        } else {
          failed++;
          out.write(`FAIL ${s.name}: ${problem}\n`);
        }
      } else {
        for (const l of lines) out.write(`${JSON.stringify(l)}\n`);
        out.write(`${JSON.stringify(result)}\n`);
      }
    }
  } finally {
    await stores.close();
  }
  if (check) out.write(`${passed} passed, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}
