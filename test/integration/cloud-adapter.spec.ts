/**
 * A bot on botbuilder's CloudAdapter (what BotBuilder-Samples and the Azure templates use), with its
 * own tiny logic and the handoff middleware, against a local stand-in for the Bot Connector (the
 * only fake: Azure's service): the customer asks for a person, an agent accepts and writes, and the
 * agent's line reaches the customer through CloudAdapter's proactive API
 * (`continueConversationAsync`; the legacy `continueConversation` throws on CloudAdapter, so before
 * this every agent message was dead-lettered).
 */
import assert from 'node:assert/strict';
import { ActivityTypes, CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity, type TurnContext } from 'botbuilder';
import { createHandover } from '../../src/app.js';
import { attachAgentDelivery } from '../../src/bridge/agent-delivery.js';
import { conversationKeyOf } from '../../src/bridge/handoff-middleware.js';
import { agentId } from '../../src/core/ids.js';
import { StaticCustomerDirectory } from '../../src/core/static-customer-directory.js';
import { createMemoryStores } from '../../src/store/memory/index.js';
import { startConnector } from '../support/bot-connector.js';
import { customers, manifest } from '../support/harness.js';

/** POST /api/messages as a channel would, through CloudAdapter.process. */
async function deliver(adapter: CloudAdapter, activity: Partial<Activity>, logic: (ctx: TurnContext) => Promise<void>): Promise<number> {
  let status = 0;
  const res = {
    socket: null,
    status(code: number) {
      status = code;
      return res;
    },
    header() {
      return res;
    },
    send() {
      return res;
    },
    end() {
      return res;
    },
  };
  await adapter.process({ body: activity, headers: {}, method: 'POST' }, res, logic);
  return status;
}

describe('handover on a CloudAdapter bot (local Bot Connector stand-in)', function () {
  this.timeout(20_000);

  it('hands off on request and delivers the agent\'s reply through continueConversationAsync', async () => {
    const connector = await startConnector();
    const stores = createMemoryStores();
    const errors: string[] = [];
    // the briefing goes to the app's desk connector, never into the customer's conversation
    const desk: Partial<Activity>[] = [];
    const app = createHandover({
      manifest,
      stores,
      directory: new StaticCustomerDirectory(customers),
      route: () => 'cloud',
      initiate: async (event) => void desk.push(event),
      onError: (e, where) => errors.push(`${where}: ${String(e)}`),
    });
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    adapter.onTurnError = async (_ctx, e) => void errors.push(`turn: ${String(e)}`);
    adapter.use(app.middleware);
    // the host's own bot: no dialogs of ours
    const logic = async (ctx: TurnContext): Promise<void> => {
      if (ctx.activity.type === ActivityTypes.Message) await ctx.sendActivity(`You said: ${ctx.activity.text}`);
    };
    const stop = await attachAgentDelivery({ adapter, stores, route: 'cloud' });
    try {
      const base = {
        type: ActivityTypes.Message,
        channelId: 'emulator',
        serviceUrl: connector.url,
        from: { id: 'c-1001', name: 'Maya' },
        recipient: { id: 'bot', name: 'bot' },
        conversation: { id: 'conv-cloud-1', isGroup: false, conversationType: 'personal', name: '' },
        locale: 'en',
      } as Partial<Activity>;
      assert.equal(await deliver(adapter, { ...base, id: 'm1', text: 'hello' }, logic), 200);
      assert.deepEqual(connector.posted.map((p) => p.activity.text), ['You said: hello'], 'the bot answers through the connector');

      await deliver(adapter, { ...base, id: 'm2', text: 'I want to talk to a real person' }, logic);
      const notice = connector.posted.find((p) => /connecting you with a person/.test(p.activity.text ?? ''));
      assert.ok(notice, 'the handoff notice reached the customer');
      assert.ok(!connector.posted.some((p) => p.activity.type === 'event'), 'no handoff.initiate (briefing and transcript) sent to the customer');
      assert.deepEqual(desk.map((e) => e.name), ['handoff.initiate'], 'the desk connector got the briefing');
      const id = conversationKeyOf(base);
      assert.equal((await app.service.state(id)).status, 'queued');

      await app.service.accept(id, agentId('ana'), 'Ana');
      await app.service.sendAgentMessage(id, agentId('ana'), 'Hi Maya, Ana here. Let me look at that.', 'Ana');
      for (let i = 0; i < 100 && !connector.posted.some((p) => p.activity.text === 'Hi Maya, Ana here. Let me look at that.'); i++) await new Promise((r) => setTimeout(r, 20));
      const reply = connector.posted.find((p) => p.activity.text === 'Hi Maya, Ana here. Let me look at that.');
      assert.ok(reply, `the agent's line reached the connector (errors: ${errors.join('; ')})`);
      assert.match(reply.path, /^\/v3\/conversations\/conv-cloud-1\/activities/);
      assert.equal((reply.activity.channelData as { handover?: { role?: string } }).handover?.role, 'agent');
      assert.deepEqual((await stores.relay.deadLetters()).letters, [], 'nothing dead-lettered');

      // while Ana owns the chat the host's bot stays silent
      const before = connector.posted.length;
      await deliver(adapter, { ...base, id: 'm3', text: 'thanks, waiting' }, logic);
      assert.ok(!connector.posted.slice(before).some((p) => /^You said/.test(p.activity.text ?? '')), 'the bot did not talk over the agent');
      assert.deepEqual(errors, []);
    } finally {
      await stop();
      await stores.close();
      await connector.close();
    }
  });

  it('sends no handoff.initiate into the customer\'s conversation by default (CloudAdapter would show it to the customer)', async () => {
    const connector = await startConnector();
    const stores = createMemoryStores();
    const app = createHandover({ manifest, stores, directory: new StaticCustomerDirectory(customers), route: () => 'cloud' });
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    adapter.use(app.middleware);
    try {
      const activity = {
        type: ActivityTypes.Message,
        id: 'm1',
        text: 'I want to talk to a real person',
        channelId: 'emulator',
        serviceUrl: connector.url,
        from: { id: 'c-1001', name: 'Maya' },
        recipient: { id: 'bot', name: 'bot' },
        conversation: { id: 'conv-cloud-2', isGroup: false, conversationType: 'personal', name: '' },
      } as Partial<Activity>;
      await deliver(adapter, activity, async () => undefined);
      assert.ok(connector.posted.some((p) => /connecting you with a person/.test(p.activity.text ?? '')), 'handed off');
      assert.deepEqual(connector.posted.filter((p) => p.activity.type !== 'message').map((p) => p.activity.name), []);
    } finally {
      await stores.close();
      await connector.close();
    }
  });
});
