import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/handover.cjs', ...args], { encoding: 'utf8', env: { ...process.env, REDIS_URL: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr, lines: r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
};
const tmp = mkdtempSync(join(tmpdir(), 'handover-eval-'));
const file = (name: string, content: unknown) => {
  const p = join(tmp, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
};

describe('handover eval (the command, formats of ../shared/spec/eval.md)', function () {
  this.timeout(120_000);

  it('nlu: one line per message, then a summary per locale and one for all; --report writes a page that needs no network', () => {
    const msgs = file('nlu.json', [
      { text: 'wheres my package', locale: 'en', intent: 'order_status' },
      { text: 'tell me a joke about cats', locale: 'en', intent: null },
      { text: 'quero falar com um atendente', locale: 'pt-BR', intent: 'human' },
    ]);
    const out = join(tmp, 'report');
    const r = run('eval', 'nlu', msgs, '--report', out);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.lines.length, 3 + 3);
    for (const l of r.lines.slice(0, 3)) {
      assert.deepEqual(Object.keys(l), ['text', 'locale', 'gold', 'intent', 'confidence', 'decision']);
      assert.ok(['accept', 'confirm', 'fallback'].includes(l.decision as string));
      assert.ok(typeof l.confidence === 'number' && l.confidence >= 0 && l.confidence <= 1);
    }
    assert.deepEqual(r.lines.slice(3).map((s) => s.summary), ['en', 'pt-BR', 'all']);
    for (const s of r.lines.slice(3)) {
      assert.deepEqual(Object.keys(s), ['summary', 'messages', 'acceptedRight', 'confirmedRight', 'falseFallback', 'wrongAccepted', 'outOfScopeFallback', 'outOfScopeAccepted', 'p99Ms']);
    }
    assert.equal(r.lines.at(-1)?.messages, 3);
    assert.match(r.err, /training the recogniser/);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    for (const part of ['Confusion matrix', 'Confidence histogram', 'Calibration', 'Worst confusions', '<svg']) assert.ok(html.includes(part), part);
    assert.doesNotMatch(html, /(?:src|href)=["']https?:/, 'no network resource');
  });

  it('nlu: a bad file exits 2 naming the file and every bad field', () => {
    const bad = file('bad.json', [{ text: 'hi', locale: 'en', intent: 'greeting' }, { text: 3, locale: 'fr', intent: 'nope' }, { locale: 'en' }]);
    const r = spawnSync(process.execPath, ['bin/handover.cjs', 'eval', 'nlu', bad], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    for (const part of ['bad.json: [1].text', '[1].locale', '[1].intent: unknown intent "nope"', '[2].intent: missing']) assert.ok(r.stderr.includes(part), `${part} in ${r.stderr}`);
    const notJson = spawnSync(process.execPath, ['bin/handover.cjs', 'eval', 'nlu', file('x.json', '{oops')], { encoding: 'utf8' });
    assert.equal(notJson.status, 2);
    assert.match(notJson.stderr, /x\.json: not JSON/);
    assert.equal(spawnSync(process.execPath, ['bin/handover.cjs', 'eval', 'nlu', join(tmp, 'missing.json')], { encoding: 'utf8' }).status, 2);
    assert.equal(spawnSync(process.execPath, ['bin/handover.cjs', 'eval', 'vibes', bad], { encoding: 'utf8' }).status, 2);
  });

  it('sentiment: a line per message with strong and score, then precision and recall per locale and for all', () => {
    const r = run(
      'eval',
      'sentiment',
      file('s.json', [
        { text: 'this is ridiculous, worst service ever!!!', locale: 'en', grade: 'strong' },
        { text: 'the vase arrived a bit scratched', locale: 'en', grade: 'mild' },
        { text: 'obrigado, tudo certo', locale: 'pt-BR', grade: 'none' },
      ]),
    );
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(Object.keys(r.lines[0]!), ['text', 'locale', 'grade', 'strong', 'score']);
    assert.equal(r.lines[0]!.strong, true);
    assert.equal(r.lines[1]!.strong, false);
    const all = r.lines.find((l) => l.summary === 'all')!;
    assert.equal(all.precision, 1);
    assert.equal(all.recall, 1);
    assert.deepEqual(r.lines.slice(3).map((s) => s.summary), ['en', 'pt-BR', 'all']);
  });

  it('scenarios: the product against the 3rd-fallback-only baseline, priced with the cost model', () => {
    const customer = { id: 'c-9', name: 'Test', tier: 'standard', orders: [] };
    const r = run(
      'eval',
      'scenarios',
      file('sc.json', [
        { name: 'asks for a person', locale: 'en', channel: 'webchat', customer, turns: [{ at: 0, text: 'I want to talk to a person' }], expect: { handoff: { turn: 1, reason: 'customer_request', queue: 'support' } } },
        { name: 'hours', locale: 'en', channel: 'webchat', customer, turns: [{ at: 0, text: 'what time do you open?' }, { at: 10, text: 'thanks, bye' }], expect: { handoff: null } },
      ]),
      '--report',
      join(tmp, 'sc-report'),
    );
    assert.equal(r.code, 0, r.err);
    const [a, b, product, baseline] = r.lines;
    assert.equal((a!.handover as { verdict: string }).verdict, 'ok');
    assert.equal((a!.baseline as { verdict: string }).verdict, 'missed', 'the baseline only hands off on the 3rd fallback');
    assert.equal((b!.handover as { verdict: string }).verdict, 'ok');
    assert.equal(product!.summary, 'handover');
    assert.equal(baseline!.summary, 'baseline');
    assert.equal(product!.handoffRate, 0.5);
    assert.equal(baseline!.handoffRate, 0);
    assert.equal(baseline!.missedEscalations, 1);
    // handover: 1 + 2 bot turns, one human contact: (3 × 0.02 + 1.40) / 2
    assert.equal(product!.spendPerConversation, 0.73);
    assert.equal(product!.costPerConversation, 0.73);
    // baseline: 3 bot turns, no contact; the missed escalation costs a contact later (no orders at stake)
    assert.equal(baseline!.spendPerConversation, 0.03);
    assert.equal(baseline!.costPerConversation, 0.73);
    assert.match(readFileSync(join(tmp, 'sc-report', 'index.html'), 'utf8'), /baseline \(3rd fallback only\)/);
  });
});

describe('the understanding gate: test/nlu (held out, never trained on) meets the targets per locale', function () {
  this.timeout(180_000);
  it('accepted or confirmed right ≥ 88 %, accepted right ≥ 70 %, wrongly accepted ≤ 3 %, out of scope caught ≥ 85 % and accepted ≤ 3 %', () => {
    const r = run('eval', 'nlu', 'test/nlu/en.json', 'test/nlu/pt-BR.json', 'test/nlu/es.json');
    assert.equal(r.code, 0, r.err);
    const summaries = r.lines.filter((l) => typeof l.summary === 'string');
    assert.deepEqual(summaries.map((s) => s.summary), ['en', 'pt-BR', 'es', 'all']);
    const misses: string[] = [];
    for (const s of summaries.filter((x) => x.summary !== 'all')) {
      const n = (k: string) => s[k] as number;
      if (n('acceptedRight') + n('confirmedRight') < 0.88) misses.push(`${s.summary}: accepted or confirmed right ${n('acceptedRight') + n('confirmedRight')}`);
      if (n('acceptedRight') < 0.7) misses.push(`${s.summary}: accepted right ${n('acceptedRight')}`);
      if (n('wrongAccepted') > 0.03) misses.push(`${s.summary}: wrongly accepted ${n('wrongAccepted')}`);
      if (n('outOfScopeFallback') < 0.85) misses.push(`${s.summary}: out of scope caught ${n('outOfScopeFallback')}`);
      if (n('outOfScopeAccepted') > 0.03) misses.push(`${s.summary}: out of scope accepted ${n('outOfScopeAccepted')}`);
    }
    for (const locale of ['en', 'pt-BR', 'es']) {
      const counts = new Map<string | null, number>();
      for (const m of JSON.parse(readFileSync(`test/nlu/${locale}.json`, 'utf8')) as { intent: string | null }[]) counts.set(m.intent, (counts.get(m.intent) ?? 0) + 1);
      assert.ok((counts.get(null) ?? 0) >= 80, `${locale}: at least 80 out-of-scope messages`);
      for (const [intent, n] of counts) if (intent !== null) assert.ok(n >= 25, `${locale}: ${intent} has ${n} messages, at least 25 wanted`);
      assert.equal(counts.size, 16, `${locale}: every intent and out of scope`);
    }
    assert.deepEqual(misses, []);
  });
});
