import assert from 'node:assert/strict';
import { SentimentScorer } from '../../../src/signals/sentiment.js';
import { DEFAULT_TREND, worseningTrend } from '../../../src/signals/sentiment-trend.js';

const pts = (...scores: number[]) => scores.map((score, i) => ({ turn: i + 1, score }));

describe('sentiment trend', () => {
  it('fires when the last turns get steadily worse', () => {
    assert.deepEqual(worseningTrend(pts(-1, -2, -3.5)), [-1, -2, -3.5]);
    assert.deepEqual(worseningTrend(pts(0, -1.5, -3)), [0, -1.5, -3]);
    assert.deepEqual(worseningTrend(pts(2, 0, -1.5, -2.5, -4)), [-1.5, -2.5, -4]);
  });

  it('does not fire on mild complaints that stay level, improve, or are too few', () => {
    assert.equal(worseningTrend(pts(-2, -2, -2)), null); // level
    assert.equal(worseningTrend(pts(-3, -2, -3.5)), null); // not steadily worse
    assert.equal(worseningTrend(pts(-0.5, -1, -2)), null); // worse, but still mild
    assert.equal(worseningTrend(pts(0, -1, -3)), null); // not enough in all
    assert.equal(worseningTrend(pts(1, -2, -4)), null); // the first turn was happy
    assert.equal(worseningTrend(pts(-2, -4)), null); // too few turns
    assert.equal(worseningTrend(pts(-1, -2, -3), { ...DEFAULT_TREND, turns: 1 }), null);
  });

  it('catches a conversation that sours with real messages, in each locale', () => {
    const s = new SentimentScorer();
    const conversations: [string, string[]][] = [
      ['en', ['hi, my parcel is a day late', 'still no update and nobody replied to my email', 'this is getting really annoying now']],
      ['pt-BR', ['meu pedido atrasou', 'ainda nada e ninguém responde', 'que saco, o presente estragou']],
      ['es', ['mi pedido se retrasó', 'todavía nada y nadie responde', 'qué fastidio, el regalo se arruinó']],
    ];
    for (const [locale, turns] of conversations) {
      const scored = turns.map((t) => s.score(t, locale));
      assert.ok(scored.every((r) => !r.strongNegative), `${locale}: no single message is strong (${scored.map((r) => r.score).join(', ')})`);
      assert.notEqual(worseningTrend(scored.map((r, i) => ({ turn: i + 1, score: r.score }))), null, `${locale}: ${scored.map((r) => r.score).join(', ')}`);
    }
  });
});
