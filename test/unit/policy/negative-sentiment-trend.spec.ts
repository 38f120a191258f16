import assert from 'node:assert/strict';
import { evaluate, historyToKeep } from '../../../src/policy/evaluate.js';
import { PolicySchema } from '../../../src/config/manifest-schema.js';
import { turn } from '../../support/signals.js';

const policy = PolicySchema.parse({});
const mood = (n: number, score: number, strongNegative = false) => turn({ turn: n, sentiment: { score, comparative: score / 6, strongNegative } });

describe('policy: negative_sentiment on a worsening trend', () => {
  it('hands off when the customer gets angrier turn after turn, with the scores in the trace', () => {
    const d = evaluate(policy, [mood(1, 0), mood(2, -1.5), mood(3, -3)]);
    assert.equal(d.reason, 'negative_sentiment');
    assert.ok(d.trace.some((l) => l.includes('worsening over the last 3 turns (scores 0, -1.5, -3)')), d.trace.join('\n'));
  });

  it('does not hand off on level or improving complaints', () => {
    assert.equal(evaluate(policy, [mood(1, -2), mood(2, -2), mood(3, -2)]).handoff, false);
    assert.equal(evaluate(policy, [mood(1, -3), mood(2, -1.5), mood(3, -1)]).handoff, false);
    assert.equal(evaluate(policy, [mood(1, -1.5), mood(2, -3)]).handoff, false);
  });

  it('a strong message still fires on its own', () => {
    assert.equal(evaluate(policy, [mood(1, 2), mood(2, -6, true)]).reason, 'negative_sentiment');
  });

  it('keeps the two turns a trend needs, even after progress', () => {
    const h = [mood(1, 0), mood(2, -1.5), mood(3, -3)];
    assert.deepEqual(historyToKeep(PolicySchema.parse({ lowConfidence: { consecutiveTurns: 1 } }), h).map((t) => t.turn), [2, 3]);
  });
});
