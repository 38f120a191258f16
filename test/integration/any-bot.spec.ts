import assert from 'node:assert/strict';
import { ActivityHandler, type Activity, type RecognizerResult, type ResourceResponse, type TurnContext } from 'botbuilder';
import { HandoffMiddleware, type HandoffMiddlewareOptions } from '../../src/bridge/handoff-middleware.js';
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

function setup(bot: ActivityHandler, onDecision?: HandoffMiddlewareOptions['onDecision']) {
  const clock = new ManualClock(0);
  const stores = createMemoryStores();
  const catalog = loadDialogs({ dialogsDir: 'dialogs', localesDir: 'locales', manifest });
  const middleware = new HandoffMiddleware({ manifest, stores, directory: new StaticCustomerDirectory(customers), texts: new Texts(catalog.locales, 'en'), clock, ...(onDecision === undefined ? {} : { onDecision }) });
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

  it('hands off a bot that keeps saying it did not understand (fallback_loop), in any of the three languages', async () => {
    for (const [sorry, reply] of [
      ["Sorry, I didn't get that. Could you rephrase?", /connecting you with a person/],
      ['Desculpe, não entendi. Pode repetir?', /connecting you with a person/],
      ['Lo siento, no entendí. ¿Puedes repetirlo?', /connecting you with a person/],
    ] as const) {
      class Confused extends ActivityHandler {
        constructor() {
          super();
          this.onMessage(async (context, next) => {
            await context.sendActivity(sorry);
            await next();
          });
        }
      }
      const reasons: (string | null)[] = [];
      const { say } = setup(new Confused(), (e) => reasons.push(e.handoff?.reason ?? null));
      assert.deepEqual(await say('asdf', 0), [sorry]);
      assert.deepEqual(await say('qwer', 5), [sorry]);
      const third = await say('zxcv', 10);
      assert.match(third.join(' '), reply, `the 3rd "${sorry}" hands off`);
      assert.deepEqual(reasons, [null, null, 'fallback_loop']);
      assert.ok(!third.includes(sorry) || third.length === 2, 'the customer sees the fallback it was sent, then the notice');
    }
  });

  it('reads a bot repeating its own question as going round in circles, and an answer as progress', async () => {
    class Asking extends ActivityHandler {
      constructor() {
        super();
        this.onMessage(async (context, next) => {
          const text = context.activity.text ?? '';
          await context.sendActivity(/^\d{5}$/.test(text) ? `Thanks, ${text} it is.` : 'What is your 5-digit account number?');
          await next();
        });
      }
    }
    const reasons: (string | null)[] = [];
    const { say } = setup(new Asking(), (e) => reasons.push(e.handoff?.reason ?? null));
    await say('hi', 0); // asked: progress
    await say('12345', 5); // answered: progress
    await say('and another thing', 10); // asked again (a new question after an answer): progress
    await say('dunno', 15); // the same question: 1
    await say('no idea', 20); // 2
    const last = await say('what?', 25); // 3
    assert.deepEqual(reasons, [null, null, null, null, null, 'fallback_loop']);
    assert.match(last.join(' '), /connecting you with a person/);
  });

  it('sends a progress message before a slow call at once, with the channel\'s id (updateActivity reaches the channel with it)', async () => {
    const clock = new ManualClock(0);
    class Channel extends SimAdapter {
      readonly outbox: { id: string; text: string | undefined }[] = [];
      readonly updates: { id: string | undefined; text: string | undefined }[] = [];
      override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
        const ids = await super.sendActivities(context, activities);
        activities.forEach((a, i) => a.type === 'message' && this.outbox.push({ id: ids[i]!.id, text: a.text }));
        return ids;
      }
      override async updateActivity(_context?: TurnContext, a?: Partial<Activity>): Promise<void> {
        this.updates.push({ id: a?.id, text: a?.text });
      }
    }
    const adapter = new Channel('webchat');
    const catalog = loadDialogs({ dialogsDir: 'dialogs', localesDir: 'locales', manifest });
    adapter.use(new HandoffMiddleware({ manifest, stores: createMemoryStores(), directory: new StaticCustomerDirectory(customers), texts: new Texts(catalog.locales, 'en'), clock }));
    let sentBeforeTheCall = false;
    let heldPrompt: string | undefined;
    await adapter.receive({ conversationId: 'slow', userId: 'c-1001', text: 'status of my refund?' }, async (ctx) => {
      const working = await ctx.sendActivity('Working on it…');
      sentBeforeTheCall = adapter.outbox.some((m) => m.text === 'Working on it…' && m.id === working?.id);
      // … the slow call …
      await ctx.updateActivity({ id: working!.id, type: 'message', text: 'Your refund was sent on Monday.' });
      // a prompt waits (a handoff would replace it); the bot may still change it before it goes
      const prompt = await ctx.sendActivity({ type: 'message', text: 'Anything else?', channelData: { handover: { kind: 'prompt' } } });
      heldPrompt = adapter.outbox.find((m) => m.text === 'Anything else?')?.id;
      await ctx.updateActivity({ id: prompt!.id, type: 'message', text: 'Anything else I can do?' });
    });
    assert.equal(sentBeforeTheCall, true, 'the progress message reached the channel before the bot went on');
    assert.deepEqual(adapter.updates, [{ id: adapter.outbox[0]!.id, text: 'Your refund was sent on Monday.' }], 'the update targets the id the channel issued');
    assert.equal(heldPrompt, undefined, 'the prompt was held during the turn');
    assert.deepEqual(adapter.outbox.map((m) => m.text), ['Working on it…', 'Anything else I can do?'], 'the held prompt went out once, as updated');
  });

  it('logs side-effect failures to a logger it is given (no onError): where, the message and the code', async () => {
    const logged: { msg: string; fields: Record<string, unknown> | undefined }[] = [];
    const logger = { info: () => undefined, warn: () => undefined, debug: () => undefined, error: (msg: string, fields?: Record<string, unknown>) => void logged.push({ msg, fields }) };
    const stores = createMemoryStores();
    stores.transcripts.append = async () => {
      throw new Error('transcript store refused');
    };
    const catalog = loadDialogs({ dialogsDir: 'dialogs', localesDir: 'locales', manifest });
    const middleware = new HandoffMiddleware({ manifest, stores, directory: new StaticCustomerDirectory(customers), texts: new Texts(catalog.locales, 'en'), logger, transcriptRetry: { attempts: 0 } });
    const adapter = new SimAdapter('webchat');
    adapter.use(middleware);
    const out = await adapter.receive({ conversationId: 'logged', userId: 'c-1001', text: 'hello' }, (ctx) => new PlainBot().run(ctx));
    middleware.close();
    assert.ok(out.some((a) => a.text === 'You said: hello'), 'the customer is answered');
    assert.ok(logged.some((l) => /^handoff middleware: append transcript/.test(l.msg)), JSON.stringify(logged));
  });
});

