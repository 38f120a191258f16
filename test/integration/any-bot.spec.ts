import assert from 'node:assert/strict';
import { ActivityHandler, type RecognizerResult, type TurnContext } from 'botbuilder';
import { HandoffMiddleware } from '../../src/bridge/handoff-middleware.js';
import { observeRecognizer } from '../../src/bridge/turn-observation.js';
import { SimAdapter } from '../../src/channels/sim/sim-adapter.js';
import { ManualClock } from '../../src/core/clock.js';
import { Texts } from '../../src/core/texts.js';
import { StaticCustomerDirectory } from '../../src/core/static-customer-directory.js';
import { createMemoryStores } from '../../src/store/memory/index.js';
import { loadDialogs } from '../../src/dialogs/load-dialogs.js';
import { manifest, customers } from '../support/harness.js';

/** A plain botbuilder bot that knows nothing about handover, optionally with a recogniser. */
class PlainBot extends ActivityHandler {
  constructor(recognizer?: { recognize(c: TurnContext): Promise<RecognizerResult> }) {
    super();
    this.onMessage(async (context, next) => {
      if (recognizer !== undefined) await recognizer.recognize(context);
      await context.sendActivity({ type: 'typing' });
      await context.sendActivity(`You said: ${context.activity.text ?? ''}`);
      await next();
    });
  }
}

function setup(bot: PlainBot) {
  const clock = new ManualClock(0);
  const stores = createMemoryStores();
  const catalog = loadDialogs({ dialogsDir: 'dialogs', localesDir: 'locales', manifest });
  const middleware = new HandoffMiddleware({ manifest, stores, directory: new StaticCustomerDirectory(customers), texts: new Texts(catalog.locales, 'en'), clock });
  const adapter = new SimAdapter('webchat');
  adapter.use(middleware);
  const say = async (text: string, at: number) => {
    clock.set(at * 1000);
    return (await adapter.receive({ conversationId: 'plain', userId: 'c-1001', text }, (ctx) => bot.run(ctx))).filter((a) => a.type === 'message').map((a) => a.text);
  };
  return { say, stores, middleware };
}

describe('HandoffMiddleware on a bot that knows nothing about it', () => {
  it('does not call a conversation stalled while the bot keeps answering, even minutes apart', async () => {
    const { say } = setup(new PlainBot());
    for (const [i, text] of ['hello', 'tell me more', 'and then?', 'ok'].entries()) {
      assert.deepEqual(await say(text, i * 120), [`You said: ${text}`]);
    }
  });

  it('still hands off on an explicit request and on anger, then keeps the bot silent', async () => {
    const { say, stores } = setup(new PlainBot());
    await say('hello', 0);
    assert.match((await say('this is ridiculous, worst service ever', 5)).join(' '), /connecting you with a person/);
    assert.deepEqual(await say('hello?', 10), []);
    const log = await stores.transcripts.read('webchat:plain' as never);
    assert.ok(log.some((e) => e.from === 'bot' && e.type === 'typing'), 'every outgoing activity type is in the transcript');
    const { say: say2 } = setup(new PlainBot());
    assert.match((await say2('can I talk to a real person?', 0)).join(' '), /connecting you with a person/);
  });

  it('records what a bot sends on a conversationUpdate (a welcome) in the transcript', async () => {
    class Welcoming extends PlainBot {
      constructor() {
        super();
        this.onMembersAdded(async (context, next) => {
          await context.sendActivity('Welcome to Acme!');
          await next();
        });
      }
    }
    const { stores } = setup(new Welcoming());
    const bot = new Welcoming();
    const adapter = new SimAdapter('webchat');
    const catalog = loadDialogs({ dialogsDir: 'dialogs', localesDir: 'locales', manifest });
    adapter.use(new HandoffMiddleware({ manifest, stores, directory: new StaticCustomerDirectory(customers), texts: new Texts(catalog.locales, 'en') }));
    await adapter.receive({ conversationId: 'welcome', userId: 'c-1001', type: 'conversationUpdate' }, async (ctx) => {
      ctx.activity.membersAdded = [{ id: 'c-1001', name: 'Dana' }];
      await bot.run(ctx);
    });
    const log = await stores.transcripts.read('webchat:welcome' as never);
    assert.deepEqual(
      log.map((e) => `${e.from}/${e.type}/${e.text ?? ''}`),
      ['customer/conversationUpdate/', 'bot/message/Welcome to Acme!'],
    );
  });

  it('reads intent and confidence from any recogniser wrapped with observeRecognizer', async () => {
    const scores = [0.9, 0.3, 0.2];
    let n = 0;
    const recognizer = observeRecognizer({
      recognize: async (c: TurnContext): Promise<RecognizerResult> => ({ text: c.activity.text ?? '', intents: { Whatever: { score: scores[n++] ?? 0 } } }),
    });
    const { say } = setup(new PlainBot(recognizer));
    await say('first', 0);
    await say('second', 5);
    assert.match((await say('third', 10)).join(' '), /connecting you with a person/, 'two consecutive scores under 0.60');
  });
});
