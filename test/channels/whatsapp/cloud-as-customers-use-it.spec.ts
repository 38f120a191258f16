/**
 * WhatsApp as customers use it (issue 15), over the Cloud API: every documented message type, the
 * customer's language, photos and voice notes, username-only senders, read receipts and typing, the
 * agent's view of who the customer is. Signed webhooks to the handler `createWhatsAppCloudHandler`
 * builds, the real middleware, the real Acme dialogs and handoff service on the memory store; only
 * Meta is fake (FakeGraphApi, which checks every request against Meta's documented formats).
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TurnContext } from 'botbuilder';
import { channelContact } from '../../../src/agent/console/format.js';
import { createHandover, type Handover } from '../../../src/app.js';
import { createWhatsAppCloudHandler, type WhatsAppCloudHandler } from '../../../src/channels/whatsapp/attach.js';
import type { ChannelLogger } from '../../../src/channels/whatsapp/shared/channel-logger.js';
import { ManualClock } from '../../../src/core/clock.js';
import type { TranscriptEntry } from '../../../src/core/conversation.js';
import { agentId, conversationId, type ConversationId } from '../../../src/core/ids.js';
import type { Stores } from '../../../src/core/ports/stores.js';
import { StaticCustomerDirectory } from '../../../src/core/static-customer-directory.js';
import { loadDialogs, type DialogCatalog } from '../../../src/dialogs/load-dialogs.js';
import { memoryKey, type ConversationMemory } from '../../../src/handoff/conversation-memory.js';
import { createMemoryStores } from '../../../src/store/memory/index.js';
import { FakeGraphApi } from '../../support/fake-graph-api.js';
import { customers, manifest } from '../../support/harness.js';
import { CLOUD_MESSAGES, cloudWebhook } from './fixtures/cloud-messages.js';

const ENV = {
  WHATSAPP_VERIFY_TOKEN: 'verify-me-please',
  WHATSAPP_APP_SECRET: 'test-app-secret-0123456789',
  WHATSAPP_ACCESS_TOKEN: 'EAAG-test-access-token',
};
const sign = (raw: string): string => `sha256=${createHmac('sha256', ENV.WHATSAPP_APP_SECRET).update(raw).digest('hex')}`;

interface Sender {
  readonly phone?: string;
  readonly userId?: string;
  readonly username?: string;
  readonly name: string;
}

interface World {
  app: Handover;
  stores: Stores;
  graph: FakeGraphApi;
  cloud: WhatsAppCloudHandler;
  clock: ManualClock;
  logs: Array<{ level: string; message: string; fields: Record<string, unknown> | undefined }>;
  url: string;
  /** Texts the bot read, per conversation id (the channel's id: phone or user id). */
  botRead: Map<string, string[]>;
  /** The sender writes `message`; resolves when processed, with the texts sent to them meanwhile. */
  send(sender: Sender, message: Record<string, unknown>): Promise<string[]>;
  texts(sender: Sender): string[];
  transcript(sender: Sender): Promise<readonly TranscriptEntry[]>;
  idOf(sender: Sender): ConversationId;
  close(): Promise<void>;
}

