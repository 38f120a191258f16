import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { signCustomerToken } from '../../src/channels/webchat/customer-token.js';
import { startTestService, type TestService } from '../support/agent-service.js';
import { launchChromium, screenshotDir } from '../support/webchat-chromium.js';

const SECRET = 'site-customer-secret-0123456789abcdef';
const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: path.join(screenshotDir, `webchat-${name}.png`) });
/** A phone as Playwright's device list describes one (iPhone 12/13/14 size): a real mobile layout viewport, not a narrow desktop window. */
const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 } as const;

describe('web chat in Chromium: the demo customer signed in, refused tokens, the greeting and a phone', function () {
  this.timeout(60_000);
  let t: TestService;
  let browser: Browser;
  let context: BrowserContext | undefined;
  const pageErrors: string[] = [];

  before(async () => {
    browser = await launchChromium();
    // demo mode: the demo page signs its visitor in as c-1001 (Dana Reyes, order A12345 shipped)
    t = await startTestService({ demoCustomer: 'c-1001', env: { WEBCHAT_CUSTOMER_SECRET: SECRET } });
  });
  after(async () => {
    await t?.close();
    await browser?.close();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    assert.deepEqual(pageErrors.splice(0), [], 'no uncaught errors in the page');
  });

  async function open(url: string, options: Parameters<Browser['newContext']>[0] = { viewport: { width: 1280, height: 800 } }): Promise<Page> {
    context = await browser.newContext(options);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(url);
    return page;
  }
  const bubble = (page: Page, text: string | RegExp) => page.locator('.hov-bubble', { hasText: text });
  const send = async (page: Page, text: string): Promise<void> => {
    await page.locator('.hov-input').fill(text);
    await page.locator('.hov-input').press('Enter');
  };

  it('the demo page signs in as the demo customer: greeted by name on open, "where is my order?" then A12345 finds the order', async () => {
    const page = await open(`${t.base}/`);
    await page.getByText('Signed in as Dana Reyes').waitFor();
    await page.locator('.hov-launcher').click();
    // the welcome comes with the conversation, before the customer types anything
    await bubble(page, "Hi, Dana! I'm the Acme Shop assistant.").waitFor();
    await send(page, 'where is my order?');
    await bubble(page, /order number/i).waitFor();
    await send(page, 'A12345');
    await bubble(page, 'Order A12345 is shipped.').waitFor({ timeout: 20_000 });
    assert.equal(await bubble(page, "couldn't find").count(), 0);
    await shot(page, 'identity-order-found');
  });

  it('the greeting is localised, and an anonymous visitor (/?as=anonymous) is greeted without a name and cannot see the order', async () => {
    const pt = await open(`${t.base}/?locale=pt-BR`);
    await pt.locator('.hov-launcher').click();
    await bubble(pt, 'Olá, Dana! Sou o assistente da Acme Shop.').waitFor();
    await context!.close();
    const anon = await open(`${t.base}/?as=anonymous`);
    await anon.getByText('You are browsing as an anonymous visitor.').waitFor();
    await anon.locator('.hov-launcher').click();
    await bubble(anon, "Hi! I'm the Acme Shop assistant.").waitFor();
    await send(anon, 'where is my order?');
    await bubble(anon, /order number/i).waitFor();
    await send(anon, 'A12345');
    await bubble(anon, "I couldn't find order A12345 on your account.").waitFor({ timeout: 20_000 });
  });

  for (const [what, token, code, header] of [
    ['an expired token', () => signCustomerToken(SECRET, { sub: 'c-1001', exp: Math.floor(Date.now() / 1000) - 300 }), 'HANDOVER_ERR_CUSTOMER_TOKEN_EXPIRED', 'Your sign-in has expired. Reload the page to chat.'],
    ['a forged token', () => signCustomerToken('not-the-sites-secret-0123456789abcdef', { sub: 'c-1001' }), 'HANDOVER_ERR_CUSTOMER_TOKEN_INVALID', "We couldn't confirm your sign-in. Reload the page or sign in again to chat."],
  ] as const) {
    it(`a shop page with ${what} gets ${code}: the header says so, no conversation, no retry loop`, async () => {
      context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      const frames: string[] = [];
      page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
      // the shop's own page (another origin) embedding the widget with the token its server signed
      const html = `<!doctype html><title>shop</title><script src="${t.base}/webchat/widget.js" data-customer-token="${token()}"></script>`;
      const shop: Server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(html));
      await new Promise<void>((r) => shop.listen(0, '127.0.0.1', r));
      try {
        await page.goto(`http://127.0.0.1:${(shop.address() as AddressInfo).port}/`);
      await page.locator('.hov-launcher').click();
      await page.locator('.hov-status', { hasText: header }).waitFor();
      const errors = frames.map((f) => JSON.parse(f) as Record<string, unknown>).filter((f) => f['type'] === 'error');
      assert.deepEqual(errors.map((e) => e['code']), [code]);
      await page.waitForTimeout(1500);
      assert.equal(frames.filter((f) => f.includes('"error"')).length, 1, 'the widget does not try again with the same token');
      assert.equal(frames.filter((f) => f.includes('"session"')).length, 0, 'no conversation');
      assert.equal(await page.locator('.hov-bubble').count(), 0);
      } finally {
        await new Promise<void>((r) => shop.close(() => r()));
      }
    });
  }

  it('HandoverWebChatOptions.customerToken as a function: the shop signs a fresh token when the chat connects (a page open longer than a token lives still signs in)', async () => {
    let minted = 0;
    // the shop's server: its page, and a token endpoint for the signed-in customer (c-3001, order C30001)
    const shop: Server = createServer((req, res) => {
      if (req.url === '/chat-token') {
        minted++;
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end(signCustomerToken(SECRET, { sub: 'c-3001', name: 'Sam Okafor', ttlSeconds: 60 }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(
        `<!doctype html><title>shop</title><script>window.HandoverWebChatOptions = { customerToken: () => fetch('/chat-token').then((r) => r.text()) };</script>` +
          `<script src="${t.base}/webchat/widget.js"></script>`,
      );
    });
    await new Promise<void>((r) => shop.listen(0, '127.0.0.1', r));
    try {
      context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(`http://127.0.0.1:${(shop.address() as AddressInfo).port}/`);
      assert.equal(minted, 0, 'no token before the chat opens');
      await page.locator('.hov-launcher').click();
      await bubble(page, 'Hi, Sam!').waitFor();
      assert.equal(minted, 1);
      await send(page, 'where is my order?');
      await bubble(page, /order number/i).waitFor();
      await send(page, 'C30001');
      await bubble(page, 'Order C30001 is being processed.').waitFor({ timeout: 20_000 });
      // a reload resumes Sam's conversation (asking the shop again, the same customer)
      await page.reload();
      await bubble(page, 'Order C30001 is being processed.').waitFor();
      assert.equal(minted, 2);
    } finally {
      await new Promise<void>((r) => shop.close(() => r()));
    }
  });

  it("Microsoft's botframework-directlinejs with createDirectLine({ token: customer token }) chats as the customer and finds the order", async () => {
    // the shop's own page (another origin) with Microsoft's UMD client; its server signed Dana's token
    const umd = readFileSync(path.resolve(__dirname, '../../node_modules/botframework-directlinejs/dist/directline.js'));
    const shop: Server = createServer((req, res) => {
      if (req.url === '/directline.js') res.writeHead(200, { 'Content-Type': 'application/javascript' }).end(umd);
      else res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><script src="/directline.js"></script><p>shop</p>');
    });
    await new Promise<void>((r) => shop.listen(0, '127.0.0.1', r));
    try {
      context = await browser.newContext();
      const page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      // tsx keeps function names with a __name helper the page lacks
      await page.addInitScript('window.__name = (f) => f');
      await page.goto(`http://127.0.0.1:${(shop.address() as AddressInfo).port}/`);
      const texts = await page.evaluate(
        async ({ domain, token }) => {
          type Activity = { type: string; text?: string; from?: { id?: string; role?: string } };
          type DL = {
            activity$: { subscribe(f: (a: Activity) => void, error: (e: unknown) => void): { unsubscribe(): void } };
            postActivity(a: unknown): { subscribe(next: (id: string) => void, error: (e: unknown) => void): unknown };
            end(): void;
          };
          const { DirectLine } = (window as unknown as { DirectLine: { DirectLine: new (o: unknown) => DL } }).DirectLine;
          const dl = new DirectLine({ domain, token, webSocket: true });
          const seen: Activity[] = [];
          const waiting: Array<{ re: RegExp; resolve: () => void }> = [];
          dl.activity$.subscribe((a) => {
            seen.push(a);
            for (const w of waiting.splice(0)) {
              if (a.from?.role === 'bot' && w.re.test(a.text ?? '')) w.resolve();
              else waiting.push(w);
            }
            // end() below closes the stream with "conversation ended"
          }, () => {});
          const botSays = (re: RegExp): Promise<void> =>
            seen.some((a) => a.from?.role === 'bot' && re.test(a.text ?? '')) ? Promise.resolve() : new Promise((resolve) => waiting.push({ re, resolve }));
          const post = (text: string): Promise<string> =>
            new Promise((resolve, reject) => dl.postActivity({ type: 'message', from: { id: 'someone-else', role: 'user' }, text }).subscribe(resolve, reject));
          await botSays(/^Hi, Dana!/);
          await post('where is my order?');
          await botSays(/order number/i);
          await post('A12345');
          await botSays(/^Order A12345 is shipped\.$/);
          dl.end();
          return seen.filter((a) => a.type === 'message').map((a) => `${a.from?.role}/${a.from?.id}: ${a.text}`);
        },
        { domain: `${t.base}/v3/directline`, token: signCustomerToken(SECRET, { sub: 'c-1001', name: 'Dana Reyes' }) },
      );
      assert.ok(texts.includes('user/c-1001: A12345'), texts.join(' | '));
      assert.ok(texts.some((x) => x.startsWith('bot/') && x.endsWith(': Order A12345 is shipped.')), texts.join(' | '));
      assert.ok(!texts.some((x) => x.includes('someone-else')), 'the from.id a client claims is ignored');
    } finally {
      await new Promise<void>((r) => shop.close(() => r()));
    }
  });

  it('fits a real phone (isMobile, 390x844, DPR 3): the page is no wider than the screen, the launcher and the open chat are on screen', async () => {
    const page = await open(`${t.base}/`, phone);
    const size = await page.evaluate(() => ({ inner: window.innerWidth, scroll: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
    assert.deepEqual(size, { inner: 390, scroll: 390, body: 390 }, `page width ${JSON.stringify(size)}`);
    const onScreen = (b: { x: number; y: number; width: number; height: number } | null, what: string): void => {
      assert.ok(b !== null, `${what} is rendered`);
      assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.width <= 390 && b.y + b.height <= 844, `${what} is fully on screen: ${JSON.stringify(b)}`);
    };
    onScreen(await page.locator('.hov-launcher').boundingBox(), 'the launcher');
    await shot(page, 'phone-closed');
    await page.locator('.hov-launcher').tap();
    await bubble(page, 'Hi, Dana!').waitFor();
    onScreen(await page.locator('.hov-panel').boundingBox(), 'the chat panel');
    onScreen(await page.locator('.hov-input').boundingBox(), 'the input');
    onScreen(await page.locator('.hov-send').boundingBox(), 'the send button');
    onScreen(await page.locator('.hov-close').boundingBox(), 'the close button');
    await page.locator('.hov-input').tap();
    await page.locator('.hov-input').fill('where is my order?');
    await page.locator('.hov-send').tap();
    await bubble(page, /order number/i).waitFor();
    await shot(page, 'phone-open');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390, 'still no sideways scrolling with the chat open');
  });
});
