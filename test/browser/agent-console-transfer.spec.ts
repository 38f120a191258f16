/**
 * The console page's side of idempotent transfers, in Chromium against the real start composition:
 * a double click on Transfer moves the conversation once, and every transfer request the page sends
 * carries the state version it shows and the form's idempotency key.
 */
import assert from 'node:assert/strict';
import type { Browser, BrowserContext } from 'playwright-core';
import { conversationId } from '../../src/core/ids.js';
import { launchChromium } from '../support/webchat-chromium.js';
import { customerHandsOff, startTestService, type TestService } from '../support/agent-service.js';

type Json = Record<string, unknown>;

describe('agent console in Chromium: a double-clicked transfer is one transfer', function () {
  this.timeout(60_000);
  let t: TestService;
  let browser: Browser;
  let context: BrowserContext | undefined;

  before(async () => {
    browser = await launchChromium();
    t = await startTestService();
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('sends expectedVersion and one idempotency key; the conversation is transferred once', async () => {
    const customer = await customerHandsOff(t);
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const transfers: Json[] = [];
    const finished: Promise<unknown>[] = [];
    page.on('request', (r) => {
      if (r.method() !== 'POST' || !r.url().endsWith('/transfer')) return;
      transfers.push(JSON.parse(r.postData() ?? '{}') as Json);
      finished.push(r.response());
    });
    await page.goto(`${t.base}/agent`);
    await page.locator('#agent-id').fill('ana');
    await page.locator('#agent-password').fill('ana-demo-password');
    await page.locator('form.login button[type=submit]').click();
    await page.locator('.who', { hasText: 'Signed in as Ana (agent)' }).waitFor();

    const item = page.locator(`section.queue[data-queue="support"] .queue-item[data-conversation-id="${customer.conversationId}"]`);
    await item.locator('button.accept').click();
    await page.locator('section.briefing').waitFor();
    await page.locator(`.my-list .my-item[data-conversation-id="${customer.conversationId}"]`).waitFor();
    const version = (await t.svc.app.service.state(conversationId(customer.conversationId))).version;

    await page.locator('select.transfer-queue').selectOption('billing');
    await page.locator('button.transfer').dblclick();
    await page.locator('.notice', { hasText: 'Transferred to Billing.' }).waitFor();
    await Promise.all(finished);

    assert.ok(transfers.length >= 1);
    for (const body of transfers) {
      assert.equal(body['queue'], 'billing');
      assert.equal(body['expectedVersion'], version, 'the version the page showed');
      assert.equal(typeof body['idempotencyKey'], 'string');
    }
    assert.equal(new Set(transfers.map((b) => b['idempotencyKey'])).size, 1, 'one key for the one transfer the form offers');
    const s = await t.svc.app.service.state(conversationId(customer.conversationId));
    assert.equal(s.transfers, 1);
    assert.equal(s.queue, 'billing');
    assert.deepEqual(pageErrors, []);
    customer.socket.close();
  });
});
