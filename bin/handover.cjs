#!/usr/bin/env node
// The `handover` command. Runs the built JavaScript in dist/ (the installed package, or a checkout
// after `npm run build`); in a checkout with no build, or with a source file newer than the last
// build, it runs the TypeScript sources through tsx (a devDependency), so a fresh clone works after
// `npm ci` with no build step. HANDOVER_FROM_SRC=1 forces the sources.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

process.env.DOTENV_CONFIG_QUIET = process.env.DOTENV_CONFIG_QUIET || 'true';

const root = path.join(__dirname, '..');

/** True when some file under `dir` was modified after `since` (ms). */
function newerThan(dir, since) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() ? newerThan(p, since) : fs.statSync(p).mtimeMs > since) return true;
  }
  return false;
}

function useDist() {
  if (process.env.HANDOVER_FROM_SRC === '1') return false;
  let built;
  try {
    built = fs.statSync(path.join(root, 'dist', '.build-stamp')).mtimeMs;
  } catch {
    return false; // no complete build
  }
  const src = path.join(root, 'src');
  return !fs.existsSync(src) || !newerThan(src, built);
}

let entry;
if (useDist()) {
  entry = path.join(root, 'dist', 'cli', 'main.js');
  // botbuilder's async methods load as native async functions (src/internals/native-async.ts)
  require(path.join(root, 'dist', 'internals', 'native-async.js')).installNativeAsync();
} else {
  try {
    require('tsx/cjs/api').register();
  } catch (e) {
    if (e && e.code !== 'MODULE_NOT_FOUND') throw e;
    process.stderr.write(`handover: no build in ${path.join(root, 'dist')} and tsx is not installed: run npm run build (or npm install)\n`);
    process.exit(2);
  }
  entry = path.join(root, 'src', 'cli', 'main.ts');
  require(path.join(root, 'src', 'internals', 'native-async.ts')).installNativeAsync();
}
require(entry)
  .main(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`handover: unexpected error: ${(e && e.stack) || e}\n`);
      process.exitCode = 2;
    },
  );
