/**
 * WhatsApp media in the agent console, in Chromium: a customer's photo is an <img> that really loads
 * (bytes proxied from the fake Graph API through the signed media link, with the access token), a
 * voice note is an <audio> player, a document a download link — in the transcript when the agent
 * opens the conversation and live while the agent has it open. The real `handover start
 * --whatsapp-cloud` composition; only Meta is fake.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshotDir } from '../support/webchat-chromium.js';
import { nextEvent, signIn } from '../support/agent-service.js';
import { solidPng, startWhatsAppCloudService, WHATSAPP_ENV, type WhatsAppCloudService } from '../support/whatsapp-cloud-service.js';

async function until<T>(f: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('WhatsApp media in the agent console (Chromium)', function () {
  this.timeout(90_000);
  let w: WhatsAppCloudService;
  let browser: Browser;

  before(async () => {
    browser = await launchChromium();
    w = await startWhatsAppCloudService();
  });
  after(async () => {
    await browser?.close();
    await w?.close();
  });

  it('shows a photo (loaded through the proxy), a voice note player and a document link, on open and live; the agent sends a photo back', async () => {
    const { graph } = w;
    graph.media.set('9001', { bytes: solidPng(40, 30), mimeType: 'image/png' });
    graph.media.set('9002', { bytes: Buffer.from('OggS\0fake voice note bytes'), mimeType: 'audio/ogg' });
    graph.media.set('9003', { bytes: Buffer.from('%PDF-1.4\n% invoice\n'), mimeType: 'application/pdf' });
    graph.media.set('9004', { bytes: solidPng(12, 20, [20, 120, 220]), mimeType: 'image/png' });

    const requested = nextEvent(w.t, (e) => e.type === 'handoff.requested' && e.conversationId === w.conversationId);
    await w.customer({ type: 'text', text: { body: 'I want to talk to a real person' } });
    await requested;
    await w.customer({ type: 'image', image: { id: '9001', mime_type: 'image/png', sha256: 'x', caption: 'the box arrived like this' } });
    await w.customer({ type: 'audio', audio: { id: '9002', mime_type: 'audio/ogg; codecs=opus', voice: true } });
    await w.customer({ type: 'document', document: { id: '9003', mime_type: 'application/pdf', filename: 'invoice-K48213.pdf' } });

    const cookie = await signIn(w.t.base, 'ana');
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, domain: '127.0.0.1', path: '/', httpOnly: true, sameSite: 'Strict' }]);
    const agent: Page = await context.newPage();
    const pageErrors: string[] = [];
    agent.on('pageerror', (e) => pageErrors.push(e.message));
    const mediaResponses: Array<{ url: string; status: number; type: string | undefined }> = [];
    agent.on('response', (r) => {
      if (r.url().includes('/webhooks/whatsapp/media/')) mediaResponses.push({ url: r.url(), status: r.status(), type: r.headers()['content-type'] });
    });
    try {
      await agent.goto(`${w.t.base}/agent`);
      await agent.locator('.conn.live').waitFor();
      const item = agent.locator(`.queue-item[data-conversation-id="${w.conversationId}"]`);
      await item.locator('button.accept').click();
      const transcript = agent.locator('.transcript-lines');

      // the photo: a preview that decodes (the PNG came from the fake Graph API through our proxy)
      const photoLine = transcript.locator('.line.from-customer', { hasText: 'the box arrived like this' });
      const img = photoLine.locator('.line-media img');
      await img.waitFor();
      await agent.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0, await img.elementHandle());
      assert.equal(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth), 40);
      const src = (await img.getAttribute('src')) ?? '';
      assert.match(src, /^\/webhooks\/whatsapp\/media\/9001\?e=\d+&s=[\w-]+$/, 'a signed link on our own server, not Meta\'s URL');
      assert.equal(await photoLine.locator('a.media-download').getAttribute('href'), src);

      // the voice note: a player with a source
      const voice = transcript.locator('.line.from-customer', { hasText: /voice note/ }).locator('audio');
      await voice.waitFor({ state: 'attached' });
      assert.match((await voice.getAttribute('src')) ?? '', /^\/webhooks\/whatsapp\/media\/9002\?/);
      assert.equal(await voice.evaluate((el) => (el as HTMLAudioElement).controls), true);

      // the document: a download link, no preview
      const docLine = transcript.locator('.line.from-customer', { hasText: 'invoice-K48213.pdf' });
      const link = docLine.locator('a.media-download');
      await link.waitFor();
      assert.match((await link.getAttribute('href')) ?? '', /^\/webhooks\/whatsapp\/media\/9003\?/);
      assert.equal(await link.getAttribute('download'), 'invoice-K48213.pdf');
      assert.equal(await docLine.locator('img, audio, video').count(), 0);
      const pdf = await agent.evaluate(async (href) => {
        const r = await fetch(href);
        return { status: r.status, type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition'), text: await r.text() };
      }, (await link.getAttribute('href'))!);
      assert.deepEqual(pdf, { status: 200, type: 'application/pdf', disposition: 'attachment; filename="whatsapp-9003"', text: '%PDF-1.4\n% invoice\n' });

      // live: a second photo while the agent has the chat open
      await w.customer({ type: 'image', image: { id: '9004', mime_type: 'image/png', sha256: 'y' } });
      const live = transcript.locator('.line.from-customer img[src*="/media/9004?"]');
      await live.waitFor();
      await agent.waitForFunction((el) => (el as HTMLImageElement).naturalWidth > 0, await live.elementHandle());
      await agent.screenshot({ path: path.join(screenshotDir, 'agent-console-whatsapp-media.png'), fullPage: true });

      // the agent sends a photo back (Attach…), the reply box's text as its caption
      await agent.locator('.reply-input').fill('Here is your return label');
      const label = solidPng(16, 16, [10, 160, 60]);
      await agent.locator('input.attach-input').setInputFiles({ name: 'return-label.png', mimeType: 'image/png', buffer: label });
      await transcript.locator('.line.from-agent', { hasText: '📎 return-label.png: Here is your return label' }).waitFor();
      await agent.locator('.notice', { hasText: 'return-label.png is on its way to the customer.' }).waitFor();
      await agent.waitForFunction(() => (document.querySelector('.reply-input') as HTMLTextAreaElement | null)?.value === '');
      const sent = await until(() => graph.delivered.find((d) => d['type'] === 'image'));
      assert.deepEqual(sent['image'], { id: graph.uploads[0]!.id, caption: 'Here is your return label' });
      assert.ok(graph.uploads[0]!.bytes.equals(label));
      // a GIF is refused by the server, and the agent is told why
      await agent.locator('input.attach-input').setInputFiles({ name: 'cat.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a') });
      await agent.locator('.notice', { hasText: /cannot be sent: send a JPEG or PNG image/ }).waitFor();
      assert.equal(graph.uploads.length, 1);
      assert.deepEqual(graph.violations, []);

      assert.ok(mediaResponses.some((r) => r.url.includes('/media/9001?') && r.status === 200 && r.type === 'image/png'), JSON.stringify(mediaResponses));
      // Meta was asked with the token, never the browser
      const fetched = graph.requests.filter((r) => r.method === 'GET' && /\/(v21\.0\/900[1-4]|media-bytes\/900[1-4])$/.test(r.path));
      assert.ok(fetched.length >= 4);
      assert.ok(fetched.every((r) => r.authorization === `Bearer ${WHATSAPP_ENV.WHATSAPP_ACCESS_TOKEN}`));
      assert.deepEqual(pageErrors, []);
      assert.deepEqual(w.t.errors, []);
    } finally {
      await context.close();
    }
  });
});
