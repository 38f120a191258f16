/**
 * What customers send on whatsapp-web.js — a photo, a voice note, a document — reaches the agent:
 * the adapter downloads it (`downloadMedia()`), keeps it in the shared store (CustomerMedia) and
 * the customer's line carries a console URL (`/api/media/<id>`) instead of a `wwebjs-media:`
 * reference the console cannot show; the console API serves it to signed-in users, sandboxed.
 */
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { CustomerMedia } from '../../../src/handoff/customer-media.js';
import { silentChannelLogger } from '../../../src/channels/whatsapp/shared/channel-logger.js';
import { WhatsAppWebAdapter } from '../../../src/channels/whatsapp/web/whatsapp-web-adapter.js';
import { ManualClock } from '../../../src/core/clock.js';
import { MemoryDocumentStore } from '../../../src/store/memory/memory-document-store.js';
import { FakeWwebjsClient } from '../../support/fake-wwebjs-client.js';
import { signIn, startTestService, type TestService } from '../../support/agent-service.js';
import { solidPng } from '../../support/whatsapp-cloud-service.js';

const CUSTOMER = '5511987654321@c.us';

describe('whatsapp-web.js media in the agent console', function () {
  this.timeout(30_000);

  it('keeps a photo, a voice note and a document the customer sends and names them by console URL on the line', async () => {
    const client = new FakeWwebjsClient();
    const clock = new ManualClock(1_700_000_000_000);
    const media = new CustomerMedia(new MemoryDocumentStore(), clock);
    const adapter = new WhatsAppWebAdapter({ client, clock, sleep: async (ms) => clock.advanceMs(ms), logger: silentChannelLogger, keepMedia: (f, chatId) => media.put(f, `whatsapp:${chatId}`) });
    const seen: Partial<Activity>[] = [];
    // what the middleware (and so the transcript) gets: a line without words never reaches the bot
    adapter.use({ onTurn: async (ctx, next) => {
      seen.push(ctx.activity);
      await next();
    } });
    adapter.listen(async () => undefined);
    await client.initialize();
    const png = solidPng(8, 8);
    await client.inbound(CUSTOMER, 'the box came like this', { hasMedia: true, type: 'image', mimetype: 'image/png', media: { mimetype: 'image/png', data: png.toString('base64') } });
    await client.inbound(CUSTOMER, '', { hasMedia: true, type: 'ptt', mimetype: 'audio/ogg; codecs=opus', media: { mimetype: 'audio/ogg; codecs=opus', data: Buffer.from('OggS-voice').toString('base64') } });
    await client.inbound(CUSTOMER, '', { hasMedia: true, type: 'document', mimetype: 'application/pdf', filename: 'receipt.pdf', media: { mimetype: 'application/pdf', data: Buffer.from('%PDF-1.4').toString('base64'), filename: 'receipt.pdf' } });
    // WhatsApp no longer has this one: the line still names it, by reference
    await client.inbound(CUSTOMER, '', { hasMedia: true, type: 'image', mimetype: 'image/jpeg' });
    await adapter.whenIdle();

    const urls = seen.map((a) => (a.attachments ?? []).map((x) => x.contentUrl ?? '')[0] ?? '');
    assert.equal(urls.length, 4);
    for (const url of urls.slice(0, 3)) assert.match(url, /^\/api\/media\/[0-9a-f-]{36}$/);
    assert.match(urls[3]!, /^wwebjs-media:/, 'nothing to keep: the reference stays');
    const photo = await media.get(urls[0]!.slice('/api/media/'.length));
    assert.ok(photo?.bytes.equals(png), 'the photo is kept, byte for byte');
    assert.equal(photo?.contentType, 'image/png');
    assert.equal((await media.get(urls[1]!.slice('/api/media/'.length)))?.contentType, 'audio/ogg');
    assert.equal((await media.get(urls[2]!.slice('/api/media/'.length)))?.name, 'receipt.pdf');
    const other = (await media.put({ contentType: 'image/png', name: null, bytes: png }, 'whatsapp:5521000000000@c.us'))!;
    // an erasure finds a customer's files by conversation (the file WhatsApp no longer had kept nothing)
    assert.equal(await media.forgetConversation(`whatsapp:${CUSTOMER}`), 3);
    for (const url of urls.slice(0, 3)) assert.equal(await media.get(url.slice('/api/media/'.length)), undefined);
    assert.ok(await media.get(other.slice('/api/media/'.length)), "another customer's file stays");
    clock.advanceMs(7 * 24 * 3_600_000 + 1);
    assert.equal(await media.get(other.slice('/api/media/'.length)), undefined, 'forgotten after 7 days');
  });

  describe('GET /api/media/{id}', () => {
    let t: TestService;
    before(async () => {
      t = await startTestService();
    });
    after(async () => t?.close());

    it('serves a kept file to signed-in console users: media inline, anything else as a download, sandboxed; 401 without a session, 404 unknown', async () => {
      const media = new CustomerMedia(t.svc.stores.documents, { now: () => Date.now() });
      const png = solidPng(4, 4);
      const photo = (await media.put({ contentType: 'image/png', name: null, bytes: png }, 'whatsapp:5511987654321@c.us'))!;
      const doc = (await media.put({ contentType: 'text/html', name: 'x"><script>.html', bytes: Buffer.from('<script>alert(1)</script>') }, 'whatsapp:5511987654321@c.us'))!;
      const ana = await signIn(t.base, 'ana');

      const r = await fetch(`${t.base}${photo}`, { headers: { Cookie: ana } });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'image/png');
      assert.equal(r.headers.get('content-disposition'), 'inline');
      assert.match(r.headers.get('content-security-policy') ?? '', /sandbox/);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
      assert.ok(Buffer.from(await r.arrayBuffer()).equals(png));

      const html = await fetch(`${t.base}${doc}`, { headers: { Cookie: ana } });
      assert.equal(html.status, 200);
      assert.match(html.headers.get('content-disposition') ?? '', /^attachment; filename="x__+script_.html"$/, 'never rendered as a page of ours');

      assert.equal((await fetch(`${t.base}${photo}`)).status, 401);
      assert.equal((await fetch(`${t.base}/api/media/00000000-0000-4000-8000-000000000000`, { headers: { Cookie: ana } })).status, 404);
      assert.equal((await fetch(`${t.base}/api/media/..%2Fagent-file%3Ax`, { headers: { Cookie: ana } })).status, 404);
    });
  });
});
