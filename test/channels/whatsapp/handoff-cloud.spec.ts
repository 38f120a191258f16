/**
 * The whole handoff over the WhatsApp Cloud API: signed webhooks to the handler built by
 * `createWhatsAppCloudHandler` on a local node:http server, the real middleware, the real Acme dialogs
 * and the real handoff service on the memory store. Only Meta is fake: FakeGraphApi on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHandover, type Handover } from '../../../src/app.js';
import { createWhatsAppCloudHandler, type WhatsAppCloudHandler } from '../../../src/channels/whatsapp/attach.js';
import { attachWhatsAppWeb } from '../../../src/channels/whatsapp/attach.js';
import type { ChannelLogger } from '../../../src/channels/whatsapp/shared/channel-logger.js';
import { ManualClock } from '../../../src/core/clock.js';
import { isHandoverError } from '../../../src/core/errors.js';
import type { DomainEvent } from '../../../src/core/events.js';
import { agentId, conversationId } from '../../../src/core/ids.js';
import type { Stores } from '../../../src/core/ports/stores.js';
import { StaticCustomerDirectory } from '../../../src/core/static-customer-directory.js';
import { MemoryLease } from '../../../src/store/memory/memory-lease.js';
import { createMemoryStores } from '../../../src/store/memory/index.js';
import { FakeGraphApi } from '../../support/fake-graph-api.js';
import { customers, manifest } from '../../support/harness.js';
import { streamUpload } from '../../support/stream-upload.js';

const ENV = {
  WHATSAPP_VERIFY_TOKEN: 'verify-me-please',
  WHATSAPP_APP_SECRET: 'test-app-secret-0123456789',
  WHATSAPP_ACCESS_TOKEN: 'EAAG-test-access-token',
};
/** Leo, a sample customer (data/customers.json) known by his WhatsApp id. */
const LEO = '15550100002';
const ID = conversationId(`whatsapp-cloud:${LEO}`);
const DAY_MS = 24 * 60 * 60 * 1000;

function memoryLogger(): ChannelLogger & { lines: Array<{ level: string; message: string; fields: Record<string, unknown> | undefined }> } {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> | undefined }> = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, fields });
  return { lines, info: log('info'), warn: log('warn'), error: log('error') };
}

const sign = (raw: string | Buffer, secret = ENV.WHATSAPP_APP_SECRET): string => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

interface World {
  app: Handover;
  stores: Stores;
  graph: FakeGraphApi;
  cloud: WhatsAppCloudHandler;
  clock: ManualClock;
  sleeps: number[];
  events: DomainEvent[];
  logger: ReturnType<typeof memoryLogger>;
  url: string;
  /** The customer writes (a signed webhook); resolves when processed, with the texts sent to him meanwhile. */
  customer(message: Record<string, unknown>): Promise<string[]>;
  say(text: string): Promise<string[]>;
  post(body: string, headers?: Record<string, string>): Promise<Response>;
  texts(): string[];
  close(): Promise<void>;
}

let seq = 0;
async function world(): Promise<World> {
  const graph = await FakeGraphApi.start();
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 15));
  const stores = createMemoryStores();
  const app = createHandover({ manifest, stores, clock, directory: new StaticCustomerDirectory(customers) });
  const events: DomainEvent[] = [];
  stores.events.subscribe((e) => void events.push(e));
  const sleeps: number[] = [];
  const logger = memoryLogger();
  // The manifest as shipped, pointed at the local Graph API.
  const local = { ...manifest, whatsapp: { ...manifest.whatsapp, cloud: { ...manifest.whatsapp.cloud, graphBaseUrl: graph.baseUrl } } };
  const cloud = createWhatsAppCloudHandler({ app, stores, manifest: local, env: ENV, logger, clock, sleep: async (ms) => void sleeps.push(ms), outboxTimer: false });
  await cloud.ready;
  const server: Server = createServer((req, res) => {
    void cloud.handler(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${url}${cloud.path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const texts = () => graph.textsTo(LEO);
  const customer = async (message: Record<string, unknown>) => {
    const before = texts().length;
    const body = webhook({ from: LEO, id: `wamid.IN${++seq}`, timestamp: String(Math.floor(clock.now() / 1000)), ...message });
    const res = await post(body, { 'x-hub-signature-256': sign(body) });
    assert.equal(res.status, 200);
    await cloud.handler.idle();
    return texts().slice(before);
  };
  return {
    app,
    stores,
    graph,
    cloud,
    clock,
    sleeps,
    events,
    logger,
    url,
    customer,
    say: (text) => customer({ type: 'text', text: { body: text } }),
    post,
    texts,
    close: async () => {
      await cloud.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await graph.close();
      await stores.close();
    },
  };
}

function webhook(message: Record<string, unknown>): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550000000', phone_number_id: '000000000000000' },
              contacts: [{ profile: { name: 'Leo' }, wa_id: LEO }],
              messages: [message],
            },
          },
        ],
      },
    ],
  });
}

