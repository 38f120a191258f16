import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { TurnContext } from 'botbuilder';
import { DialogContext } from 'botbuilder-dialogs';
import { nativeAsyncBodies, rewrite } from '../../../src/internals/native-async.js';

/** A module as tsc emits it for ES2015, with every trap the yield scan must not fall into. */
const EMITTED = `"use strict";
var __awaiter = (this && this.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
Object.defineProperty(exports, "__esModule", { value: true });
/** Docs that say yield and have a \`backtick\` and it's an apostrophe. */
const later = (v) => new Promise((r) => setTimeout(() => r(v), 1));
const helper = (x) => __awaiter(void 0, void 0, void 0, function* () {
    return (yield later(x)) * 2;
});
class Thing {
    constructor() { this.n = 20; }
    run(flag) {
        return __awaiter(this, void 0, void 0, function* () {
            // a comment that ends with a dot.
            const a = yield later(1);
            const words = "do not yield here" + 'nor yield here';
            const re = /yield+/g;
            const t = \`yield \${a} and \${\`nested yield \${yield later(3)}\`}\`;
            const prop = { yield: 4 }.yield;
            const b = flag ? yield later(5) : yield later(6);
            const items = yield Promise.all([1, 2].map((i) => __awaiter(this, void 0, void 0, function* () { return (yield later(i)) + this.n; })));
            if (flag === 'throw') {
                throw new Error('thrown after ' + (yield later('a wait')));
            }
            return { a, words, re: re.source, t, prop, b, items, h: yield helper(7), ratio: 10 / 2 / 5 };
        });
    }
}
exports.Thing = Thing;
`;

function load(source: string): { Thing: new () => { run(flag: unknown): Promise<Record<string, unknown>> } } {
  const module = { exports: {} as Record<string, unknown> };
  runInNewContext(`(function (exports, module) {${source}\n})`, { setTimeout, Promise, Error })(module.exports, module);
  return module.exports as never;
}

describe('native async for botbuilder (src/internals/native-async.ts)', () => {
  it('turns tsc __awaiter generators into async functions, yield keywords only, line for line', async () => {
    const r = rewrite(EMITTED);
    assert.equal(r.bodies, 3);
    assert.equal(r.source.split('\n').length, EMITTED.split('\n').length, 'stack traces keep their line numbers');
    assert.doesNotMatch(r.source, /function\*/);
    assert.match(r.source, /"do not yield here" \+ 'nor yield here'/);
    assert.match(r.source, /\/yield\+\/g/);
    assert.match(r.source, /\{ yield: 4 \}\.yield/);
    assert.match(r.source, /Docs that say yield/);
    assert.match(r.source, /`yield \$\{a\} and \$\{`nested yield \$\{await later\(3\)\}`\}`/);

    // the rewritten module means exactly what the original meant
    // (objects from another vm context: compared as JSON)
    const before = JSON.parse(JSON.stringify(await new (load(EMITTED).Thing)().run(true))) as unknown;
    const after = JSON.parse(JSON.stringify(await new (load(r.source).Thing)().run(true))) as unknown;
    assert.deepEqual(after, before);
    assert.deepEqual(after, { a: 1, words: 'do not yield here' + 'nor yield here', re: 'yield+', t: 'yield 1 and nested yield 3', prop: 4, b: 5, items: [21, 22], h: 14, ratio: 1 });
    assert.equal((await new (load(r.source).Thing)().run(false)).b, 6);
    await assert.rejects(new (load(r.source).Thing)().run('throw'), /thrown after a wait/);
  });

  it('leaves a file alone unless it is exactly that pattern', () => {
    const ownGenerator = `${EMITTED}function* ids() { let i = 0; while (true) yield i++; }\n`;
    assert.equal(rewrite(ownGenerator).bodies, 0);
    assert.equal(rewrite(ownGenerator).source, ownGenerator);
    const withArguments = EMITTED.replace('__awaiter(this, void 0, void 0, function* () {\n            // a comment', '__awaiter(this, arguments, void 0, function* () {\n            // a comment');
    assert.equal(rewrite(withArguments).bodies, 0);
    const noHelper = 'exports.x = function* () { yield 1; };\n';
    assert.equal(rewrite(noHelper).source, noHelper);
    const unterminated = `${EMITTED}const s = \`never closed;\n`;
    assert.equal(rewrite(unterminated).bodies, 0);
  });

  it('rewrites every async body of the installed botbuilder packages, and each result compiles', () => {
    let files = 0;
    let bodies = 0;
    const missed: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.js')) {
          const src = readFileSync(p, 'utf8');
          if (!src.includes('__awaiter(')) continue;
          files++;
          const r = rewrite(src);
          if (r.bodies === 0) missed.push(p);
          bodies += r.bodies;
        }
      }
    };
    for (const pkg of ['botbuilder', 'botbuilder-core', 'botbuilder-dialogs', 'botbuilder-stdlib']) walk(join('node_modules', pkg, 'lib'));
    assert.deepEqual(missed, [], 'a botbuilder upgrade changed the emitted pattern: update src/internals/native-async.ts');
    assert.ok(files > 40 && bodies > 300, `${files} files, ${bodies} bodies`);
  });

  it('this test run loads botbuilder through it (.mocharc requires the installer), as `handover` does', () => {
    assert.ok(nativeAsyncBodies() > 300, `${nativeAsyncBodies()} bodies`);
    assert.match(TurnContext.prototype.sendActivity.toString(), /async function/);
    assert.match(DialogContext.prototype.continueDialog.toString(), /async function/);
  });

  it('HANDOVER_NATIVE_ASYNC=0 switches it off; the handover command turns it on', () => {
    const probe = "require('tsx/cjs/api').register(); require('./src/internals/native-async.ts').installNativeAsync(); const { TurnContext } = require('botbuilder-core'); process.stdout.write(String(/async function/.test(TurnContext.prototype.sendActivity.toString())));";
    const run = (env: Record<string, string>) => execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8', env: { ...process.env, ...env } });
    assert.equal(run({ HANDOVER_NATIVE_ASYNC: '0' }), 'false');
    assert.equal(run({}), 'true');
    assert.match(readFileSync('bin/handover.cjs', 'utf8'), /installNativeAsync\(\)/);
  });
});
