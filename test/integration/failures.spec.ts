import assert from 'node:assert/strict';
import { harness, type Harness } from '../support/harness.js';
import { FlakyStores } from '../support/flaky-stores.js';
import { createMemoryStores } from '../../src/store/memory/index.js';
import { createHandover } from '../../src/app.js';
import { SimAdapter } from '../../src/channels/sim/sim-adapter.js';
import { StaticCustomerDirectory } from '../../src/core/static-customer-directory.js';
import { manifest, customers } from '../support/harness.js';
import { conversationId } from '../../src/core/ids.js';

describe('failures never lose the customer\'s message nor crash the turn', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('store down: the customer is told, the message is kept and written once the store is back, in order', async () => {
    const flaky = new FlakyStores(createMemoryStores());
    h = await harness({ stores: flaky.stores });
    await h.say('hi', 0);
    for (const p of flaky.all()) flaky.down.add(p);
    const during = await h.say('where is my order A12345', 5);
    assert.deepEqual(during, ["We're having a technical problem. Your message is saved and we'll reply as soon as possible."]);
    assert.equal(h.app.middleware.pendingTranscriptLines, 2, 'customer line and system line kept in memory');
    assert.ok(h.errors.length > 0, 'the failure was reported to onError');
    flaky.down.clear();
    const after = await h.say('where is my order A12345', 20);
    assert.deepEqual(after, ['Order A12345 is shipped.']);
    assert.equal(h.app.middleware.pendingTranscriptLines, 0);
    const log = await h.stores.transcripts.read(h.id);
    assert.deepEqual(
      log.filter((e) => e.type === 'message').map((e) => `${e.from}: ${e.text}`),
      [
        'customer: hi',
        "bot: Hi, Dana! I'm the Acme Shop assistant. I can help with orders, returns, billing and store information.",
        'customer: where is my order A12345',
        "system: We're having a technical problem. Your message is saved and we'll reply as soon as possible.",
        'customer: where is my order A12345',
        'bot: Order A12345 is shipped.',
      ],
    );
  });

  it('transcript down only: the bot answers normally and the lines are written later, in order', async () => {
    const flaky = new FlakyStores(createMemoryStores());
    h = await harness({ stores: flaky.stores });
    flaky.down.add('transcripts');
    assert.deepEqual(await h.say('what time do you open on saturday?', 0), [
      "We're open Monday to Friday 9:00–20:00, Saturday 10:00–18:00 and Sunday 11:00–16:00.",
    ]);
    flaky.down.clear();
    await h.say('thanks', 5);
    const log = await h.stores.transcripts.read(h.id);
    assert.deepEqual(
      log.map((e) => e.text),
      ['what time do you open on saturday?', "We're open Monday to Friday 9:00–20:00, Saturday 10:00–18:00 and Sunday 11:00–16:00.", 'thanks', "You're welcome! Have a great day."],
    );
  });

  it('a failing handoff request does not promise a person: the customer is told there is a problem', async () => {
    const flaky = new FlakyStores(createMemoryStores());
    h = await harness({ stores: flaky.stores });
    await h.say('hi', 0);
    flaky.down.add('packets');
    const out = await h.say('I want to talk to a real person', 5);
    assert.deepEqual(out, ["We're having a technical problem. Your message is saved and we'll reply as soon as possible."]);
    assert.equal((await h.app.service.state(h.id)).status, 'bot', 'not queued without a briefing');
    flaky.down.clear();
    const retry = await h.say('I want to talk to a real person', 10);
    assert.match(retry.join(' '), /connecting you with a person/);
    assert.ok((await h.app.service.packet(h.id))?.transcript.length, 'the briefing is there');
  });

  it('an error in the bot reaches onTurnError; the customer message and what the bot said before are kept', async () => {
    const stores = createMemoryStores();
    const app = createHandover({ manifest, stores, directory: new StaticCustomerDirectory(customers) });
    const adapter = new SimAdapter('webchat');
    const turnErrors: unknown[] = [];
    adapter.onTurnError = async (_ctx, e) => {
      turnErrors.push(e);
    };
    adapter.use(app.middleware);
    const out = await adapter.receive({ conversationId: 'boom', userId: 'c-1001', text: 'hello' }, async (ctx) => {
      await ctx.sendActivity('one moment');
      throw new Error('bot bug');
    });
    assert.equal(turnErrors.length, 1);
    assert.match(String(turnErrors[0]), /bot bug/);
    assert.deepEqual(out.map((a) => a.text), ['one moment']);
    const log = await stores.transcripts.read(conversationId('webchat:boom'));
    assert.deepEqual(log.map((e) => e.text), ['hello', 'one moment']);
  });
});
