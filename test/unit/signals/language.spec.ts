import assert from 'node:assert/strict';
import { LanguageIdentifier } from '../../../src/signals/language.js';

const texts = {
  en: ['hey my package still has not arrived', 'when will the delivery come', 'where is my order', 'I want to cancel my subscription', 'can I talk to a person', 'thanks for your help', 'my card was declined', 'what time do you open', 'I need to return this lamp'],
  'pt-BR': ['oi, meu pacote ainda não chegou', 'quando chega a entrega', 'cadê meu pedido', 'quero cancelar minha assinatura', 'quero falar com um atendente', 'obrigado pela ajuda', 'meu cartão foi recusado', 'que horas vocês abrem', 'preciso devolver essa luminária'],
  es: ['dónde está mi pedido', 'quiero cancelar mi suscripción', 'quiero hablar con un asesor', 'gracias por la ayuda', 'me rechazaron la tarjeta', 'a qué hora abren', 'necesito devolver esta lámpara', 'hola buenas, todavía no llegó mi paquete', 'cuándo llega el envío'],
};

describe('LanguageIdentifier', () => {
  const id = LanguageIdentifier.train(texts);
  it('tells the three locales apart on unseen, sloppy messages', () => {
    assert.equal(id.detect('hey where is my package, it never arrived'), 'en');
    assert.equal(id.detect('oi, cade minha encomenda? ainda nao chegou'), 'pt-BR');
    assert.equal(id.detect('hola, donde esta mi paquete? todavia no llega'), 'es');
  });
  it('abstains on messages too short to tell (the conversation keeps its locale)', () => {
    for (const t of ['ok', 'A12345', '👍👍', 'no', '?', '']) assert.equal(id.detect(t), null, t);
  });
  it('needs two locales to decide anything', () => {
    assert.equal(LanguageIdentifier.train({ en: texts.en }).detect('where is my order please'), null);
  });
});

describe('LanguageIdentifier on letters that are no language', () => {
  it('keeps the conversation language for gibberish, and still switches on a typo-ridden real message', async () => {
    const { createHandover } = await import('../../../src/app.js');
    const { SimAdapter } = await import('../../../src/channels/sim/sim-adapter.js');
    const { createMemoryStores } = await import('../../../src/store/memory/index.js');
    const { StaticCustomerDirectory } = await import('../../../src/core/static-customer-directory.js');
    const { manifest } = await import('../../support/harness.js');
    const app = createHandover({ manifest, stores: createMemoryStores(), directory: new StaticCustomerDirectory([]) });
    const adapter = new SimAdapter('whatsapp');
    adapter.use(app.middleware);
    const say = async (conversationId: string, text: string) =>
      (await adapter.receive({ conversationId, userId: 'u', text, locale: 'en' }, (ctx) => app.bot.run(ctx))).filter((a) => a.type === 'message').map((a) => a.text ?? '').join(' ');
    for (const [i, junk] of ['qwpx vvrm', 'blorf zzkt wibble', 'asdfgh jkl qwerty'].entries()) {
      assert.match(await say(`junk${i}`, junk), /Sorry|understand|say it another way/i, `"${junk}" is answered in English`);
    }
    assert.match(await say('typo', 'ondee esta meu pedidoo'), /pedido|não|nao|Qual|número/i, 'Portuguese with typos still switches');
  });
});
