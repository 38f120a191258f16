/**
 * What the customer and the console hear when a chat is transferred or waits past its SLA (issue
 * 16): the customer is told where they are going and for how long, in their language, with a
 * status that makes the widget stop naming the previous agent; a 2nd transfer says senior; a
 * breach keeps showing as one (escalation does not move the promised deadline) and the waiting
 * customer hears their place in line at each breach.
 */
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { agentId } from '../../src/core/ids.js';
import { slaDueAtOf } from '../../src/core/handoff-state.js';
import { harness, type Harness } from '../support/harness.js';

const handoverOf = (a: Partial<Activity>): Record<string, unknown> | undefined =>
  (a.channelData as { handover?: Record<string, unknown> } | undefined)?.handover;

describe('transfer and SLA notices', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  /** Messages the customer received after `from` (agent delivery is asynchronous: wait for them). */
  async function sentAfter(from: number, count: number): Promise<Partial<Activity>[]> {
    for (let i = 0; i < 100; i++) {
      const out = h.sent().slice(from).filter((a) => a.type === 'message');
      if (out.length >= count) return out;
      await new Promise((r) => setTimeout(r, 20));
    }
    return h.sent().slice(from).filter((a) => a.type === 'message');
  }

  it('tells the customer where a transfer takes them and how long, then that the 2nd one goes to senior support', async () => {
    h = await harness();
    await h.say('I want to talk to a real person', 0);
    await h.app.service.accept(h.id, agentId('ana'));
    let mark = h.sent().length;
    await h.app.service.transfer(h.id, 'billing', { agentId: agentId('ana'), note: 'about an invoice' });
    let [told] = await sentAfter(mark, 1);
    assert.equal(told?.text, "I'm passing you to our billing team. Someone will be with you shortly.");
    assert.equal(handoverOf(told!)?.['kind'], 'handoff_status');
    assert.equal(handoverOf(told!)?.['state'], 'queued', 'the widget stops naming Ana on this status');

    await h.app.service.accept(h.id, agentId('bo'));
    mark = h.sent().length;
    const s = await h.app.service.transfer(h.id, 'sales', { agentId: agentId('bo') });
    assert.equal(s.queue, 'senior');
    [told] = await sentAfter(mark, 1);
    assert.match(told?.text ?? '', /^I'm passing you to our senior support team\./, 'the customer hears where it really went, not "sales"');
  });

  it('speaks the customer\'s language', async () => {
    h = await harness();
    await h.say('quero falar com um atendente por favor', 0);
    await h.app.service.accept(h.id, agentId('ana'));
    const mark = h.sent().length;
    await h.app.service.transfer(h.id, 'billing', { agentId: agentId('ana') });
    const [told] = await sentAfter(mark, 1);
    assert.match(told?.text ?? '', /^Vou passar você para a nossa equipe de /);
  });

  it('keeps a breach a breach after escalation, and tells the waiting customer their place in line', async () => {
    h = await harness();
    await h.say('I want to talk to a real person', 0); // support, 10 min SLA
    const requested = await h.app.service.state(h.id);
    const promised = requested.slaDeadline!;
    assert.equal(slaDueAtOf(requested), promised);

    h.clock.advanceMs(601_000);
    const mark = h.sent().length;
    assert.equal(await h.app.service.escalateDue(), 1);
    const after = await h.app.service.state(h.id);
    assert.equal(after.escalations, 1);
    assert.ok(after.slaDeadline! > promised, 'the sweep looks again one SLA period later');
    assert.equal(slaDueAtOf(after), promised, 'the deadline shown stays the one promised: the chat shows as breached, by how much');
    const [told] = await sentAfter(mark, 1);
    assert.equal(told?.text, "Sorry for the wait: you're still in line for our customer support team, number 1. Someone will be with you shortly.");

    // a second breach: escalated again, told again, the promise still where it was
    h.clock.advanceMs(601_000);
    assert.equal(await h.app.service.escalateDue(), 1);
    assert.equal(slaDueAtOf(await h.app.service.state(h.id)), promised);
    assert.equal((await sentAfter(mark, 2)).length, 2);

    // once an agent takes it, nobody waits: no deadline
    await h.app.service.accept(h.id, agentId('ana'));
    assert.equal(slaDueAtOf(await h.app.service.state(h.id)), null);
  });
});
