/**
 * The widget past the message limit, in Chromium (issue 14): a customer who types faster than the
 * conversation's bucket sees the refused line marked "not sent: too many at once" and the header
 * asking to slow down (here in pt-BR), and every line is still delivered — resent by the widget
 * after the server's wait, each stored once and in the order typed.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startWebChatServer, type TestWebChatServer } from '../support/webchat-server.js';
import { launchChromium, screenshotDir } from '../support/webchat-chromium.js';
import ptBR from '../../src/channels/webchat/widget/locales/pt-BR.json';

describe('web chat: the widget slows a fast typist down (Chromium)', function () {
  this.timeout(60_000);
  let srv: TestWebChatServer;
  let browser: Browser;
  let page: Page | undefined;
  const pageErrors: string[] = [];

  before(async () => {
    browser = await launchChromium();
    // three lines at once, then one a second per conversation
    srv = await startWebChatServer({
      messageRateLimit: { perConversation: { burst: 3, perMinute: 60 }, perConnection: { burst: 100, perMinute: 600 }, perAddress: { burst: 100, perMinute: 600 } },
    });
  });
  after(async () => {
    await page?.close();
    await browser?.close();
    await srv?.close();
  });

  it('shows the slow-down note and header, then delivers every line once, in order', async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${srv.baseUrl}/?locale=pt-BR`);
    await page.locator('.hov-launcher').click();
    await page.locator('.hov-bubble', { hasText: 'Welcome to Acme Shop!' }).waitFor();
    const lines = ['um', 'dois', 'tres', 'quatro', 'cinco', 'seis'];
    for (const text of lines) {
      await page.locator('.hov-input').fill(text);
      await page.locator('.hov-input').press('Enter');
    }
    // the fourth line is refused: its note and the header say why, in Portuguese
    await page.locator('.hov-note', { hasText: ptBR.slowDownNote }).first().waitFor();
    await page.locator('.hov-status', { hasText: ptBR.slowDown }).waitFor();
    await page.screenshot({ path: path.join(screenshotDir, 'webchat-slow-down.png') });
    // then every line is answered, and the header is back to online
    for (const text of lines) await page.locator('.hov-bubble', { hasText: `You said: ${text}` }).waitFor({ timeout: 20_000 });
    await page.locator('.hov-status', { hasText: ptBR.online }).waitFor();
    assert.equal(await page.locator('.hov-note').count(), 0, 'no line is left marked as not sent');
    const conversationId = await page.evaluate(() => (JSON.parse(sessionStorage.getItem('handover.webchat.session') ?? '{}') as { conversationId?: string }).conversationId);
    const history = await srv.channel.adapter.activityLog.since(String(conversationId));
    const typed = history.activities.filter((a) => (a['from'] as Record<string, unknown> | undefined)?.['role'] === 'user' && a['type'] === 'message').map((a) => a['text']);
    assert.deepEqual(typed, lines, 'each line stored once, in the order typed');
    assert.deepEqual(pageErrors, []);
  });
});
