// Runs every test suite with mocha (TypeScript through tsx) and ends with the line CI reads:
// "N passed, N failed". Exit status is mocha's. Extra arguments are passed to mocha
// (e.g. `npm test -- --grep memory`).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const out = join('test-output', 'mocha-results.json');
mkdirSync('test-output', { recursive: true });
rmSync(out, { force: true });
const specs = ['test/unit/**/*.spec.ts', 'test/contract/**/*.spec.ts', 'test/integration/**/*.spec.ts', 'test/channels/**/*.spec.ts', 'test/multi-node/**/*.spec.ts', 'test/browser/**/*.spec.ts'];
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
