/**
 * The WhatsApp channels' pure building blocks: the phone's locale prior, markdown to WhatsApp
 * formatting, interactive messages within Meta's limits, signed media links, customer lines.
 */
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/core/clock.js';
import { lineMedia } from '../../../src/agent/console/format.js';
import { MediaLinks } from '../../../src/channels/whatsapp/cloud/media-links.js';
import { addressOf } from '../../../src/channels/whatsapp/cloud/graph-api-client.js';
import { channelReplyText, listButtonLabel } from '../../../src/channels/whatsapp/shared/channel-texts.js';
import { renderChoices } from '../../../src/channels/whatsapp/shared/choices.js';
import { mediaContent, money, orderContent } from '../../../src/channels/whatsapp/shared/customer-content.js';
import { isBusinessScopedUserId, localePrior } from '../../../src/channels/whatsapp/shared/locale-prior.js';
import { markdownToWhatsApp } from '../../../src/channels/whatsapp/shared/whatsapp-format.js';
import { parseVCard, webContent } from '../../../src/channels/whatsapp/web/inbound-content.js';
import type { WhatsAppWebMessage } from '../../../src/channels/whatsapp/web/whatsapp-web-client.js';
import { checkSendPayload } from '../../support/fake-graph-api.js';

const actions = (titles: string[]) => titles.map((t, i) => ({ type: 'imBack', title: t, value: `v${i}` }));
const render = (text: string, titles: string[]) => renderChoices(text, actions(titles), { interactive: true, listButton: 'Options', nonce: 'abc123' });
const send = (interactive: unknown) => checkSendPayload({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '5511987654321', type: 'interactive', interactive });

