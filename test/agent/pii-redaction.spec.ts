/**
 * Personal data on every surface (issue 14, docs/operations.md "Personal data"): a customer types a card with
 * its CVV, an SSN, a CPF and passwords on web chat, an agent writes a CPF to the customer and a
 * transfer note with a card and an SSN. Nothing of it is in clear in the transcript API, the
 * console socket, the webhook body, the web chat history replayed on resume, the logs or any
 * Redis value under the test's prefix; the masks are there instead. The bot's turn still gets the
 * text as typed.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TurnContext } from 'botbuilder';
import type { DomainEvent } from '../../src/core/events.js';
import { Redactor } from '../../src/core/redact.js';
import { WebChatAdapter } from '../../src/channels/webchat/webchat-adapter.js';
import { MemoryActivityLog } from '../../src/store/memory/memory-activity-log.js';
import type { RedisClient } from '../../src/store/redis/redis-connection.js';
import { apiCall, conversationPath, nextEvent, openCustomer, signIn, startTestService, type TestService } from '../support/agent-service.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../support/redis.js';
import { JsonSocket } from '../support/webchat-clients.js';
import { customers, harness, manifest, type Harness } from '../support/harness.js';
import { FakeGraphApi } from '../support/fake-graph-api.js';
import { createHandover } from '../../src/app.js';
import { createWhatsAppCloudHandler } from '../../src/channels/whatsapp/attach.js';
import { ManualClock } from '../../src/core/clock.js';
import { conversationId } from '../../src/core/ids.js';
import { StaticCustomerDirectory } from '../../src/core/static-customer-directory.js';
import { createMemoryStores } from '../../src/store/memory/index.js';

type Json = Record<string, unknown>;

/** What was typed, in every form it could be stored in clear (digits alone included). */
const CLEAR = [
  '4242 4242 4242 4242',
  '4242424242424242',
  'cvv 737',
  '123-45-6789',
  '123456789',
  '529.982.247-25',
  '52998224725',
  'Hunter2xyz',
  '5555-5555-5555-4444',
  '5555555555554444',
  'Tr0ub4dor&3',
  '111.444.777-35',
  '11144477735',
  '4111 1111 1111 1111',
  '4111111111111111',
  '078-05-1120',
  '078051120',
];
/** The masks that must show up instead. */
const MASKS = ['•••• 4242', 'cvv •••', '•••-••-6789', '•••.•••.•••-25', '••••••', '•••• 4444', '•••.•••.•••-35', '•••• 1111', '•••-••-1120'];

const CUSTOMER_LINES = [
  'my card is 4242 4242 4242 4242 cvv 737 and my ssn is 123-45-6789',
  'meu cpf é 529.982.247-25 e minha senha é Hunter2xyz',
  'I want to talk to a real person',
];
const WHILE_WAITING = 'password: Tr0ub4dor&3 and the other card 5555-5555-5555-4444';
const AGENT_MESSAGE = 'I found the account of CPF 111.444.777-35, one moment';
const TRANSFER_NOTE = 'customer gave card 4111 1111 1111 1111 and ssn 078-05-1120, please check billing';

function clearIn(text: string): string[] {
  return CLEAR.filter((c) => text.includes(c));
}

/** A local webhook receiver (as in webhooks.spec.ts): records every body. */
class Receiver {
  readonly bodies: string[] = [];
  private waiters: { test: (b: string) => boolean; resolve: (b: string) => void }[] = [];
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      this.bodies.push(body);
      this.waiters = this.waiters.filter((w) => (w.test(body) ? (w.resolve(body), false) : true));
      res.writeHead(200).end();
    });
  });
  url = '';
  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }
  waitFor(test: (body: string) => boolean): Promise<string> {
    const seen = this.bodies.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Every value under `prefix`, as text (strings, hashes, lists, sets, sorted sets, streams). */
async function valuesUnder(redis: RedisClient, prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const batch of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
    for (const key of Array.isArray(batch) ? batch : [batch]) {
      const type = await redis.type(key);
      let value: unknown;
      if (type === 'string') value = await redis.get(key);
      else if (type === 'hash') value = await redis.hGetAll(key);
      else if (type === 'list') value = await redis.lRange(key, 0, -1);
      else if (type === 'set') value = await redis.sMembers(key);
      else if (type === 'zset') value = await redis.zRange(key, 0, -1);
      else if (type === 'stream') value = await redis.xRange(key, '-', '+');
      else value = `(${type})`;
      out.set(key, JSON.stringify(value));
    }
  }
  return out;
}

