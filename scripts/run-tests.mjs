// Runs every test suite with mocha (TypeScript through tsx) and ends with the line CI reads:
// "N passed, N failed". Exit status is mocha's. Extra arguments are passed to mocha
// (e.g. `npm test -- --grep memory`).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const out = join('test-output', 'mocha-results.json');
mkdirSync('test-output', { recursive: true });
rmSync(out, { force: true });
// every folder of test/ that holds specs; a test under a folder missing here would never run
const folders = ['unit', 'contract', 'integration', 'channels', 'agent', 'server', 'multi-node', 'browser'];
const specs = folders.map((d) => `test/${d}/**/*.spec.ts`);
const stray = readdirSync('test', { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.spec.ts') && !folders.includes(f.split(/[\\/]/)[0]));
if (stray.length > 0) {
  process.stderr.write(`These specs are in no folder the runner knows (add the folder to scripts/run-tests.mjs): ${stray.join(', ')}\n`);
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
}
// The turn pipeline suites run a second time on stock botbuilder (the load-time rewrite of
// src/internals/native-async.ts off), as a library user who does not load handover/install-native-async runs it.
const STOCK = [
  ...['middleware', 'any-bot', 'bursts', 'conversations', 'confirmation', 'conversation-state', 'cloud-adapter', 'failures', 'own-bot', 'proactive', 'turn-batching', 'callbacks', 'transfer-sla-notices', 'briefing-episodes'].map((f) => `test/integration/${f}.spec.ts`),
  'test/unit/internals/self-check.spec.ts',
];
const stockOut = join('test-output', 'mocha-results-stock-botbuilder.json');
rmSync(stockOut, { force: true });

function run(args, env, json) {
  return new Promise((resolve) => {
    const child = spawn('npx', ['mocha', '--reporter', join('scripts', 'dual-reporter.cjs'), '--reporter-option', `json=${json}`, ...args], { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

function counts(json) {
  try {
    const r = JSON.parse(readFileSync(json, 'utf8'));
    return { passed: r.passes, failed: r.failures };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

const extra = process.argv.slice(2);
const code = await run([...specs, ...extra], {}, out);
const all = counts(out);
let stockCode = 0;
if (extra.length === 0) {
  process.stdout.write('\n  again on stock botbuilder (HANDOVER_NATIVE_ASYNC=0): the turn pipeline suites\n');
  stockCode = await run(STOCK, { HANDOVER_NATIVE_ASYNC: '0' }, stockOut);
  const stock = counts(stockOut);
  all.passed += stock.passed;
  all.failed += stock.failed;
}
process.stdout.write(`\n${all.passed} passed, ${all.failed} failed\n`);
process.exit(code !== 0 ? code : stockCode);
