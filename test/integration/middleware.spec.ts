import assert from 'node:assert/strict';
import { ActivityTypes, TestAdapter, type Activity } from 'botbuilder';
import { agentId } from '../../src/core/ids.js';
import { isHandoverError } from '../../src/core/errors.js';
import { harness, manifest, customers, type Harness } from '../support/harness.js';
import { createHandover } from '../../src/app.js';
import { createMemoryStores } from '../../src/store/memory/index.js';
import { StaticCustomerDirectory } from '../../src/core/static-customer-directory.js';
import type { DomainEvent } from '../../src/core/events.js';

describe('HandoffMiddleware through the botbuilder pipeline', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('hands off with the notice, the expected wait and botbuilder handoff.initiate carrying the transcript', async () => {
    h = await harness();
    await h.say("where's my package?", 0);
    const out = await h.send("I don't have it with me", 10);
    const texts = out.filter((a) => a.type === 'message').map((a) => a.text);
    assert.deepEqual(texts, ["I'm connecting you with a person from our customer support team. Someone will be with you shortly."]);
    const initiate = out.find((a) => a.type === 'event' && a.name === 'handoff.initiate') as Activity | undefined;
    assert.ok(initiate, 'handoff.initiate sent');
    const value = initiate.value as { reason: string; queue: string; collected: object; transcript: unknown[] };
    assert.equal(value.reason, 'missing_entity');
    assert.equal(value.queue, 'support');
    const attachment = initiate.attachments?.[0];
    assert.equal(attachment?.name, 'Transcript');
    const activities = (attachment?.content as { activities: Partial<Activity>[] }).activities;
    assert.deepEqual(
      activities.map((a) => a.text),
      ["where's my package?", "Sure — what's your order number? It looks like A12345.", "I don't have it with me"],
    );
    const state = await h.app.service.state(h.id);
    assert.equal(state.status, 'queued');
    assert.equal(state.slaDeadline, h.clock.now() + 600_000);
  });

  it('quotes a longer expected wait when the queue is already busy', async () => {
    const stores = createMemoryStores();
    for (let i = 0; i < 8; i++) {
      const other = await harness({ stores, conversation: `busy-${i}` });
      await other.say('I want to talk to a real person', 0);
      await other.close();
    }
    h = await harness({ stores });
    const texts = await h.say('I want to talk to a real person', 0);
    // 8 waiting; support's one console agent (Ana: nobody is online, so who is on shift — she has
    // no shifts, so whenever support is open), 6 minutes each: (8 / 1) × 6 = 48 minutes
    assert.match(texts.join(' '), /about 48 minutes/);
  });

  it('keeps the bot silent for every activity type while a person owns the chat, and passes messages on', async () => {
    h = await harness();
    const seen: DomainEvent[] = [];
    h.stores.events.subscribe((e) => {
      seen.push(e);
    });
    await h.say('I want to talk to a real person', 0);
    for (const [text, type] of [
      ['hello? anyone?', ActivityTypes.Message],
      ['', ActivityTypes.ConversationUpdate],
      ['', ActivityTypes.Event],
      ['', ActivityTypes.Typing],
      ['where is my order A12345', ActivityTypes.Message],
    ] as const) {
      const out = await h.send(text, 5, { type, ...(type === ActivityTypes.Event ? { name: 'webchat/join' } : {}) });
      assert.deepEqual(out, [], `bot said something for a ${type}`);
    }
    assert.deepEqual(
      seen.filter((e) => e.type === 'customer.message').map((e) => (e as { text: string }).text),
      ['hello? anyone?', 'where is my order A12345'],
    );
    const transcript = await h.stores.transcripts.read(h.id);
    assert.ok(transcript.some((e) => e.from === 'customer' && e.type === 'typing'), 'every activity type is in the transcript');
  });

  it('runs the live session: accept, agent messages through continueConversation, return with settled data kept', async () => {
    h = await harness();
    await h.say("where's my package?", 0);
    await h.say("I don't have it with me", 10);
    const { packet } = await h.app.service.accept(h.id, agentId('ana'), 'Ana');
    assert.equal(packet?.reason, 'missing_entity');
    await h.app.service.sendAgentMessage(h.id, agentId('ana'), 'Found it: A12345, it ships today.', 'Ana');
    const live = h.sent().slice(-2);
    assert.deepEqual(
      live.map((a) => [a.text, (a.channelData as { handover: { role: string } }).handover.role]),
      [
        ['Ana has joined the conversation.', 'system'],
        ['Found it: A12345, it ships today.', 'agent'],
      ],
    );
    assert.equal((live[1]?.channelData as { handover: { agentName: string } }).handover.agentName, 'Ana');
    await h.app.service.returnToBot(h.id, agentId('ana'), { collected: { order_number: 'A12345' } });
    assert.equal(h.sent().at(-1)?.text, "You're back with the Acme Shop assistant. How else can I help?");
    // the bot answers again, and does not ask for the order number the agent settled
    const again = await h.say('where is my order?', 200);
    assert.deepEqual(again, ['Order A12345 is shipped.']);
    const transcript = await h.stores.transcripts.read(h.id);
    assert.ok(transcript.some((e) => e.from === 'agent' && e.text === 'Found it: A12345, it ships today.'));
  });

  it('lets exactly one of two simultaneous accepts win; the other gets "already taken"', async () => {
    h = await harness();
    await h.say('I want to talk to a real person', 0);
    const results = await Promise.allSettled([h.app.service.accept(h.id, agentId('ana')), h.app.service.accept(h.id, agentId('bo'))]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.ok(isHandoverError(lost.reason, 'HANDOVER_ERR_ALREADY_TAKEN'), String(lost.reason));
    assert.match((lost.reason as Error).message, /already taken/);
  });

  it('sends the 2nd transfer without resolution to senior with reason repeated_transfer', async () => {
    h = await harness();
    await h.say('I want to talk to a real person', 0);
    await h.app.service.accept(h.id, agentId('ana'));
    let s = await h.app.service.transfer(h.id, 'billing', { agentId: agentId('ana'), note: 'about an invoice' });
    assert.equal(s.queue, 'billing');
    await h.app.service.accept(h.id, agentId('bo'));
    s = await h.app.service.transfer(h.id, 'sales', { agentId: agentId('bo') });
    assert.equal(s.queue, 'senior');
    assert.equal(s.reason, 'repeated_transfer');
    assert.ok(s.priority >= 3);
    assert.deepEqual((await h.app.service.listQueue('senior')).map((e) => e.conversationId), [h.id]);
    await assert.rejects(h.app.service.transfer(h.id, 'nowhere'), (e: unknown) => isHandoverError(e, 'HANDOVER_ERR_UNKNOWN_QUEUE'));
  });

  it('escalates a handoff past its SLA exactly once per breach', async () => {
    h = await harness();
    await h.say('please delete all my personal data', 0); // support_l2, 10 min SLA
    assert.equal(await h.app.service.escalateDue(), 0);
    h.clock.advanceMs(601_000);
    const [a, b] = await Promise.all([h.app.service.escalateDue(), h.app.service.escalateDue()]);
    assert.equal(a + b, 1);
    assert.equal(await h.app.service.escalateDue(), 0);
    const s = await h.app.service.state(h.id);
    assert.equal(s.priority, 4);
    assert.equal(s.escalations, 1);
  });

  it('answers sensibly to bad input and never throws to the customer', async () => {
    const long = 'I need help with my order '.repeat(400).slice(0, 10_000);
    for (const text of ['', '😡😡😡', long, 'olá, onde está meu pedido?', '   ']) {
      h = await harness();
      const first = await h.say(text, 0);
      assert.equal(first.length, 1, `one answer to ${JSON.stringify(text.slice(0, 20))}`);
      // the same input again: the bot either answers again or hands off, never silence or a throw
      const second = await h.say(text, 5);
      assert.ok(second.length >= 1, `no answer to a repeated ${JSON.stringify(text.slice(0, 20))}`);
      assert.deepEqual(h.errors, []);
      const transcript = await h.stores.transcripts.read(h.id);
      assert.equal(transcript.filter((e) => e.from === 'customer').length, 2, 'every customer message is kept');
      if (text === long) assert.equal(transcript[0]?.text?.length, 10_000);
      await h.close();
    }
  });

  it('answers in the customer\'s locale (pt-BR texts)', async () => {
    h = await harness();
    const out = await h.send('quero falar com uma pessoa', 0, { locale: 'pt-BR' });
    assert.match(out.find((a) => a.type === 'message')?.text ?? '', /Vou transferir você/);
  });

  it('answers in the language the customer writes, whatever the channel said (language detection)', async () => {
    h = await harness();
    const out = await h.send('I want to talk to a real person', 0, { locale: 'pt-BR' });
    assert.match(out.find((a) => a.type === 'message')?.text ?? '', /connecting you with a person/);
  });

  it('works on botbuilder\'s own TestAdapter too', async () => {
    // TestAdapter stands for a desk channel here: handoff.initiate goes into the turn when asked
    const app = createHandover({ manifest, stores: createMemoryStores(), directory: new StaticCustomerDirectory(customers), initiate: 'turn' });
    const adapter = new TestAdapter((ctx) => app.bot.run(ctx));
    adapter.use(app.middleware);
    await adapter
      .send('hi')
      .assertReply((a) => assert.match(a.text ?? '', /Acme Shop assistant/))
      .send('I want to talk to a real person')
      .assertReply((a) => assert.match(a.text ?? '', /connecting you with a person/))
      .assertReply((a) => assert.equal(a.name, 'handoff.initiate'))
      .send('hello?')
      .startTest();
    assert.equal(adapter.activeQueue.length, 0, 'the bot stayed silent after the handoff');
  });
});