describe('personal data is masked on every surface (web chat → console → webhooks → Redis)', function () {
  this.timeout(60_000);
  let root: string;
  let receiver: Receiver;
  let redis: RedisClient;
  let prefix: string;
  let t: TestService;

  before(async () => {
    receiver = new Receiver();
    await receiver.start();
    root = mkdtempSync(path.join(tmpdir(), 'handover-pii-'));
    const manifest = JSON.parse(readFileSync('manifest.json', 'utf8')) as Record<string, unknown>;
    manifest['webhooks'] = [{ url: receiver.url, events: ['handoff.requested', 'handoff.transferred', 'handoff.resolved'], secretEnv: 'HOOK_SECRET' }];
    writeFileSync(path.join(root, 'manifest.json'), JSON.stringify(manifest));
    for (const dir of ['dialogs', 'locales', 'data', 'nlu']) symlinkSync(path.resolve(dir), path.join(root, dir));
    redis = await connectTestRedis();
    prefix = uniquePrefix();
    t = await startTestService({
      root,
      store: REDIS_URL,
      allowVolatileRedis: true,
      env: { REDIS_URL, REDIS_PREFIX: prefix, HOOK_SECRET: 'webhook-secret-0123456789' },
    });
  });

  after(async () => {
    await t?.close();
    await receiver?.close();
    if (redis !== undefined) {
      await deleteByPrefix(redis, prefix);
      await redis.close();
    }
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });

  it('masks cards, CVV, SSN, CPF and passwords in the transcript API, the console socket, webhooks, history replay, logs and Redis', async () => {
    const ana = await signIn(t.base, 'ana');
    const consoleSocket = await JsonSocket.open(`${t.ws}/agent/ws`, { Cookie: ana });
    await consoleSocket.waitFor((f) => f['type'] === 'hello');

    const customer = await openCustomer(t);
    const id = customer.conversationId;
    const requested = nextEvent(t, (e) => e.type === 'handoff.requested' && e.conversationId === id);
    let firstWatermark = '';
    for (const line of CUSTOMER_LINES) {
      customer.say(line);
      // the echo of the customer's own line comes back masked
      const echo = await customer.socket.waitFor((f) => Array.isArray(f['activities']) && (f['activities'] as Json[]).some((a) => (a['from'] as Json | undefined)?.['role'] === 'user' && typeof a['text'] === 'string' && a['text'].startsWith(line.slice(0, 6))));
      assert.deepEqual(clearIn(JSON.stringify(echo)), [], `echo of "${line}"`);
      if (line === CUSTOMER_LINES[0]) firstWatermark = String(echo['watermark']);
    }
    await requested;

    // while waiting: the line reaches the console socket live, masked
    customer.say(WHILE_WAITING);
    const live = await consoleSocket.waitFor((f) => f['type'] === 'event' && (f['event'] as Json)['type'] === 'customer.message' && (f['event'] as Json)['conversationId'] === id && String((f['event'] as Json)['text']).startsWith('password'));
    assert.equal((live['event'] as Json)['text'], 'password: •••••• and the other card •••• 4444');

    assert.equal((await apiCall(t.base, 'POST', conversationPath(id, 'accept'), { cookie: ana, body: {} })).status, 200);
    const sent = await apiCall(t.base, 'POST', conversationPath(id, 'messages'), { cookie: ana, body: { text: AGENT_MESSAGE } });
    assert.ok(sent.status === 200 || sent.status === 202, JSON.stringify(sent.json));
    // the customer sees the agent's line (masked as stored)
    await customer.waitForText(/^I found the account of CPF •••\.•••\.•••-35/);

    const transferred = nextEvent(t, (e) => e.type === 'handoff.transferred' && e.conversationId === id);
    const moved = await apiCall(t.base, 'POST', conversationPath(id, 'transfer'), { cookie: ana, body: { queue: 'billing', note: TRANSFER_NOTE } });
    assert.equal(moved.status, 200, JSON.stringify(moved.json));
    const event = (await transferred) as Extract<DomainEvent, { type: 'handoff.transferred' }>;
    assert.equal(event.note, 'customer gave card •••• 1111 and ssn •••-••-1120, please check billing');

    // webhook body: the transfer note is masked (and so is everything else sent)
    const hook = await receiver.waitFor((b) => b.includes('"handoff.transferred"'));
    assert.match(hook, /customer gave card •••• 1111 and ssn •••-••-1120/);
    await receiver.waitFor((b) => b.includes('"handoff.requested"'));
    for (const body of receiver.bodies) assert.deepEqual(clearIn(body), [], `webhook body ${body}`);

    // back to the bot from billing, with fields and a note the agent typed (kept in the handoff state)
    assert.equal((await apiCall(t.base, 'POST', conversationPath(id, 'accept'), { cookie: ana, body: {} })).status, 200);
    const returned = await apiCall(t.base, 'POST', conversationPath(id, 'return'), { cookie: ana, body: { collected: { ssn: '078-05-1120' }, note: 'verified with password: Tr0ub4dor&3' } });
    assert.equal(returned.status, 200, JSON.stringify(returned.json));

    // transcript API: the conversation as the console reads it, briefing included
    const view = await apiCall(t.base, 'GET', conversationPath(id), { cookie: ana });
    assert.equal(view.status, 200);
    const viewText = JSON.stringify(view.json);
    assert.deepEqual(clearIn(viewText), [], 'GET /api/conversations/{id}');
    for (const mask of MASKS) assert.ok(viewText.includes(mask), `the console shows ${mask}`);
    const transcript = (view.json['transcript'] as Json[]).filter((e) => e['from'] === 'customer' && e['type'] === 'message').map((e) => e['text']);
    assert.deepEqual(transcript.slice(0, 2), ['my card is •••• 4242 cvv ••• and my ssn is •••-••-6789', 'meu cpf é •••.•••.•••-25 e minha senha é ••••••']);

    // web chat history replayed on resume (no watermark: all of it)
    const session = await customer.socket.waitFor((f) => f['type'] === 'session');
    const again = await JsonSocket.open(`${t.ws}/webchat/ws`);
    again.send({ type: 'resume', conversationId: session['conversationId'], token: session['token'] });
    await again.waitFor((f) => f['type'] === 'session');
    const replay = await again.waitFor((f) => Array.isArray(f['activities']) && (f['activities'] as Json[]).some((a) => typeof a['text'] === 'string' && a['text'].startsWith('I found the account')));
    const replayed = again.activities().map((a) => a['text']).filter((x): x is string => typeof x === 'string');
    assert.ok(replayed.includes('my card is •••• 4242 cvv ••• and my ssn is •••-••-6789'), JSON.stringify(replayed));
    assert.deepEqual(clearIn(JSON.stringify(replay)), []);
    assert.deepEqual(clearIn(JSON.stringify(again.activities())), [], 'history replay');

    // resumed with a watermark (a dropped socket): what came after the first line, masked
    const resumed = await JsonSocket.open(`${t.ws}/webchat/ws`);
    resumed.send({ type: 'resume', conversationId: session['conversationId'], token: session['token'], watermark: firstWatermark });
    await resumed.waitFor((f) => Array.isArray(f['activities']) && (f['activities'] as Json[]).some((a) => typeof a['text'] === 'string' && a['text'].startsWith('I found the account')));
    const after = resumed.activities().map((a) => a['text']).filter((x): x is string => typeof x === 'string');
    assert.ok(!after.some((x) => x.startsWith('my card is')), 'nothing before the watermark is replayed');
    assert.ok(after.includes('meu cpf é •••.•••.•••-25 e minha senha é ••••••'), JSON.stringify(after));
    assert.deepEqual(clearIn(JSON.stringify(resumed.activities())), [], 'history replay from a watermark');
    await resumed.close();

    // every Redis value of this deployment
    const values = await valuesUnder(redis, prefix);
    assert.ok(values.size > 10, `keys under ${prefix}: ${values.size}`);
    const leaks = [...values].flatMap(([key, v]) => clearIn(v).map((c) => `${key}: ${c}`));
    assert.deepEqual(leaks, [], 'no clear card, CVV, SSN, CPF or password in any Redis value');
    assert.ok([...values.values()].some((v) => v.includes('•••• 4242')), 'the masked lines are stored');

    // logs
    assert.deepEqual(t.errors.flatMap(clearIn), []);
    await Promise.all([again.close(), customer.socket.close(), consoleSocket.close()]);
  });
});

