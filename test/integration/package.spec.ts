/**
 * The package as a bot developer gets it: `npm pack`, the tarball installed in a fresh project,
 * and a plain CommonJS script there (no TypeScript, no tsx) that requires 'handover', builds the
 * sample bot from the package's own manifest and dialogs, and runs a turn that hands off through
 * botbuilder's TestAdapter. Also: what the tarball holds, and the `handover` command of the
 * installed package (dist/, no tsx).
 *
 * Offline: the tarball is unpacked into the project's node_modules/handover and each of its
 * `dependencies` is linked from this repository's node_modules (their own dependencies resolve
 * from there). Only the declared dependencies are visible to the package, so a runtime import of
 * a devDependency (tsx, esbuild, typescript) or of an undeclared package fails here.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildIfStale, check, packageEnv as env, packedPackage, repo } from '../support/packed-package.js';

const CONSUMER = `'use strict';
const path = require('node:path');
const { TestAdapter } = require('botbuilder');
const { createHandover, createMemoryStores, loadConfig, StaticCustomerDirectory } = require('handover');

async function main() {
  // the package's sample bot: createHandover loads dialogs/ and locales/ from root
  const pkg = path.dirname(require.resolve('handover/package.json'));
  const { manifest } = loadConfig(path.join(pkg, 'manifest.json'));
  const handover = createHandover({ manifest, stores: createMemoryStores(), directory: new StaticCustomerDirectory([]), root: pkg, initiate: 'turn' });
  const adapter = new TestAdapter((ctx) => handover.bot.run(ctx));
  adapter.use(handover.middleware);
  await adapter.receiveActivity('I want to talk to a real person');
  const out = [];
  while (adapter.activeQueue.length > 0) out.push(adapter.activeQueue.shift());
  let tsx = null;
  try { tsx = require.resolve('tsx'); } catch {}
  const loaded = Object.keys(require.cache);
  process.stdout.write(JSON.stringify({
    handoverAt: require.resolve('handover'),
    tsx,
    tsxLoaded: loaded.some((f) => /[\\\\/]node_modules[\\\\/]tsx[\\\\/]/.test(f)),
    messages: out.filter((a) => a.type === 'message').map((a) => a.text),
    events: out.filter((a) => a.type === 'event').map((a) => a.name),
  }) + '\\n');
}
main().then(() => process.exit(0), (e) => { process.stderr.write(String((e && e.stack) || e) + '\\n'); process.exit(1); });
`;

describe('the package (npm pack, installed in a fresh project)', function () {
  let app = '';

  before(function () {
    // `npm pack` builds (prepack); CI has just built, so the build runs here only when src/ changed since
    this.timeout(240_000);
    buildIfStale();
  });

  it('packs dist/, bin/, the schemas and the sample bot (manifest, dialogs, locales, nlu, customers), and nothing of src/, test/, bench/ or .ci', function () {
    this.timeout(90_000);
    // packed and installed once per run (test/support/packed-package.ts; docs/your-bot.md's test reuses it)
    const pkg = packedPackage();
    const files = pkg.files;
    for (const f of ['package.json', 'README.md', 'bin/handover.cjs', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'dist/store/redis/scripts/commitHandoff-7.lua', 'dist/channels/webchat/widget/bundle.js', 'dist/agent/console/bundle.js', 'schemas/manifest.schema.json', 'manifest.json', 'dialogs/human.json', 'locales/en.json', 'nlu/out-of-scope.json', 'data/customers.json']) {
      assert.ok(files.includes(f), `${f} is in the tarball`);
    }
    const lua = readdirSync(join(repo, 'src', 'store', 'redis', 'scripts')).filter((f) => f.endsWith('.lua'));
    for (const f of lua) assert.ok(files.includes(`dist/store/redis/scripts/${f}`), `${f} is in the tarball`);
    const stray = files.filter((f) => /^(src|test|bench|scripts|docs|\.ci|tmp)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts'));
    assert.deepEqual(stray, []);
    assert.ok(!pkg.dependencies.includes('tsx'), 'tsx is a devDependency');
    app = pkg.app;
  });

  it('runs a handoff turn from a CommonJS script with require("handover"), without tsx', function () {
    this.timeout(90_000);
    assert.ok(app !== '', 'installed by the previous test');
    writeFileSync(join(app, 'bot.cjs'), CONSUMER);
    const r = JSON.parse(check(spawnSync(process.execPath, ['bot.cjs'], { cwd: app, encoding: 'utf8', env }), 'node bot.cjs')) as {
      handoverAt: string;
      tsx: string | null;
      tsxLoaded: boolean;
      messages: string[];
      events: string[];
    };
    assert.equal(r.handoverAt, join(app, 'node_modules', 'handover', 'dist', 'index.js'));
    assert.equal(r.tsx, null, 'tsx is not installed in the project');
    assert.equal(r.tsxLoaded, false);
    assert.match(r.messages.join(' '), /connecting you with a person/);
    assert.ok(r.events.includes('handoff.initiate'), `events: ${r.events.join(', ')}`);
  });

  it("compiles README's 'Use it in your bot' block with tsc --strict against the installed package and hands off through it (own bot, own queues, no dialogs/)", function () {
    this.timeout(120_000);
    assert.ok(app !== '', 'installed by the previous test');
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Use it in your bot'));
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    assert.ok(block !== undefined, "README's 'Use it in your bot' has a ts block");
    const own = join(app, 'own');
    mkdirSync(own, { recursive: true });
    writeFileSync(join(own, 'bot.ts'), block);
    // the project's own TypeScript setup: Node's module rules, strict
    writeFileSync(
      join(own, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, skipLibCheck: true, outDir: 'out', types: [] }, files: ['bot.ts'] }),
    );
    check(spawnSync(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', own], { cwd: own, encoding: 'utf8', env }), 'tsc on the README block');
    const run = `'use strict';
const { adapter, handover } = require('./out/bot.js');
(async () => {
  await adapter.receiveActivity('hi');
  await adapter.receiveActivity('I want to talk to a real person');
  const out = [];
  while (adapter.activeQueue.length > 0) out.push(adapter.activeQueue.shift());
  const waiting = await handover.service.listQueue('help');
  const loaded = Object.keys(require.cache);
  process.stdout.write(JSON.stringify({ texts: out.filter((a) => a.type === 'message').map((a) => a.text), events: out.filter((a) => a.type === 'event').map((a) => a.name), waiting: waiting.length, modules: loaded.length, heavy: loaded.filter((f) => /[\\\\/]node_modules[\\\\/](@redis|redis|botbuilder-dialogs|natural|whatsapp-web\\.js|puppeteer)[\\\\/]/.test(f) && f.endsWith('.js')).map((f) => f.slice(f.lastIndexOf('node_modules'))) }) + '\\n');
  process.exit(0);
})().catch((e) => { process.stderr.write(String((e && e.stack) || e) + '\\n'); process.exit(1); });
`;
    writeFileSync(join(own, 'run.cjs'), run);
    const r = JSON.parse(check(spawnSync(process.execPath, ['run.cjs'], { cwd: own, encoding: 'utf8', env }), 'node run.cjs')) as { texts: string[]; events: string[]; waiting: number; modules: number; heavy: string[] };
    assert.deepEqual(r.heavy, [], `a bot of its own on the memory store loads no code of node-redis, botbuilder-dialogs, natural or whatsapp-web.js — natural's sentiment word lists are data (${r.modules} modules in all)`);
    assert.deepEqual(r.texts, ['You said: hi', 'You said: I want to talk to a real person', "I'm connecting you with a person from our Help desk team. Someone will be with you shortly."]);
    assert.deepEqual(r.events, [], 'no handoff.initiate into the customer conversation of a TestAdapter by default');
    assert.equal(r.waiting, 1, 'the chat waits in help');
  });

  it('the installed `handover` command runs from dist/ (help, lint on the sample bot)', function () {
    this.timeout(60_000);
    assert.ok(app !== '', 'installed by the previous test');
    const bin = join(app, 'node_modules', 'handover', 'bin', 'handover.cjs');
    assert.match(check(spawnSync(process.execPath, [bin, 'help'], { cwd: app, encoding: 'utf8', env }), 'handover help'), /Usage: handover <command>/);
    const lint = check(spawnSync(process.execPath, [bin, 'lint'], { cwd: join(app, 'node_modules', 'handover'), encoding: 'utf8', env }), 'handover lint');
    assert.match(lint, /^ok: manifest\.json, \d+ dialogs/);
  });
});