/** Customer → bot → handoff queued (a missing order number). */
async function handOff(w: World): Promise<void> {
  assert.deepEqual(await w.say("where's my package?"), ["Sure — what's your order number? It looks like A12345."]);
  assert.deepEqual(await w.say("I don't have it with me"), ["I'm connecting you with a person from our customer support team. Someone will be with you shortly."]);
  assert.equal((await w.app.service.state(ID)).status, 'queued');
}

describe('handoff over the WhatsApp Cloud API with the real middleware and dialogs', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(async () => {
    await w.close();
  });

  it('runs the whole handoff over signed webhooks and the Graph API, back to the bot at the end', async () => {
    await handOff(w);
    const state = await w.app.service.state(ID);
    assert.equal(state.channel, 'whatsapp-cloud');
    assert.equal((await w.app.service.packet(ID))?.customer?.name, 'Leo Tanaka');

    // Silent for every later message type.
    assert.deepEqual(await w.say('hello?'), []);
    assert.deepEqual(await w.customer({ type: 'image', image: { id: '1479537139650973', mime_type: 'image/jpeg', caption: 'the box' } }), []);
    assert.deepEqual(await w.customer({ type: 'audio', audio: { id: '88', mime_type: 'audio/ogg' } }), []);
    assert.deepEqual(await w.customer({ type: 'location', location: { latitude: 47.6, longitude: -122.3, name: 'Home' } }), []);

    // Meta re-delivers a webhook: still one customer line.
    const body = webhook({ from: LEO, id: 'wamid.DUP', timestamp: String(Math.floor(w.clock.now() / 1000)), type: 'text', text: { body: 'anyone?' } });
    await w.post(body, { 'x-hub-signature-256': sign(body) });
    await w.post(body, { 'x-hub-signature-256': sign(body) });
    await w.cloud.handler.idle();

    await w.app.service.accept(ID, agentId('ana'), 'Ana');
    await w.app.service.sendAgentMessage(ID, agentId('ana'), 'Hi Leo, E50001 shipped yesterday.', 'Ana');
    assert.deepEqual(w.texts().slice(-2), ['Ana has joined the conversation.', 'Hi Leo, E50001 shipped yesterday.']);
    assert.deepEqual(await w.say('thank you!'), []);

    assert.deepEqual(
      w.events.filter((e) => e.type === 'customer.message').map((e) => (e as { text: string }).text),
      ['hello?', '🖼 photo (image/jpeg): the box', '🎵 audio (audio/ogg)', '📍 location: Home — 47.6, -122.3 https://maps.google.com/?q=47.6,-122.3', 'anyone?', 'thank you!'],
      'every message type reaches the agent as a readable line',
    );
    const transcript = await w.stores.transcripts.read(ID);
    assert.equal(transcript.filter((e) => e.from === 'customer' && e.text === 'anyone?').length, 1);
    assert.ok(transcript.some((e) => e.from === 'agent' && e.text === 'Hi Leo, E50001 shipped yesterday.'));
    const image = transcript.find((e) => e.from === 'customer' && e.text === '🖼 photo (image/jpeg): the box');
    const attachments = image?.meta?.['attachments'] as Array<{ contentType: string; url: string }>;
    assert.equal(attachments[0]?.contentType, 'image/jpeg');
    assert.match(attachments[0]?.url ?? '', /^\/webhooks\/whatsapp\/media\/1479537139650973\?e=\d+&s=[\w-]+$/, 'a signed link the console can open');

    await w.app.service.returnToBot(ID, agentId('ana'), { collected: { order_number: 'E50001' } });
    assert.equal(w.texts().at(-1), "You're back with the Acme Shop assistant. How else can I help?");
    assert.deepEqual(await w.say('where is my order?'), ['Order E50001 is shipped.']);
    assert.ok(w.graph.requests.every((r) => r.authorization === `Bearer ${ENV.WHATSAPP_ACCESS_TOKEN}`));
  });

  it('refuses a forged signature with 401 and processes nothing', async () => {
    const body = webhook({ from: LEO, id: 'wamid.F1', timestamp: String(Math.floor(w.clock.now() / 1000)), type: 'text', text: { body: 'I want to talk to a real person' } });
    const res = await w.post(body, { 'x-hub-signature-256': sign(body, 'not-the-app-secret-at-all') });
    await w.cloud.handler.idle();
    assert.equal(res.status, 401);
    assert.deepEqual(await w.stores.transcripts.read(ID), []);
    assert.equal((await w.app.service.state(ID)).version, 0);
    assert.equal(w.graph.requests.length, 0);
    // The same body signed correctly is processed: the refusal was the signature, not the content.
    const ok = await w.post(body, { 'x-hub-signature-256': sign(body) });
    await w.cloud.handler.idle();
    assert.equal(ok.status, 200);
    assert.equal((await w.app.service.state(ID)).status, 'queued');
  });

  it('answers 400 to a signed body that is not JSON', async () => {
    const body = '{"object": "whatsapp_business_account", oops';
    const res = await w.post(body, { 'x-hub-signature-256': sign(body) });
    assert.equal(res.status, 400);
    await w.cloud.handler.idle();
    assert.deepEqual(await w.stores.transcripts.read(ID), []);
  });

  it('refuses a 50 MB body with 413 before reading it all', async () => {
    const { outcome, produced } = await streamUpload(`${w.url}${w.cloud.path}`, 50, { 'x-hub-signature-256': 'sha256=00' });
    assert.ok(outcome.status === 413 || outcome.error === 'ECONNRESET' || outcome.error === 'EPIPE', JSON.stringify(outcome));
    const refusal = w.logger.lines.find((l) => l.message.startsWith('webhook body too large'));
    assert.ok(refusal !== undefined, 'the refusal is logged');
    assert.ok((refusal.fields?.['bytesRead'] as number) <= 2 * 1024 * 1024, 'stopped near the 1 MiB limit');
    assert.ok(produced < 50, `the client could push only ${produced} of 50 MiB`);
  });

  it('keeps an agent reply through a Graph API outage: retried, kept in the outbox, delivered once on recovery', async () => {
    await handOff(w);
    await w.app.service.accept(ID, agentId('ana'), 'Ana');
    w.sleeps.length = 0;

    w.graph.down = true;
    await w.app.service.sendAgentMessage(ID, agentId('ana'), 'Your refund is on its way.', 'Ana');
    const tries = w.graph.requests.filter((r) => (r.body['text'] as { body?: string } | undefined)?.body === 'Your refund is on its way.');
    assert.equal(tries.length, 4, 'maxAttempts (default 4) in-line attempts');
    assert.deepEqual(w.sleeps, [500, 1000, 2000], 'with backoff between them');
    assert.deepEqual((await w.cloud.adapter.outbox()).map((i) => i.text), ['Your refund is on its way.']);
    assert.ok(!w.texts().includes('Your refund is on its way.'));
    // Nothing is lost on the agent's side either.
    assert.ok((await w.stores.transcripts.read(ID)).some((e) => e.from === 'agent' && e.text === 'Your refund is on its way.'));

    assert.deepEqual(await w.cloud.adapter.flushOutbox(), { delivered: 0, remaining: 1 }, 'still down: kept');
    w.graph.down = false;
    assert.deepEqual(await w.cloud.adapter.flushOutbox(), { delivered: 1, remaining: 0 });
    await w.cloud.adapter.flushOutbox();
    assert.equal(w.texts().filter((t) => t === 'Your refund is on its way.').length, 1, 'delivered exactly once');
    assert.equal(w.texts().at(-1), 'Your refund is on its way.');
  });

  it('a process that starts retries what an earlier one left in the shared outbox', async () => {
    await handOff(w);
    await w.app.service.accept(ID, agentId('ana'), 'Ana');
    w.graph.down = true;
    await w.app.service.sendAgentMessage(ID, agentId('ana'), 'Written during the outage.', 'Ana');
    assert.equal((await w.cloud.adapter.outbox()).length, 1);
    w.graph.down = false;
    // Same stores (as with Redis), the outbox timer on as in `start`.
    const local = { ...manifest, whatsapp: { ...manifest.whatsapp, cloud: { ...manifest.whatsapp.cloud, graphBaseUrl: w.graph.baseUrl } } };
    const next = createWhatsAppCloudHandler({ app: w.app, stores: w.stores, manifest: local, env: ENV, logger: memoryLogger(), clock: w.clock, sleep: async () => {} });
    try {
      // delivered, then settled: wait for the settle (the text reaches Meta before the outbox is updated)
      while ((await next.adapter.outbox()).length > 0) await new Promise((r) => setTimeout(r, 5));
      assert.deepEqual(w.texts().filter((t) => t === 'Written during the outage.'), ['Written during the outage.']);
    } finally {
      await next.stop();
    }
  });

  it('after 24 h sends the template, tells the agent why, and delivers the held replies when the customer answers', async () => {
    await handOff(w);
    w.clock.advanceMs(DAY_MS + 60_000);
    await w.app.service.accept(ID, agentId('ana'), 'Ana');
    await w.app.service.sendAgentMessage(ID, agentId('ana'), 'Sorry for the wait, I can help now.', 'Ana');

    const templates = w.graph.delivered.filter((d) => d['type'] === 'template');
    assert.deepEqual(templates.map((d) => d['template']), [{ name: 'agent_ready', language: { code: 'en' } }], 'one template, not one per message');
    assert.ok(!w.texts().includes('Sorry for the wait, I can help now.'), 'no free text outside the window');

    const notes = (await w.stores.transcripts.read(ID)).filter((e) => e.meta?.['name'] === 'whatsapp.window_closed');
    assert.deepEqual(
      notes.map((e) => [e.from, e.text]),
      [
        ['system', 'The 24-hour window is closed: the template agent_ready was sent; your message will go out when the customer replies'],
        ['system', 'The 24-hour window is closed: the template agent_ready went out earlier and the customer has not replied yet; your message will go out when they do'],
      ],
    );
    assert.equal(notes[0]?.meta?.['audience'], 'agent');

    // The customer taps the template's reply: the window reopens, the held texts go first, the agent gets the reply.
    const sent = await w.say("Hi, I'm here");
    assert.deepEqual(sent, ['Ana has joined the conversation.', 'Sorry for the wait, I can help now.']);
    assert.ok(w.events.some((e) => e.type === 'customer.message' && e.text === "Hi, I'm here"));
    await w.app.service.sendAgentMessage(ID, agentId('ana'), 'Great, let me check.', 'Ana');
    assert.equal(w.texts().at(-1), 'Great, let me check.', 'free text again inside the window');
  });
});

