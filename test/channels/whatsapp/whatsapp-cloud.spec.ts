import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ActivityHandler, MessageFactory, type Activity } from 'botbuilder';
import { ManualClock } from '../../../src/core/clock.js';
import { isHandoverError } from '../../../src/core/errors.js';
import { MemoryDocumentStore } from '../../../src/store/memory/memory-document-store.js';
import type { ChannelLogger } from '../../../src/channels/whatsapp/shared/channel-logger.js';
import type { Sleep } from '../../../src/channels/whatsapp/shared/sleep.js';
import { GraphApiClient } from '../../../src/channels/whatsapp/cloud/graph-api-client.js';
import { WhatsAppCloudAdapter, type CloudMessageStatus, type WindowClosedEvent } from '../../../src/channels/whatsapp/cloud/whatsapp-cloud-adapter.js';
import { createCloudWebhookHandler, type CloudWebhookHandler } from '../../../src/channels/whatsapp/cloud/cloud-webhook-handler.js';
import { parseWhatsAppCloudConfig } from '../../../src/channels/whatsapp/cloud/cloud-config.js';
import { FakeGraphApi } from '../../support/fake-graph-api.js';
import { streamUpload } from '../../support/stream-upload.js';

const APP_SECRET = 'test-app-secret-0123456789';
const VERIFY_TOKEN = 'verify-me-please';
const ACCESS_TOKEN = 'EAAG-test-access-token';
const PHONE_ID = '1098765432';
const CUSTOMER = '5511987654321';
const T0 = 1_800_000_000_000;

class EchoBot extends ActivityHandler {
  readonly received: Partial<Activity>[] = [];
  constructor() {
    super();
    this.onMessage(async (ctx, next) => {
      this.received.push({ ...ctx.activity }); // a copy: what the bot read (the channel puts the customer line back after the turn)
      const text = ctx.activity.text ?? '';
      const options = (titles: string[]) => titles.map((t, i) => ({ type: 'postBack', title: t, value: `opt-${i + 1}` }));
      if (text === 'menu') {
        await ctx.sendActivity(MessageFactory.suggestedActions([{ type: 'imBack', title: 'Yes', value: 'yes' }, { type: 'imBack', title: 'No', value: 'no' }], 'Continue?'));
      } else if (text === 'shipping') {
        await ctx.sendActivity(MessageFactory.suggestedActions(options(['Standard', 'Express', 'Same day', 'Pick up in store']), 'Which **shipping**?'));
      } else if (text === 'long titles') {
        await ctx.sendActivity(MessageFactory.suggestedActions(options(['Cancel my Acme Plus subscription', 'Keep it']), 'Sure?'));
      } else if (text === 'eleven') {
        await ctx.sendActivity(MessageFactory.suggestedActions(options(Array.from({ length: 11 }, (_, i) => `Store ${i + 1}`)), 'Which store?'));
      } else if (text === 'markdown') {
        await ctx.sendActivity('Choose **Express** or *Standard*, see [rates](https://acme.example/rates)');
      } else if (text === 'slow') {
        await ctx.sendActivity({ type: 'typing' });
        await ctx.sendActivity('done thinking');
      } else {
        const media = ctx.activity.attachments?.[0];
        await ctx.sendActivity(media === undefined ? `echo: ${text}` : `got ${media.contentType}`);
      }
      await next();
    });
  }
}

function memoryLogger(): ChannelLogger & { lines: Array<{ level: string; message: string; fields: Record<string, unknown> | undefined }> } {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> | undefined }> = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, fields });
  return { lines, info: log('info'), warn: log('warn'), error: log('error') };
}

const sign = (raw: Buffer | string): string => `sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}`;

function textMessage(id: string, body: string, at = T0): Record<string, unknown> {
  return { from: CUSTOMER, id, timestamp: String(Math.floor(at / 1000)), type: 'text', text: { body } };
}

function payload(messages: unknown[], statuses: unknown[] = []): string {
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
              metadata: { display_phone_number: '5511000000000', phone_number_id: PHONE_ID },
              contacts: [{ profile: { name: 'Ana' }, wa_id: CUSTOMER }],
              ...(messages.length > 0 ? { messages } : {}),
              ...(statuses.length > 0 ? { statuses } : {}),
            },
          },
        ],
      },
    ],
  });
}

