import assert from 'node:assert/strict';
import { ActivityHandler, MessageFactory, type Activity, type TurnContext } from 'botbuilder';
import { ManualClock } from '../../../src/core/clock.js';
import { silentChannelLogger } from '../../../src/channels/whatsapp/shared/channel-logger.js';
import type { Sleep } from '../../../src/channels/whatsapp/shared/sleep.js';
import {
  WhatsAppWebAdapter,
  type BusinessPhoneMessage,
  type WhatsAppWebAdapterOptions,
} from '../../../src/channels/whatsapp/web/whatsapp-web-adapter.js';
import { createWwebjsClient } from '../../../src/channels/whatsapp/web/create-wwebjs-client.js';
import { FakeWwebjsClient } from '../../support/fake-wwebjs-client.js';

const CUSTOMER = '5511987654321@c.us';

/** The sample bot: echoes, offers quick replies on "menu", and reports attachments. */
class EchoBot extends ActivityHandler {
  readonly received: Partial<Activity>[] = [];
  constructor() {
    super();
    this.onMessage(async (ctx, next) => {
      this.received.push({ ...ctx.activity }); // a copy: what the bot read (the channel puts the customer line back after the turn)
      const text = ctx.activity.text ?? '';
      if (text === 'menu') {
        await ctx.sendActivity(
          MessageFactory.suggestedActions(
            [
              { type: 'imBack', title: 'Yes', value: 'yes' },
              { type: 'imBack', title: 'No', value: 'no' },
            ],
            'Continue?',
          ),
        );
      } else if (text === 'three') {
        await ctx.sendActivities([MessageFactory.text('one'), MessageFactory.text('two'), MessageFactory.text('three')]);
      } else if (text === 'typing') {
        await ctx.sendActivities([{ type: 'typing' }, { type: 'delay', value: 1500 }, { type: 'trace', name: 'debug', value: 1 }, MessageFactory.text('done')]);
      } else {
        const media = ctx.activity.attachments?.[0];
        await ctx.sendActivity(media === undefined ? `echo: ${text}` : `got ${media.contentType}`);
      }
      await next();
    });
  }
}

/** Records the delays asked for; moves the manual clock instead of waiting. */
function recordingSleep(clock: ManualClock): { sleep: Sleep; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    sleep: async (ms) => {
      delays.push(ms);
      clock.advanceMs(ms);
    },
  };
}

function setup(extra: Partial<WhatsAppWebAdapterOptions> = {}) {
  const client = new FakeWwebjsClient();
  const clock = new ManualClock(1_700_000_000_000);
  const { sleep, delays } = recordingSleep(clock);
  const phone: BusinessPhoneMessage[] = [];
  const adapter = new WhatsAppWebAdapter({
    client,
    clock,
    sleep,
    logger: silentChannelLogger,
    onBusinessPhoneMessage: (e) => void phone.push(e),
    ...extra,
  });
  const turns: Partial<Activity>[] = [];
  adapter.use(async (ctx: TurnContext, next: () => Promise<void>) => {
    turns.push(ctx.activity);
    await next();
  });
  const bot = new EchoBot();
  adapter.listen((ctx) => bot.run(ctx));
  return { client, clock, adapter, bot, turns, phone, delays };
}