describe('WhatsApp wiring: configuration errors at start', () => {
  it('the Cloud handler reports every problem of the manifest and the environment at once', () => {
    const broken = { ...manifest, whatsapp: { ...manifest.whatsapp, cloud: { phoneNumberId: 'not-a-number', templates: {} } } };
    const stores = createMemoryStores();
    const app = createHandover({ manifest, stores, directory: new StaticCustomerDirectory(customers) });
    assert.throws(
      () => createWhatsAppCloudHandler({ app, stores, manifest: broken, env: { WHATSAPP_APP_SECRET: 'short' } }),
      (e: unknown) => {
        assert.ok(isHandoverError(e, 'HANDOVER_ERR_CONFIG_INVALID'));
        const text = e.details.join('\n');
        for (const needle of ['whatsapp.cloud.phoneNumberId', 'whatsapp.cloud.templates.agent_reply', 'WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_APP_SECRET', 'WHATSAPP_ACCESS_TOKEN']) {
          assert.ok(text.includes(needle), `${needle} in\n${text}`);
        }
        assert.ok(!text.includes('short'), 'secret values are never echoed');
        return true;
      },
    );
  });

  it('attachWhatsAppWeb reports every problem of manifest.whatsapp.web at once, before building a client', async () => {
    const broken = { ...manifest, whatsapp: { ...manifest.whatsapp, web: { clientId: 'two words', minSendGapMs: -1, chromiumPath: '' } } };
    const stores = createMemoryStores();
    const app = createHandover({ manifest, stores, directory: new StaticCustomerDirectory(customers) });
    let built = 0;
    await assert.rejects(
      attachWhatsAppWeb({ app, stores, manifest: broken, lease: new MemoryLease(), clientFactory: async () => Promise.reject(new Error(`built ${++built}`)) }),
      (e: unknown) => {
        assert.ok(isHandoverError(e, 'HANDOVER_ERR_CONFIG_INVALID'));
        assert.deepEqual(
          e.details.map((d) => d.split(':')[0]),
          ['whatsapp.web.clientId', 'whatsapp.web.chromiumPath', 'whatsapp.web.minSendGapMs'],
        );
        return true;
      },
    );
    assert.equal(built, 0);
  });
});
