import assert from 'node:assert/strict';
import { IntentRecognizer } from '../../../src/dialogs/intent-recognizer.js';
import { foldText, normalizeWords } from '../../../src/dialogs/normalize-text.js';

const examples = {
  greeting: ['hi', 'hello', 'good morning', 'hey there', 'hiya', 'good evening'],
  order_status: ['where is my order', 'track my package', 'has my order shipped', 'my parcel is late', 'when will my stuff arrive', 'status of order A12345'],
  store_info: ['what time do you open', 'do you ship to canada', 'what is your return policy', 'opening hours', 'how much is shipping', 'are you open sunday'],
  human: ['talk to a person', 'I want a human', 'connect me to an agent', 'real person please', 'let me speak to someone', 'get me a representative'],
};
const outOfScope = ['tell me a joke', 'what is the weather', 'capital of france', 'asdfgh', 'lol', 'book a flight', 'order a pizza', 'who won the game', 'are you a robot', 'my netflix password'];

describe('normalising what people type', () => {
  it('folds case, accents and letter runs, and keeps double letters', () => {
    assert.equal(foldText('HOLAAA Cadê'), 'hola cade');
    assert.equal(foldText('pleaseee, too good'), 'please, too good');
  });
  it('spells out each locale’s shorthand and only that locale’s', () => {
    assert.deepEqual(normalizeWords('vc pode ver pfv', 'pt-BR'), ['voce', 'pode', 'ver', 'por', 'favor']);
    assert.deepEqual(normalizeWords('xq no llega porfa', 'es'), ['porque', 'no', 'llega', 'por', 'favor']);
    assert.deepEqual(normalizeWords('thx u r great', 'en'), ['thanks', 'you', 'are', 'great']);
    assert.deepEqual(normalizeWords('q', 'en'), ['q'], '"q" means nothing in English');
  });
  it('turns entity values and other companies into placeholder words', () => {
    assert.deepEqual(normalizeWords('order K48213 for $140 to ana@example.com', 'en'), ['order', 'ordernumber', 'for', 'moneyamount', 'to', 'emailaddress']);
    assert.deepEqual(normalizeWords('cadê meu pedido do mercado livre', 'pt-BR'), ['cade', 'meu', 'pedido', 'do', 'otherbrand']);
    assert.deepEqual(normalizeWords('my netflix bill', 'en'), ['my', 'otherbrand', 'bill']);
  });
});

describe('IntentRecognizer', () => {
  const r = IntentRecognizer.train(examples, 'en', { outOfScope });
  it('recognises sloppy, unseen wording of a known intent', () => {
    for (const [text, intent] of [
      ['helloooo', 'greeting'],
      ['wheres my ordr K48213', 'order_status'],
      ['wat time u open', 'store_info'],
      ['can i talk to a real persn', 'human'],
    ] as const) {
      assert.equal(r.recognize(text).intent, intent, text);
    }
  });
  it('is more confident about a clear request than about a message made of unknown words', () => {
    const clear = r.recognize('where is my order').confidence;
    for (const t of ['the quick brown fox jumps', 'qual é a capital da Mongólia', 'xyzzy plugh']) assert.ok(r.recognize(t).confidence < clear, t);
  });
  it('learns out of scope as a class: it lowers the confidence and is never returned as an intent', () => {
    const got = r.recognize('tell me a joke about the weather');
    assert.ok(got.outOfScope !== undefined && got.outOfScope > 0.3, String(got.outOfScope));
    assert.notEqual(got.intent, '\u0000out_of_scope');
    assert.ok(got.ranking.every((x) => Object.keys(examples).includes(x.intent)));
  });
  it('returns no intent for a message with no words (entity values only, emoji, punctuation, empty)', () => {
    for (const t of ['A12345', '😀😀', '?!…', '', '   ', '$140']) {
      const got = r.recognize(t);
      assert.equal(got.intent, null, t);
      assert.equal(got.confidence, 0, t);
    }
  });
  it('decides on 10,000 characters and mixed scripts without throwing', () => {
    assert.ok(r.recognize('hello '.repeat(2000)).intent === 'greeting');
    assert.doesNotThrow(() => r.recognize('где мой заказ 我的订单在哪里 where is my order'));
  });
  it('gives the same scores for the same examples (seeded training)', () => {
    IntentRecognizer.clearCache();
    const other = IntentRecognizer.train({ ...examples }, 'en', { outOfScope: [...outOfScope] });
    for (const t of ['hi', 'where is it', 'book a table']) assert.deepEqual(other.recognize(t), r.recognize(t));
  });
  it('needs at least two intents', () => {
    assert.throws(() => IntentRecognizer.train({ only: ['a'] }, 'en'), /two intents/);
  });
});
