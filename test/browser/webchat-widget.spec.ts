import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startWebChatServer, type TestWebChatServer } from '../support/webchat-server.js';
import { launchChromium, screenshotDir } from '../support/webchat-chromium.js';

const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: path.join(screenshotDir, `webchat-${name}.png`) });

describe('web chat: widget in Chromium (demo page)', function () {
  this.timeout(60_000);
  let srv: TestWebChatServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    srv = await startWebChatServer();
    pageErrors.length = 0;
  });
  afterEach(async () => {
    await page?.close();
    await srv.close();
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  });

  async function openPage(url: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
    page = await browser.newPage({ viewport });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(url);
    return page;
  }

  const send = async (text: string): Promise<void> => {
    await page.locator('.hov-input').fill(text);
    await page.locator('.hov-input').press('Enter');
  };
  const bubble = (text: string) => page.locator('.hov-bubble', { hasText: text });

  it('opens, chats, uses a quick reply, survives a reload and a dropped connection, and shows the agent by name', async () => {
    await openPage(`${srv.baseUrl}/`);
    const launcher = page.locator('.hov-launcher');
    assert.equal(await launcher.getAttribute('aria-label'), 'Open chat');
    assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
    await launcher.click();
    assert.equal(await launcher.getAttribute('aria-expanded'), 'true');
    const log = page.locator('.hov-log');
    assert.equal(await log.getAttribute('aria-live'), 'polite', 'the message list is an aria-live region');
    assert.equal(await log.getAttribute('role'), 'log');
    assert.ok(await page.locator('.hov-input').evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement), 'focus moves to the input');
    assert.equal(await page.locator('.hov-send').getAttribute('aria-label'), 'Send message');
    await bubble('Welcome to Acme Shop!').waitFor();

    await send('hello');
    await bubble('You said: hello').waitFor();
    // Customer text is text, never markup.
    await send('<img src=x onerror="window.pwned=1"><b>bold</b>');
    await bubble('You said: <img src=x').waitFor();
    assert.equal(await page.locator('.hov-log img, .hov-log b').count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);

    await send('menu');
    const quick = page.locator('.hov-suggestion', { hasText: 'Track my order' });
    await quick.waitFor();
    assert.equal(await page.locator('.hov-suggestions').getAttribute('aria-label'), 'Suggested replies');
    await shot(page, 'quick-replies');
    await quick.click();
    await bubble('You said: Track my order').waitFor();
    assert.equal(await page.locator('.hov-suggestion').count(), 0, 'quick replies go away once used');

    // Page reload: same conversation, history back, panel still open.
    await page.reload();
    await bubble('You said: Track my order').waitFor();
    await bubble('You said: hello').waitFor();
    assert.equal(await bubble('You said: hello').count(), 1, 'history rendered once');
    await shot(page, 'after-reload');

    // Dropped connection: the widget reconnects and resumes from its watermark.
    await page.evaluate(() => (window as unknown as { HandoverWebChat: { reconnect(): void } }).HandoverWebChat.reconnect());
    await send('after drop');
    await bubble('You said: after drop').waitFor();
    assert.equal(await bubble('You said: hello').count(), 1, 'no duplicates after the resume');

    // A person joins: proactive messages through continueConversation.
    const stored = await page.evaluate(() => sessionStorage.getItem('handover.webchat.session'));
    const { conversationId } = JSON.parse(stored ?? '{}') as { conversationId: string };
    const reference = srv.bot.references.get(conversationId);
    assert.ok(reference, 'the bot knows the conversation');
    await srv.channel.adapter.continueConversation(reference, async (ctx) => {
      await ctx.sendActivity({ type: 'typing', channelData: { handover: { role: 'agent', agentName: 'Ana' } } });
      await ctx.sendActivity({ type: 'event', name: 'handover.agent_joined', channelData: { handover: { joined: true, agentName: 'Ana' } } });
      await ctx.sendActivity({ type: 'message', text: 'Hi, I am Ana. How can I help?', channelData: { handover: { role: 'agent', agentName: 'Ana' } } });
    });
    await page.locator('.hov-notice', { hasText: 'Ana joined the chat' }).waitFor();
    await bubble('Hi, I am Ana. How can I help?').waitFor();
    const agentMsg = page.locator('.hov-from-agent', { hasText: 'Hi, I am Ana' });
    assert.match((await agentMsg.locator('.hov-sender').textContent()) ?? '', /^Ana · Support agent$/);
    assert.equal(await page.locator('.hov-status').textContent(), 'You are chatting with Ana');
    await shot(page, 'agent-joined');

    // Escape closes and gives focus back to the launcher.
    await page.locator('.hov-input').press('Escape');
    assert.equal(await page.locator('.hov-panel').isHidden(), true);
    assert.ok(await launcher.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement), 'focus returns to the launcher');
  });

  it('speaks the page locale and fits a phone screen', async () => {
    await openPage(`${srv.baseUrl}/?locale=pt-BR`, { width: 375, height: 667 });
    const launcher = page.locator('.hov-launcher');
    assert.equal(await launcher.getAttribute('aria-label'), 'Abrir o chat');
    await launcher.click();
    assert.equal(await page.locator('.hov-input').getAttribute('placeholder'), 'Digite sua mensagem…');
    await bubble('Welcome to Acme Shop!').waitFor();
    await send('oi');
    await bubble('You said: oi').waitFor();
    const box = await page.locator('.hov-panel').boundingBox();
    assert.ok(box !== null && box.width === 375 && box.height === 667, `full-screen panel on a phone, got ${JSON.stringify(box)}`);
    assert.equal(await page.locator('.hov-close').getAttribute('aria-label'), 'Fechar o chat');
    await shot(page, 'phone-pt-BR');
  });
});
