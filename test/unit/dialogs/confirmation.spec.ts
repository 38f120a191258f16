import assert from 'node:assert/strict';
import { cannotGive, confirmationAnswer } from '../../../src/dialogs/confirmation.js';

describe('reading the answer to "Did you mean …?"', () => {
  const ask = (text: string, locale = 'en') => confirmationAnswer(text, locale, locale === 'en' ? 'track an order' : 'acompanhar um pedido', locale === 'en' ? 'Something else' : 'Outra coisa');
  it('takes a button click, a WhatsApp option number and typed yes/no in each locale', () => {
    assert.equal(ask('track an order'), 'yes');
    assert.equal(ask('Something else'), 'no');
    assert.equal(ask('1'), 'yes');
    assert.equal(ask('2'), 'no');
    assert.equal(ask('yes pls'), 'yes');
    assert.equal(ask('Yeah!'), 'yes');
    assert.equal(ask('nope'), 'no');
    assert.equal(ask('sim', 'pt-BR'), 'yes');
    assert.equal(ask('isso mesmo', 'pt-BR'), 'yes');
    assert.equal(ask('não', 'pt-BR'), 'no');
    assert.equal(ask('Outra coisa', 'pt-BR'), 'no');
    assert.equal(confirmationAnswer('sí, eso', 'es', 'seguir un pedido', 'Otra cosa'), 'yes');
    assert.equal(confirmationAnswer('no es eso', 'es', 'seguir un pedido', 'Otra cosa'), 'no');
  });
  it('reads a longer message as a new request, even when it starts with no', () => {
    assert.equal(ask('no, I want to cancel my subscription please'), null);
    assert.equal(ask('where is my refund'), null);
    assert.equal(ask(''), null);
  });
});

describe('a reply that cannot give what a prompt asked for', () => {
  it('is recognised in each locale', () => {
    for (const [t, l] of [["I don't have it", 'en'], ['dont have it with me', 'en'], ['I lost the receipt', 'en'], ["can't find it", 'en'], ['não sei o número', 'pt-BR'], ['perdi o email', 'pt-BR'], ['no lo tengo', 'es'], ['no sé cuál es', 'es']] as const) {
      assert.equal(cannotGive(t, l), true, t);
    }
  });
  it('is not confused with a new request', () => {
    for (const [t, l] of [['what time do you open', 'en'], ['I want to talk to a person', 'en'], ['quero cancelar', 'pt-BR'], ['quiero cancelar', 'es']] as const) {
      assert.equal(cannotGive(t, l), false, t);
    }
  });
});
