import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { evaluate, estimateCost, historyToKeep } from '../../../src/policy/evaluate.js';
import { PolicySchema } from '../../../src/config/manifest-schema.js';
import { turn } from '../../support/signals.js';

const policy = PolicySchema.parse({});

describe('policy evaluate', () => {
  it('keeps a calm, confident, progressing conversation with the bot, and says why for every reason', () => {
    const d = evaluate(policy, [turn()]);
    assert.equal(d.handoff, false);
    assert.equal(d.trace.length, 11);
    assert.ok(d.trace.every((l) => / no — /.test(l)));
  });

  const cases: [string, Parameters<typeof turn>[0], string, string][] = [
    ['customer_request', { explicitRequest: true, intent: 'human', topic: 'human' }, 'customer_request', 'support'],
    ['sensitive_topic', { flags: ['sensitive_topic'], intent: 'report_fraud', topicQueue: 'fraud' }, 'sensitive_topic', 'fraud'],
    ['auth_failed on the 3rd failure', { authFailed: true, authFailures: 3, progress: false }, 'auth_failed', 'support_l2'],
    ['revenue_risk', { flags: ['revenue_risk'], topicQueue: 'retention' }, 'revenue_risk', 'retention'],
    ['high_value intent', { flags: ['high_value'], topicQueue: 'sales' }, 'high_value', 'sales'],
    ['high_value purchase by b2b', { flags: ['purchase'], value: { tier: 'b2b', maxOrderTotal: 0, amountNamed: 0, stake: 0 } }, 'high_value', 'sales'],
    ['high_value purchase naming > $100', { flags: ['purchase'], value: { tier: 'standard', maxOrderTotal: 0, amountNamed: 140, stake: 140 } }, 'high_value', 'sales'],
    ['high_value: one fallback of a customer with an order > $100', { fallback: true, confidence: 0, progress: false, value: { tier: 'standard', maxOrderTotal: 250, amountNamed: 0, stake: 0 } }, 'high_value', 'support'],
    ['negative_sentiment', { sentiment: { score: -9, comparative: -1, strongNegative: true } }, 'negative_sentiment', 'support'],
    ['missing_entity', { entitiesMissing: [{ name: 'order_number', requests: 1 }], answeredPrompt: true, progress: false }, 'missing_entity', 'support'],
  ];
  for (const [name, over, reason, queue] of cases) {
    it(`fires ${name}`, () => {
      const d = evaluate(policy, [turn(over)]);
      assert.equal(d.handoff, true, d.trace.join('\n'));
      assert.equal(d.reason, reason);
      assert.equal(d.queue, queue);
      assert.ok(d.trace.some((l) => l.startsWith(`${reason}: FIRED`)));
    });
  }

  it('does not fire a purchase of $100 or less by a standard customer', () => {
    const d = evaluate(policy, [turn({ flags: ['purchase'], value: { tier: 'standard', maxOrderTotal: 500, amountNamed: 100, stake: 100 } })]);
    assert.equal(d.handoff, false);
  });

  it('fires low_confidence only on the 2nd consecutive low turn, and a prompt answer breaks the run', () => {
    const low = turn({ confidence: 0.3, progress: false });
    assert.equal(evaluate(policy, [turn(), low]).handoff, false);
    assert.equal(evaluate(policy, [turn(), low, low]).reason, 'low_confidence');
    const answer = turn({ confidence: 0, answeredPrompt: true });
    assert.equal(evaluate(policy, [low, answer, low]).handoff, false);
  });

  it('fires fallback_loop on the 3rd fallback even when they are not consecutive', () => {
    const fb = (n: number) => turn({ fallback: true, fallbacks: n, confidence: 0.1, progress: false });
    const ok = (n: number) => turn({ fallbacks: n });
    assert.equal(evaluate(policy, [fb(1), ok(1), fb(2)]).handoff, false);
    assert.equal(evaluate(policy, [fb(1), ok(1), fb(2), ok(2), fb(3)]).reason, 'fallback_loop');
    // the count travels on the turn: a pruned history still knows it
    assert.equal(evaluate(policy, [ok(2), fb(3)]).reason, 'fallback_loop');
  });

  it('fires stalled only for a turn without progress more than 90 s after the last progress', () => {
    assert.equal(evaluate(policy, [turn({ progress: false, secondsSinceProgress: 120 })]).reason, 'stalled');
    assert.equal(evaluate(policy, [turn({ progress: true, secondsSinceProgress: 300 })]).handoff, false);
    assert.equal(evaluate(policy, [turn({ progress: false, secondsSinceProgress: 90 })]).handoff, false);
  });

  it('reports the first reason in precedence order and keeps the others in the trace', () => {
    const d = evaluate(policy, [
      turn({ explicitRequest: true, sentiment: { score: -9, comparative: -2, strongNegative: true }, flags: ['revenue_risk'], topicQueue: 'retention' }),
    ]);
    assert.equal(d.reason, 'customer_request');
    assert.deepEqual(
      d.fired.map((f) => f.reason),
      ['customer_request', 'revenue_risk', 'negative_sentiment'],
    );
  });

  it('computes the cost rule from the manifest numbers', () => {
    const history = [
      turn({ value: { tier: 'standard', maxOrderTotal: 95, amountNamed: 0, stake: 95 } }),
      turn({ progress: false, fallback: true, confidence: 0.2, sentiment: { score: -2, comparative: -0.3, strongNegative: false }, value: { tier: 'standard', maxOrderTotal: 95, amountNamed: 0, stake: 95 } }),
    ];
    const c = estimateCost(policy, history);
    // P(success) = 0.95 × (1-0.25 fallback) × (1-0.15 low confidence) × (1-0.15 negative)
    assert.ok(Math.abs(c.failureProbability - (1 - 0.95 * 0.75 * 0.85 * 0.85)) < 1e-9);
    assert.equal(c.valueAtRiskUsd, 95 * 0.05);
    assert.ok(Math.abs(c.botCostUsd - 0.06) < 1e-9);
    const d = evaluate(policy, history);
    assert.equal(d.reason, 'cost');
    // the same evidence about a $42.50 order stays below $1.40
    const cheap = history.map((t) => ({ ...t, value: { ...t.value, stake: 42.5, maxOrderTotal: 42.5 } }));
    assert.equal(evaluate(policy, cheap).handoff, false);
  });

  it('keeps only the history it still needs: since the last progress, and the low-confidence window', () => {
    const h = [turn({ turn: 1 }), turn({ turn: 2, progress: false }), turn({ turn: 3 }), turn({ turn: 4, progress: false }), turn({ turn: 5, progress: false })];
    assert.deepEqual(historyToKeep(policy, h).map((t) => t.turn), [3, 4, 5]);
    assert.deepEqual(historyToKeep(policy, [turn({ turn: 1 }), turn({ turn: 2 })]).map((t) => t.turn), [1, 2]);
  });

  it('honours changed thresholds from the manifest', () => {
    const strict = PolicySchema.parse({ fallbackLoop: { fallbacks: 1 }, stalled: { afterSeconds: 30 } });
    assert.equal(evaluate(strict, [turn({ fallback: true, fallbacks: 1, confidence: 0.5, progress: false })]).reason, 'fallback_loop');
    assert.equal(evaluate(strict, [turn({ progress: false, secondsSinceProgress: 31 })]).reason, 'stalled');
  });
});