describe('WhatsApp channel building blocks', () => {
  describe('the locale prior', () => {
    it('guesses from the phone number\'s country, longest calling code first', () => {
      const cases: Array<[string, string | undefined]> = [
        ['5511987654321', 'pt-BR'],
        ['351912345678', 'pt-PT'],
        ['5215512345678', 'es-MX'],
        ['34612345678', 'es-ES'],
        ['5491123456789', 'es-AR'],
        ['18095551234', 'es-DO'],
        ['17875551234', 'es-PR'],
        ['15550100002', 'en-US'],
        ['447700900123', 'en-GB'],
        ['+33 6 12 34 56 78', 'fr-FR'],
        ['9999999999', undefined],
        ['123', undefined],
      ];
      for (const [phone, locale] of cases) assert.equal(localePrior(phone), locale, phone);
    });

    it('reads the country prefix of a business-scoped user id', () => {
      assert.equal(localePrior('BR.1502576394655843'), 'pt-BR');
      assert.equal(localePrior('AR.ENT.11815799212886844830'), 'es-AR');
      assert.equal(localePrior('US.13491208655302741918'), 'en-US');
      assert.equal(isBusinessScopedUserId('5511987654321'), false);
      assert.deepEqual(addressOf('BR.1502576394655843'), { recipient: 'BR.1502576394655843' });
      assert.deepEqual(addressOf('5511987654321'), { to: '5511987654321' });
    });
  });

  describe('markdown to WhatsApp formatting', () => {
    it('converts bold, italic, strike, headings, links and bullets; leaves code alone', () => {
      assert.equal(markdownToWhatsApp('Choose **Express** or *Standard*'), 'Choose *Express* or _Standard_');
      assert.equal(markdownToWhatsApp('__bold__ and _it_ and ~~old~~'), '*bold* and _it_ and ~old~');
      assert.equal(markdownToWhatsApp('# Your order\n* one\n* two'), '*Your order*\n- one\n- two');
      assert.equal(markdownToWhatsApp('see [rates](https://acme.example/r) or https://acme.example'), 'see rates (https://acme.example/r) or https://acme.example');
      assert.equal(markdownToWhatsApp('run `**x**` then\n```\n**y**\n```'), 'run `**x**` then\n```\n**y**\n```');
      assert.equal(markdownToWhatsApp('2 * 3 * 4 = 24, snake_case_name'), '2 * 3 * 4 = 24, snake_case_name');
    });
  });

  describe('quick replies within Meta\'s limits', () => {
    it('up to 3 options with titles up to 20 characters: reply buttons', () => {
      const r = render('Continue?', ['Yes', 'No', 'Exactly twenty chars']);
      assert.equal(r.interactive?.type, 'button');
      assert.deepEqual(send(r.interactive), []);
      assert.deepEqual(r.options.map((o) => o.id), ['abc123.1', 'abc123.2', 'abc123.3']);
      assert.equal(r.fallback, 'Continue?\n\n1. Yes\n2. No\n3. Exactly twenty chars');
    });

    it('a title of 21–24 characters, or 4–10 options: a list message; beyond: numbered text', () => {
      const list = render('Which?', ['Twenty-one characters', 'B']);
      assert.equal(list.interactive?.type, 'list');
      assert.deepEqual(send(list.interactive), []);
      const ten = render('Which store?', Array.from({ length: 10 }, (_, i) => `Store ${i + 1}`));
      assert.equal(ten.interactive?.type, 'list');
      assert.deepEqual(send(ten.interactive), []);
      assert.equal(render('Which store?', Array.from({ length: 11 }, (_, i) => `Store ${i + 1}`)).interactive, undefined);
      assert.equal(render('Which?', ['Twenty-five characters!!!', 'B']).interactive, undefined);
    });

    it('no text to carry them, the same title twice, a body over the limit: numbered text', () => {
      assert.equal(render('', ['Yes', 'No']).interactive, undefined);
      assert.equal(render('Which?', ['Same', 'Same']).interactive, undefined);
      assert.equal(render('x'.repeat(1025), ['Yes', 'No']).interactive?.type, 'list', 'buttons allow 1024, lists 4096');
      assert.equal(render('x'.repeat(4097), ['Yes', 'No']).interactive, undefined);
    });

    it('counts characters as WhatsApp does (an emoji is one) and strips formatting from titles', () => {
      const r = render('Rate us', ['⭐⭐⭐⭐⭐ Excellent!!!!!', '**Fine**']);
      assert.equal(r.interactive?.type, 'button');
      const buttons = (r.interactive as unknown as { action: { buttons: Array<{ reply: { title: string } }> } }).action.buttons;
      assert.deepEqual(buttons.map((b) => b.reply.title), ['⭐⭐⭐⭐⭐ Excellent!!!!!', 'Fine']);
      assert.deepEqual(send(r.interactive), []);
    });

    it('the fake Graph API refuses what Meta refuses', () => {
      assert.notDeepEqual(send({ type: 'button', body: { text: 'x' }, action: { buttons: [1, 2, 3, 4].map((i) => ({ type: 'reply', reply: { id: `${i}`, title: `t${i}` } })) } }), []);
      assert.notDeepEqual(send({ type: 'button', body: { text: 'x' }, action: { buttons: [{ type: 'reply', reply: { id: '1', title: 'x'.repeat(21) } }] } }), []);
      assert.notDeepEqual(send({ type: 'list', body: { text: 'x' }, action: { button: 'Options', sections: [{ title: 'S', rows: Array.from({ length: 11 }, (_, i) => ({ id: `${i}`, title: 'r' })) }] } }), []);
      assert.notDeepEqual(checkSendPayload({ messaging_product: 'whatsapp', to: 'BR.1', recipient_type: 'individual', type: 'text', text: { body: 'x' } }), []);
    });
  });

  describe('signed media links', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 15));
    const links = new MediaLinks({ secret: 'test-app-secret-0123456789', basePath: '/webhooks/whatsapp/media', clock, ttlMs: 60_000 });
    const check = (path: string) => links.check(new URL(path, 'http://x'));

    it('a link checks out for its own media id until it expires', () => {
      const link = links.link('1479537139650973');
      assert.match(link, /^\/webhooks\/whatsapp\/media\/1479537139650973\?e=\d+&s=[\w-]{43}$/);
      assert.deepEqual(check(link), { ok: true, mediaId: '1479537139650973' });
      assert.deepEqual(check(link.replace('1479537139650973', '1479537139650974')), { ok: false, reason: 'bad_signature' });
      assert.deepEqual(check(link.replace(/s=[\w-]+/, 's=AAAA')), { ok: false, reason: 'bad_signature' });
      assert.deepEqual(check('/webhooks/whatsapp/media/..%2Fsecret?e=9999999999&s=x'), { ok: false, reason: 'bad_signature' });
      assert.deepEqual(check('/webhooks/whatsapp'), { ok: false, reason: 'not_media' });
      clock.advanceMs(61_000);
      assert.deepEqual(check(link), { ok: false, reason: 'expired' });
    });

    it('another app secret signs other links', () => {
      const other = new MediaLinks({ secret: 'another-secret-0123456789', basePath: '/webhooks/whatsapp/media', clock });
      assert.equal(links.check(new URL(other.link('1'), 'http://x')).ok, false);
    });
  });

  describe('customer lines and the channel\'s answers', () => {
    it('amounts are written the way the value signal reads them, the total first', () => {
      assert.equal(money(59.8, 'BRL'), 'R$ 59,80');
      assert.equal(money(85, 'USD'), 'US$ 85.00');
      assert.equal(money(12.5, 'EUR'), '€12.50');
      assert.equal(money(1500, 'MXN'), '1500.00 MXN');
      assert.equal(orderContent('pt', { items: [{ productId: 'SKU-1', quantity: 2, itemPrice: 29.9, currency: 'BRL' }] }).line, '🛒 pedido, total R$ 59,80: 2 × SKU-1 (R$ 29,90 cada)');
      assert.equal(orderContent('en', { items: [{ productId: 'A', quantity: 1, itemPrice: 1, currency: 'USD' }, { productId: 'B', quantity: 1, itemPrice: 1, currency: 'EUR' }] }).line, '🛒 order: 1 × A (US$ 1.00 each), 1 × B (€1.00 each)', 'no total across currencies');
    });

    it('documents show a short type, not the English words of their MIME type', () => {
      const doc = (mimeType: string, filename?: string) => mediaContent('es', { kind: 'document', mimeType, ...(filename === undefined ? {} : { filename }) }).line;
      assert.equal(doc('application/pdf', 'factura.pdf'), '📄 documento factura.pdf (pdf)');
      assert.equal(doc('application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'carta.docx'), '📄 documento carta.docx (doc)');
      assert.equal(doc('application/vnd.something-else', 'x.key'), '📄 documento x.key (key)');
      assert.equal(mediaContent('pt', { kind: 'voice', mimeType: 'audio/ogg' }).line, '🎤 mensagem de voz (audio/ogg)');
    });

    it('answers in the conversation\'s language', () => {
      assert.equal(channelReplyText('es-MX', { kind: 'received', thing: 'location' }), 'Gracias, recibí tu ubicación. Pero solo puedo leer texto: ¿puedes escribir lo que necesitas?');
      assert.equal(channelReplyText('en', { kind: 'unsupported', what: 'poll_update' }), "Sorry, I can't read polls here. Could you write it as a message?");
      assert.equal(channelReplyText('pt-BR', { kind: 'unavailable' }), 'Não consegui receber sua última mensagem. Pode enviar de novo?');
      assert.equal(channelReplyText('fr-FR', { kind: 'received', thing: 'photo' }), "Thanks, I got your photo. I can only read text, though — could you write what you need?");
      assert.deepEqual(['en', 'pt-BR', 'es'].map(listButtonLabel), ['Options', 'Opções', 'Opciones']);
    });
  });

  describe('whatsapp-web.js messages', () => {
    const msg = (p: Partial<WhatsAppWebMessage>): WhatsAppWebMessage => ({ id: { _serialized: 'false_1@c.us_A' }, from: '1@c.us', to: '2@c.us', body: '', type: 'chat', timestamp: 1, fromMe: false, hasMedia: false, ...p });
    const ctx = { lang: 'en' as const, mediaLink: (id: string) => `wwebjs-media:${id}`, offered: undefined };

    it('locations, contact cards, polls, undecrypted messages; notices are not customer messages', () => {
      assert.equal(webContent(msg({ type: 'location', location: { latitude: '-23.5505', longitude: '-46.6333', description: 'Casa' } }), ctx)?.line, '📍 location: Casa — -23.5505, -46.6333 https://maps.google.com/?q=-23.5505,-46.6333');
      const card = 'BEGIN:VCARD\nVERSION:3.0\nN:Silva;Maria;;;\nFN:Maria Silva\nitem1.TEL;waid=5511912345678:+55 11 91234-5678\nitem1.X-ABLabel:Celular\nEND:VCARD';
      assert.deepEqual(parseVCard(card), { name: 'Maria Silva', phones: ['+55 11 91234-5678'], emails: [] });
      assert.equal(webContent(msg({ type: 'vcard', vCards: [card] }), ctx)?.line, '👤 contact: Maria Silva +55 11 91234-5678');
      assert.equal(webContent(msg({ type: 'poll_creation', body: 'Which day?' }), ctx)?.reply?.kind, 'unsupported');
      assert.equal(webContent(msg({ type: 'ciphertext' }), ctx)?.reply?.kind, 'unavailable');
      assert.equal(webContent(msg({ type: 'e2e_notification' }), ctx), undefined);
      assert.equal(webContent(msg({ type: 'image', hasMedia: true, body: '/9j/'.padEnd(400, 'A') }), ctx)?.words, undefined, 'a base64 thumbnail is not a caption');
    });
  });
});