let seq = 0;
async function world(opts: { mediaMaxBytes?: number; catalog?: DialogCatalog } = {}): Promise<World> {
  const graph = await FakeGraphApi.start();
  graph.token = ENV.WHATSAPP_ACCESS_TOKEN;
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 15));
  const stores = createMemoryStores();
  const app = createHandover({ manifest, stores, clock, directory: new StaticCustomerDirectory(customers), ...(opts.catalog === undefined ? {} : { catalog: opts.catalog }) });
  const botRead = new Map<string, string[]>();
  // The app as the channel sees it, with a window on what the bot reads.
  const spied = {
    ...app,
    bot: {
      run: async (ctx: TurnContext): Promise<void> => {
        if (ctx.activity.type === 'message') {
          const id = ctx.activity.conversation?.id ?? '';
          botRead.set(id, [...(botRead.get(id) ?? []), ctx.activity.text ?? '']);
        }
        await app.bot.run(ctx);
      },
    },
  };
  const logs: World['logs'] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => void logs.push({ level, message, fields });
  const logger: ChannelLogger = { info: log('info'), warn: log('warn'), error: log('error') };
  const local = { ...manifest, whatsapp: { ...manifest.whatsapp, cloud: { ...manifest.whatsapp.cloud, graphBaseUrl: graph.baseUrl } } };
  const cloud = createWhatsAppCloudHandler({
    app: spied,
    stores,
    manifest: local,
    env: ENV,
    logger,
    clock,
    sleep: async () => {},
    outboxTimer: false,
    ...(opts.mediaMaxBytes === undefined ? {} : { mediaMaxBytes: opts.mediaMaxBytes }),
  });
  await cloud.ready;
  const server: Server = createServer((req, res) => {
    void cloud.handler(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const idOf = (s: Sender): ConversationId => conversationId(`whatsapp-cloud:${s.phone ?? s.userId}`);
  const texts = (s: Sender): string[] => graph.textsTo(s.phone ?? s.userId ?? '');
  return {
    app,
    stores,
    graph,
    cloud,
    clock,
    logs,
    url,
    botRead,
    idOf,
    texts,
    transcript: (s) => stores.transcripts.read(idOf(s)),
    send: async (sender, message) => {
      const before = texts(sender).length;
      const body = cloudWebhook(sender, `wamid.IN${++seq}`, Math.floor(clock.now() / 1000), message);
      const res = await fetch(`${url}${cloud.path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) }, body });
      assert.equal(res.status, 200);
      await cloud.handler.idle();
      return texts(sender).slice(before);
    },
    close: async () => {
      await cloud.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await graph.close();
      await stores.close();
    },
  };
}

const customerLines = (t: readonly TranscriptEntry[]): TranscriptEntry[] => t.filter((e) => e.from === 'customer');

describe('WhatsApp Cloud API as customers use it (issue 15)', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(async () => {
    await w.close();
  });

  describe('every message type', () => {
    it('each documented type is a readable customer line; the bot reads only customer words, never an empty text', async () => {
      let n = 0;
      for (const f of CLOUD_MESSAGES) {
        const sender: Sender = { phone: `1555020${String(++n).padStart(4, '0')}`, name: `Customer ${n}` };
        const sent = await w.send(sender, f.message);
        const transcript = await w.transcript(sender);
        const lines = customerLines(transcript);
        const read = w.botRead.get(sender.phone as string) ?? [];
        const state = await w.app.service.state(w.idOf(sender));
        const where = `${f.name}: ${JSON.stringify({ lines, read, sent, state: state.status, reason: state.reason })}`;
        if ('ignored' in f.expect) {
          assert.deepEqual(lines, [], where);
          assert.deepEqual(sent, [], where);
          continue;
        }
        assert.equal(lines.length, 1, where);
        assert.ok(f.line !== undefined && lines[0]?.text === f.line, `${where}\nexpected line: ${f.line}`);
        assert.ok(read.every((t) => t.trim() !== ''), `the bot never reads an empty text: ${where}`);
        assert.ok(state.reason !== 'low_confidence' && state.reason !== 'fallback_loop', where);
        if ('bot' in f.expect) {
          assert.deepEqual(read, [f.expect.bot], where);
        } else if ('channelAnswers' in f.expect) {
          assert.deepEqual(read, [], `the bot is not asked: ${where}`);
          assert.equal(sent.length, 1, where);
        } else {
          assert.deepEqual(read, [], where);
          assert.deepEqual(sent, [], `no answer to a reaction or a deletion: ${where}`);
          assert.notEqual(lines[0]?.type, 'message', where);
        }
      }
      assert.deepEqual(w.graph.violations, [], 'every request in Meta\'s documented format');
    });

    it('a poll: the customer is told what the bot cannot read, in their language; the agent sees the line', async () => {
      const ana: Sender = { phone: '5511987654321', name: 'Ana' };
      const poll = CLOUD_MESSAGES.find((f) => f.name === 'unsupported: poll')!.message;
      assert.deepEqual(await w.send(ana, poll), ['Desculpe, não consigo ler enquetes por aqui. Pode escrever em uma mensagem?']);
      assert.deepEqual(customerLines(await w.transcript(ana)).map((e) => e.text), ['⚠️ uma mensagem que o bot não consegue ler (poll_creation)']);
      assert.equal((await w.app.service.state(w.idOf(ana))).status, 'bot');
    });

    it('a cart\'s total feeds the value at risk the policy weighs', async () => {
      const leo: Sender = { phone: '15550100002', name: 'Leo' };
      await w.send(leo, CLOUD_MESSAGES.find((f) => f.name === 'order (cart) without text')!.message);
      const memory = await w.stores.documents.read<ConversationMemory>(memoryKey(w.idOf(leo)));
      const value = memory?.value.history.at(-1)?.value;
      assert.equal(value?.amountNamed, 148.5);
      assert.equal(value?.stake, 148.5);
    });
  });

  describe('language', () => {
    it('a Brazilian number asking for a person in Portuguese is answered in Portuguese and handed off', async () => {
      const ana: Sender = { phone: '5511987654321', name: 'Ana' };
      const sent = await w.send(ana, { type: 'text', text: { body: 'Olá, quero falar com um atendente' } });
      assert.equal((await w.app.service.state(w.idOf(ana))).status, 'queued');
      assert.match(sent.join('\n'), /Vou transferir você para uma pessoa/);
      assert.equal((await w.app.service.packet(w.idOf(ana)))?.locale, 'pt-BR');
    });

    it('a first message too short to tell ("oi") follows the phone\'s country: Portuguese for +55, English for +1', async () => {
      const br = await w.send({ phone: '5511912345678', name: 'Bia' }, { type: 'text', text: { body: 'oi' } });
      const us = await w.send({ phone: '15550109999', name: 'Bob' }, { type: 'text', text: { body: 'oi' } });
      assert.ok(br.length > 0 && us.length > 0);
      assert.notDeepEqual(br, us);
      assert.match(br.join('\n'), /Acme Shop/);
      assert.match(br.join('\n'), /[ãçõáéí]|você|pedido|Olá/i, `Portuguese: ${br.join(' | ')}`);
      assert.doesNotMatch(us.join('\n'), /você|Olá/, `English: ${us.join(' | ')}`);
    });

    it('a Mexican number starts in Spanish; the customer\'s own words win over the prior', async () => {
      const mx: Sender = { phone: '5215512345678', name: 'Mar' };
      assert.match((await w.send(mx, { type: 'text', text: { body: 'hola' } })).join('\n'), /Hola|hola|Acme/);
      const br: Sender = { phone: '5511955554444', name: 'John' };
      const sent = await w.send(br, { type: 'text', text: { body: 'I want to talk to a real person please' } });
      assert.match(sent.join('\n'), /connecting you with a person/i, 'English words from a Brazilian number: English');
    });
  });

  describe('the channel\'s own lines never change the conversation\'s language', () => {
    // (a place shared from a map is named in the local language: a Mexican customer shares a Mexican address)
    for (const [phone, hello, locale, answer, place] of [
      ['5215512345678', 'hola, buenas tardes', 'es', /^(Gracias, recibí|Lo siento, no puedo leer)/, { name: 'Oficina', address: 'Av. Insurgentes Sur 1602, Ciudad de México' }],
      ['5511987654321', 'oi, boa tarde', 'pt-BR', /^(Obrigado, recebi|Desculpe, não consigo ler)/, { name: 'Escritório', address: 'Av. Paulista 1578, São Paulo' }],
    ] as const) {
      it(`a ${locale} conversation stays ${locale} through every kind of content, answered in ${locale}`, async () => {
        const sender: Sender = { phone, name: 'Cliente' };
        await w.send(sender, { type: 'text', text: { body: hello } });
        const withoutWords = CLOUD_MESSAGES.filter((f) => 'channelAnswers' in f.expect && !f.name.includes('131060'));
        for (const f of withoutWords) {
          w.clock.advanceMs(3 * 60 * 1000); // past the once-per-burst answer
          const local = f.name === 'location with name and address' ? { type: 'location', location: { latitude: 19.37, longitude: -99.17, ...place } } : f.message;
          const sent = await w.send(sender, local);
          const memory = await w.stores.documents.read<ConversationMemory>(memoryKey(w.idOf(sender)));
          assert.equal(memory?.value.locale, locale, `${f.name}: ${JSON.stringify(customerLines(await w.transcript(sender)).at(-1)?.text)}`);
          if ((await w.app.service.state(w.idOf(sender))).status === 'bot') assert.match(sent.join('\n'), answer, `${f.name}: ${sent.join(' | ')}`);
        }
      });
    }
  });

  describe('a dialog\'s quick replies', () => {
    it('go out as reply buttons; a tap picks the option (the bot reads it, the transcript shows it)', async () => {
      const real = loadDialogs({ dialogsDir: 'dialogs', localesDir: 'locales', manifest });
      const greeting = real.dialogs.get('greeting');
      assert.ok(greeting);
      const dialogs = new Map(real.dialogs);
      dialogs.set('greeting', { ...greeting, steps: [{ say: 'greeting.answer', choices: ['greeting.choice_order', 'greeting.choice_person'] }] });
      const locales = new Map([...real.locales].map(([locale, texts]) => [locale, { ...texts, 'greeting.choice_order': 'Track my order', 'greeting.choice_person': 'Talk to a person' }]));
      await w.close();
      w = await world({ catalog: { dialogs, locales } });

      const leo: Sender = { phone: '15550100002', name: 'Leo' };
      assert.deepEqual(await w.send(leo, { type: 'text', text: { body: 'hi' } }), [], 'no text: the greeting went out with its buttons');
      const [buttons] = w.graph.interactivesTo('15550100002');
      assert.match(String((buttons?.['body'] as { text: string }).text), /Acme Shop assistant/);
      const replies = (buttons?.['action'] as { buttons: Array<{ reply: { id: string; title: string } }> }).buttons;
      assert.deepEqual(replies.map((b) => b.reply.title), ['Track my order', 'Talk to a person']);

      const sent = await w.send(leo, { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: replies[1]!.reply.id, title: 'Talk to a person' } } });
      assert.match(sent.join('\n'), /connecting you with a person/);
      assert.equal((await w.app.service.state(w.idOf(leo))).status, 'queued');
      assert.ok(customerLines(await w.transcript(leo)).some((e) => e.text === 'Talk to a person'));
      assert.deepEqual(w.graph.violations, []);
    });
  });

  describe('photos and voice notes', () => {
    it('a photo then a voice note are not turns the bot failed: one answer in the customer\'s language, no handoff, a step for the agent', async () => {
      const ana: Sender = { phone: '5511987654321', name: 'Ana' };
      const first = await w.send(ana, { type: 'image', image: { id: '2754859441498128', mime_type: 'image/jpeg', sha256: 'x' } });
      const second = await w.send(ana, { type: 'audio', audio: { id: '1003383421387256', mime_type: 'audio/ogg; codecs=opus', voice: true } });
      assert.deepEqual(first, ['Obrigado, recebi sua foto. Mas eu só consigo ler texto — pode escrever o que você precisa?']);
      assert.deepEqual(second, [], 'one answer for a burst of media');
      assert.equal((await w.app.service.state(w.idOf(ana))).status, 'bot', 'not handed off as low_confidence');
      assert.deepEqual(customerLines(await w.transcript(ana)).map((e) => e.text), ['🖼 foto (image/jpeg)', '🎤 mensagem de voz (audio/ogg; codecs=opus)']);
      assert.deepEqual(w.botRead.get('5511987654321') ?? [], [], 'the bot was not asked');

      // the customer then writes: the bot reads the words; the briefing tells what happened before
      await w.send(ana, { type: 'text', text: { body: 'quero falar com um atendente' } });
      const packet = await w.app.service.packet(w.idOf(ana));
      assert.equal(packet?.reason, 'customer_request');
      assert.ok(packet?.steps.some((s) => s.startsWith('received a photo; the channel answered')), JSON.stringify(packet?.steps));
    });

    it('the transcript keeps a signed link the console can open: the bytes come from Meta through the link', async () => {
      w.graph.media.set('2754859441498128', { bytes: Buffer.from('\xff\xd8\xff fake jpeg', 'latin1'), mimeType: 'image/jpeg' });
      w.graph.media.set('1224354398633584', { bytes: Buffer.from('%PDF-1.4 fake'), mimeType: 'application/pdf' });
      const leo: Sender = { phone: '15550100002', name: 'Leo' };
      await w.send(leo, { type: 'image', image: { id: '2754859441498128', mime_type: 'image/jpeg', caption: 'the box' } });
      await w.send(leo, { type: 'document', document: { id: '1224354398633584', mime_type: 'application/pdf', filename: 'invoice.pdf' } });
      const links = customerLines(await w.transcript(leo)).map((e) => (e.meta?.['attachments'] as Array<{ url: string }>)[0]?.url ?? '');
      assert.equal(links.length, 2);

      const photo = await fetch(`${w.url}${links[0]}`);
      assert.equal(photo.status, 200);
      assert.equal(photo.headers.get('content-type'), 'image/jpeg');
      assert.equal(photo.headers.get('content-disposition'), 'inline');
      assert.equal(Buffer.from(await photo.arrayBuffer()).toString('latin1'), '\xff\xd8\xff fake jpeg');
      assert.match(photo.headers.get('content-security-policy') ?? '', /sandbox/);

      const pdf = await fetch(`${w.url}${links[1]}`);
      assert.equal(pdf.status, 200);
      assert.match(pdf.headers.get('content-disposition') ?? '', /^attachment/, 'a document is a download, never a page of ours');
      await pdf.arrayBuffer();

      const forged = links[0]!.replace('2754859441498128', '2754859441498129');
      assert.equal((await fetch(`${w.url}${forged}`)).status, 403, 'a link cannot be re-pointed at another media id');
      const extended = links[0]!.replace(/e=(\d+)/, (_m, e: string) => `e=${Number(e) + 86_400}`);
      assert.equal((await fetch(`${w.url}${extended}`)).status, 403, 'nor extended');
      w.clock.advanceMs(8 * 24 * 60 * 60 * 1000);
      assert.equal((await fetch(`${w.url}${links[0]}`)).status, 403, 'expired after 7 days');
      assert.ok(w.graph.requests.filter((r) => r.method === 'GET').every((r) => r.authorization === `Bearer ${ENV.WHATSAPP_ACCESS_TOKEN}`));
    });

    it('media Meta no longer has is a 404; media over the limit a 413', async () => {
      await w.close();
      w = await world({ mediaMaxBytes: 10 });
      w.graph.token = ENV.WHATSAPP_ACCESS_TOKEN;
      w.graph.media.set('111', { bytes: Buffer.alloc(11), mimeType: 'video/mp4' });
      const leo: Sender = { phone: '15550100002', name: 'Leo' };
      await w.send(leo, { type: 'video', video: { id: '111', mime_type: 'video/mp4' } });
      await w.send(leo, { type: 'sticker', sticker: { id: '222', mime_type: 'image/webp' } });
      const links = customerLines(await w.transcript(leo)).map((e) => (e.meta?.['attachments'] as Array<{ url: string }>)[0]?.url ?? '');
      assert.equal((await fetch(`${w.url}${links[0]}`)).status, 413);
      assert.equal((await fetch(`${w.url}${links[1]}`)).status, 404);
    });
  });

  describe('username-only senders (no phone number)', () => {
    it('are served by their business-scoped user id: replies go to `recipient`, the handoff works, it is logged', async () => {
      const user: Sender = { userId: 'BR.1502576394655843', username: 'ana.silva', name: 'Ana' };
      const sent = await w.send(user, { type: 'text', text: { body: 'quero falar com um atendente' } });
      assert.match(sent.join('\n'), /Vou transferir você/, 'answered, in Portuguese (BR. prefix)');
      const replies = w.graph.delivered.filter((d) => d['recipient'] === 'BR.1502576394655843');
      assert.ok(replies.length > 0 && replies.every((d) => d['to'] === undefined), 'addressed as Meta requires: recipient, no to');
      assert.ok(w.logs.some((l) => l.message.startsWith('username-only WhatsApp sender') && l.fields?.['userId'] === 'BR.1502576394655843'));

      const id = w.idOf(user);
      assert.equal((await w.app.service.state(id)).status, 'queued');
      await w.app.service.accept(id, agentId('ana'), 'Ana');
      await w.app.service.sendAgentMessage(id, agentId('ana'), 'Oi Ana, estou aqui.', 'Ana');
      assert.equal(w.texts(user).at(-1), 'Oi Ana, estou aqui.');
      assert.deepEqual(channelContact(await w.transcript(user)), [
        ['WhatsApp name', 'Ana'],
        ['WhatsApp number', 'not shared (username only)'],
        ['Username', '@ana.silva'],
        ['WhatsApp user id', 'BR.1502576394655843'],
      ]);
      assert.deepEqual(w.graph.violations, []);
    });
  });

  describe('presence', () => {
    it('marks the message read with "typing…" before the bot answers; while queued nothing is read until an agent writes', async () => {
      const leo: Sender = { phone: '15550100002', name: 'Leo' };
      await w.send(leo, { type: 'text', text: { body: "where's my package?" } });
      const posts = w.graph.requests.filter((r) => r.method === 'POST');
      assert.deepEqual(posts[0]?.body, { messaging_product: 'whatsapp', status: 'read', message_id: `wamid.IN${seq}`, typing_indicator: { type: 'text' } });
      assert.equal(posts[1]?.body['type'], 'text', 'the answer after the typing indicator');

      await w.send(leo, { type: 'text', text: { body: "I don't have it with me" } });
      const id = w.idOf(leo);
      assert.equal((await w.app.service.state(id)).status, 'queued');
      const readsBefore = w.graph.reads.length;
      await w.send(leo, { type: 'text', text: { body: 'hello?' } });
      await w.send(leo, { type: 'text', text: { body: 'anyone?' } });
      assert.equal(w.graph.reads.length, readsBefore, 'no read receipt while no one has read them');

      await w.app.service.accept(id, agentId('ana'), 'Ana');
      assert.deepEqual(w.graph.reads.slice(readsBefore), [{ messageId: `wamid.IN${seq}`, typing: false }], 'read (no typing) when the agent joins');
      await w.app.service.sendAgentMessage(id, agentId('ana'), 'Hi Leo!', 'Ana');
      assert.equal(w.graph.reads.length, readsBefore + 1, 'once');
      assert.deepEqual(w.graph.violations, []);
    });
  });

  describe('who the customer is', () => {
    it('the transcript notes the WhatsApp profile once (again when it changes); the briefing shows name and number', async () => {
      const guest: Sender = { phone: '5511977776666', name: 'Carla' };
      await w.send(guest, { type: 'text', text: { body: 'oi' } });
      await w.send(guest, { type: 'text', text: { body: 'tudo bem?' } });
      await w.send({ ...guest, name: 'Carla M.' }, { type: 'text', text: { body: 'quero falar com um atendente' } });
      const notes = (await w.transcript(guest)).filter((e) => e.meta?.['name'] === 'whatsapp.contact');
      assert.deepEqual(notes.map((e) => e.text), ['WhatsApp contact: Carla · +5511977776666', 'WhatsApp contact: Carla M. · +5511977776666']);
      assert.equal(notes[0]?.meta?.['audience'], 'agent');
      assert.equal((await w.app.service.packet(w.idOf(guest)))?.customer, null, 'not in the customer directory');
      assert.deepEqual(channelContact(await w.transcript(guest)), [
        ['WhatsApp name', 'Carla M.'],
        ['WhatsApp number', '+5511977776666'],
      ]);
    });
  });
});