describe('web chat: the turn gets the text as typed, the history and the echo get it masked', () => {
  it('stores and echoes the masked line, runs the bot on the original', async () => {
    const log = new MemoryActivityLog();
    const seen: string[] = [];
    const adapter = new WebChatAdapter({
      activityLog: log,
      redactor: new Redactor(),
      logic: async (ctx: TurnContext) => {
        if (ctx.activity.type !== 'message') return;
        seen.push(ctx.activity.text ?? '');
        // what a bot may need: the card's digits and the ZIP code, as typed
        const card = /(?:\d{4} ){3}\d{4}/.exec(ctx.activity.text ?? '')?.[0] ?? 'none';
        await ctx.sendActivity(`checked card ending ${card.slice(-4)}, zip 94105 ok; your card ${card.replace(/ /g, '')}`);
      },
    });
    const { conversationId } = await adapter.startConversation({ userId: 'u1' });
    const echoed: Json[] = [];
    adapter.subscribe(conversationId, (b) => echoed.push(...(b.activities as unknown as Json[])));
    await adapter.receive(conversationId, 'u1', { type: 'message', text: 'card 4242 4242 4242 4242 zip 94105' });
    await adapter.drain();
    assert.deepEqual(seen, ['card 4242 4242 4242 4242 zip 94105'], 'the bot read the line as typed');
    const stored = (await log.since(conversationId)).activities.map((a) => a.text);
    assert.deepEqual(stored, ['card •••• 4242 zip 94105', 'checked card ending 4242, zip 94105 ok; your card •••• 4242']);
    assert.deepEqual(
      echoed.map((a) => a['text']),
      stored,
      'clients are sent what is stored',
    );
  });
});

