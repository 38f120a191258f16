import assert from 'node:assert/strict';
import { ActivityTypes, BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import { createHandover } from '../../src/app.js';
import { attachAgentDelivery } from '../../src/bridge/agent-delivery.js';
import { continueOn } from '../../src/bridge/continue-conversation.js';
import { agentId, conversationId } from '../../src/core/ids.js';
import { StaticCustomerDirectory } from '../../src/core/static-customer-directory.js';
import { createMemoryStores } from '../../src/store/memory/index.js';
import { manifest, customers } from '../support/harness.js';

/** A channel adapter written without handover in mind, proactive turns spelled like CloudAdapter's. */
class PlainChannel extends BotAdapter {
  readonly out: Partial<Activity>[] = [];
  async receive(text: string, logic: (c: TurnContext) => Promise<void>): Promise<void> {
    const activity = {
      type: ActivityTypes.Message,
      id: `m${this.out.length}`,
      text,
      channelId: 'plain',
      serviceUrl: 'plain://',
      conversation: { id: 'conv-1', isGroup: false, conversationType: 'personal', name: '' },
      from: { id: 'c-1001', name: 'Dana', role: 'user' },
      recipient: { id: 'bot', name: 'bot', role: 'bot' },
    } as Activity;
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
  async sendActivities(_c: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    this.out.push(...activities);
    return activities.map((_, i) => ({ id: `o${i}` }));
  }
  async updateActivity(): Promise<void> {}
  async deleteActivity(): Promise<void> {}
  async continueConversation(reference: Partial<ConversationReference>, logic: (c: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'ContinueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity as Activity), logic);
  }
}

describe('agent messages through an adapter that knows nothing about handover', () => {
  it('are delivered while the agent owns the chat, and the bot stays silent for the customer', async () => {
    const stores = createMemoryStores();
    const app = createHandover({ manifest, stores, directory: new StaticCustomerDirectory(customers) });
    const adapter = new PlainChannel();
    adapter.use(app.middleware);
    await attachAgentDelivery({ adapter, stores, route: 'plain' });
    await adapter.receive('I want to talk to a real person', (ctx) => app.bot.run(ctx));
    const id = conversationId('plain:conv-1');
    await app.service.accept(id, agentId('ana'), 'Ana');
    await app.service.sendAgentMessage(id, agentId('ana'), 'Hi Dana, Ana here.', 'Ana');
    const texts = adapter.out.filter((a) => a.type === 'message').map((a) => a.text);
    assert.deepEqual(texts.slice(-2), ['Ana has joined the conversation.', 'Hi Dana, Ana here.']);
    const before = adapter.out.length;
    await adapter.receive('thanks Ana', (ctx) => app.bot.run(ctx));
    assert.equal(adapter.out.length, before, 'the bot says nothing while Ana owns the chat');
    const log = await stores.transcripts.read(id);
    assert.ok(!log.some((e) => e.type === 'event' && e.from === 'customer' && (e.meta as { name?: string } | undefined)?.name === 'ContinueConversation'), 'proactive turns are not customer lines');
  });
});

describe("the bot's own proactive messages (a reminder, \"your order shipped\")", () => {
  it('go out and are recorded while the bot owns the chat; never over an agent (skipped, reported by code)', async () => {
    const stores = createMemoryStores();
    const errors: { code: unknown; where: string }[] = [];
    const app = createHandover({ manifest, stores, directory: new StaticCustomerDirectory(customers), onError: (e, where) => void errors.push({ code: (e as { code?: unknown }).code, where }) });
    const adapter = new PlainChannel();
    adapter.use(app.middleware);
    await attachAgentDelivery({ adapter, stores, route: 'plain' });
    await adapter.receive('hello', (ctx) => app.bot.run(ctx));
    const id = conversationId('plain:conv-1');
    const reference = TurnContext.getConversationReference(adapter.out[0] as Activity);
    let ran = 0;
    const remind = (text: string) => async (ctx: TurnContext) => {
      ran++;
      await ctx.sendActivity(text);
    };
    // the plain botbuilder call, and this package's helper (owner 'host' by default)
    await adapter.continueConversation(reference, remind('Your order A12345 shipped.'));
    await continueOn(adapter, reference, remind('It arrives on Friday.'));
    assert.equal(ran, 2);
    let lines = await stores.transcripts.read(id);
    assert.deepEqual(lines.filter((l) => l.from === 'bot' && /shipped|Friday/.test(l.text ?? '')).map((l) => l.text), ['Your order A12345 shipped.', 'It arrives on Friday.'], 'recorded as the bot\'s');
    assert.ok(!lines.some((l) => l.from === 'customer' && l.type === 'event'), 'the proactive turn is not a customer event: ' + JSON.stringify(lines));

    // a person owns the chat: the reminder must not talk over the agent
    await adapter.receive('I want to talk to a real person', (ctx) => app.bot.run(ctx));
    await app.service.accept(id, agentId('ana'), 'Ana');
    const before = adapter.out.length;
    await adapter.continueConversation(reference, remind('Reminder: rate us!'));
    await continueOn(adapter, reference, remind('Reminder: rate us!'));
    assert.equal(ran, 2, 'the host callback did not run');
    assert.ok(!adapter.out.slice(before).some((a) => a.text === 'Reminder: rate us!'));
    assert.deepEqual(errors.filter((e) => e.where === 'bot proactive turn').map((e) => e.code), ['HANDOVER_ERR_NOT_IN_STATE', 'HANDOVER_ERR_NOT_IN_STATE'], 'and the host hears why');
    // the agent's messages still pass (this package's own proactive turns)
    await app.service.sendAgentMessage(id, agentId('ana'), 'Hi, Ana here.', 'Ana');
    assert.equal(adapter.out.at(-1)?.text, 'Hi, Ana here.');
    lines = await stores.transcripts.read(id);
    assert.ok(!lines.some((l) => l.text === 'Reminder: rate us!'));
  });
});

