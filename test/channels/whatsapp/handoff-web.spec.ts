/**
 * The whole handoff over whatsapp-web.js: the real middleware, the real Acme dialogs and the real
 * handoff service on the memory store, wired by `attachWhatsAppWeb` exactly as `start` wires them.
 * Only WhatsApp itself is fake (FakeWwebjsClient: the network edge).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createHandover, type Handover } from '../../../src/app.js';
import { attachWhatsAppWeb, type AttachedWhatsAppWeb, type WhatsAppHandoverApp } from '../../../src/channels/whatsapp/attach.js';
import type { ChannelLogger } from '../../../src/channels/whatsapp/shared/channel-logger.js';
import type { Sleep } from '../../../src/channels/whatsapp/shared/sleep.js';
import { ManualClock } from '../../../src/core/clock.js';
import { isHandoverError } from '../../../src/core/errors.js';
import type { DomainEvent } from '../../../src/core/events.js';
import { agentId, conversationId, type ConversationId } from '../../../src/core/ids.js';
import type { Stores } from '../../../src/core/ports/stores.js';
import { StaticCustomerDirectory } from '../../../src/core/static-customer-directory.js';
import { loadDialogs, type DialogCatalog } from '../../../src/dialogs/load-dialogs.js';
import { MemoryLease } from '../../../src/store/memory/memory-lease.js';
import { createMemoryStores } from '../../../src/store/memory/index.js';
import { FakeWwebjsClient } from '../../support/fake-wwebjs-client.js';
import { customers, manifest } from '../../support/harness.js';

/** Maria, a sample customer (data/customers.json) known by her WhatsApp chat id. */
const MARIA = '15550100001@c.us';
const STRANGER = '15550199999@c.us';

// The app createHandover builds is what attachWhatsAppWeb takes (checked by the compiler).
const _appFits = (app: Handover): WhatsAppHandoverApp => app;
void _appFits;

function memoryLogger(): ChannelLogger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (m: string, f?: Record<string, unknown>) => void lines.push(`${level} ${m} ${f === undefined ? '' : JSON.stringify(f)}`);
  return { lines, info: log('info'), warn: log('warn'), error: log('error') };
}

interface World {
  app: Handover;
  stores: Stores;
  client: FakeWwebjsClient;
  web: AttachedWhatsAppWeb;
  clock: ManualClock;
  /** Pacing waits the adapter asked for (recorded, not waited). */
  delays: number[];
  events: DomainEvent[];
  errors: unknown[];
  logger: ReturnType<typeof memoryLogger>;
  qrs: string[];
  /** Everything sent to `chat` so far. */
  sentTo(chat: string): string[];
  /** A customer writes; resolves when the turn and every reply are done. */
  customer(chat: string, text: string, opts?: Parameters<FakeWwebjsClient['inbound']>[2]): Promise<string[]>;
  settle(): Promise<void>;
  close(): Promise<void>;
}

async function world(opts: { catalog?: DialogCatalog } = {}): Promise<World> {
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 15));
  const stores = createMemoryStores();
  const errors: unknown[] = [];
  const app = createHandover({
    manifest,
    stores,
    clock,
    directory: new StaticCustomerDirectory(customers),
    onError: (e) => void errors.push(e),
    ...(opts.catalog === undefined ? {} : { catalog: opts.catalog }),
  });
  const events: DomainEvent[] = [];
  stores.events.subscribe((e) => void events.push(e));
  const client = new FakeWwebjsClient();
  const delays: number[] = [];
  const sleep: Sleep = async (ms) => void delays.push(ms);
  const logger = memoryLogger();
  const qrs: string[] = [];
  const web = await attachWhatsAppWeb({
    app,
    stores,
    manifest,
    lease: new MemoryLease(),
    logger,
    clock,
    sleep,
    printQr: (qr) => void qrs.push(qr),
    clientFactory: async () => client,
  });
  if (!web.supervisor.isReady) await once(web.supervisor, 'ready');
  const settle = () => web.adapter.whenIdle();
  const sentTo = (chat: string) => client.sent.filter((s) => s.chatId === chat).map((s) => s.content);
  return {
    app,
    stores,
    client,
    web,
    clock,
    delays,
    events,
    errors,
    logger,
    qrs,
    sentTo,
    settle,
    customer: async (chat, text, extra) => {
      const before = sentTo(chat).length;
      await client.inbound(chat, text, extra);
      await settle();
      return sentTo(chat).slice(before);
    },
    close: async () => {
      await web.stop();
      await stores.close();
    },
  };
}

