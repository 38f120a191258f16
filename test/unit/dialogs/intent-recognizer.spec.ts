import assert from 'node:assert/strict';
import { IntentRecognizer } from '../../../src/dialogs/intent-recognizer.js';

const examples = {
  greeting: ['hi', 'hello', 'good morning', 'hey there'],
  order_status: ['where is my order', 'track my package', 'has my order shipped'],
  store_info: ['what time do you open', 'do you ship to canada', 'what is your return policy'],
  human: ['talk to a person', 'I want a human', 'connect me to an agent'],
};

describe('IntentRecognizer', () => {
  const r = IntentRecognizer.train(examples, 'en');
  it('recognises in-vocabulary messages with high confidence', () => {
    for (const [text, intent] of [
      ['hello!', 'greeting'],
      ['where is my order A12345', 'order_status'],
      ['what time do you open', 'store_info'],
      ['can I talk to a real person', 'human'],
    ] as const) {
      const got = r.recognize(text);
      assert.equal(got.intent, intent, text);
      assert.ok(got.confidence >= 0.6, `${text}: ${got.confidence}`);
    }
  });
  it('gives near-zero confidence to out-of-vocabulary text, whatever the likelihoods say', () => {
    for (const t of ['what is the capital of Mongolia', 'hmm', '', '😀😀', 'xyzzy plugh', 'qual é a capital da Mongólia']) {
      assert.ok(r.recognize(t).confidence < 0.2, t);
    }
  });
  it('lowers confidence when only part of the message is known', () => {
    const full = r.recognize('where is my order').confidence;
    const partial = r.recognize('where is my order and also the giraffe in the bathtub').confidence;
    assert.ok(partial < full);
  });
  it('ignores entity values: an order number alone says nothing about the intent', () => {
    assert.equal(r.recognize('A12345').intent, null);
  });
  it('handles 10,000 characters', () => {
    assert.ok(r.recognize('hello '.repeat(2000)).confidence > 0.5);
  });
  it('needs at least two intents', () => {
    assert.throws(() => IntentRecognizer.train({ only: ['a'] }, 'en'), /two intents/);
  });
});
