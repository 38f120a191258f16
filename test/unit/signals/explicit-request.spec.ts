import assert from 'node:assert/strict';
import { asksForPerson } from '../../../src/signals/explicit-request.js';

describe('explicit request for a person', () => {
  it('recognises requests in en, pt-BR and es', () => {
    for (const [t, l] of [
      ['I want to talk to a real person', 'en'],
      ['can I speak with someone?', 'en'],
      ['connect me to an agent', 'en'],
      ['human please', 'en'],
      ['quero falar com um atendente', 'pt-BR'],
      ['atendente!', 'pt-BR'],
      ['quiero hablar con una persona', 'es'],
      ['agente por favor', 'es'],
      ['get me a human', 'es'],
    ] as const) {
      assert.equal(asksForPerson(t, l), true, t);
    }
  });
  it('leaves other mentions of people alone', () => {
    for (const t of ['my person of contact changed address', 'the agent said it would ship', 'human resources ordered 10 chairs', 'where is my order']) {
      assert.equal(asksForPerson(t, 'en'), false, t);
    }
  });
});
