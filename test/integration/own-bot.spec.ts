/**
 * The library apart from the sample (issue 18): a project with its own bot, its own small
 * manifest (one queue, nothing of the sample's) and no dialogs/ or locales/ of ours gets the
 * handoff engine — the middleware hands off on request with neutral texts and its own queue's
 * label, the host's bot answers everything else at once, and the sample bot is refused by name.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ActivityTypes, TestAdapter, type TurnContext } from 'botbuilder';
import { createHandover } from '../../src/app.js';
import { parseManifest } from '../../src/config/load-config.js';
import { isHandoverError } from '../../src/core/errors.js';
import { StaticCustomerDirectory } from '../../src/core/static-customer-directory.js';
import { createMemoryStores } from '../../src/store/memory/index.js';
import { SYSTEM_KEYS } from '../../src/dialogs/load-dialogs.js';
import { NEUTRAL_TEXTS } from '../../src/dialogs/neutral-texts.js';

const ownManifest = {
  name: 'my-bot',
  version: '1.0.0',
  channels: ['webchat'],
  locales: ['en', 'es'],
  defaultLocale: 'en',
  queues: { help: { label: 'Help desk', slaSeconds: 300, agents: 2, avgHandleSeconds: 300 } },
};

describe('createHandover for your own bot (no dialogs/ of ours, a manifest of your own)', function () {
  this.timeout(20_000);
  let root = '';
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'handover-own-bot-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const echo = async (ctx: TurnContext): Promise<void> => {
    if (ctx.activity.type === ActivityTypes.Message) await ctx.sendActivity(`You said: ${ctx.activity.text}`);
  };

  it('a one-queue manifest is valid: every policy queue goes to its only queue', () => {
    const m = parseManifest(ownManifest);
    assert.deepEqual([m.policy.defaultQueue, m.policy.authFailed.queue, m.policy.highValue.salesQueue, m.policy.transfers.seniorQueue], ['help', 'help', 'help', 'help']);
    assert.throws(
      () => parseManifest({ ...ownManifest, queues: { ...ownManifest.queues, other: ownManifest.queues.help } }),
      (e: unknown) => isHandoverError(e, 'HANDOVER_ERR_CONFIG_INVALID') && /policy\.defaultQueue: unknown queue "support" \(queues: help, other\)/.test((e as Error).message),
      'two queues and no defaultQueue: one error that names the queues',
    );
  });

  it('hands off on request with neutral texts and the queue label, answers everything else with the host bot at once', async () => {
    const stores = createMemoryStores();
    const handover = createHandover({ manifest: parseManifest(ownManifest), stores, directory: new StaticCustomerDirectory([]), root });
    const adapter = new TestAdapter(echo);
    adapter.use(handover.middleware);
    await adapter
      .send('hi there')
      .assertReply('You said: hi there')
      .send('I want to talk to a real person')
      // what the host's bot said to it still goes out, then the notice
      .assertReply('You said: I want to talk to a real person')
      .assertReply("I'm connecting you with a person from our Help desk team. Someone will be with you shortly.")
      .send('hello? anyone?')
      .startTest();
    assert.equal(adapter.activeQueue.length, 0, 'the host bot stayed silent once a person owns the chat');
    const [state] = await Promise.all([handover.service.state((await handover.service.listQueue('help'))[0]!.conversationId)]);
    assert.equal(state.queue, 'help');
    assert.equal(state.reason, 'customer_request');
    assert.throws(() => handover.bot, (e: unknown) => isHandoverError(e, 'HANDOVER_ERR_CONFIG_INVALID') && /no dialogs\/ folder/.test((e as Error).message));
    await stores.close();
  });

  it("uses the app's own locales/ texts over the neutral ones", async () => {
    mkdirSync(path.join(root, 'locales'));
    writeFileSync(path.join(root, 'locales', 'en.json'), JSON.stringify({ 'handoff.notice': 'One moment: a {queue} colleague will take over. {wait}' }));
    const stores = createMemoryStores();
    const handover = createHandover({ manifest: parseManifest(ownManifest), stores, directory: new StaticCustomerDirectory([]), root });
    const adapter = new TestAdapter(echo);
    adapter.use(handover.middleware);
    await adapter.send('can I speak to a human please').assertReply('You said: can I speak to a human please').assertReply('One moment: a Help desk colleague will take over. Someone will be with you shortly.').startTest();
    await stores.close();
  });

  it('ships every text the handoff says, in every locale, without the sample shop', () => {
    for (const locale of ['en', 'pt-BR', 'es']) {
      const texts = NEUTRAL_TEXTS[locale] ?? {};
      const missing = SYSTEM_KEYS.filter((k) => texts[k] === undefined);
      assert.deepEqual(missing, [], `${locale} lacks texts`);
      assert.ok(!JSON.stringify(texts).includes('Acme'), `${locale} names the sample shop`);
    }
  });
});