describe('WhatsAppWebAdapter (botbuilder pipeline over a fake whatsapp-web.js client)', () => {
  it('turns an incoming message into an activity and sends the reply to the same chat', async () => {
    const { client, adapter, turns } = setup();
    await client.initialize();
    await client.inbound(CUSTOMER, 'hello', { timestamp: 1_700_000_123 });
    await adapter.whenIdle();

    assert.equal(turns.length, 1);
    const a = turns[0]!;
    assert.equal(a.type, 'message');
    assert.equal(a.channelId, 'whatsapp');
    assert.equal(a.conversation?.id, CUSTOMER);
    assert.equal(a.from?.id, CUSTOMER);
    assert.equal(a.text, 'hello');
    assert.equal(new Date(a.timestamp!).getTime(), 1_700_000_123_000);
    assert.deepEqual(client.sent.map((s) => [s.chatId, s.content]), [[CUSTOMER, 'echo: hello']]);
  });

  it('keys conversations by the chat id received, including @lid ids', async () => {
    const { client, adapter, turns } = setup();
    await client.initialize();
    await client.inbound('184467440737095@lid', 'hi');
    await adapter.whenIdle();
    assert.equal(turns[0]?.conversation?.id, '184467440737095@lid');
    assert.equal(client.sent[0]?.chatId, '184467440737095@lid');
  });

  it('renders suggested actions as numbered options and maps a reply "2" back to the option value', async () => {
    const { client, adapter, bot } = setup();
    await client.initialize();
    await client.inbound(CUSTOMER, 'menu');
    await adapter.whenIdle();
    assert.equal(client.sent.at(-1)?.content, 'Continue?\n\n1. Yes\n2. No');

    await client.inbound(CUSTOMER, '2');
    await adapter.whenIdle();
    const last = bot.received.at(-1)!;
    assert.equal(last.text, 'no');
    assert.equal(last.value, 'no');
    assert.equal(client.sent.at(-1)?.content, 'echo: no');

    // Options are one-shot: a later "2" is just text.
    await client.inbound(CUSTOMER, '2');
    await adapter.whenIdle();
    assert.equal(bot.received.at(-1)?.text, '2');
  });

  it('carries media as an attachment reference, not the bytes', async () => {
    const { client, adapter, turns, bot } = setup();
    await client.initialize();
    const msg = await client.inbound(CUSTOMER, 'my receipt', { hasMedia: true, type: 'image', mimetype: 'image/jpeg', filename: 'r.jpg' });
    await adapter.whenIdle();
    const att = turns[0]?.attachments?.[0];
    assert.ok(att !== undefined);
    assert.equal(att.contentType, 'image/jpeg');
    assert.equal(att.contentUrl, `wwebjs-media:${encodeURIComponent(msg.id._serialized)}`);
    assert.equal(att.content, undefined);
    assert.equal(turns[0]?.text, '🖼 foto r.jpg (image/jpeg): my receipt', 'a readable line (in Portuguese: a +55 number)');
    assert.equal(bot.received[0]?.text, 'my receipt', 'the bot reads the caption');
    assert.equal(client.sent[0]?.content, 'got image/jpeg');
  });

  it('a voice note, a location, a contact card, a poll: readable lines; the bot is not asked, the customer gets one answer in their language', async () => {
    const contacts: Array<{ conversationId: string; name: string; phone?: string }> = [];
    const { client, adapter, turns, bot, clock } = setup({ onContact: (e) => void contacts.push(e) });
    await client.initialize();
    await client.inbound(CUSTOMER, '', { hasMedia: true, type: 'ptt', mimetype: 'audio/ogg; codecs=opus' });
    await client.inbound(CUSTOMER, '', { type: 'location', location: { latitude: '-23.5505', longitude: '-46.6333', description: 'Casa' } });
    await adapter.whenIdle();
    clock.advanceMs(3 * 60 * 1000);
    await client.inbound(CUSTOMER, '', { type: 'vcard', vCards: ['BEGIN:VCARD\nFN:Maria Silva\nitem1.TEL;waid=5511912345678:+55 11 91234-5678\nEND:VCARD'] });
    await adapter.whenIdle();
    clock.advanceMs(3 * 60 * 1000);
    await client.inbound(CUSTOMER, 'Which day?', { type: 'poll_creation' });
    await adapter.whenIdle();
    assert.deepEqual(turns.map((t) => t.text), [
      '🎤 mensagem de voz (audio/ogg; codecs=opus)',
      '📍 localização: Casa — -23.5505, -46.6333 https://maps.google.com/?q=-23.5505,-46.6333',
      '👤 contato: Maria Silva +55 11 91234-5678',
      '⚠️ uma mensagem que o bot não consegue ler (poll_creation)',
    ]);
    assert.equal(turns[0]?.locale, 'pt-BR', 'the phone\'s country is the first guess at the language');
    assert.deepEqual(bot.received, [], 'the bot reads words only');
    assert.deepEqual(client.sent.map((s) => s.content), [
      'Obrigado, recebi seu áudio. Mas eu só consigo ler texto — pode escrever o que você precisa?',
      'Obrigado, recebi o contato. Mas eu só consigo ler texto — pode escrever o que você precisa?',
      'Desculpe, não consigo ler enquetes por aqui. Pode escrever em uma mensagem?',
    ], 'one answer for the voice note and the location sent together');
    assert.deepEqual(contacts, [{ conversationId: CUSTOMER, name: '', phone: '5511987654321' }]);
  });

  it('bot markdown becomes WhatsApp formatting', async () => {
    const { client, adapter } = setup();
    await client.initialize();
    await adapter.continueConversation({ channelId: 'whatsapp', serviceUrl: 'whatsapp-web:', conversation: { id: CUSTOMER, isGroup: false, conversationType: 'personal', name: '' } }, async (ctx) => {
      await ctx.sendActivity('Your order is **on its way**');
      await ctx.sendActivity({ type: 'message', text: '*Ana* here', channelData: { handover: { role: 'agent' } } });
    });
    await adapter.whenIdle();
    assert.deepEqual(client.sent.map((s) => s.content), ['Your order is *on its way*', '*Ana* here']);
  });

  it('ignores group chats and status broadcasts', async () => {
    const { client, adapter, turns } = setup();
    await client.initialize();
    await client.inbound('120363025246125486@g.us', 'hello group', { author: CUSTOMER });
    await client.inbound('status@broadcast', 'my status', { author: CUSTOMER, isStatus: true });
    await adapter.whenIdle();
    assert.equal(turns.length, 0);
    assert.equal(client.sent.length, 0);
  });

  it('processes a duplicated message event once', async () => {
    const { client, adapter, turns } = setup();
    await client.initialize();
    const msg = await client.inbound(CUSTOMER, 'once');
    await client.duplicate(msg);
    await client.duplicate(msg);
    await adapter.whenIdle();
    assert.equal(turns.length, 1);
    assert.equal(client.sent.length, 1);
  });

  it('reports a message typed on the business phone via onBusinessPhoneMessage, never as a customer turn', async () => {
    const { client, adapter, turns, phone } = setup();
    await client.initialize();
    await client.inbound(CUSTOMER, 'hello'); // the bot's own reply echoes as message_create fromMe
    await adapter.whenIdle();
    assert.equal(phone.length, 0, 'the adapter\'s own sends are not taken for a human');

    await client.phoneMessage(CUSTOMER, 'Hi, this is Ana from the shop');
    await adapter.whenIdle();
    assert.equal(turns.length, 1, 'the bot did not run for the phone message');
    assert.equal(phone.length, 1);
    assert.equal(phone[0]?.text, 'Hi, this is Ana from the shop');
    assert.equal(phone[0]?.conversationReference.conversation?.id, CUSTOMER);
    assert.equal(phone[0]?.conversationReference.channelId, 'whatsapp');
    assert.equal(typeof phone[0]?.at, 'number');
  });

  it('paces messages per chat (minimum gap, nothing dropped) without making other chats wait', async () => {
    const { client, adapter, delays } = setup({ minSendGapMs: 1000 });
    await client.initialize();
    await client.inbound(CUSTOMER, 'three');
    await client.inbound('5511222222222@c.us', 'other');
    await adapter.whenIdle();
    assert.deepEqual(
      client.sent.filter((s) => s.chatId === CUSTOMER).map((s) => s.content),
      ['one', 'two', 'three'],
    );
    assert.deepEqual(client.sent.filter((s) => s.chatId !== CUSTOMER).map((s) => s.content), ['echo: other']);
    // Two waits asked for between three sends to one chat; none for the other chat's single message.
    assert.deepEqual(delays, [1000, 1000]);
  });

  it('shows typing, sleeps on delay and drops trace activities', async () => {
    const { client, adapter, delays } = setup({ minSendGapMs: 0 });
    await client.initialize();
    await client.inbound(CUSTOMER, 'typing');
    await adapter.whenIdle();
    assert.deepEqual(client.seen, [CUSTOMER], 'read when the bot takes the turn');
    assert.deepEqual(client.typing, [CUSTOMER, CUSTOMER], '"typing…" with the turn, and for the bot\'s typing activity');
    assert.deepEqual(delays, [1500]);
    assert.deepEqual(client.sent.map((s) => s.content), ['done']);
  });

  it('sends proactive (agent) messages through continueConversation', async () => {
    const { client, adapter, turns } = setup();
    await client.initialize();
    await client.inbound(CUSTOMER, 'hello');
    await adapter.whenIdle();
    const ref = { channelId: 'whatsapp', serviceUrl: 'whatsapp-web:', conversation: { id: CUSTOMER, isGroup: false, conversationType: 'personal', name: '' }, user: { id: CUSTOMER, name: '' }, bot: { id: client.me, name: '' } };
    await adapter.continueConversation(ref, async (ctx) => {
      await ctx.sendActivity('Agent Ana here');
    });
    await adapter.whenIdle();
    assert.equal(client.sent.at(-1)?.content, 'Agent Ana here');
    assert.equal(client.sent.at(-1)?.chatId, CUSTOMER);
    assert.equal(turns.at(-1)?.name, 'continueConversation');
  });

  it('builds the real whatsapp-web.js client lazily without starting it', async () => {
    const client = await createWwebjsClient({ dataPath: '/tmp/handover-wwebjs-test', executablePath: '/usr/bin/chromium' });
    assert.equal(typeof client.initialize, 'function');
    // Never initialize(): that would launch Chromium and try to reach web.whatsapp.com.
  });
});
