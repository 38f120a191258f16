import assert from 'node:assert/strict';
import { createHandover } from '../../src/app.js';
import { SimAdapter } from '../../src/channels/sim/sim-adapter.js';
import { StaticCustomerDirectory } from '../../src/core/static-customer-directory.js';
import { createMemoryStores } from '../../src/store/memory/index.js';
import { manifest } from '../support/harness.js';

const customer = { id: 'c-77', name: 'Rosa Lima', zip: '01310', tier: 'standard' as const, orders: [{ number: 'K48213', total: 40, status: 'shipped' }] };

function bot() {
  const handoffs: { reason: string; queue: string; topic: string | null }[] = [];
  const app = createHandover({
    manifest,
    stores: createMemoryStores(),
    directory: new StaticCustomerDirectory([customer]),
    onDecision: (e) => {
      if (e.handoff !== null) handoffs.push({ reason: e.handoff.reason, queue: e.handoff.queue, topic: e.signals.topic });
    },
  });
  const adapter = new SimAdapter('whatsapp');
  adapter.use(app.middleware);
  const say = async (conversationId: string, text: string, locale = 'en') =>
    (await adapter.receive({ conversationId, userId: customer.id, text, locale }, (ctx) => app.bot.run(ctx))).filter((a) => a.type === 'message').map((a) => a.text ?? '');
  return { say, handoffs };
}

describe('conversations as people write them', () => {
  it('an order number alone is understood as the order it names (dialogs declare suggestedBy)', async () => {
    const b = bot();
    assert.deepEqual(await b.say('e1', 'K48213'), ['Order K48213 is shipped.']);
    assert.deepEqual(await b.say('e2', 'pedido k48213', 'pt-BR'), ['O pedido K48213 está enviado.']);
    assert.equal(b.handoffs.length, 0);
  });

  it('a request for a person beside a substantive intent hands off for the request, to that intent’s queue', async () => {
    const b = bot();
    await b.say('m1', 'fui cobrado duas vezes, quero falar com um atendente', 'pt-BR');
    assert.deepEqual(b.handoffs, [{ reason: 'customer_request', queue: 'billing', topic: 'dispute_charge' }]);
  });

  it('a message in another of the bot’s locales switches the conversation to it, values included', async () => {
    const b = bot();
    // the chat started in English; the customer writes Spanish
    assert.deepEqual(await b.say('l1', 'hola, donde esta mi pedido K48213?', 'en'), ['El pedido K48213 está enviado.']);
    // a message too short to tell keeps the language
    assert.match((await b.say('l1', 'ok', 'en')).join(' '), /[áéíóúñ¿]|entend/i);
    const pt = bot();
    assert.match((await pt.say('l2', 'quero cancelar minha assinatura', 'en')).join(' '), /assinatura|pessoa/);
    assert.equal(pt.handoffs[0]?.reason, 'revenue_risk');
  });

  it('bad input gets a decision, never a throw: empty, 10,000 characters, emoji only, punctuation only, mixed scripts', async () => {
    const b = bot();
    for (const [i, text] of ['', 'x'.repeat(10_000), 'where is my order '.repeat(600), '😀😡📦🙏', '?!?!...¿¡', 'где мой заказ 我的订单 where is my order'].entries()) {
      const out = await b.say(`bad${i}`, text);
      assert.ok(out.length >= 1 || text === '', `a reply to input ${i}`);
    }
  });

  it('"I don’t have it" answers the order-number prompt (missing_entity), it does not start another intent', async () => {
    const b = bot();
    await b.say('p1', 'I want to return an item');
    await b.say('p1', 'I lost the receipt');
    assert.deepEqual(b.handoffs.map((h) => h.reason), ['missing_entity']);
  });
});