describe('the middleware: handoff.initiate and the stores hold the masked briefing', () => {
  let h: Harness | undefined;
  afterEach(async () => h?.close());

  it('masks the briefing sent in handoff.initiate and everything written to the stores', async () => {
    h = await harness();
    const out = [
      ...(await h.send('my card is 4242 4242 4242 4242 cvv 737, ssn 123-45-6789', 0)),
      ...(await h.send('meu cpf é 529.982.247-25 e minha senha é Hunter2xyz', 5)),
    ];
    // the policy may hand off already (a card and a password are sensitive); else the customer asks
    if (!out.some((a) => a.name === 'handoff.initiate')) out.push(...(await h.send('I want to talk to a real person', 10)));
    const initiate = out.find((a) => a.type === 'event' && a.name === 'handoff.initiate');
    assert.ok(initiate, 'handoff.initiate sent');
    const sent = JSON.stringify({ value: initiate.value, attachments: initiate.attachments });
    assert.deepEqual(clearIn(sent), [], 'handoff.initiate');
    assert.ok(sent.includes('my card is •••• 4242 cvv •••, ssn •••-••-6789'), sent);
    // what the store below the middleware holds (the harness keeps the stores it gave createHandover)
    const stored = JSON.stringify(await h.stores.transcripts.read(h.id));
    assert.deepEqual(clearIn(stored), [], 'stored transcript');
    assert.ok(stored.includes('meu cpf é •••.•••.•••-25 e minha senha é ••••••'), stored);
    assert.deepEqual(h.errors, []);
  });
});

