/**
 * `npm run bench`: every benchmark section in one run, printed as readable text and saved as JSON
 * (bench-results.json, git-ignored). Sections are measured in this one process so that ratios
 * compare like with like.
 */
// botbuilder loaded with native async functions, as `handover start` runs it (src/internals/native-async.ts)
import '../src/runtime/install-native-async.js';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { benchMiddleware } from './middleware.js';
import { benchWebchat } from './webchat.js';
import { benchRedis } from './redis.js';
import { benchMachine } from './machine.js';
import { benchRecognition } from './recognition.js';

type Section = () => Promise<Record<string, unknown>>;

/**
 * The same section in a child Node with a 64 MB young generation: on-heap stores make young
 * garbage survive, and with Node's default 16 MB the scavenge pauses (about 5 ms each) land in
 * about 3 % of turns — the end-to-end p99. Both figures are reported; the flag is a deployment
 * choice (NODE_OPTIONS=--max-semi-space-size=64), documented in README.
 */
async function middlewareTunedGc(): Promise<Record<string, unknown>> {
  const out = execFileSync(process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', 'bench/middleware-child.ts'], {
    encoding: 'utf8',
    env: process.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return { ...(JSON.parse(out) as Record<string, unknown>), section: 'middleware (memory store, sample bot), node --max-semi-space-size=64' };
}

const sections: [string, Section][] = [
  // first, while nothing else has run: the punctuality every other tail sits on
  ['machine (idle 1 ms timer)', () => benchMachine()],
  ['recognition', () => benchRecognition()],
  ['middleware', () => benchMiddleware(Number(process.env.BENCH_TURNS ?? 10_000))],
  ['middleware, 64 MB young generation', middlewareTunedGc],
  // before the web chat section: that one leaves this process a large heap to collect, and a
  // collection here would take a core from the Redis workers mid-run
  ['redis scale-out (2 processes, 1,000 conversations)', () => benchRedis()],
  ['web chat (500 widget WebSockets, real service)', () => benchWebchat()],
];

async function main(): Promise<void> {
  const results: Record<string, unknown>[] = [];
  for (const [name, run] of sections) {
    process.stderr.write(`bench: ${name}…\n`);
    const r = await run();
    results.push(r);
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  }
  writeFileSync('bench-results.json', `${JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