const idOf = (chat: string): ConversationId => conversationId(`whatsapp:${chat}`);

describe('handoff over WhatsApp (whatsapp-web.js) with the real middleware and dialogs', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('starts like `start` does: QR printed, session folder and lease named, ready', async () => {
    w = await world();
    assert.deepEqual(w.qrs, ['qr-1']);
    assert.equal(w.web.sessionDir.endsWith('.wwebjs_auth/session-acme'), true, w.web.sessionDir);
    assert.ok(w.logger.lines.some((l) => l.includes('LocalAuth') && l.includes('session-acme') && l.includes('whatsapp-web:acme')));
    assert.equal(w.web.supervisor.state, 'ready');
  });

  it('runs the whole handoff: bot, handoff on a missing order number, silence, agent live over WhatsApp, back to the bot', async () => {
    w = await world();
    const id = idOf(MARIA);

    // The bot answers on WhatsApp.
    assert.deepEqual(await w.customer(MARIA, "where's my package?"), ["Sure — what's your order number? It looks like A12345."]);
    // A critical slot still missing after one request: the bot hands off.
    const notice = await w.customer(MARIA, "I don't have it with me");
    assert.deepEqual(notice, ["I'm connecting you with a person from our customer support team. Someone will be with you shortly."]);
    const queued = await w.app.service.state(id);
    assert.equal(queued.status, 'queued');
    assert.equal(queued.channel, 'whatsapp', 'the relay route of the WhatsApp channel');
    assert.equal((await w.app.service.packet(id))?.reason, 'missing_entity');

    // The bot is silent for every later message type: text, image, voice note, document.
    assert.deepEqual(await w.customer(MARIA, 'hello? anyone there?'), []);
    assert.deepEqual(await w.customer(MARIA, 'my receipt', { hasMedia: true, type: 'image', mimetype: 'image/jpeg' }), []);
    assert.deepEqual(await w.customer(MARIA, '', { hasMedia: true, type: 'ptt' }), []);
    assert.deepEqual(await w.customer(MARIA, '', { hasMedia: true, type: 'document', mimetype: 'application/pdf', filename: 'invoice.pdf' }), []);
    assert.deepEqual(await w.customer(MARIA, 'where is my order D40001'), [], 'not even a message the bot could answer');

    // An agent accepts and replies through the service: both go out through sendMessage, paced.
    const { packet } = await w.app.service.accept(id, agentId('ana'), 'Ana');
    assert.equal(packet?.customer?.name, 'Maria Silva', 'the directory knows Maria by her WhatsApp id');
    await w.app.service.sendAgentMessage(id, agentId('ana'), 'Hi Maria, I found it: D40001 is out for delivery.', 'Ana');
    await w.settle();
    assert.deepEqual(w.sentTo(MARIA).slice(-2), ['Ana has joined the conversation.', 'Hi Maria, I found it: D40001 is out for delivery.']);
    assert.ok(w.delays.includes(1000), `the second message waited minSendGapMs (asked: ${JSON.stringify(w.delays)})`);

    // The customer's replies reach the agent.
    assert.deepEqual(await w.customer(MARIA, 'great, thanks!'), []);
    assert.deepEqual(
      w.events.filter((e) => e.type === 'customer.message').map((e) => (e as { text: string }).text),
      ['hello? anyone there?', '🖼 photo (image/jpeg): my receipt', '🎤 voice note (audio/ogg)', '📄 document invoice.pdf (pdf)', 'where is my order D40001', 'great, thanks!'],
      'photos, voice notes and documents reach the agent as readable lines',
    );
    const transcript = await w.stores.transcripts.read(id);
    assert.ok(transcript.some((e) => e.from === 'customer' && e.text === 'great, thanks!'));
    assert.ok(transcript.some((e) => e.from === 'agent' && e.text === 'Hi Maria, I found it: D40001 is out for delivery.'));
    const media = transcript.filter((e) => e.from === 'customer' && e.meta?.['attachments'] !== undefined);
    assert.deepEqual(
      media.map((e) => (e.meta?.['attachments'] as Array<{ contentType: string; url: string }>)[0]?.contentType),
      ['image/jpeg', 'audio/ogg', 'application/pdf'],
    );
    assert.ok(media.every((e) => (e.meta?.['attachments'] as Array<{ url: string }>)[0]?.url.startsWith('wwebjs-media:')), 'references, not bytes');

    // Back to the bot: it answers again on WhatsApp, with what the agent settled.
    await w.app.service.returnToBot(id, agentId('ana'), { collected: { order_number: 'D40001' } });
    await w.settle();
    assert.equal(w.sentTo(MARIA).at(-1), "You're back with the Acme Shop assistant. How else can I help?");
    assert.deepEqual(await w.customer(MARIA, 'where is my order?'), ['Order D40001 is out for delivery.']);
    assert.deepEqual(w.errors, []);
  });

  it('offers a dialog\'s quick replies as numbered options; the number picks the option', async () => {
    // The Acme dialogs with the greeting offering two quick replies, as a designer would write it.
    const real = loadDialogs({ dialogsDir: 'dialogs', localesDir: 'locales', manifest });
    const greeting = real.dialogs.get('greeting');
    assert.ok(greeting);
    const dialogs = new Map(real.dialogs);
    dialogs.set('greeting', { ...greeting, steps: [{ say: 'greeting.answer', choices: ['greeting.choice_order', 'greeting.choice_person'] }] });
    const locales = new Map([...real.locales].map(([locale, texts]) => [locale, { ...texts, 'greeting.choice_order': 'Track my order', 'greeting.choice_person': 'Talk to a person' }]));
    w = await world({ catalog: { dialogs, locales } });

    assert.deepEqual(await w.customer(MARIA, 'hi'), [
      "Hi, Maria! I'm the Acme Shop assistant. I can help with orders, returns, billing and store information.\n\n1. Track my order\n2. Talk to a person",
    ]);
    assert.deepEqual(await w.customer(MARIA, '1'), ["Sure — what's your order number? It looks like A12345."]);
    assert.deepEqual(await w.customer(MARIA, 'D40001'), ['Order D40001 is out for delivery.']);

    assert.equal((await w.customer(STRANGER, 'hi')).length, 1);
    const reply = await w.customer(STRANGER, '2');
    assert.match(reply.join('\n'), /connecting you with a person/);
    const transcript = await w.stores.transcripts.read(idOf(STRANGER));
    assert.ok(transcript.some((e) => e.from === 'customer' && e.text === 'Talk to a person'), 'the bot got the option, not "2"');
    assert.equal((await w.app.service.state(idOf(STRANGER))).status, 'queued');
  });

  it('a reply typed on the business phone takes over: the bot stays silent and the message is an agent line', async () => {
    w = await world();
    const id = idOf(MARIA);
    assert.equal((await w.customer(MARIA, 'hi')).length, 1, 'the bot greets');
    const sentBefore = w.client.sent.length;

    await w.client.phoneMessage(MARIA, 'Hi Maria, Joe from the shop here. I will check your order myself.');
    await w.settle();

    const state = await w.app.service.state(id);
    assert.equal(state.status, 'assigned');
    assert.equal(state.agentId, 'phone');
    assert.equal(state.reason, 'agent_takeover');
    assert.equal(w.client.sent.length, sentBefore, 'the phone message is not echoed back, nothing else is sent');

    // The bot yields at once, for anything the customer sends.
    assert.deepEqual(await w.customer(MARIA, 'where is my order D40001'), []);
    assert.deepEqual(await w.customer(MARIA, '', { hasMedia: true, type: 'image' }), []);

    const transcript = await w.stores.transcripts.read(id);
    const agentLines = transcript.filter((e) => e.from === 'agent');
    assert.deepEqual(agentLines.map((e) => [e.text, e.meta?.['agentId']]), [['Hi Maria, Joe from the shop here. I will check your order myself.', 'phone']]);
    const takeover = transcript.findIndex((e) => e.meta?.['name'] === 'handoff.takeover');
    assert.ok(takeover >= 0 && takeover < transcript.indexOf(agentLines[0]!), 'taken over, then the agent line');
    assert.equal((await w.app.service.packet(id))?.reason, 'agent_takeover');
    assert.ok(w.events.some((e) => e.type === 'agent.message' && e.agentId === 'phone'));
    assert.deepEqual(
      w.events.filter((e) => e.type === 'customer.message').map((e) => (e as { text: string }).text),
      ['where is my order D40001', '🖼 photo (image/*)'],
    );

    // A second phone message: still the phone's, recorded, no second takeover.
    await w.client.phoneMessage(MARIA, 'It arrives today.');
    await w.settle();
    const after = await w.stores.transcripts.read(id);
    assert.equal(after.filter((e) => e.meta?.['name'] === 'handoff.takeover').length, 1);
    assert.deepEqual(after.filter((e) => e.from === 'agent').map((e) => e.text), ['Hi Maria, Joe from the shop here. I will check your order myself.', 'It arrives today.']);

    // An agent in the console cannot accept over the person on the phone.
    await assert.rejects(w.app.service.accept(id, agentId('ana')), (e: unknown) => isHandoverError(e, 'HANDOVER_ERR_ALREADY_TAKEN'));
  });

  it('a phone reply while the customer waits in the queue assigns that handoff to the phone', async () => {
    w = await world();
    const id = idOf(MARIA);
    await w.customer(MARIA, 'I want to talk to a real person');
    assert.equal((await w.app.service.state(id)).status, 'queued');
    await w.client.phoneMessage(MARIA, 'Hi, I am here.');
    await w.settle();
    const state = await w.app.service.state(id);
    assert.equal(state.status, 'assigned');
    assert.equal(state.agentId, 'phone');
    assert.equal(state.reason, 'customer_request', 'the original request is kept');
  });

  it('processes a duplicated message event once: one turn, one reply, one transcript line', async () => {
    w = await world();
    const msg = await w.client.inbound(MARIA, 'where is my order D40001');
    await w.settle();
    await w.client.duplicate(msg);
    await w.client.duplicate(msg);
    await w.settle();
    assert.deepEqual(w.sentTo(MARIA), ['Order D40001 is out for delivery.']);
    const transcript = await w.stores.transcripts.read(idOf(MARIA));
    assert.equal(transcript.filter((e) => e.from === 'customer').length, 1);
  });

  it('delivers agent messages from the process that holds the session lease, and from the standby once it takes over', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 15));
    const stores = createMemoryStores();
    const app = createHandover({ manifest, stores, clock, directory: new StaticCustomerDirectory(customers) });
    // A short lease so the standby retries quickly once the holder releases it.
    const fastLease = { ...manifest, whatsapp: { ...manifest.whatsapp, web: { ...manifest.whatsapp.web, leaseTtlMs: 1000 } } };
    const lease = new MemoryLease();
    const holderClient = new FakeWwebjsClient();
    const standbyClient = new FakeWwebjsClient();
    const common = { app, stores, manifest: fastLease, lease, clock, printQr: () => {}, sleep: async () => {} };
    const holder = await attachWhatsAppWeb({ ...common, logger: memoryLogger(), clientFactory: async () => holderClient });
    if (!holder.supervisor.isReady) await once(holder.supervisor, 'ready');
    const standby = await attachWhatsAppWeb({ ...common, logger: memoryLogger(), clientFactory: async () => standbyClient });
    try {
      while (standby.supervisor.state !== 'waiting_for_lease') await new Promise((r) => setImmediate(r));
      const id = idOf(MARIA);
      await holderClient.inbound(MARIA, 'I want to talk to a real person');
      await holder.adapter.whenIdle();
      await app.service.accept(id, agentId('ana'), 'Ana');
      await holder.adapter.whenIdle();
      assert.equal(holderClient.sent.at(-1)?.content, 'Ana has joined the conversation.');
      assert.equal(standbyClient.initializeCalls, 0, 'the standby never opened a session');
      assert.equal(standbyClient.sent.length, 0, 'and did not take agent messages off the route');

      // The holder stops (deploy, crash…): the standby takes the lease, and agent messages follow it.
      const takenOver = once(standby.supervisor, 'ready');
      await holder.stop();
      await takenOver;
      await app.service.sendAgentMessage(id, agentId('ana'), 'Still here, one moment.', 'Ana');
      await standby.adapter.whenIdle();
      assert.deepEqual(standbyClient.sent.map((m) => m.content), ['Still here, one moment.']);
    } finally {
      await standby.stop();
      await holder.stop();
      await stores.close();
    }
  });
});
