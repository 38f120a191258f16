// `npm run build`: the package as it is published, in dist/.
//   1. tsc -p tsconfig.build.json (src/ → dist/, declarations; the browser folders are left out);
//   2. the runtime files tsc does not copy (the Redis Lua scripts; any non-TypeScript file of src/
//      outside the browser folders) copied to the same place under dist/;
//   3. the browser scripts (web chat widget, agent console) bundled once with esbuild into
//      dist/<folder>/bundle.js, so the installed package serves them without esbuild;
//   4. dist/.build-stamp, whose time is when the build started: bin/handover.cjs runs dist/ only
//      when no file of src/ is newer (a checkout edited after its last build runs src/ through tsx).
// Exit status: tsc's when it fails, 1 when a later step fails.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');
/** Browser apps: bundled (step 3), not compiled by tsc nor copied. */
const BROWSER = [join('channels', 'webchat', 'widget'), join('agent', 'console')];
const require = createRequire(import.meta.url);
const started = new Date();

rmSync(dist, { recursive: true, force: true });

const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const inBrowserApp = (rel) => BROWSER.some((b) => rel === b || rel.startsWith(b + sep));
let copied = 0;
for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || entry.name.endsWith('.ts')) continue;
  const rel = relative(src, join(entry.parentPath, entry.name));
  if (inBrowserApp(rel)) continue;
  mkdirSync(dirname(join(dist, rel)), { recursive: true });
  copyFileSync(join(src, rel), join(dist, rel));
  copied++;
}

// the same esbuild options the server uses from sources (src/server/browser-bundle.ts)
const { buildBrowserBundle } = require(join(dist, 'server', 'browser-bundle.js'));
for (const b of BROWSER) {
  const { code } = await buildBrowserBundle({ dir: join(src, b), what: b, pathOption: '-' });
  mkdirSync(join(dist, b), { recursive: true });
  writeFileSync(join(dist, b, 'bundle.js'), code);
}

const stamp = join(dist, '.build-stamp');
writeFileSync(stamp, `${started.toISOString()}\n`);
utimesSync(stamp, started, started);
process.stdout.write(`build: dist/ (tsc), ${copied} runtime files copied, ${BROWSER.length} browser bundles\n`);
