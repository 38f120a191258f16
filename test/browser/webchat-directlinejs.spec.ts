import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { startWebChatServer, type TestWebChatServer } from '../support/webchat-server.js';
import { launchChromium } from '../support/webchat-chromium.js';

// botframework-directlinejs needs XMLHttpRequest, which Node lacks and no polyfill is installed:
// run Microsoft's own UMD client inside Chromium against our endpoint.
const directLineUmd = path.resolve(__dirname, '../../node_modules/botframework-directlinejs/dist/directline.js');

interface PageResult {
  conversationId: string;
  token: string;
  watermark: string;
  texts: string[];
  echoClientId: string | undefined;
  postedId: string;
}

describe('web chat: botframework-directlinejs (in Chromium) against our Direct Line endpoint', function () {
  this.timeout(60_000);
  let srv: TestWebChatServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    // The test page and Microsoft's UMD client come from the real server (a page Playwright
    // fulfils itself counts as "public" for Chromium's local-network checks and may not open ws://127.0.0.1).
    srv = await startWebChatServer({}, (req, res) => {
      if (req.url === '/test/directline.js') {
        res.writeHead(200, { 'Content-Type': 'application/javascript' }).end(readFileSync(directLineUmd));
        return true;
      }
      if (req.url === '/test/page.html') {
        res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><script src="/test/directline.js"></script><p>dl test</p>');
        return true;
      }
      return false;
    });
    page = await browser.newPage();
    // tsx compiles this file with esbuild's keepNames, which wraps functions passed to
    // page.evaluate in a `__name(...)` helper that does not exist in the page.
    await page.addInitScript('window.__name = (f) => f');
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(`${srv.baseUrl}/test/page.html`);
  });
  afterEach(async () => {
    await page.close();
    await srv.close();
  });

  for (const webSocket of [true, false]) {
    it(`starts, posts, sees its echo and the reply, then reconnects with id + token + watermark (webSocket: ${webSocket})`, async () => {
      const result = await page.evaluate(
        async ({ domain, webSocket }) => {
          type Activity = { id?: string; type: string; text?: string; channelData?: { clientActivityID?: string } };
          type Sub = { unsubscribe(): void };
          type DL = {
            conversationId: string;
            token: string;
            watermark: string;
            activity$: { subscribe(f: (a: Activity) => void): Sub };
            postActivity(a: unknown): { subscribe(next: (id: string) => void, error: (e: unknown) => void): Sub };
            end(): void;
          };
          const { DirectLine } = (window as unknown as { DirectLine: { DirectLine: new (o: unknown) => DL } }).DirectLine;
          const run = (dl: DL, until: (seen: Activity[]) => boolean): Promise<Activity[]> =>
            new Promise((resolve) => {
              const seen: Activity[] = [];
              const sub = dl.activity$.subscribe((a) => {
                seen.push(a);
                if (until(seen)) {
                  sub.unsubscribe();
                  resolve(seen);
                }
              });
            });
          const dl = new DirectLine({ domain, webSocket, pollingInterval: 200 });
          const greeting = run(dl, (s) => s.some((a) => a.text?.startsWith('Welcome') === true));
          await greeting;
          const replied = run(dl, (s) => s.some((a) => a.text === 'You said: hello from directlinejs'));
          const postedId = await new Promise<string>((resolve, reject) =>
            dl.postActivity({ type: 'message', from: { id: 'web-user', role: 'user' }, text: 'hello from directlinejs', channelData: { clientActivityID: 'dljs-1' } })
              .subscribe(resolve, reject),
          );
          const seen = await replied;
          const echo = seen.find((a) => a.text === 'hello from directlinejs');
          const state = { conversationId: dl.conversationId, token: dl.token, watermark: dl.watermark };
          dl.end();
          // A reload: a new client with the stored id, token and watermark (GET /conversations/:id?watermark=).
          const again = new DirectLine({ domain, webSocket, pollingInterval: 200, ...state });
          const afterReconnect = run(again, (s) => s.some((a) => a.text === 'You said: second'));
          await new Promise<string>((resolve, reject) =>
            again.postActivity({ type: 'message', from: { id: 'web-user', role: 'user' }, text: 'second' }).subscribe(resolve, reject),
          );
          const later = await afterReconnect;
          again.end();
          return {
            ...state,
            postedId,
            echoClientId: echo?.channelData?.clientActivityID,
            texts: [...seen, ...later].filter((a) => a.type === 'message').map((a) => a.text ?? ''),
          } satisfies PageResult;
        },
        { domain: `${srv.baseUrl}/v3/directline`, webSocket },
      );
      assert.match(result.conversationId, /^wc_/);
      assert.equal(typeof result.postedId, 'string');
      assert.equal(result.echoClientId, 'dljs-1', 'the echo keeps channelData.clientActivityID');
      assert.ok(Number(result.watermark) >= 3, `watermark tracked, got ${result.watermark}`);
      const afterResume = result.texts.slice(result.texts.indexOf('You said: hello from directlinejs') + 1);
      assert.deepEqual(afterResume, ['second', 'You said: second'], 'resume replays nothing already seen');
    });
  }
});
