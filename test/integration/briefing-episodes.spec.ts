/**
 * The briefing tells the truth about the episode it belongs to (issue 16): the steps are what the
 * customer saw — a fallback or re-prompt that the handoff replaced with its notice is not among
 * them — and a second handoff after the agent gave the chat back tells only the second episode
 * (its steps and its mood), on the real sample bot and pipeline.
 */
import assert from 'node:assert/strict';
import { createHandover } from '../../src/app.js';
import { SimAdapter } from '../../src/channels/sim/sim-adapter.js';
import type { HandoffPacket } from '../../src/core/conversation.js';
import { agentId, conversationId } from '../../src/core/ids.js';
import { StaticCustomerDirectory } from '../../src/core/static-customer-directory.js';
import { createMemoryStores } from '../../src/store/memory/index.js';
import { customers, manifest } from '../support/harness.js';

describe('the briefing tells only what the customer saw, per episode', () => {
  it('leaves out the fallback the handoff replaced, and starts over after the agent returns the chat', async () => {
    const packets: HandoffPacket[] = [];
    const app = createHandover({
      manifest,
      stores: createMemoryStores(),
      directory: new StaticCustomerDirectory(customers),
      onDecision: (e) => void (e.handoff !== null && packets.push(e.handoff)),
    });
    const adapter = new SimAdapter('whatsapp');
    adapter.use(app.middleware);
    const say = async (text: string) =>
      (await adapter.receive({ conversationId: 'ep', userId: 'c-1001', text, locale: 'en' }, (ctx) => app.bot.run(ctx))).filter((a) => a.type === 'message').map((a) => a.text ?? '');
    const id = conversationId('whatsapp:ep');

    const seen: string[] = [];
    // words the bot cannot place: "I didn't understand" until the policy hands off (low confidence twice, or the 3rd fallback)
    for (const text of ['the purple elephant sings', 'bananas are yellow', 'my cat likes jazz', 'the weather on mars']) {
      if (packets.length === 0) seen.push(...(await say(text)));
    }
    assert.equal(packets.length, 1, 'handed off');
    const first = packets[0]!;
    assert.ok(['low_confidence', 'fallback_loop'].includes(first.reason), first.reason);
    const fallbacksSeen = seen.filter((t) => !/person/i.test(t)).length;
    const fallbackSteps = first.steps.filter((s) => s === 'said it did not understand').length;
    assert.equal(fallbackSteps, fallbacksSeen, `one step per fallback the customer saw (${fallbacksSeen}), not the 3rd one the notice replaced: ${JSON.stringify(first.steps)}`);
    assert.equal(fallbacksSeen, first.turn - 1, 'every turn before the handoff got a fallback; the handoff turn got the notice');

    await app.service.accept(id, agentId('ana'), 'Ana');
    await app.service.returnToBot(id, agentId('ana'), { note: 'explained the options' });
    // the second episode: an angry customer, handed off at once
    await say('this is absolutely ridiculous, worst service ever, I am furious');
    assert.equal(packets.length, 2);
    const second = packets[1]!;
    assert.ok(!second.steps.includes('said it did not understand'), `no step of the first episode: ${JSON.stringify(second.steps)}`);
    assert.equal(second.sentiment.length, 1, `the mood of this episode only: ${JSON.stringify(second.sentiment)}`);
    assert.ok(second.sentiment[0]!.score < 0);
  });
});
