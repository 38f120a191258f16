/**
 * Right-to-left override characters and personal data, as people see them (issue 14): a customer
 * types a file name with U+202E ("invoice_‮gnp.exe", which a browser draws as "invoice_exe.png")
 * and a card with its CVV. In the widget and in the agent console (history and live lines) the
 * file name reads left to right as typed, measured from where Chromium draws each character, and
 * the card shows as "•••• 4242" (in the widget once the history is replayed: the customer's own
 * bubble keeps what they typed until then). A control element with the raw text proves the measure sees an
 * override when there is one.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium, screenshotDir } from '../support/webchat-chromium.js';
import { nextEvent, startTestService, type TestService } from '../support/agent-service.js';

const RLO = '\u202E';
const SPOOF = `please open invoice_${RLO}gnp.exe`;
const SHOWN = 'please open invoice_[U+202E]gnp.exe';
const CARD = 'my card is 4242 4242 4242 4242 cvv 737';
const CARD_SHOWN = 'my card is •••• 4242 cvv •••';

/**
 * The x of each character of `part` (first occurrence) inside `el`'s text, in typing order. Read
 * left to right as typed means strictly increasing.
 */
async function xPositions(el: Locator, part: string): Promise<number[]> {
  return el.evaluate((node, sub) => {
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t !== null; t = walker.nextNode()) {
      const at = (t.textContent ?? '').indexOf(sub);
      if (at < 0) continue;
      const xs: number[] = [];
      for (let i = 0; i < sub.length; i++) {
        const r = document.createRange();
        r.setStart(t, at + i);
        r.setEnd(t, at + i + 1);
        xs.push(r.getBoundingClientRect().left);
      }
      return xs;
    }
    return [];
  }, part);
}

function increasing(xs: readonly number[]): boolean {
  return xs.length > 1 && xs.every((x, i) => i === 0 || x > xs[i - 1]!);
}

describe('bidi isolation and masked personal data in Chromium (widget and console)', function () {
  this.timeout(90_000);
  let t: TestService;
  let browser: Browser;
  let customerContext: BrowserContext;
  let agentContext: BrowserContext;
  const pageErrors: string[] = [];

  before(async () => {
    browser = await launchChromium();
    t = await startTestService();
  });
  after(async () => {
    await customerContext?.close();
    await agentContext?.close();
    await browser?.close();
    await t?.close();
  });

  it('shows "gnp.exe" as typed and the card masked, in the widget and in the console', async () => {
    customerContext = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    const customer = await customerContext.newPage();
    customer.on('pageerror', (e) => pageErrors.push(`customer: ${e.message}`));
    await customer.goto(`${t.base}/`);
    await customer.locator('.hov-launcher').click();
    const say = async (text: string): Promise<void> => {
      await customer.locator('.hov-input').fill(text);
      await customer.locator('.hov-input').press('Enter');
    };

    // the measure itself: the raw text drawn by Chromium reads "exe.png" (decreasing x over "gnp.exe")
    const raw = await customer.evaluate((text) => {
      const d = document.createElement('div');
      d.id = 'raw-control';
      d.textContent = text;
      document.body.append(d);
      return d.textContent;
    }, SPOOF);
    assert.equal(raw, SPOOF);
    const rawXs = await xPositions(customer.locator('#raw-control'), 'gnp.exe');
    assert.ok(rawXs.length === 7 && !increasing(rawXs), `the override reverses the raw text: ${rawXs.join(', ')}`);

    const requested = nextEvent(t, (e) => e.type === 'handoff.requested');
    await say(SPOOF);
    await say(CARD);
    await say('I want to talk to a real person');
    const id = (await requested).conversationId;

    // the widget: the customer's own lines
    const spoofBubble = customer.locator('.hov-from-user .hov-bubble', { hasText: 'gnp.exe' }).first();
    await spoofBubble.waitFor();
    assert.equal(await spoofBubble.textContent(), SHOWN);
    assert.equal(await spoofBubble.getAttribute('dir'), 'auto');
    const widgetXs = await xPositions(spoofBubble, 'gnp.exe');
    assert.ok(increasing(widgetXs), `widget: "gnp.exe" reads left to right: ${widgetXs.join(', ')}`);
    // the customer's own bubble keeps what they typed until the page is reloaded; the history replayed then is the stored, masked one
    await customer.reload();
    if ((await customer.locator('.hov-launcher').getAttribute('aria-expanded')) !== 'true') await customer.locator('.hov-launcher').click();
    await customer.locator('.hov-from-user .hov-bubble', { hasText: CARD_SHOWN }).waitFor();
    assert.equal(await customer.locator('.hov-bubble', { hasText: '4242 4242' }).count(), 0, 'the replayed history shows no card in clear');
    const replayed = customer.locator('.hov-from-user .hov-bubble', { hasText: 'gnp.exe' }).first();
    assert.equal(await replayed.textContent(), SHOWN);
    assert.ok(increasing(await xPositions(replayed, 'gnp.exe')), 'widget, replayed: "gnp.exe" reads left to right');

    // the console: history of the conversation
    agentContext = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const agent = await agentContext.newPage();
    agent.on('pageerror', (e) => pageErrors.push(`agent: ${e.message}`));
    await agent.goto(`${t.base}/agent`);
    await agent.locator('#agent-id').fill('ana');
    await agent.locator('#agent-password').fill('ana-demo-password');
    await agent.locator('form.login button[type=submit]').click();
    await agent.locator('.conn.live').waitFor();
    const item = agent.locator(`.queue-item[data-conversation-id="${id}"]`);
    await item.locator('button.accept').click();
    const transcript = agent.locator('.transcript-lines');
    const historyLine = transcript.locator('.line.from-customer .line-text', { hasText: 'gnp.exe' }).first();
    await historyLine.waitFor();
    assert.equal(await historyLine.textContent(), SHOWN);
    const consoleXs = await xPositions(historyLine, 'gnp.exe');
    assert.ok(increasing(consoleXs), `console: "gnp.exe" reads left to right: ${consoleXs.join(', ')}`);
    await transcript.locator('.line.from-customer .line-text', { hasText: CARD_SHOWN }).waitFor();

    // the console: a line arriving live on the socket
    await say(`and the photo is holiday_${RLO}gpj.scr, pwd: Summer2026`);
    const liveLine = transcript.locator('.line.from-customer .line-text', { hasText: 'gpj.scr' });
    await liveLine.waitFor();
    assert.equal(await liveLine.textContent(), 'and the photo is holiday_[U+202E]gpj.scr, pwd: ••••••');
    assert.ok(increasing(await xPositions(liveLine, 'gpj.scr')), 'the live line reads left to right');

    const everything = (await agent.locator('body').textContent()) ?? '';
    for (const clear of ['4242 4242', 'cvv 737', 'Summer2026', RLO]) assert.ok(!everything.includes(clear), `the console page never shows ${JSON.stringify(clear)}`);
    await agent.screenshot({ path: path.join(screenshotDir, 'pii-bidi-console.png'), fullPage: true });
    await customer.screenshot({ path: path.join(screenshotDir, 'pii-bidi-widget.png') });
    assert.deepEqual(pageErrors, []);
  });
});
