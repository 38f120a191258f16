import assert from 'node:assert/strict';
import { agentId, queueId } from '../../src/core/ids.js';
import { createMemoryStores } from '../../src/store/memory/index.js';
import { harness, type Harness } from '../support/harness.js';
import type { DomainEvent } from '../../src/core/events.js';

// fraud: 1 agent, 10 minutes a contact, SLA 2 min; callbacks offered above 15 minutes of wait,
// 30-minute slots → capacity 3 per slot (manifest.json)
const FRAUD = 'someone used my card';

describe('callback offers that real capacity can honour', () => {
  const open: Harness[] = [];
  afterEach(async () => {
    for (const h of open.splice(0)) await h.close();
  });
  async function customer(stores: ReturnType<typeof createMemoryStores>, name: string) {
    const h = await harness({ stores, conversation: name });
    open.push(h);
    return h;
  }

  it('offers a time when the wait is long, books it on "1", and re-queues it with priority when due', async () => {
    const stores = createMemoryStores();
    const events: DomainEvent[] = [];
    stores.events.subscribe((e) => {
      events.push(e);
    });
    const first = await customer(stores, 'f1');
    const second = await customer(stores, 'f2');
    assert.doesNotMatch((await first.say(FRAUD, 0)).join(' '), /Reply 1/, 'an empty queue needs no callback');
    await (await customer(stores, 'f0')).say(FRAUD, 0);
    const notice = (await second.say(FRAUD, 0)).join(' ');
    assert.match(notice, /expected wait is about 20 minutes/);
    assert.match(notice, /a person can write to you here at \d{1,2}:\d\d( [AP]M)? instead\. Reply 1 to book that time/);
    assert.equal(await second.app.service.listQueue('fraud').then((q) => q.length), 3);

    const booked = await second.say('1', 30);
    assert.equal(booked.length, 1);
    assert.match(booked[0]!, /^Booked: a person will write to you here at \d{1,2}:\d\d( [AP]M)?\.$/);
    const state = await second.app.service.state(second.id);
    assert.equal(state.status, 'scheduled');
    assert.equal(await second.app.service.listQueue('fraud').then((q) => q.length), 2, 'out of the queue while booked');
    assert.deepEqual(await second.say('are you there?', 60), [], 'the bot stays silent for a booked callback');

    second.clock.set(state.callbackAt! + 1000);
    assert.ok((await second.app.service.escalateDue()) >= 1);
    const due = await second.app.service.state(second.id);
    assert.equal(due.status, 'queued');
    assert.equal(due.priority, 8, 'a booked time outranks ordinary SLA escalations');
    assert.equal((await second.app.service.listQueue('fraud'))[0]?.conversationId, second.id, 'a due callback goes first');
    assert.ok(events.some((e) => e.type === 'handoff.callback_scheduled'));
    assert.ok(events.some((e) => e.type === 'handoff.callback_due'));

    await second.app.service.accept(second.id, agentId('ana'), 'Ana');
    await second.app.service.sendAgentMessage(second.id, agentId('ana'), 'Hi, this is your callback.', 'Ana');
    assert.equal(second.sent().at(-1)?.text, 'Hi, this is your callback.');
  });

  it('never books more callbacks in a slot than its capacity, and offers the next time instead', async () => {
    const stores = createMemoryStores();
    const people: Harness[] = [];
    for (let i = 0; i < 6; i++) people.push(await customer(stores, `c${i}`));
    for (const p of people) await p.say(FRAUD, 0);
    // everyone from the 3rd on was offered a slot; the first slot after the wait holds 3
    const answers = await Promise.all(people.slice(2).map((p) => p.say('1', 10)));
    const bookedTimes = answers.map((a) => a.join(' ')).filter((t) => t.startsWith('Booked'));
    const full = answers.map((a) => a.join(' ')).filter((t) => t.startsWith('That time was just taken'));
    const states = await Promise.all(people.slice(2).map((p) => p.app.service.state(p.id)));
    const perSlot = new Map<number, number>();
    for (const s of states) if (s.status === 'scheduled') perSlot.set(s.callbackAt!, (perSlot.get(s.callbackAt!) ?? 0) + 1);
    assert.ok([...perSlot.values()].every((n) => n <= 3), JSON.stringify([...perSlot]));
    assert.equal(bookedTimes.length + full.length, 4);
    // whoever was told "taken" can book the next time offered
    for (const p of people.slice(2)) {
      if ((await p.app.service.state(p.id)).status === 'queued') assert.match((await p.say('1', 20)).join(' '), /^Booked/);
    }
    void queueId;
  });
});
