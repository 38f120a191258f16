/**
 * Issue 16, web chat with both clients, in Chromium on the real `handover start` composition:
 * - our widget: a customer attaches a photo (preview in the widget) → the agent sees it in the
 *   console (the image loads through /api/media), live and on open; an oversize file and a
 *   forbidden type are refused with the reason under the bubble; the agent's typing in the
 *   console shows "Ana is typing…" in the widget;
 * - botframework-directlinejs (Microsoft's client, in the page): uploads a file with
 *   `postActivity` + attachments → kept and visible to the agent; receives the agent's typing as a
 *   `typing` activity from the agent; agent messages carry the agent's name and a from.id of their
 *   own, not the bot's.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import type { Page } from 'playwright-core';
import { screenshotDir } from '../support/webchat-chromium.js';
import { chromiumWithService } from '../support/chromium-service.js';
import { apiCall, conversationPath, nextEvent, signIn } from '../support/agent-service.js';
import { solidPng } from '../support/whatsapp-cloud-service.js';

type Json = Record<string, unknown>;
const directLineUmd = path.resolve(__dirname, '../../node_modules/botframework-directlinejs/dist/directline.js');

describe('web chat uploads, typing and agent identity: widget and botframework-directlinejs (Chromium)', function () {
  this.timeout(120_000);
  const rig = chromiumWithService();
  const pageErrors = rig.pageErrors;

  async function newPage(who: string, opts: { cookie?: string; bypassCSP?: boolean } = {}): Promise<Page> {
    const context = await rig.newContext({ viewport: { width: 1300, height: 900 }, ...(opts.bypassCSP === true ? { bypassCSP: true } : {}) });
    if (opts.cookie !== undefined) {
      const [name, value] = opts.cookie.split('=') as [string, string];
      await context.addCookies([{ name, value, domain: '127.0.0.1', path: '/', httpOnly: true, sameSite: 'Strict' }]);
    }
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${who}: ${e.message}`));
    return page;
  }

  it('widget: a photo reaches the agent (loads in the console, live and on open); too large and forbidden files are refused in the widget; the agent\'s typing shows', async () => {
    const customer = await newPage('customer');
    await customer.goto(`${rig.t.base}/?as=anonymous`);
    await customer.locator('.hov-launcher').click();
    const requested = nextEvent(rig.t, (e) => e.type === 'handoff.requested');
    await customer.locator('.hov-input').fill('I want to talk to a real person');
    await customer.locator('.hov-input').press('Enter');
    const id = (await requested).conversationId;

    const agent = await newPage('agent', { cookie: await signIn(rig.t.base, 'ana') });
    await agent.goto(`${rig.t.base}/agent`);
    await agent.locator('.conn.live').waitFor();
    await agent.locator(`.queue-item[data-conversation-id="${id}"] button.accept`).click();
    const transcript = agent.locator('.transcript-lines');
    await transcript.locator('.line.from-customer', { hasText: 'I want to talk to a real person' }).waitFor();
    await customer.locator('.hov-notice', { hasText: 'Ana joined the chat' }).waitFor();

    // the agent types: the widget says so (the console sends the signal over its socket)
    await agent.locator('.reply-input').pressSequentially('Let me look');
    await customer.locator('.hov-typing', { hasText: 'Ana is typing…' }).waitFor();
    await agent.locator('.reply-input').press('Enter');
    await customer.locator('.hov-bubble', { hasText: 'Let me look' }).waitFor();

    // the customer attaches a photo: a preview in the widget, then the agent sees it, live
    const photo = solidPng(48, 32, [30, 90, 200]);
    await customer.locator('.hov-file').setInputFiles({ name: 'broken-box.png', mimeType: 'image/png', buffer: photo });
    const mine = customer.locator('.hov-msg.hov-from-user', { hasText: 'broken-box.png' });
    await mine.locator('img.hov-image').waitFor();
    await customer.waitForFunction((el) => (el as HTMLImageElement).naturalWidth === 48, await mine.locator('img.hov-image').elementHandle());
    await customer.waitForFunction(() => {
      const host = document.querySelector('.handover-webchat');
      const item = Array.from(host?.shadowRoot?.querySelectorAll('.hov-msg.hov-from-user') ?? []).find((e) => e.textContent?.includes('broken-box.png'));
      return item !== undefined && !item.classList.contains('hov-pending') && !item.classList.contains('hov-unsent');
    });
    const img = transcript.locator('.line.from-customer .line-media img');
    await img.waitFor();
    await agent.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0, await img.elementHandle());
    assert.equal(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth), 48);
    const src = (await img.getAttribute('src')) ?? '';
    assert.match(src, /^\/api\/media\/[0-9a-f-]{36}$/);
    // the console's proxy serves it to the signed-in agent only
    assert.equal((await fetch(`${rig.t.base}${src}`)).status, 401);

    // on open: the same photo from the stored transcript
    await agent.reload();
    await agent.locator('.conn.live').waitFor();
    await agent.locator('.my-list .my-item').first().click();
    const again = agent.locator('.transcript-lines .line.from-customer .line-media img');
    await again.waitFor();
    await agent.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth === 48, await again.elementHandle());
    await agent.screenshot({ path: path.join(screenshotDir, 'webchat-upload-agent.png'), fullPage: true });

    // refused: too large (11 MB, over the 10 MB default) and a type that is not accepted
    const big = Buffer.concat([solidPng(2, 2), Buffer.alloc(11 * 1024 * 1024)]);
    await customer.locator('.hov-file').setInputFiles({ name: 'huge-scan.png', mimeType: 'image/png', buffer: big });
    const bigItem = customer.locator('.hov-msg.hov-refused', { hasText: 'huge-scan.png' });
    await bigItem.locator('.hov-note', { hasText: 'Not sent: the file is too large.' }).waitFor();
    await customer.locator('.hov-file').setInputFiles({ name: 'setup.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ\x90\x00 not for customers') });
    const exeItem = customer.locator('.hov-msg.hov-refused', { hasText: 'setup.exe' });
    await exeItem.locator('.hov-note', { hasText: "Not sent: this kind of file can't be sent." }).waitFor();
    assert.match((await exeItem.locator('.hov-note').getAttribute('title')) ?? '', /application\/x-msdownload cannot be sent/);
    await customer.screenshot({ path: path.join(screenshotDir, 'webchat-upload-widget.png') });
    // nothing of them reached the agent
    const conv = await apiCall(rig.t.base, 'GET', conversationPath(id), { cookie: await signIn(rig.t.base, 'ana') });
    const files = ((conv.json['transcript'] as Json[]) ?? []).flatMap((l) => ((l['meta'] as Json | undefined)?.['attachments'] as Json[] | undefined) ?? []);
    assert.deepEqual(files.map((f) => f['name']), ['broken-box.png']);
    assert.deepEqual(pageErrors, []);
  });

  it('botframework-directlinejs: uploads a file with postActivity (kept, visible to the agent); gets the agent\'s typing and messages from the agent, not the bot', async () => {
    const page = await newPage('directline', { bypassCSP: true });
    await page.addInitScript('window.__name = (f) => f');
    await page.goto(`${rig.t.base}/?as=anonymous`);
    await page.addScriptTag({ content: readFileSync(directLineUmd, 'utf8') });
    await page.evaluate((domain) => {
      type DL = { activity$: { subscribe(f: (a: unknown) => void): unknown }; conversationId: string };
      const { DirectLine } = (window as unknown as { DirectLine: { DirectLine: new (o: unknown) => DL } }).DirectLine;
      const dl = new DirectLine({ domain, webSocket: true });
      const w = window as unknown as { dl: DL; seen: unknown[] };
      w.dl = dl;
      w.seen = [];
      dl.activity$.subscribe((a) => w.seen.push(a));
    }, `${rig.t.base}/v3/directline`);
    const seen = async (): Promise<Json[]> => (await page.evaluate(() => (window as unknown as { seen: unknown[] }).seen)) as Json[];
    const post = (activity: Json): Promise<string> =>
      page.evaluate(
        (a) =>
          new Promise<string>((resolve, reject) => {
            const dl = (window as unknown as { dl: { postActivity(a: unknown): { subscribe(n: (id: string) => void, e: (x: unknown) => void): unknown } } }).dl;
            dl.postActivity(a).subscribe(resolve, (e) => reject(new Error(String((e as { status?: number }).status ?? e))));
          }),
        activity,
      );

    const requested = nextEvent(rig.t, (e) => e.type === 'handoff.requested');
    await post({ type: 'message', from: { id: 'dl-user', name: 'Dee' }, text: 'I want to talk to a real person' });
    const id = (await requested).conversationId;
    const cookie = await signIn(rig.t.base, 'ana');
    assert.equal((await apiCall(rig.t.base, 'POST', conversationPath(id, 'accept'), { cookie, body: {} })).status, 200);

    // the agent writes in the console: a typing signal on the console socket reaches Web Chat's client
    const consoleSocket = new WebSocket(`${rig.t.ws}/agent/ws`, { headers: { Cookie: cookie } });
    await new Promise((resolve, reject) => consoleSocket.once('open', resolve).once('error', reject));
    try {
      consoleSocket.send(JSON.stringify({ type: 'typing', conversationId: id }));
      await page.waitForFunction(() => (window as unknown as { seen: Array<{ type?: string; from?: { id?: string } }> }).seen.some((a) => a.type === 'typing' && a.from?.id === 'agent:ana'));
    } finally {
      consoleSocket.close();
    }
    const typing = (await seen()).find((a) => a['type'] === 'typing' && (a['from'] as Json)['id'] === 'agent:ana')!;
    assert.equal((typing['from'] as Json)['name'], 'Ana');

    // the agent's message: their name, their own id, not the bot's
    assert.equal((await apiCall(rig.t.base, 'POST', conversationPath(id, 'messages'), { cookie, body: { text: 'Hi, Ana here. Show me the box?' } })).status, 202);
    await page.waitForFunction(() => (window as unknown as { seen: Array<{ text?: string }> }).seen.some((a) => a.text === 'Hi, Ana here. Show me the box?'));
    const all = await seen();
    const agentLine = all.find((a) => a['text'] === 'Hi, Ana here. Show me the box?')!;
    const botLine = all.find((a) => a['type'] === 'message' && (a['from'] as Json)['role'] !== 'user' && ((a['channelData'] as Json | undefined)?.['handover'] as Json | undefined)?.['role'] !== 'agent')!;
    assert.ok(botLine, 'the bot said something first');
    assert.equal((agentLine['from'] as Json)['id'], 'agent:ana');
    assert.equal((agentLine['from'] as Json)['name'], 'Ana');
    assert.notEqual((agentLine['from'] as Json)['id'], (botLine['from'] as Json)['id']);
    assert.equal(((agentLine['channelData'] as Json)['handover'] as Json)['role'], 'agent');

    // the customer sends a photo the way Web Chat does: postActivity with a blob: attachment → /upload
    const photo = solidPng(20, 10, [200, 120, 0]);
    const uploadedId = await page.evaluate((b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type: 'image/png' }));
      return new Promise<string>((resolve, reject) => {
        const dl = (window as unknown as { dl: { postActivity(a: unknown): { subscribe(n: (id: string) => void, e: (x: unknown) => void): unknown } } }).dl;
        dl.postActivity({ type: 'message', from: { id: 'dl-user' }, text: 'here it is', attachments: [{ contentType: 'image/png', contentUrl: url, name: 'box.png' }] }).subscribe(resolve, (e) =>
          reject(new Error(String((e as { status?: number }).status ?? e))),
        );
      });
    }, photo.toString('base64'));
    assert.match(uploadedId, /^a_/);
    await page.waitForFunction((uid) => (window as unknown as { seen: Array<{ id?: string }> }).seen.some((a) => a.id === uid), uploadedId);
    const echo = (await seen()).find((a) => a['id'] === uploadedId)!;
    const [att] = echo['attachments'] as Json[];
    assert.equal(att!['name'], 'box.png');
    assert.match(String(att!['contentUrl']), /^\/api\/media\/[0-9a-f-]{36}$/);

    // the agent sees it: in the transcript, and the bytes through the console's proxy
    const transcriptHas = async (): Promise<Json | undefined> => {
      const conv = await apiCall(rig.t.base, 'GET', conversationPath(id), { cookie });
      return ((conv.json['transcript'] as Json[]) ?? []).find((l) => l['text'] === 'here it is');
    };
    let line: Json | undefined;
    for (let i = 0; i < 100 && (line = await transcriptHas()) === undefined; i++) await new Promise((r) => setTimeout(r, 50));
    const files = ((line?.['meta'] as Json | undefined)?.['attachments'] as Json[]) ?? [];
    assert.deepEqual(files.map((f) => [f['name'], f['contentType'], f['url']]), [['box.png', 'image/png', att!['contentUrl']]]);
    const r = await fetch(`${rig.t.base}${String(att!['contentUrl'])}`, { headers: { Cookie: cookie } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'image/png');
    assert.ok(Buffer.from(await r.arrayBuffer()).equals(photo), 'the very bytes the client sent');
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(rig.t.errors, []);
  });
});
