import assert from 'node:assert/strict';
import type { Activity, RecognizerResult, TurnContext } from 'botbuilder';
import { createHandover } from '../../src/app.js';
import { SimAdapter } from '../../src/channels/sim/sim-adapter.js';
import { StaticCustomerDirectory } from '../../src/core/static-customer-directory.js';
import { createMemoryStores } from '../../src/store/memory/index.js';
import { manifest, customers } from '../support/harness.js';
import type { BotRecognizer } from '../../src/dialogs/dialog-bot.js';

/** A remote recogniser's answers from a table: the bands work on whatever confidence it returns. */
class TableRecognizer implements BotRecognizer {
  constructor(private readonly table: Record<string, [string, number]>) {}
  async recognize(context: TurnContext): Promise<RecognizerResult> {
    const [intent, score] = this.table[context.activity.text ?? ''] ?? ['None', 0.95];
    return { text: context.activity.text ?? '', intents: { [intent]: { score } }, entities: {} };
  }
}

function bot(table: Record<string, [string, number]>, channel = 'webchat') {
  const decisions: { turn: number; reason: string | null; queue: string | null }[] = [];
  let turn = 0;
  const app = createHandover({
    manifest,
    stores: createMemoryStores(),
    directory: new StaticCustomerDirectory(customers),
    recognizer: new TableRecognizer(table),
    onDecision: (e) => decisions.push({ turn, reason: e.handoff?.reason ?? null, queue: e.handoff?.queue ?? null }),
  });
  const adapter = new SimAdapter(channel);
  adapter.use(app.middleware);
  const send = async (conversationId: string, text: string, locale = 'en'): Promise<Partial<Activity>[]> => {
    turn += 1;
    return (await adapter.receive({ conversationId, userId: 'c-1001', text, locale }, (ctx) => app.bot.run(ctx))).filter((a) => a.type === 'message');
  };
  return { send, decisions, handoffs: () => decisions.filter((d) => d.reason !== null) };
}

// accept ≥ 0.70, confirm ≥ 0.40 in manifest.json for every locale
describe('the confirm band: "Did you mean …?"', () => {
  it('asks about a guess with the intent’s label as a quick reply, and acts on it (flags included) when the customer says yes', async () => {
    const b = bot({ 'something about my card': ['payment_failed', 0.55] });
    const [ask] = await b.send('c1', 'something about my card');
    assert.equal(ask?.text, 'Did you mean: fix a payment that failed?');
    assert.deepEqual(ask?.suggestedActions?.actions.map((a) => a.value), ['fix a payment that failed', 'Something else']);
    assert.equal(b.handoffs().length, 0, 'no flag acts on an unconfirmed guess');
    await b.send('c1', 'yes please');
    assert.deepEqual(b.handoffs(), [{ turn: 2, reason: 'revenue_risk', queue: 'billing' }]);
  });

  it('takes a click on the label button as yes, in the customer’s locale', async () => {
    const b = bot({ 'algo do meu cartão': ['payment_failed', 0.5] });
    const [ask] = await b.send('c2', 'algo do meu cartão', 'pt-BR');
    assert.equal(ask?.text, 'Você quis dizer: resolver um pagamento recusado?');
    await b.send('c2', 'resolver um pagamento recusado', 'pt-BR');
    assert.equal(b.handoffs()[0]?.reason, 'revenue_risk');
  });

  it('a refused guess asks to rephrase and counts as a turn the bot did not understand', async () => {
    const b = bot({ 'card stuff': ['payment_failed', 0.65] });
    await b.send('c3', 'card stuff');
    const [rephrase] = await b.send('c3', 'no');
    assert.equal(rephrase?.text, 'Sorry — tell me in other words what you need?');
    assert.equal(b.handoffs().length, 0);
    // refused (confidence 0) + an unknown message: two low-confidence turns in a row
    const out = await b.send('c3', 'blah blah');
    assert.match(out.map((a) => a.text).join(' '), /connecting you with a person/);
    assert.deepEqual(b.handoffs(), [{ turn: 3, reason: 'low_confidence', queue: 'support' }]);
  });

  it('a new request instead of yes or no is recognised as one', async () => {
    const b = bot({ 'card stuff': ['payment_failed', 0.5], 'I want to talk to a person': ['human', 0.97] });
    await b.send('c4', 'card stuff');
    await b.send('c4', 'I want to talk to a person');
    assert.equal(b.handoffs()[0]?.reason, 'customer_request');
  });

  it('a guess at an intent that starts with a slot is confirmed by asking for it', async () => {
    const b = bot({ 'question about the lamp': ['return_item', 0.5] });
    const [ask] = await b.send('c5', 'question about the lamp');
    assert.match(ask?.text ?? '', /order number/i, 'asks for the slot, not "Did you mean"');
    const [answer] = await b.send('c5', 'A12345');
    assert.doesNotMatch(answer?.text ?? '', /didn't understand|order number/i);
  });

  it('below the confirm line the bot says it did not understand; at or above accept it acts', async () => {
    const b = bot({ 'mumble': ['order_status', 0.39], 'where is my order': ['order_status', 0.7] });
    assert.match((await b.send('c6', 'mumble'))[0]?.text ?? '', /didn't understand/);
    assert.match((await b.send('c7', 'where is my order'))[0]?.text ?? '', /order number/i);
  });
});