describe('console: the files of a transcript line (lineMedia)', () => {
  it('previews images, plays audio and video, links documents; only our own paths and https', () => {
    const att = (contentType: string, url: string, name: string | null = null) => ({ contentType, url, name });
    const media = lineMedia({
      attachments: [
        att('image/jpeg', '/webhooks/whatsapp/media/1?e=1&s=a'),
        att('audio/ogg; codecs=opus', '/webhooks/whatsapp/media/2?e=1&s=b'),
        att('video/mp4', '/webhooks/whatsapp/media/3?e=1&s=c'),
        att('application/pdf', '/webhooks/whatsapp/media/4?e=1&s=d', 'invoice.pdf'),
        att('image/svg+xml', '/webhooks/whatsapp/media/5?e=1&s=e'),
        att('image/png', 'https://cdn.example/p.png'),
        att('image/jpeg', 'wwebjs-media:false_1@c.us_A'),
        att('image/jpeg', 'javascript:alert(1)'),
        att('image/jpeg', '//evil.example/x.jpg'),
        att('image/jpeg', 'data:image/jpeg;base64,AAAA'),
        { contentType: 'image/jpeg', url: null, name: null },
      ],
    });
    assert.deepEqual(
      media.map((m) => [m.kind, m.url, m.name]),
      [
        ['image', '/webhooks/whatsapp/media/1?e=1&s=a', 'image'],
        ['audio', '/webhooks/whatsapp/media/2?e=1&s=b', 'audio'],
        ['video', '/webhooks/whatsapp/media/3?e=1&s=c', 'video'],
        ['file', '/webhooks/whatsapp/media/4?e=1&s=d', 'invoice.pdf'],
        ['file', '/webhooks/whatsapp/media/5?e=1&s=e', 'file'],
        ['image', 'https://cdn.example/p.png', 'image'],
      ],
    );
    assert.deepEqual(lineMedia(undefined), []);
    assert.deepEqual(lineMedia({ attachments: 'nope' }), []);
  });
});
