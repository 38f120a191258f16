import assert from 'node:assert/strict';
import { agentId } from '../../src/core/ids.js';
import { ManualClock } from '../../src/core/clock.js';
import { createMemoryStores } from '../../src/store/memory/index.js';
import { MetricsRecorder, readMetrics } from '../../src/handoff/metrics.js';
import { harness, manifest, type Harness } from '../support/harness.js';

describe('metrics: containment, overflow, cost per resolution, satisfaction after transfer', () => {
  const open: Harness[] = [];
  afterEach(async () => {
    for (const h of open.splice(0)) await h.close();
  });

  it('computes the day\'s figures from real conversations', async () => {
    const stores = createMemoryStores();
    const make = async (name: string) => {
      const h = await harness({ stores, conversation: name });
      open.push(h);
      return h;
    };
    // contained: 3 bot turns, no handoff
    const calm = await make('calm');
    await calm.say('hi', 0);
    await calm.say('what time do you open on saturday?', 5);
    await calm.say('thanks', 9);
    // handed off, accepted, resolved, rated 4 (the answer never reaches the bot)
    const helped = await make('helped');
    await helped.say('I want to talk to a real person', 0);
    await helped.app.service.accept(helped.id, agentId('ana'), 'Ana');
    await helped.app.service.resolve(helped.id, agentId('ana'), 'Ana');
    assert.equal(helped.sent().at(-1)?.text, 'How would you rate the help you got, from 1 (poor) to 5 (great)?');
    assert.deepEqual(await helped.say('4', 60), ['Thank you for your feedback!']);
    assert.deepEqual(await helped.say('what time do you open on saturday?', 70), [
      "We're open Monday to Friday 9:00–20:00, Saturday 10:00–18:00 and Sunday 11:00–16:00.",
    ], 'after the rating the bot is back');
    // overflow: fraud has 1 agent and a 2-minute SLA; the 2nd in line already waits 10 minutes
    for (const n of ['f1', 'f2']) await (await make(n)).say('someone used my card', 0);

    for (const h of open) await h.app.metrics.flush();
    const m = await readMetrics(stores.documents, manifest, calm.clock.now());
    assert.equal(m.counts.conversations, 4);
    assert.equal(m.counts.conversationsHandedOff, 3);
    assert.equal(m.containmentRate, 0.25);
    assert.equal(m.counts.handoffs, 3);
    assert.deepEqual(m.counts.byReason, { customer_request: 1, sensitive_topic: 2 });
    assert.equal(m.counts.handoffsOverflowed, 1);
    assert.equal(m.overflowRate, 0.3333);
    // counted once, where the transition was made, although four "processes" share the event bus
    assert.equal(m.counts.humanContacts, 1);
    assert.equal(m.counts.resolvedByAgent, 1);
    // (3 + 1 + 1 + 1 + 1 bot turns × $0.02 + 1 human contact × $1.40) ÷ (1 contained + 1 resolved)
    assert.equal(m.costPerResolutionUsd, 0.77);
    assert.deepEqual(m.satisfactionAfterTransfer, { mean: 4, responses: 1 });
    assert.equal(m.counts.botTurns, 3 + 1 + 1 + 1 + 1);
  });

  it('adds up counts flushed by several processes at the same time', async () => {
    const stores = createMemoryStores();
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 12));
    const recorders = [1, 2, 3].map(() => new MetricsRecorder(stores.documents, clock));
    recorders.forEach((r, i) => r.count({ conversations: 10 * (i + 1), botTurns: 100, byReason: { cost: i } }));
    await Promise.all(recorders.map((r) => r.flush()));
    const m = await readMetrics(stores.documents, manifest, clock.now());
    assert.equal(m.counts.conversations, 60);
    assert.equal(m.counts.botTurns, 300);
    assert.deepEqual(m.counts.byReason, { cost: 3 });
    // cost per resolution: 300 bot turns × $0.02, nothing handed off: $6 over 60 contained
    assert.equal(m.costPerResolutionUsd, 0.1);
  });
});
