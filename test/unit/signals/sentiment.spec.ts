import assert from 'node:assert/strict';
import { SentimentScorer } from '../../../src/signals/sentiment.js';

describe('sentiment', () => {
  const s = new SentimentScorer();
  const strong = (t: string, l = 'en') => s.score(t, l).strongNegative;
  it('flags strong anger or frustration in English', () => {
    for (const t of ['this is ridiculous, worst service ever, I am furious', 'you guys are useless', 'I am so frustrated with this', 'THIS IS UNACCEPTABLE', 'this is a joke', "I'm fed up"]) {
      assert.equal(strong(t), true, t);
    }
  });
  it('leaves mild negativity and neutral or positive messages alone', () => {
    for (const t of ["I don't like the colour of the lamp", 'not great', 'the lamp is a bit small', 'I want to dispute a charge', 'thanks!', 'hmm', '', '🙂']) {
      assert.equal(strong(t), false, t);
    }
  });
  it('works in pt-BR and es with negation', () => {
    assert.equal(strong('Esse atendimento é péssimo, estou muito irritado!', 'pt-BR'), true);
    assert.equal(strong('estoy harto de esperar, es una vergüenza', 'es'), true);
    assert.equal(strong('não gostei da cor', 'pt-BR'), false);
    assert.ok(s.score('não gostei da cor', 'pt-BR').score < 0);
  });
  it('never mutates the English lexicon between calls', () => {
    const before = s.score('foo bar', 'en').score;
    s.score('Esse atendimento é péssimo', 'pt-BR');
    assert.equal(s.score('foo bar', 'en').score, before);
  });

});
