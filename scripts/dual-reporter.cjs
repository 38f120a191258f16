// Mocha reporter: the usual "spec" output on the console plus a JSON summary file with the
// counts (scripts/run-tests.mjs prints them as the closing "N passed, N failed" line).
'use strict';
const fs = require('node:fs');
const Mocha = require('mocha');
const { EVENT_RUN_END, EVENT_TEST_PASS, EVENT_TEST_FAIL } = Mocha.Runner.constants;

class DualReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const file = options.reporterOption && options.reporterOption.json;
    let passes = 0;
    let failures = 0;
    runner.on(EVENT_TEST_PASS, () => passes++);
    runner.on(EVENT_TEST_FAIL, () => failures++);
    runner.once(EVENT_RUN_END, () => {
      if (file) fs.writeFileSync(file, JSON.stringify({ passes, failures }));
    });
  }
}
module.exports = DualReporter;
