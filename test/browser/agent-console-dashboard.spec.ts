/**
 * The supervisor dashboard and the history in Chromium, on the real `handover start` composition:
 * three days of real conversations (a ManualClock moves the service a day at a time: customers who
 * only talk to the bot, handoffs resolved with a rating, returned with an order number, one open,
 * one waiting past its SLA); the supervisor opens "Dashboard" and the SVG charts carry one element
 * per day/reason with data, with the values the API computed from the stored metrics.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ManualClock } from '../../src/core/clock.js';
import { launchChromium, screenshotDir } from '../support/webchat-chromium.js';
import { apiCall, conversationPath, customerHandsOff, openCustomer, signIn, startTestService, type TestService } from '../support/agent-service.js';

type Json = Record<string, unknown>;
const DAY = 86_400_000;

describe('agent console in Chromium: supervisor dashboard and history', function () {
  this.timeout(120_000);
  let t: TestService;
  let browser: Browser;
  let clock: ManualClock;
  const pageErrors: string[] = [];
  let returnedId = '';

  /** One day of traffic: `contained` bot-only chats, then handoffs closed as given. */
  async function day(opts: { contained: number; resolved: number; rating?: string; returned?: string }): Promise<void> {
    const ana = await signIn(t.base, 'ana');
    for (let i = 0; i < opts.contained; i++) {
      const c = await openCustomer(t);
      c.say('hello');
      await c.waitForText(/./);
      c.socket.close();
    }
    for (let i = 0; i < opts.resolved; i++) {
      const c = await customerHandsOff(t);
      assert.equal((await apiCall(t.base, 'POST', conversationPath(c.conversationId, 'accept'), { cookie: ana, body: {} })).status, 200);
      assert.equal((await apiCall(t.base, 'POST', conversationPath(c.conversationId, 'resolve'), { cookie: ana, body: {} })).status, 200);
      if (opts.rating !== undefined) {
        await c.waitForText(/1.*5/);
        c.say(opts.rating);
        await eventually(async () => (await t.svc.stores.transcripts.read(c.conversationId as never)).some((e) => e.meta?.['name'] === 'csat.recorded'), 'the rating recorded');
      }
      c.socket.close();
    }
    if (opts.returned !== undefined) {
      const c = await customerHandsOff(t);
      returnedId = c.conversationId;
      assert.equal((await apiCall(t.base, 'POST', conversationPath(c.conversationId, 'accept'), { cookie: ana, body: {} })).status, 200);
      assert.equal((await apiCall(t.base, 'POST', conversationPath(c.conversationId, 'return'), { cookie: ana, body: { collected: { order_number: opts.returned } } })).status, 200);
      c.socket.close();
    }
    await t.svc.app.metrics.flush();
  }

  async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`not within 5 s: ${what}`);
  }

  async function signedIn(id: string, viewport: { width: number; height: number }, mobile = false): Promise<Page> {
    const context = await browser.newContext({ viewport, ...(mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${id}: ${e.message}`));
    await page.goto(`${t.base}/agent`);
    await page.locator('#agent-id').fill(id);
    await page.locator('#agent-password').fill(`${id}-demo-password`);
    await page.locator('form.login button[type=submit]').click();
    await page.locator('.conn.live').waitFor();
    return page;
  }

  before(async () => {
    browser = await launchChromium();
    clock = new ManualClock(Date.now() - 2 * DAY);
    t = await startTestService({ clock });
    await day({ contained: 3, resolved: 1, rating: '4' });
    clock.advanceMs(DAY);
    await day({ contained: 1, resolved: 1, rating: '5' });
    clock.advanceMs(DAY);
    // (the memory store forgets a conversation idle for 4 h with its history entry: the one to find is today's)
    await day({ contained: 2, resolved: 1, returned: 'A12345' });
    // today also: one accepted and open, one waiting past its SLA
    const ana = await signIn(t.base, 'ana');
    const open = await customerHandsOff(t);
    assert.equal((await apiCall(t.base, 'POST', conversationPath(open.conversationId, 'accept'), { cookie: ana, body: {} })).status, 200);
    await customerHandsOff(t);
    clock.advanceMs(11 * 60_000);
    await t.svc.app.metrics.flush();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('a supervisor opens the dashboard: queue tiles (breached in red), agents, and SVG charts with a point per day of real metrics; it refreshes itself', async () => {
    const cookie = await signIn(t.base, 'sam');
    const api = (await apiCall(t.base, 'GET', '/api/dashboard', { cookie })).json;
    const days = api['days'] as Json[];
    const nonNull = (f: (d: Json) => unknown): number => days.filter((d) => f(d) !== null).length;
    assert.equal(nonNull((d) => d['containmentRate']), 3, 'three days with conversations');

    const page = await signedIn('sam', { width: 1440, height: 900 });
    await page.locator('button.dashboard-open').click();
    await page.locator('.dash-charts svg').first().waitFor();

    const support = page.locator('.queue-tile[data-queue=support]');
    assert.equal(await support.locator('.waiting-count').textContent(), '1');
    assert.match((await support.getAttribute('class')) ?? '', /breached/);
    assert.match((await support.locator('.breach-count').textContent()) ?? '', /^1 past SLA/);
    assert.equal(await page.locator('tr[data-agent-id=ana] .open-chats').textContent(), '1');
    // the breaches list: the one waiting 11 min in a 10 min SLA, over by 1 min
    assert.equal(await page.locator('.dash-breaches tbody tr').count(), 1);
    assert.match((await page.locator('.dash-breaches tbody tr td.alert').textContent()) ?? '', /^\+1 min$/);

    const points = (chart: string, series?: string) => page.locator(`figure[data-chart=${chart}] ${series === undefined ? '' : `g[data-series="${series}"] `}circle.point`);
    const bars = (chart: string) => page.locator(`figure[data-chart=${chart}] rect.bar`);
    assert.equal(await points('containment', 'containment').count(), 3);
    assert.equal(await points('containment', 'overflow').count(), nonNull((d) => d['overflowRate']));
    assert.equal(await bars('cost').count(), nonNull((d) => d['costPerResolutionUsd']));
    assert.ok((await bars('cost').count()) >= 3);
    assert.equal(await points('satisfaction').count(), 2, 'two days with ratings');
    const reasons = Object.keys((api['today'] as Json)['handoffsByReason'] as Json);
    assert.ok(reasons.length >= 1);
    assert.equal(await bars('reasons').count(), reasons.length);
    // the drawn values are the API's
    const drawn = await points('containment', 'containment').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    assert.deepEqual(drawn, days.map((d) => d['containmentRate']).filter((v) => v !== null));
    const ratings = await points('satisfaction').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    assert.deepEqual(ratings, [4, 5]);
    const today = api['today'] as Json;
    assert.equal(await bars('reasons').evaluateAll((els) => els.reduce((s, e) => s + Number(e.getAttribute('data-value')), 0)), today['handoffs']);
    await page.screenshot({ path: path.join(screenshotDir, 'agent-console-dashboard.png'), fullPage: true });

    // refreshed without a click: a new customer waiting shows within the refresh period
    await customerHandsOff(t);
    await page.locator('.queue-tile[data-queue=support] .waiting-count', { hasText: '2' }).waitFor({ timeout: 15_000 });
    // a breach opens as the conversation, ready to accept
    await page.locator('.dash-breaches button.breach-open').first().click();
    await page.locator('main.conversation .status', { hasText: 'queued' }).waitFor();
    assert.equal(await page.locator('main.conversation button.accept').count(), 1);

    // a phone: nothing wider than the screen, charts still there
    const phone = await signedIn('sam', { width: 390, height: 844 }, true);
    await phone.locator('button.dashboard-open').click();
    await phone.locator('.dash-charts svg').first().waitFor();
    assert.ok((await phone.evaluate(() => document.documentElement.scrollWidth)) <= 390, 'no horizontal scrolling on a phone');
    assert.equal(await phone.locator('figure[data-chart=containment] circle.point').count(), 3 + nonNull((d) => d['overflowRate']));
    await phone.screenshot({ path: path.join(screenshotDir, 'agent-console-dashboard-phone.png'), fullPage: true });

    // agents have no dashboard button, and the API says no
    const ana = await signedIn('ana', { width: 1440, height: 900 });
    assert.equal(await ana.locator('button.dashboard-open').count(), 0);
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(t.errors, []);
  });

  it('an agent finds the returned conversation by order number and opens it read-only (transcript and briefing, no actions)', async () => {
    const page = await signedIn('ana', { width: 1440, height: 900 });
    await page.locator('button.history-view-open').click();
    await page.locator('.history-table, .history-empty').first().waitFor();
    await page.locator('input.history-order').fill('a12345');
    await page.locator('button.history-search').click();
    const row = page.locator(`.history-table tr[data-conversation-id="${returnedId}"]`);
    await row.waitFor();
    assert.equal(await page.locator('.history-table tbody tr').count(), 1);
    assert.equal(await row.locator('.history-orders').textContent(), 'A12345');
    await row.locator('button.history-open').click();
    await page.locator('.transcript-lines li', { hasText: 'I want to talk to a real person' }).first().waitFor();
    assert.equal(await page.locator('main.conversation .status').textContent(), 'returned');
    assert.equal(await page.locator('main.conversation section.briefing').count(), 1);
    assert.equal(await page.locator('main.conversation section.briefing', { hasText: 'No briefing' }).count(), 0, 'the briefing is shown');
    assert.equal(await page.locator('main.conversation').locator('button.resolve, button.accept, .reply-input').count(), 0, 'a closed conversation has no actions');
    await page.screenshot({ path: path.join(screenshotDir, 'agent-console-history.png'), fullPage: true });
    // back to History: the same search and result
    await page.locator('button.history-view-open').click();
    assert.equal(await page.locator('input.history-order').inputValue(), 'a12345');
    await page.locator(`.history-table tr[data-conversation-id="${returnedId}"]`).waitFor();
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(t.errors, []);
  });
});