interface Harness {
  graph: FakeGraphApi;
  server: Server;
  url: string;
  handler: CloudWebhookHandler;
  adapter: WhatsAppCloudAdapter;
  bot: EchoBot;
  clock: ManualClock;
  sleeps: number[];
  logger: ReturnType<typeof memoryLogger>;
  turns: Partial<Activity>[];
  statuses: CloudMessageStatus[];
  windowClosed: WindowClosedEvent[];
  documents: MemoryDocumentStore;
  post(body: string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

async function harness(opts: { documents?: MemoryDocumentStore; graph?: FakeGraphApi } = {}): Promise<Harness> {
  const graph = opts.graph ?? (await FakeGraphApi.start());
  const clock = new ManualClock(T0);
  const sleeps: number[] = [];
  const sleep: Sleep = async (ms) => void sleeps.push(ms);
  const logger = memoryLogger();
  const documents = opts.documents ?? new MemoryDocumentStore();
  const statuses: CloudMessageStatus[] = [];
  const windowClosed: WindowClosedEvent[] = [];
  const client = new GraphApiClient({ baseUrl: graph.baseUrl, phoneNumberId: PHONE_ID, accessToken: ACCESS_TOKEN, maxAttempts: 3, sleep, logger });
  const adapter = new WhatsAppCloudAdapter({
    graph: client,
    documents,
    templates: { agent_reply: { name: 'agent_ready', language: 'pt_BR' } },
    clock,
    logger,
    sleep,
    onStatus: (s) => void statuses.push(s),
    onWindowClosed: (e) => void windowClosed.push(e),
  });
  const turns: Partial<Activity>[] = [];
  adapter.use(async (ctx, next) => {
    turns.push(ctx.activity);
    await next();
  });
  const bot = new EchoBot();
  const handler = createCloudWebhookHandler({ adapter, logic: (ctx) => bot.run(ctx), verifyToken: VERIFY_TOKEN, appSecret: APP_SECRET, logger });
  const server = createServer((req, res) => {
    void handler(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end('not mine');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    graph, server, url, handler, adapter, bot, clock, sleeps, logger, turns, statuses, windowClosed, documents,
    post: (body, headers = {}) => fetch(`${url}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      if (opts.graph === undefined) await graph.close();
    },
  };
}

describe('WhatsApp Cloud API channel (webhook + Graph API over local servers)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(async () => {
    await h.close();
  });

  async function deliver(body: string): Promise<Response> {
    const res = await h.post(body, { 'x-hub-signature-256': sign(body) });
    await h.handler.idle();
    return res;
  }

  describe('webhook verification (GET)', () => {
    it('answers the challenge as text/plain for the right token', async () => {
      const res = await fetch(`${h.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
      assert.equal(await res.text(), '1158201444');
    });

    it('refuses a wrong token with 403', async () => {
      const res = await fetch(`${h.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1`);
      assert.equal(res.status, 403);
    });

    it('leaves other paths to the next handler', async () => {
      const res = await fetch(`${h.url}/api/other`);
      assert.equal(res.status, 404);
      assert.equal(await res.text(), 'not mine');
    });
  });

  describe('webhook delivery (POST)', () => {
    it('processes a correctly signed message through the bot and replies through the Graph API', async () => {
      const res = await deliver(payload([textMessage('wamid.A1', 'hi')]));
      assert.equal(res.status, 200);
      assert.equal(h.turns.length, 1);
      const a = h.turns[0]!;
      assert.equal(a.channelId, 'whatsapp-cloud');
      assert.equal(a.conversation?.id, CUSTOMER);
      assert.equal(a.from?.id, CUSTOMER);
      assert.equal(a.from?.name, 'Ana');
      assert.equal(a.text, 'hi');
      assert.equal(a.id, 'wamid.A1');
      assert.deepEqual(h.graph.textsTo(CUSTOMER), ['echo: hi']);
      assert.equal(h.graph.requests[0]?.authorization, `Bearer ${ACCESS_TOKEN}`);
      assert.equal(h.graph.requests[0]?.path, `/v21.0/${PHONE_ID}/messages`);
    });

    it('refuses a forged signature with 401 and processes nothing', async () => {
      const body = payload([textMessage('wamid.F1', 'hi')]);
      const forged = `sha256=${createHmac('sha256', 'not-the-secret').update(body).digest('hex')}`;
      const res = await h.post(body, { 'x-hub-signature-256': forged });
      await h.handler.idle();
      assert.equal(res.status, 401);
      assert.equal(h.turns.length, 0);
      assert.equal(h.graph.requests.length, 0);
    });

    it('refuses a missing signature with 401', async () => {
      const res = await h.post(payload([textMessage('wamid.M1', 'hi')]));
      await h.handler.idle();
      assert.equal(res.status, 401);
      assert.equal(h.turns.length, 0);
    });

    it('answers 400 to a correctly signed body that is not JSON', async () => {
      const body = 'this is not json';
      const res = await h.post(body, { 'x-hub-signature-256': sign(body) });
      assert.equal(res.status, 400);
      assert.equal(h.turns.length, 0);
    });

    it('refuses a 50 MB body with 413 early, without reading it all', async () => {
      const { outcome, produced } = await streamUpload(`${h.url}/webhooks/whatsapp`, 50, { 'x-hub-signature-256': 'sha256=00' });
      // Either the 413 arrived, or the server closed the socket under a client still writing.
      assert.ok(outcome.status === 413 || outcome.error === 'ECONNRESET' || outcome.error === 'EPIPE', JSON.stringify(outcome));
      const refusal = h.logger.lines.find((l) => l.message.startsWith('webhook body too large'));
      assert.ok(refusal !== undefined, 'the server logged the refusal');
      const bytesRead = refusal.fields?.['bytesRead'] as number;
      assert.ok(bytesRead <= 2 * 1024 * 1024, `server read ${bytesRead} bytes, expected to stop near the 1 MiB limit`);
      assert.ok(produced < 50, `the client could only push ${produced} of 50 MiB before the server closed`);
      assert.equal(h.turns.length, 0);
    });

    it('refuses a declared Content-Length over the limit without reading', async () => {
      const outcome = await new Promise<number | string>((resolve) => {
        const req = request(`${h.url}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-length': String(50 * 1024 * 1024) } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', (e) => resolve((e as NodeJS.ErrnoException).code ?? String(e)));
        req.write(Buffer.alloc(1024));
      });
      assert.ok(outcome === 413 || outcome === 'ECONNRESET', String(outcome));
    });

    it('processes the same wamid once, even when another process (same store) gets the retry', async () => {
      const body = payload([textMessage('wamid.D1', 'once')]);
      await deliver(body);
      await deliver(body);
      const other = await harness({ documents: h.documents, graph: h.graph });
      try {
        await other.post(body, { 'x-hub-signature-256': sign(body) });
        await other.handler.idle();
        assert.equal(other.turns.length, 0);
      } finally {
        await other.close();
      }
      assert.equal(h.turns.length, 1);
      assert.deepEqual(h.graph.textsTo(CUSTOMER), ['echo: once']);
    });

    it('processes every message of a batched payload', async () => {
      await deliver(payload([textMessage('wamid.B1', 'one'), textMessage('wamid.B2', 'two')]));
      assert.deepEqual(h.turns.map((t) => t.text), ['one', 'two']);
    });

    it('records statuses without turning them into customer turns', async () => {
      await deliver(payload([], [{ id: 'wamid.OUT9', status: 'read', timestamp: String(T0 / 1000), recipient_id: CUSTOMER }]));
      assert.equal(h.turns.length, 0);
      assert.equal(h.statuses.length, 1);
      assert.equal(h.statuses[0]?.status, 'read');
      assert.equal(h.statuses[0]?.at, T0);
    });

    it('maps interactive button and list replies to text and value', async () => {
      await deliver(
        payload([
          { from: CUSTOMER, id: 'wamid.I1', timestamp: String(T0 / 1000), type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'opt_yes', title: 'Yes' } } },
          { from: CUSTOMER, id: 'wamid.I2', timestamp: String(T0 / 1000), type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'plan_gold', title: 'Gold' } } },
        ]),
      );
      assert.deepEqual(h.turns.map((t) => [t.text, t.value]), [['Yes', 'opt_yes'], ['Gold', 'plan_gold']]);
    });

    it('offers quick replies as reply buttons (Meta\'s format) and maps a tap back to the option by its id', async () => {
      await deliver(payload([textMessage('wamid.Q1', 'menu')]));
      const [buttons] = h.graph.interactivesTo(CUSTOMER);
      assert.equal(buttons?.['type'], 'button');
      assert.deepEqual(buttons?.['body'], { text: 'Continue?' });
      const replies = (buttons?.['action'] as { buttons: Array<{ type: string; reply: { id: string; title: string } }> }).buttons;
      assert.deepEqual(replies.map((b) => [b.type, b.reply.title]), [['reply', 'Yes'], ['reply', 'No']]);
      assert.deepEqual(h.graph.violations, []);
      await deliver(payload([{ from: CUSTOMER, id: 'wamid.Q2', timestamp: String(T0 / 1000), type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: replies[1]!.reply.id, title: 'No' } } }]));
      assert.equal(h.bot.received.at(-1)?.text, 'no');
      assert.equal(h.bot.received.at(-1)?.value, 'no');
      assert.equal(h.turns.at(-1)?.text, 'No', 'the customer line is what the customer tapped');
      assert.equal(h.graph.textsTo(CUSTOMER).at(-1), 'echo: no');
    });

    it('carries media as a fetchable attachment and a readable customer line; the bot reads the caption', async () => {
      await deliver(payload([{ from: CUSTOMER, id: 'wamid.P1', timestamp: String(T0 / 1000), type: 'image', image: { id: '1479537139650973', mime_type: 'image/jpeg', caption: 'receipt' } }]));
      const att = h.turns[0]?.attachments?.[0];
      assert.equal(att?.contentType, 'image/jpeg');
      assert.equal(att?.contentUrl, 'whatsapp-cloud-media:1479537139650973', 'a reference when no media links are configured');
      assert.deepEqual(att?.content, { mediaId: '1479537139650973' });
      assert.equal(h.turns[0]?.text, '🖼 foto (image/jpeg): receipt', 'a Brazilian number: the line is in Portuguese');
      assert.equal(h.bot.received[0]?.text, 'receipt');
      assert.deepEqual(h.graph.textsTo(CUSTOMER), ['got image/jpeg']);
    });
  });

  describe('interactive messages, formatting and presence', () => {
    const ref = { channelId: 'whatsapp-cloud', serviceUrl: 'whatsapp-cloud:', conversation: { id: CUSTOMER, isGroup: false, conversationType: 'personal', name: '' } };

    it('4 to 10 options go out as a list message (one section, rows ≤ 24 characters); a row tap maps back by id', async () => {
      await deliver(payload([textMessage('wamid.L1', 'shipping')]));
      const [list] = h.graph.interactivesTo(CUSTOMER);
      assert.equal(list?.['type'], 'list');
      assert.deepEqual(list?.['body'], { text: 'Which *shipping*?' }, 'markdown converted in the body');
      const action = list?.['action'] as { button: string; sections: Array<{ title: string; rows: Array<{ id: string; title: string }> }> };
      assert.equal(action.button, 'Opções', 'the button label in the conversation\'s language (a +55 number)');
      assert.deepEqual(action.sections[0]?.rows.map((r) => r.title), ['Standard', 'Express', 'Same day', 'Pick up in store']);
      await deliver(payload([{ from: CUSTOMER, id: 'wamid.L2', timestamp: String(T0 / 1000), type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: action.sections[0]!.rows[2]!.id, title: 'Same day' } } }]));
      // postBack semantics: the bot reads the option's value; the transcript shows what the customer tapped
      assert.deepEqual([h.bot.received.at(-1)?.text, h.bot.received.at(-1)?.value], ['opt-3', 'opt-3']);
      assert.equal(h.turns.at(-1)?.text, 'Same day');
      assert.deepEqual(h.graph.violations, []);
    });

    it('titles longer than Meta allows, or more than 10 options: numbered text, and "2" picks the second', async () => {
      await deliver(payload([textMessage('wamid.N1', 'long titles')]));
      assert.deepEqual(h.graph.interactivesTo(CUSTOMER), []);
      assert.equal(h.graph.textsTo(CUSTOMER).at(-1), 'Sure?\n\n1. Cancel my Acme Plus subscription\n2. Keep it');
      await deliver(payload([textMessage('wamid.N2', '2')]));
      assert.deepEqual([h.bot.received.at(-1)?.text, h.bot.received.at(-1)?.value], ['opt-2', 'opt-2']);
      assert.equal(h.turns.at(-1)?.text, 'Keep it', 'the customer line is the option, not "2"');
      await deliver(payload([textMessage('wamid.N3', 'eleven')]));
      assert.deepEqual(h.graph.interactivesTo(CUSTOMER), []);
      assert.match(h.graph.textsTo(CUSTOMER).at(-1) ?? '', /^Which store\?\n\n1\. Store 1\n.*\n11\. Store 11$/s);
    });

    it('a tap on an old button (not the last offer) reaches the bot as its title', async () => {
      await deliver(payload([textMessage('wamid.O1', 'menu')]));
      await deliver(payload([textMessage('wamid.O2', 'hello')]));
      await deliver(payload([{ from: CUSTOMER, id: 'wamid.O3', timestamp: String(T0 / 1000), type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'zzzzzz.1', title: 'Yes' } } }]));
      assert.deepEqual([h.bot.received.at(-1)?.text, h.bot.received.at(-1)?.value], ['Yes', 'zzzzzz.1']);
    });

    it('when Meta refuses the interactive message, the numbered text goes out instead', async () => {
      await deliver(payload([textMessage('wamid.R0', 'hello')]));
      h.graph.replies.push({ status: 400, body: { error: { code: 131009, message: 'Parameter value is not valid' } } });
      await deliver(payload([textMessage('wamid.R1', 'menu')]));
      assert.equal(h.graph.textsTo(CUSTOMER).at(-1), 'Continue?\n\n1. Yes\n2. No');
      assert.ok(h.logger.lines.some((l) => l.message.includes('refused the interactive message')));
      await deliver(payload([textMessage('wamid.R2', '1')]));
      assert.equal(h.bot.received.at(-1)?.text, 'yes');
    });

    it('bot markdown becomes WhatsApp formatting; an agent\'s line goes out as typed', async () => {
      await deliver(payload([textMessage('wamid.M1', 'markdown')]));
      assert.equal(h.graph.textsTo(CUSTOMER).at(-1), 'Choose *Express* or _Standard_, see rates (https://acme.example/rates)');
      await h.adapter.continueConversation(ref, async (ctx) => {
        await ctx.sendActivity({ type: 'message', text: '*Urgent*: your refund is _approved_', channelData: { handover: { role: 'agent', kind: 'agent_message' } } });
      });
      assert.equal(h.graph.textsTo(CUSTOMER).at(-1), '*Urgent*: your refund is _approved_');
    });

    it('marks the message read with the typing indicator before the reply; a typing activity refreshes it', async () => {
      await deliver(payload([textMessage('wamid.T1', 'slow')]));
      const posts = h.graph.requests.filter((r) => r.method === 'POST').map((r) => r.body);
      assert.deepEqual(posts.slice(0, 2), [
        { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.T1', typing_indicator: { type: 'text' } },
        { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.T1', typing_indicator: { type: 'text' } },
      ]);
      assert.equal(posts[2]?.['type'], 'text');
      assert.deepEqual(h.graph.violations, []);
    });

    it('a failing read receipt never stops the reply (and is not retried)', async () => {
      h.graph.failReads = true;
      await deliver(payload([textMessage('wamid.F9', 'still there?')]));
      assert.deepEqual(h.graph.textsTo(CUSTOMER), ['echo: still there?']);
      assert.equal(h.graph.requests.filter((r) => r.body['status'] === 'read').length, 1);
      assert.ok(h.logger.lines.some((l) => l.message.startsWith('read receipt / typing indicator not sent')));
    });
  });

  describe('sending through the Graph API', () => {
    const ref = { channelId: 'whatsapp-cloud', serviceUrl: 'whatsapp-cloud:', conversation: { id: CUSTOMER, isGroup: false, conversationType: 'personal', name: '' } };
    const agentSays = (text: string) => h.adapter.continueConversation(ref, async (ctx) => void (await ctx.sendActivity(text)));

    beforeEach(async () => {
      await deliver(payload([textMessage('wamid.W0', 'hello')])); // opens the 24 h window
      h.graph.delivered.length = 0;
      h.sleeps.length = 0;
    });

    it('retries 500 twice then delivers once', async () => {
      h.graph.replies.push({ status: 500 }, { status: 500 });
      await agentSays('Agent here');
      assert.deepEqual(h.graph.textsTo(CUSTOMER), ['Agent here']);
      assert.deepEqual(h.sleeps, [500, 1000]);
      assert.equal((await h.adapter.outbox()).length, 0);
    });

    it('honours Retry-After on 429', async () => {
      h.graph.replies.push({ status: 429, headers: { 'retry-after': '7' }, body: { error: { code: 130429, message: 'rate limit' } } });
      await agentSays('after the pause');
      assert.deepEqual(h.sleeps, [7000]);
      assert.deepEqual(h.graph.textsTo(CUSTOMER), ['after the pause']);
    });

    it('keeps messages in the outbox during a total outage and delivers them once Graph is back', async () => {
      h.graph.down = true;
      await agentSays('first');
      await agentSays('second'); // queued behind the first to keep the order
      assert.deepEqual(h.graph.textsTo(CUSTOMER), []);
      assert.deepEqual((await h.adapter.outbox()).map((i) => i.text), ['first', 'second']);
      assert.ok(h.logger.lines.some((l) => l.message.includes('kept in the outbox')));

      assert.deepEqual(await h.adapter.flushOutbox(), { delivered: 0, remaining: 2 });
      h.graph.down = false;
      assert.deepEqual(await h.adapter.flushOutbox(), { delivered: 2, remaining: 0 });
      assert.deepEqual(h.graph.textsTo(CUSTOMER), ['first', 'second']);
      assert.equal((await h.adapter.outbox()).length, 0);
      await h.adapter.flushOutbox();
      assert.deepEqual(h.graph.textsTo(CUSTOMER), ['first', 'second'], 'delivered once');
    });

    it('gives up after N attempts with HANDOVER_ERR_CHANNEL (the Graph client itself)', async () => {
      h.graph.down = true;
      const client = new GraphApiClient({ baseUrl: h.graph.baseUrl, phoneNumberId: PHONE_ID, accessToken: ACCESS_TOKEN, maxAttempts: 2, sleep: async () => {}, logger: h.logger });
      await assert.rejects(client.sendText(CUSTOMER, 'x'), (e: unknown) => isHandoverError(e, 'HANDOVER_ERR_CHANNEL'));
      assert.equal(h.graph.requests.filter((r) => (r.body['text'] as { body?: string } | undefined)?.body === 'x').length, 2);
    });

    it('sends the template outside the 24 h window, tells the agent, and delivers the text when the customer writes', async () => {
      h.clock.advanceMs(24 * 60 * 60 * 1000 + 1);
      await agentSays('Sorry for the wait, I can help now');
      assert.deepEqual(h.graph.textsTo(CUSTOMER), []);
      const tpl = h.graph.delivered.find((d) => d['type'] === 'template');
      assert.deepEqual(tpl?.['template'], { name: 'agent_ready', language: { code: 'pt_BR' } });
      assert.deepEqual(h.windowClosed, [{ conversationId: CUSTOMER, templateName: 'agent_ready', templateSent: true }]);

      await deliver(payload([textMessage('wamid.W1', 'ok, here', h.clock.now())]));
      assert.deepEqual(h.graph.textsTo(CUSTOMER), ['Sorry for the wait, I can help now', 'echo: ok, here']);
    });

    it('a reaction (or a deletion) is not the customer writing: the window stays closed, held texts stay held', async () => {
      h.clock.advanceMs(24 * 60 * 60 * 1000 + 1);
      await agentSays('Sorry for the wait');
      await deliver(payload([{ from: CUSTOMER, id: 'wamid.RX1', timestamp: String(Math.floor(h.clock.now() / 1000)), type: 'reaction', reaction: { message_id: 'wamid.OUT1', emoji: '👍' } }]));
      assert.deepEqual(h.graph.textsTo(CUSTOMER), [], 'still held');
      assert.equal(h.graph.delivered.filter((d) => d['type'] === 'template').length, 1, 'no second template');
      assert.equal(h.turns.at(-1)?.type, 'messageReaction');
      assert.deepEqual(h.turns.at(-1)?.reactionsAdded, [{ type: '👍' }]);
      await deliver(payload([textMessage('wamid.RX2', 'hi', h.clock.now())]));
      assert.deepEqual(h.graph.textsTo(CUSTOMER), ['Sorry for the wait', 'echo: hi']);
    });

    it('sends one template for several texts written while the window is closed, and a new one after the customer replied', async () => {
      h.clock.advanceMs(24 * 60 * 60 * 1000 + 1);
      await agentSays('one');
      await agentSays('two');
      await agentSays('three');
      assert.equal(h.graph.delivered.filter((d) => d['type'] === 'template').length, 1);
      assert.deepEqual(h.windowClosed.map((e) => e.templateSent), [true, false, false]);
      await deliver(payload([textMessage('wamid.W2', 'hi again', h.clock.now())]));
      assert.deepEqual(h.graph.textsTo(CUSTOMER).slice(0, 3), ['one', 'two', 'three']);
      h.clock.advanceMs(24 * 60 * 60 * 1000 + 1);
      await agentSays('four');
      assert.equal(h.graph.delivered.filter((d) => d['type'] === 'template').length, 2);
    });

    it('tries the template again on the next text when sending it failed', async () => {
      h.clock.advanceMs(24 * 60 * 60 * 1000 + 1);
      h.graph.replies.push({ status: 400, body: { error: { code: 132001, message: 'template does not exist' } } });
      await agentSays('one');
      await agentSays('two');
      assert.deepEqual(h.windowClosed.map((e) => e.templateSent), [false, true]);
      assert.equal(h.graph.delivered.filter((d) => d['type'] === 'template').length, 1);
    });

    it('splits text longer than 4096 characters', async () => {
      const long = `${'a'.repeat(4000)} ${'b'.repeat(200)}`;
      await agentSays(long);
      const parts = h.graph.textsTo(CUSTOMER);
      assert.equal(parts.length, 2);
      assert.ok(parts.every((p) => p.length <= 4096));
      assert.ok(parts.join('') === long, 'the parts put together are the original text');
    });
  });
});

describe('WhatsApp Cloud config', () => {
  it('reads secrets from the environment and applies defaults', () => {
    const cfg = parseWhatsAppCloudConfig(
      { enabled: true, phoneNumberId: PHONE_ID, templates: { agent_reply: { name: 'agent_ready', language: 'pt_BR' } } },
      { WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN, WHATSAPP_APP_SECRET: APP_SECRET, WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN },
    );
    assert.equal(cfg.graphBaseUrl, 'https://graph.facebook.com/v21.0');
    assert.equal(cfg.webhookPath, '/webhooks/whatsapp');
    assert.equal(cfg.maxBodyBytes, 1024 * 1024);
    assert.equal(cfg.appSecret, APP_SECRET);
  });

  it('reports every problem at once without echoing secrets', () => {
    assert.throws(
      () => parseWhatsAppCloudConfig({ phoneNumberId: 'abc', templates: {} }, { WHATSAPP_APP_SECRET: 'short' }),
      (e: unknown) => {
        assert.ok(isHandoverError(e, 'HANDOVER_ERR_CONFIG_INVALID'));
        const text = e.details.join('\n');
        for (const needle of ['phoneNumberId', 'agent_reply', 'WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_APP_SECRET', 'WHATSAPP_ACCESS_TOKEN']) assert.ok(text.includes(needle), needle);
        assert.ok(!text.includes('"short"'));
        return true;
      },
    );
  });
});
