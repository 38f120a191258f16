import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshotDir } from '../support/webchat-chromium.js';
import { apiCall, signIn, startTestService, type TestService } from '../support/agent-service.js';

type Json = Record<string, unknown>;
const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: path.join(screenshotDir, `agent-console-${name}.png`), fullPage: true });

describe('agent console in Chromium: presence and shifts', function () {
  this.timeout(90_000);
  let t: TestService;
  let browser: Browser;
  const pageErrors: string[] = [];

  before(async () => {
    browser = await launchChromium();
    t = await startTestService();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signedIn(id: string): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    page.on('pageerror', (e) => pageErrors.push(`${id}: ${e.message}`));
    await page.goto(`${t.base}/agent`);
    await page.locator('#agent-id').fill(id);
    await page.locator('#agent-password').fill(`${id}-demo-password`);
    await page.locator('form.login button[type=submit]').click();
    await page.locator('.conn.live').waitFor();
    return page;
  }

  it('an agent sets away from the header; a supervisor edits shifts in "Staff & shifts" and they are stored', async () => {
    const ana = await signedIn('ana');
    assert.equal(await ana.locator('select.presence').inputValue(), 'online');
    await ana.locator('select.presence').selectOption('away');
    await ana.locator('.notice', { hasText: 'You are away' }).waitFor();
    const cookie = await signIn(t.base, 'sam');
    const staff = (await apiCall(t.base, 'GET', '/api/staff', { cookie })).json['agents'] as Json[];
    assert.equal((staff.find((a) => a['id'] === 'ana')!['presence'] as Json)['status'], 'away');

    const sam = await signedIn('sam');
    assert.equal(await sam.locator('select.presence').count(), 1, 'a supervisor of the manifest has a presence too');
    await sam.locator('button.staff-open').click();
    const bruno = sam.locator('.staff-card[data-agent-id=bruno]');
    await bruno.waitFor();
    await bruno.locator('input.shift-mon').fill('9:00-13:00, 14:00-18:00');
    await bruno.locator('textarea.shift-exceptions').fill('2026-12-25: off');
    await bruno.locator('input.shift-tue').fill('18:00-9:00');
    await bruno.locator('button.shift-save').click();
    await sam.locator('.notice.error', { hasText: 'ends before it starts' }).waitFor();
    await bruno.locator('input.shift-tue').fill('09:00-17:00');
    await bruno.locator('button.shift-save').click();
    await sam.locator('.notice', { hasText: "Bruno's shifts saved. No booked callback had to move." }).waitFor();
    await sam.locator('.staff-card[data-agent-id=bruno] p', { hasText: 'Shifts set in the console.' }).waitFor();
    await shot(sam, 'staff-shifts');
    const stored = ((await apiCall(t.base, 'GET', '/api/staff', { cookie })).json['agents'] as Json[]).find((a) => a['id'] === 'bruno')!;
    assert.deepEqual(stored['shifts'], { mon: [['09:00', '13:00'], ['14:00', '18:00']], tue: [['09:00', '17:00']], exceptions: { '2026-12-25': [] } });
    await sam.locator('.staff-card[data-agent-id=bruno] button.shift-reset').click();
    await sam.locator('.staff-card[data-agent-id=bruno] p', { hasText: 'No shifts' }).waitFor();
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(t.errors, []);
  });
});
