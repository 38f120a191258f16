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
const child = spawn('npx', ['mocha', '--reporter', join('scripts', 'dual-reporter.cjs'), '--reporter-option', `json=${out}`, ...specs, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code) => {
  let passed = 0;
  let failed = 0;
  try {
    const r = JSON.parse(readFileSync(out, 'utf8'));
    passed = r.passes;
    failed = r.failures;
  } catch {
    failed = Math.max(1, failed);
  }
  process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  process.exit(code ?? 1);
});