describe('evaluate: nothing of a decision outlives it', () => {
  it('a discarded decision leaves nothing in the old generation (a per-call getter made each one promote ~400 bytes)', () => {
    // a child Node with --expose-gc: 100,000 decisions thrown away, young collections in between,
    // then how much the old generation grew per decision (the getter version: ~426 bytes; now: ~0)
    const probe = [
      "require('tsx/cjs/api').register();",
      "const v8 = require('v8');",
      "const { evaluate } = require('./src/policy/evaluate.ts');",
      "const policy = require('./src/config/manifest-schema.ts').PolicySchema.parse({});",
      "const { turn } = require('./test/support/signals.ts');",
      'const history = [turn(), turn()];',
      'for (let i = 0; i < 2000; i++) evaluate(policy, history);',
      'gc(); gc();',
      "const old = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space').space_used_size;",
      'const before = old();',
      "for (let r = 0; r < 5; r++) { for (let i = 0; i < 20000; i++) evaluate(policy, history); gc({ type: 'minor' }); gc({ type: 'minor' }); }",
      'const d = evaluate(policy, history);',
      'process.stdout.write(JSON.stringify({ perDecision: (old() - before) / 100000, trace: JSON.parse(JSON.stringify(d)).trace.length }));',
    ].join('\n');
    const out = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '-e', probe], { encoding: 'utf8' })) as { perDecision: number; trace: number };
    assert.ok(out.perDecision < 20, `old generation grew ${out.perDecision} bytes per decision`);
    assert.equal(out.trace, 11, 'JSON still carries the trace');
  });
});
