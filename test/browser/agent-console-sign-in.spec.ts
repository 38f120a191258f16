/**
 * Sign-in in Chromium: the console page signs in through a busy server by itself (503
 * HANDOVER_ERR_BUSY answered once, the page tries again a second later), gets the known-device
 * cookie, and another site cannot sign anyone in (login CSRF: a no-cors POST from another origin is
 * refused 403 HANDOVER_ERR_CROSS_SITE and sets no session).
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/webchat-chromium.js';
import { startTestService, type TestService } from '../support/agent-service.js';

describe('agent console in Chromium: sign-in', function () {
  this.timeout(60_000);
  let t: TestService;
  let browser: Browser;

  before(async () => {
    browser = await launchChromium();
    t = await startTestService();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs in through a busy answer by itself and keeps the known-device cookie', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const answers: number[] = [];
    let calls = 0;
    await page.route('**/api/login', async (route) => {
      calls += 1;
      if (calls === 1) {
        answers.push(503);
        await route.fulfill({
          status: 503,
          headers: { 'Retry-After': '1', 'Content-Type': 'application/json' },
          body: JSON.stringify({ error: { code: 'HANDOVER_ERR_BUSY', message: 'many sign-ins at once right now: try again in a second' } }),
        });
        return;
      }
      const response = await route.fetch();
      answers.push(response.status());
      await route.fulfill({ response });
    });
    await page.goto(`${t.base}/agent`);
    await page.locator('#agent-id').fill('ana');
    await page.locator('#agent-password').fill('ana-demo-password');
    await page.locator('form.login button[type=submit]').click();
    await page.locator('.login-error', { hasText: 'Many sign-ins right now, trying again' }).waitFor();
    await page.locator('.conn.live').waitFor();
    assert.deepEqual(answers, [503, 200], 'one busy answer, then the real sign-in');
    const cookies = await context.cookies(`${t.base}/api/login`);
    const device = cookies.find((c) => c.name === 'handover_device');
    assert.ok(device !== undefined && device.httpOnly && device.sameSite === 'Strict' && device.path === '/api/login', JSON.stringify(device));
    assert.deepEqual(pageErrors, []);
    await context.close();
  });

  it('another site cannot sign anyone in: a cross-site POST is refused 403 and sets no cookie', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // localhost and 127.0.0.1 are different sites: the page is the "attacker"
    // the attacker's own page, from another loopback server (no CSP of ours in the way)
    const attacker = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>attacker</title>'));
    await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r));
    await page.goto(`http://localhost:${(attacker.address() as AddressInfo).port}/`);
    let seen: Record<string, string | string[] | undefined> = {};
    const record = (req: IncomingMessage): void => {
      if (req.url === '/api/login') seen = req.headers;
    };
    t.svc.http.server.on('request', record);
    const refused = page.waitForResponse((r) => r.url() === `${t.base}/api/login`);
    await page.evaluate(async (target) => {
      await fetch(target, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ id: 'sam', password: 'sam-demo-password' }) });
    }, `${t.base}/api/login`);
    const r = await refused;
    assert.equal(r.status(), 403, 'the only 403 sign-in gives is HANDOVER_ERR_CROSS_SITE (the opaque body cannot be read here)');
    // what the browser really sent (Playwright does not show the headers the network layer adds)
    assert.equal(seen['origin'], `http://localhost:${(attacker.address() as AddressInfo).port}`);
    assert.equal(seen['sec-fetch-site'], 'cross-site');
    assert.deepEqual((await context.cookies(t.base)).map((c) => c.name), [], 'no session, no device cookie');
    await context.close();
    attacker.close();
    t.svc.http.server.off('request', record);
  });
});
