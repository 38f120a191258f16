#!/usr/bin/env node
// The `handover` command. Runs the TypeScript sources through tsx (a runtime dependency), so a
// fresh clone works after `npm ci` with no build step.
'use strict';
process.env.DOTENV_CONFIG_QUIET = process.env.DOTENV_CONFIG_QUIET || 'true';
require('tsx/cjs/api').register();
// botbuilder's async methods load as native async functions (src/runtime/native-async.ts)
require('../src/runtime/native-async.ts').installNativeAsync();
const { main } = require('../src/cli/main.ts');
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`handover: unexpected error: ${(e && e.stack) || e}\n`);
    process.exitCode = 2;
  },
);
