import assert from 'node:assert/strict';
import { asksForPerson, withoutPersonRequest } from '../../../src/signals/explicit-request.js';

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
      ['cancela isso e me passa pra alguém', 'pt-BR'],
      ['me transfere para um atendente pfv', 'pt-BR'],
      ['pásame con un humano ya', 'es'],
      ['comunícame con un asesor', 'es'],
      ['can you pass me over to someone', 'en'],
    ] as const) {
      assert.equal(asksForPerson(t, l), true, t);
    }
  });
  it('leaves other mentions of people alone', () => {
    for (const t of ['my person of contact changed address', 'the agent said it would ship', 'human resources ordered 10 chairs', 'where is my order']) {
      assert.equal(asksForPerson(t, 'en'), false, t);
    }
  });
  it('leaves the rest of a mixed message (what else the customer wants)', () => {
    const rest = withoutPersonRequest('I was charged twice and I want to talk to someone', 'en');
    assert.match(rest, /^I was charged twice and/);
    assert.doesNotMatch(rest, /talk|someone/);
    assert.doesNotMatch(withoutPersonRequest('me cobraron dos veces, pásame con un asesor', 'es'), /asesor/);
  });
});
