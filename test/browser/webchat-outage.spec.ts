/**
 * The widget in Chromium on a real `handover start` whose Redis (AOF, fsync every second) is killed
 * -9 and restarted: the header stops saying "Online" as soon as lines cannot be stored, a line
 * typed meanwhile is shown as not sent, survives a page reload, and is sent again by itself once
 * Redis is back — stored once, answered, the header "Online" again.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { spawnHandover, type HandoverProcess } from '../support/handover-processes.js';
import { startRedisServer, type RedisServerProcess } from '../support/redis-server.js';
import { uniquePrefix } from '../support/redis.js';
import { launchChromium, screenshotDir } from '../support/webchat-chromium.js';

const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: path.join(screenshotDir, `webchat-outage-${name}.png`) });
const LINE = 'where is my order';

describe('web chat: widget in Chromium through a Redis outage (handover start, Redis killed and restarted)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let redis: RedisServerProcess;
  let proc: HandoverProcess | undefined;
  let page: Page | undefined;
  const pageErrors: string[] = [];

  before(async () => {
    browser = await launchChromium();
    redis = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '']);
  });
  after(async () => {
    await page?.close();
    await browser?.close();
    await proc?.stop();
    await redis?.destroy();
  });

  it('shows the line typed during the outage as not sent, keeps it across a reload, and sends it once when Redis is back', async () => {
    const prefix = uniquePrefix();
    proc = await spawnHandover({ REDIS_URL: redis.url, REDIS_PREFIX: prefix });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const p = page;
    p.on('pageerror', (e) => pageErrors.push(e.message));
    const status = p.locator('.hov-status');
    const botBubbles = p.locator('.hov-from-bot .hov-bubble');
    const mine = p.locator('.hov-from-user', { hasText: LINE });
    const unsent = p.locator('.hov-from-user.hov-unsent', { hasText: LINE });
    const headerSays = (text: string, what: string, timeout = 10_000) =>
      p.waitForFunction((t) => document.querySelector('.handover-webchat')?.shadowRoot?.querySelector('.hov-status')?.textContent === t, text, { timeout }).catch(async () => {
        throw new Error(`the header should say "${text}" (${what}); it says "${await status.textContent()}"`);
      });

    await p.goto(`${proc.base}/`);
    await p.locator('.hov-launcher').click();
    await headerSays('Online', 'connected');
    await p.locator('.hov-input').fill('hello');
    await p.locator('.hov-input').press('Enter');
    // the greeting, then the answer to hello: the process has run a whole turn before Redis dies
    await botBubbles.nth(1).waitFor();

    await redis.kill9();
    // before the customer types anything: the server pushes that lines cannot be stored
    await headerSays("Messages can't be sent right now", 'Redis is down', 5000);
    await p.locator('.hov-input').fill(LINE);
    await p.locator('.hov-input').press('Enter');
    await unsent.waitFor({ timeout: 5000 });
    assert.match((await mine.locator('.hov-note').textContent()) ?? '', /^Not sent yet/);
    await shot(p, 'not-sent');

    // a reload during the outage: the line is still there, still not sent, and the header is not "Online"
    await p.reload();
    await unsent.waitFor({ timeout: 5000 });
    assert.notEqual(await status.textContent(), 'Online');
    await headerSays("Messages can't be sent right now", 'the resume was refused: Redis is down', 10_000);
    await shot(p, 'not-sent-after-reload');

    await redis.restart();
    await headerSays('Online', 'Redis is back', 30_000);
    await p.waitForFunction(
      (line) => {
        const root = document.querySelector('.handover-webchat')?.shadowRoot;
        const item = Array.from(root?.querySelectorAll('.hov-from-user') ?? []).find((e) => e.textContent?.includes(line));
        return item !== undefined && !item.classList.contains('hov-unsent') && !item.classList.contains('hov-pending');
      },
      LINE,
      { timeout: 15_000 },
    );
    // answered: the bot's reply comes after it
    await p.waitForFunction(
      (line) => {
        const items = Array.from(document.querySelector('.handover-webchat')?.shadowRoot?.querySelectorAll('.hov-msg') ?? []);
        const at = items.findIndex((e) => e.classList.contains('hov-from-user') && e.textContent?.includes(line));
        return at >= 0 && items.slice(at + 1).some((e) => e.classList.contains('hov-from-bot'));
      },
      LINE,
      { timeout: 15_000 },
    );
    assert.equal(await mine.count(), 1, 'shown once');
    await shot(p, 'sent-when-back');

    const stored = await p.evaluate(() => sessionStorage.getItem('handover.webchat.session'));
    const { conversationId } = JSON.parse(stored ?? '{}') as { conversationId: string };
    const admin = await redis.connect();
    try {
      const raw: string[] = await admin.lRange(`${prefix}:activity:{${conversationId}}:items`, 0, -1);
      const items = raw.map((j) => JSON.parse(j) as { text?: string; from?: { role?: string } });
      assert.equal(items.filter((a) => a.text === LINE && a.from?.role === 'user').length, 1, 'stored once');
    } finally {
      await admin.close();
    }
    assert.equal(await p.evaluate(() => sessionStorage.getItem('handover.webchat.outbox')), null, 'nothing left to send');
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  });
});