describe('WhatsApp Cloud: the customer\'s lines and the channel\'s notes are stored masked', () => {
  const ENV = { WHATSAPP_VERIFY_TOKEN: 'verify-me-please', WHATSAPP_APP_SECRET: 'test-app-secret-0123456789', WHATSAPP_ACCESS_TOKEN: 'EAAG-test-access-token' };
  const LEO = '15550100002';

  it('masks a card, an SSN, a CPF and a password sent over the Cloud API webhook (raw stores and logger given to the channel)', async () => {
    const graph = await FakeGraphApi.start();
    const stores = createMemoryStores();
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 15));
    const app = createHandover({ manifest, stores, clock, directory: new StaticCustomerDirectory(customers) });
    const local = { ...manifest, whatsapp: { ...manifest.whatsapp, cloud: { ...manifest.whatsapp.cloud, graphBaseUrl: graph.baseUrl } } };
    const logged: string[] = [];
    const capture = (m: string, f?: Record<string, unknown>): void => void logged.push(`${m} ${JSON.stringify(f ?? {})}`);
    const logger = { info: capture, warn: capture, error: capture };
    const cloud = createWhatsAppCloudHandler({ app, stores, manifest: local, env: ENV, logger, clock, sleep: async () => {}, outboxTimer: false });
    await cloud.ready;
    const server = http.createServer((req, res) => void cloud.handler(req, res).then((handled) => (handled ? undefined : res.writeHead(404).end())));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${cloud.path}`;
      let seq = 0;
      const say = async (text: string): Promise<void> => {
        const body = JSON.stringify({
          object: 'whatsapp_business_account',
          entry: [{ id: 'WABA', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550000000', phone_number_id: '000000000000000' }, contacts: [{ profile: { name: 'Leo cpf 111.444.777-35' }, wa_id: LEO }], messages: [{ from: LEO, id: `wamid.PII${++seq}`, timestamp: String(Math.floor(clock.now() / 1000)), type: 'text', text: { body: text } }] } }] }],
        });
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', ENV.WHATSAPP_APP_SECRET).update(body).digest('hex')}` }, body });
        assert.equal(res.status, 200);
        await cloud.handler.idle();
      };
      await say('my card is 4242 4242 4242 4242 cvv 737 and my ssn is 123-45-6789');
      await say('meu cpf é 529.982.247-25 e minha senha é Hunter2xyz');
      const id = conversationId(`whatsapp-cloud:${LEO}`);
      const stored = await stores.transcripts.read(id);
      const text = JSON.stringify(stored);
      assert.deepEqual(clearIn(text), [], text);
      assert.deepEqual(
        stored.filter((e) => e.from === 'customer' && e.type === 'message').map((e) => e.text),
        ['my card is •••• 4242 cvv ••• and my ssn is •••-••-6789', 'meu cpf é •••.•••.•••-25 e minha senha é ••••••'],
      );
      // the channel's own note for agents (the WhatsApp profile, whose name here holds a CPF) is masked too
      const note = stored.find((e) => e.from === 'system' && e.meta?.['audience'] === 'agent');
      assert.ok(note, 'the channel wrote its own note');
      assert.match(JSON.stringify(note), /Leo cpf •••\.•••\.•••-35/);
      // and its log line says the same, masked
      assert.ok(logged.some((l) => l.includes('Leo cpf •••.•••.•••-35')), logged.join('\n'));
      assert.deepEqual(logged.flatMap(clearIn), []);
    } finally {
      await cloud.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await graph.close();
      await stores.close();
    }
  });
});
