/**
 * A customer can send an event named `continueConversation` (web chat, Direct Line: any event name
 * goes). It used to be taken for a proactive turn and skip the handoff middleware — not recorded, not
 * gated while an agent owns the chat. Now only a `continueConversation` started inside `runProactive`
 * (agent delivery, burst answers, a host's own proactive code) passes straight through.
 */
import assert from 'node:assert/strict';
import { ActivityTypes, BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import { createHandover } from '../../src/app.js';
import { attachAgentDelivery } from '../../src/bridge/agent-delivery.js';
import { runProactive } from '../../src/bridge/proactive-turn.js';
import { agentId, conversationId } from '../../src/core/ids.js';
import { StaticCustomerDirectory } from '../../src/core/static-customer-directory.js';
import { createMemoryStores } from '../../src/store/memory/index.js';
import { customers, manifest } from '../support/harness.js';

/** A plain botbuilder adapter: what the customer sends goes through `receive`. */
class PlainChannel extends BotAdapter {
  readonly out: Partial<Activity>[] = [];
  private seq = 0;
  async receive(activity: Partial<Activity>, logic: (c: TurnContext) => Promise<void>): Promise<void> {
    const full = {
      id: `in${++this.seq}`,
      // every channel stamps what it delivers (Bot Connector, Direct Line); a proactive turn built from a reference is not
      timestamp: new Date(),
      channelId: 'plain',
      serviceUrl: 'plain://',
      conversation: { id: 'conv-9', isGroup: false, conversationType: 'personal', name: '' },
      from: { id: 'c-1001', name: 'Dana', role: 'user' },
      recipient: { id: 'bot', name: 'bot', role: 'bot' },
      ...activity,
    } as Activity;
    await this.runMiddleware(new TurnContext(this, full), logic);
  }
  async sendActivities(_c: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    this.out.push(...activities);
    return activities.map((_, i) => ({ id: `o${i}` }));
  }
  async updateActivity(): Promise<void> {}
  async deleteActivity(): Promise<void> {}
  async continueConversation(reference: Partial<ConversationReference>, logic: (c: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity as Activity), logic);
  }
}

const ID = conversationId('plain:conv-9');

describe('a customer event named continueConversation', () => {
  it('is recorded as the customer\'s and gated while an agent owns the chat; real proactive turns still pass', async () => {
    const stores = createMemoryStores();
    const app = createHandover({ manifest, stores, directory: new StaticCustomerDirectory(customers) });
    const adapter = new PlainChannel();
    adapter.use(app.middleware);
    await attachAgentDelivery({ adapter, stores, route: 'plain' });
    const botSaw: Partial<Activity>[] = [];
    const logic = async (ctx: TurnContext): Promise<void> => {
      botSaw.push(ctx.activity);
      await app.bot.run(ctx);
    };

    // while the bot owns the chat: recorded as a customer event, then the bot gets it like any event
    await adapter.receive({ type: ActivityTypes.Event, name: 'continueConversation', value: { forged: true } }, logic);
    let log = await stores.transcripts.read(ID);
    const forged = log.filter((e) => e.from === 'customer' && e.type === 'event' && e.meta?.['name'] === 'continueConversation');
    assert.equal(forged.length, 1, 'the customer event is in the transcript');

    // a person takes the chat: the customer's forged event must not reach the bot
    await adapter.receive({ type: ActivityTypes.Message, text: 'I want to talk to a real person' }, logic);
    await app.service.accept(ID, agentId('ana'), 'Ana');
    const seenBefore = botSaw.length;
    const outBefore = adapter.out.length;
    await adapter.receive({ type: ActivityTypes.Event, name: 'ContinueConversation' }, logic);
    assert.equal(botSaw.length, seenBefore, 'the bot is not run while Ana owns the chat');
    assert.equal(adapter.out.length, outBefore, 'nothing is sent to the customer');
    log = await stores.transcripts.read(ID);
    assert.equal(log.filter((e) => e.from === 'customer' && e.type === 'event' && e.meta?.['name'] === 'ContinueConversation').length, 1, 'recorded');

    // the agent's messages (agent delivery, inside runProactive) still reach the customer
    await app.service.sendAgentMessage(ID, agentId('ana'), 'Hi Dana, Ana here.', 'Ana');
    assert.equal(adapter.out.filter((a) => a.type === 'message').at(-1)?.text, 'Hi Dana, Ana here.');
    // and a host's own proactive message inside runProactive is not a customer line
    await runProactive(() =>
      adapter.continueConversation(TurnContext.getConversationReference({ ...(adapter.out[0] as Activity), conversation: { id: 'conv-9' } as Activity['conversation'], channelId: 'plain', serviceUrl: 'plain://' } as Activity), async (ctx) => {
        await ctx.sendActivity('Your order shipped');
      }),
    );
    assert.equal(adapter.out.filter((a) => a.type === 'message').at(-1)?.text, 'Your order shipped');
    log = await stores.transcripts.read(ID);
    assert.equal(log.filter((e) => e.from === 'customer' && e.type === 'event' && /^continueconversation$/i.test(String(e.meta?.['name']))).length, 2, 'only the two the customer sent');
  });
});
