/**
 * Every `handover` command parses its arguments the same way (issue 18, src/cli/commands.ts):
 * `--help` (and `handover help <command>`) prints usage, every flag and an example with exit 0,
 * without loading the app; an unknown flag or a missing value exits 2 with a one-line hint. Run
 * through the real entry, bin/handover.cjs, as a user runs it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { COMMANDS } from '../../src/cli/commands.js';

const BIN = resolve('bin/handover.cjs');
const env = { ...process.env, REDIS_URL: '' };
const run = (args: string[], preload: string[] = []) => {
  const r = spawnSync(process.execPath, [...preload, BIN, ...args], { encoding: 'utf8', env, input: '' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('handover <command> --help and argument errors', function () {
  this.timeout(120_000);
  let dir: string;
  let probe: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'handover-cli-help-'));
    probe = join(dir, 'probe.cjs');
    // lists, at exit, the heavy modules the process loaded
    writeFileSync(
      probe,
      `process.on('exit', () => { const heavy = Object.keys(require.cache).filter((f) => /node_modules[\\\\/](botbuilder[^\\\\/]*|redis|@redis|natural|pino)[\\\\/]|[\\\\/]src[\\\\/](app|dialogs|store|bridge|handoff)[\\\\/.]/.test(f)); if (heavy.length) process.stderr.write('HEAVY ' + heavy.join(' ') + '\\n'); });\n`,
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('names every command in handover help', () => {
    const r = run(['help']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Usage: handover <command>/);
    for (const c of COMMANDS) assert.match(r.out, new RegExp(`^  ${c.name}\\b`, 'm'), c.name);
  });

  for (const c of COMMANDS) {
    it(`${c.name} --help: exit 0, usage, every flag, an example, and nothing of the app loaded`, () => {
      for (const args of [[c.name, '--help'], ['help', c.name], [c.name, '-h']]) {
        const r = run(args, ['--require', probe]);
        assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
        assert.match(r.out, new RegExp(`^Usage: handover ${c.name}\\b`), args.join(' '));
        for (const flag of Object.keys(c.flags)) assert.match(r.out, new RegExp(`--${flag}\\b`), `${args.join(' ')} names --${flag}`);
        assert.match(r.out, /--help/);
        assert.match(r.out, new RegExp(`^Examples?:\\n  .*handover ${c.name}`, 'm'));
        assert.doesNotMatch(r.err, /HEAVY/, `${args.join(' ')} loaded the app`);
      }
    });

    if (c.name === 'help') continue;
    it(`${c.name} --bogus: exit 2, "unknown option --bogus" and the --help hint, nothing of the app loaded`, () => {
      const r = run([c.name, '--bogus'], ['--require', probe]);
      assert.equal(r.code, 2, r.out + r.err);
      assert.equal(r.out, '');
      assert.match(r.err, new RegExp(`^handover ${c.name}: unknown option --bogus\\nRun "handover ${c.name} --help" for usage\\.\\n$`));
    });
  }

  it('a flag without its value, a value on a switch, a missing required flag or operand: exit 2 with the hint', () => {
    const cases: Array<[string[], RegExp]> = [
      [['simulate', 'x.json', '--store'], /^handover simulate: --store needs a value: memory\|redis:\/\/HOST:PORT\n/],
      [['lint', '--dir'], /^handover lint: --dir needs a value: DIR\n/],
      [['start', '--whatsapp-web=yes'], /^handover start: --whatsapp-web takes no value\n/],
      [['start', '--port', 'eighty'], /^handover start: --port needs a TCP port number\n/],
      [['erase', '--store', 'redis://127.0.0.1:1'], /^handover erase: --customer ID is required\n/],
      [['simulate'], /^handover simulate: simulate needs at least one scenario file\n/],
      [['eval', 'nlu'], /^handover eval: eval needs nlu, sentiment or scenarios and at least one file\n/],
      [['lint', 'extra'], /^handover lint: unexpected argument "extra"/],
    ];
    for (const [args, message] of cases) {
      const r = run(args, ['--require', probe]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.out}${r.err}`);
      assert.match(r.err, message, args.join(' '));
      assert.match(r.err, new RegExp(`Run "handover ${args[0]} --help" for usage\\.\\n$`), args.join(' '));
      assert.doesNotMatch(r.err, /HEAVY/, `${args.join(' ')} loaded the app`);
    }
  });

  it('an unknown command or help topic: exit 2 and the pointer to handover help', () => {
    for (const args of [['bogus'], ['help', 'bogus']]) {
      const r = run(args);
      assert.equal(r.code, 2);
      assert.match(r.err, /^handover: unknown command "bogus"\nRun "handover help" for the list of commands\.\n$/);
    }
  });

  it('a parsed command still runs: lint --dir . passes the sample bot', () => {
    const r = run(['lint', '--dir', '.']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^ok: /);
  });
});
