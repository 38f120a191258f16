import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/handover.cjs', ...args], { encoding: 'utf8', env: { ...process.env, REDIS_URL: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const tmp = mkdtempSync(join(tmpdir(), 'handover-sim-'));
const file = (name: string, content: string) => {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
};
const good = { name: 'hello', locale: 'en', channel: 'webchat', customer: { id: 'c-1' }, turns: [{ at: 0, text: 'hi' }], expect: { handoff: null } };

describe('handover simulate (the command)', function () {
  this.timeout(60_000);

  it('passes every public scenario and every scenario of ours with --check', () => {
    const ours = readdirSync('test/scenarios').filter((f) => f.endsWith('.json')).map((f) => join('test/scenarios', f));
    const r = run('simulate', '../shared/scenarios/acme-en.json', ...ours, '--check');
    assert.equal(r.code, 0, r.out + r.err);
    const last = r.out.trim().split('\n').at(-1);
    assert.match(last ?? '', /^\d+ passed, 0 failed$/);
    assert.ok(Number(last?.split(' ')[0]) >= 72);
  });

  it('prints one JSON line per turn and a result line with the packet', () => {
    const r = run('simulate', file('one.json', JSON.stringify({ ...good, turns: [{ at: 0, text: 'hi' }, { at: 4, text: 'I want to talk to a real person' }] })));
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 3);
    assert.deepEqual(Object.keys(lines[0]!), ['scenario', 'turn', 'at', 'text', 'bot', 'signals', 'handoff']);
    const result = lines[2] as { result: { handoff: { turn: number; reason: string; packet: Record<string, unknown> } } };
    assert.equal(result.result.handoff.turn, 2);
    assert.equal(result.result.handoff.reason, 'customer_request');
    for (const k of ['reason', 'trace', 'intent', 'sentiment', 'collected', 'customer', 'authenticated', 'steps', 'transcript', 'summary', 'queue', 'priority', 'slaDeadline']) {
      assert.ok(k in result.result.handoff.packet, `packet.${k}`);
    }
  });

  it('exits 1 and says what differed when a scenario fails', () => {
    const r = run('simulate', file('fail.json', JSON.stringify({ ...good, expect: { handoff: { turn: 1, reason: 'cost', queue: 'support' } } })), '--check');
    assert.equal(r.code, 1);
    assert.match(r.out, /FAIL hello: expected handoff on turn 1 \(cost, support\), got no handoff/);
    assert.match(r.out, /0 passed, 1 failed/);
  });

  it('exits 2 with the file and the field for bad input', () => {
    const cases: [string, RegExp][] = [
      [file('bad.json', '{ nope'), /bad\.json: invalid JSON/],
      [file('locale.json', JSON.stringify({ ...good, locale: 'fr' })), /locale\.json: locale: "fr" is not a locale; valid: en, pt-BR, es/],
      [file('order.json', JSON.stringify({ ...good, turns: [{ at: 10, text: 'a' }, { at: 5, text: 'b' }] })), /order\.json: turns\.1\.at: turns out of order/],
      [join(tmp, 'missing.json'), /missing\.json: cannot read/],
    ];
    for (const [path, re] of cases) {
      const r = run('simulate', path, '--check');
      assert.equal(r.code, 2, path);
      assert.match(r.err, re);
    }
    assert.equal(run('simulate').code, 2);
    assert.equal(run('simulate', '--bogus', 'x.json').code, 2);
  });

  it('names the bad value and the valid ones for every problem of every scenario in a file', () => {
    const bad = [
      { ...good, expect: { handoff: { turn: 1, reason: 'custmer_request', queue: 'suport' } } },
      { ...good, name: 'second', turns: [{ at: '5', text: 'hi' }, { at: -1, text: 7 }], customer: { id: 'c-1', tier: 'gold' } },
      { ...good, name: 'third', expect: { handoff: { turn: 3, reason: 'cost', queue: 'support' } } },
      { ...good, name: 'fourth', expect: { handoff: 'yes' } },
    ];
    const r = run('simulate', file('many.json', JSON.stringify(bad)), '--check');
    assert.equal(r.code, 2, r.out);
    const expected = [
      /many\.json\[0\]: expect\.handoff\.reason: "custmer_request" is not a handoff reason — did you mean "customer_request"\? valid: customer_request, sensitive_topic, auth_failed, /,
      /many\.json\[0\]: expect\.handoff\.queue: unknown queue "suport" — did you mean "support"\? known: support, support_l2, billing, sales, retention, fraud, senior/,
      /many\.json\[1\]: turns\.0\.at: expected number, got "5"/,
      /many\.json\[1\]: turns\.1\.at: Number must be greater than or equal to 0 \(got -1\)/,
      /many\.json\[1\]: turns\.1\.text: expected string, got 7/,
      /many\.json\[1\]: customer\.tier: "gold" is not a customer tier; valid: standard, b2b/,
      /many\.json\[2\]: expect\.handoff\.turn: turn 3 does not exist: the scenario has 1 turn/,
      /many\.json\[3\]: expect\.handoff: "yes" is not an expected handoff \(null or \{ turn, reason, queue \}\)/,
    ];
    for (const re of expected) assert.match(r.err, re);
    assert.doesNotMatch(r.err, /Invalid input/);
  });

  it('eval scenarios names the bad reason and queue the same way', () => {
    const r = run('eval', 'scenarios', file('eval-bad.json', JSON.stringify([{ ...good, expect: { handoff: { turn: 1, reason: 'fallback_lop', queue: 'biling' } } }])));
    assert.equal(r.code, 2, r.out);
    assert.match(r.err, /eval-bad\.json\[0\]: expect\.handoff\.reason: "fallback_lop" is not a handoff reason — did you mean "fallback_loop"\? valid: /);
    assert.match(r.err, /eval-bad\.json\[0\]: expect\.handoff\.queue: unknown queue "biling" — did you mean "billing"\? known: /);
    const w = run('eval', 'scenarios', file('eval-typo.json', JSON.stringify([{ ...good, turns: [{ at: 0, txet: 'hi', text: 'hi' }] }])));
    assert.equal(w.code, 0, w.err);
    assert.match(w.err, /warning: .*eval-typo\.json\[0\]: turns\.0\.txet: unknown field, ignored — did you mean "text"\?/);
  });

  it('warns about a field it does not know, and still runs', () => {
    const r = run('simulate', file('typo.json', JSON.stringify({ $schema: '../schemas/scenario.schema.json', ...good, expect: undefined, expcet: { handoff: null } })), '--check');
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /warning: .*typo\.json: expcet: unknown field, ignored — did you mean "expect"\?/);
    assert.equal(run('nonsense').code, 2);
  });
});
