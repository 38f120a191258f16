import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { conversationId } from '../../src/core/ids.js';
import { screenshotDir } from '../support/webchat-chromium.js';
import { chromiumWithService } from '../support/chromium-service.js';
import { demoPassword, nextEvent, openCustomer, type TestCustomer } from '../support/agent-service.js';

const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: path.join(screenshotDir, `agent-console-briefing-${name}.png`) });
/** What a log line reads like, never a person's sentence. */
const LOG_LIKE = /score|comparative|turn \d+:|turno \d+|[a-z]+_[a-z_]+/i;

describe('agent console briefing in Chromium: a sentence in the agent language, a folded trace, the reply box in view, no raw events', function () {
  this.timeout(120_000);
  const rig = chromiumWithService();
  const pageErrors = rig.pageErrors;

  async function agentPage(viewport: { width: number; height: number }, locale = 'en-US', id = 'ana'): Promise<Page> {
    const context = await rig.newContext({ viewport, locale });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${id}: ${e.message}`));
    await page.goto(`${rig.t.base}/agent`);
    await page.locator('#agent-id').fill(id);
    await page.locator('#agent-password').fill(demoPassword(id));
    await page.locator('form.login button[type=submit]').click();
    await page.locator('.conn.live').waitFor();
    return page;
  }

  /** A web chat customer asks where their order is and cannot give its number: the real pipeline hands off (missing_entity). */
  async function orderWithoutNumber(): Promise<TestCustomer> {
    const c = await openCustomer(rig.t);
    await c.waitForText(/Acme Shop assistant/);
    c.say('where is my order?');
    await c.waitForText(/order number/);
    const queued = nextEvent(rig.t, (e) => e.type === 'handoff.requested' && e.conversationId === c.conversationId);
    c.say('I do not have the number');
    await queued;
    return c;
  }

  /** The element's box lies inside the viewport (nothing to scroll to reach it). */
  const inViewport = (page: Page, selector: string) =>
    page.locator(selector).evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, height: r.height, vh: window.innerHeight, ok: r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight };
    });

  let first: TestCustomer;

  it('after Accept at 1440×900 the summary is a sentence, the trace is folded into one line, the reply box is in view (and at 1280×720)', async () => {
    first = await orderWithoutNumber();
    const agent = await agentPage({ width: 1440, height: 900 });
    const item = agent.locator(`.queue-item[data-conversation-id="${first.conversationId}"]`);
    await item.waitFor();
    assert.doesNotMatch((await item.locator('.item-summary').textContent()) ?? '', LOG_LIKE);
    await item.locator('button.accept').click();
    const briefing = agent.locator('section.briefing');
    await briefing.locator('.reason[data-reason="missing_entity"]').waitFor();

    const summary = ((await briefing.locator('.summary').textContent()) ?? '').trim();
    assert.equal(summary, 'An anonymous web chat visitor wants to know where their order is; the bot could not get the order number.');
    assert.doesNotMatch(summary, LOG_LIKE);
    assert.equal(await briefing.locator('.summary').getAttribute('lang'), 'en');

    // the trace: one closed line saying how many rules fired; its lines are there when opened
    const trace = briefing.locator('details.trace-box');
    assert.equal(await trace.evaluate((d) => (d as HTMLDetailsElement).open), false, 'the decision trace starts closed');
    assert.match((await trace.locator('summary').textContent()) ?? '', /^Why: \d+ rules? fired$/);
    assert.equal(await trace.locator('li').first().isVisible(), false);

    const reply = await inViewport(agent, '.reply-input');
    assert.ok(reply.ok, `the reply box is in view at 1440×900: ${JSON.stringify(reply)}`);
    assert.ok((await inViewport(agent, 'button.send')).ok, 'and its Send button');
    assert.equal(await agent.evaluate(() => document.scrollingElement!.scrollHeight <= window.innerHeight + 1), true, 'the page itself does not scroll');
    await shot(agent, '1440x900');

    // a long conversation scrolls inside its pane; the reply box stays where it is
    for (let i = 1; i <= 25; i++) first.say(`line ${i} of a long story`);
    await agent.locator('.transcript-lines .line.from-customer', { hasText: 'line 25 of a long story' }).waitFor();
    assert.ok((await inViewport(agent, '.reply-input')).ok, 'still in view with a long transcript');
    assert.equal(
      await agent.locator('.transcript-lines').evaluate((el) => el.scrollHeight > el.clientHeight && el.scrollTop + el.clientHeight >= el.scrollHeight - 2),
      true,
      'the transcript scrolls in its own pane, at its newest line',
    );

    // opening the trace does not push the reply box out of view either
    await trace.locator('summary').click();
    assert.ok(await trace.locator('li').first().isVisible());
    assert.ok((await inViewport(agent, '.reply-input')).ok, 'in view with the trace open');

    await agent.setViewportSize({ width: 1280, height: 720 });
    const small = await inViewport(agent, '.reply-input');
    assert.ok(small.ok, `the reply box is in view at 1280×720: ${JSON.stringify(small)}`);
    assert.ok((await inViewport(agent, '.summary')).ok, 'and the summary');
    await shot(agent, '1280x720');
  });

  it('an agent whose browser asks for pt-BR reads the summary in Portuguese (queue list and briefing); es likewise', async () => {
    const c = await orderWithoutNumber();
    const agent = await agentPage({ width: 1440, height: 900 }, 'pt-BR');
    assert.equal(await agent.evaluate(async () => ((await (await fetch('/api/me')).json()) as { locale: string }).locale), 'pt-BR');
    const item = agent.locator(`.queue-item[data-conversation-id="${c.conversationId}"]`);
    await item.locator('.item-summary', { hasText: 'Um visitante anônimo do chat do site' }).waitFor();
    await item.locator('button.preview').click();
    const summary = agent.locator('section.briefing .summary');
    await summary.waitFor();
    assert.equal(((await summary.textContent()) ?? '').trim(), 'Um visitante anônimo do chat do site quer saber onde está o pedido; o bot não conseguiu o número do pedido.');
    assert.equal(await summary.getAttribute('lang'), 'pt-BR');

    const es = await agentPage({ width: 1440, height: 900 }, 'es-MX');
    const esItem = es.locator(`.queue-item[data-conversation-id="${c.conversationId}"]`);
    await esItem.locator('button.preview').click();
    await es.locator('section.briefing .summary', { hasText: 'Un visitante anónimo del chat web quiere saber dónde está su pedido; el bot no consiguió el número de pedido.' }).waitFor();
  });

  it("the customer's rating shows as 'Rated 4/5', never as the raw csat.recorded event (History view)", async () => {
    const agent = await agentPage({ width: 1440, height: 900 });
    await agent.locator(`.my-item[data-conversation-id="${first.conversationId}"] button.open`).click();
    await agent.locator('button.resolve').click();
    await agent.locator('.notice', { hasText: 'Resolved.' }).waitFor();
    await first.waitForText(/rate the help/);
    first.say('4');
    const id = conversationId(first.conversationId);
    for (let i = 0; i < 100; i++) {
      if ((await rig.t.svc.stores.transcripts.read(id)).some((l) => l.meta?.['name'] === 'csat.recorded')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok((await rig.t.svc.stores.transcripts.read(id)).some((l) => l.meta?.['name'] === 'csat.recorded' && l.meta['score'] === 4), 'the rating is in the transcript as an event');

    await agent.locator('button.history-view-open').click();
    await agent.locator(`.history-table tr[data-conversation-id="${first.conversationId}"] button.history-open`).click();
    const lines = agent.locator('.transcript-lines');
    await lines.locator('.line.event', { hasText: 'Rated 4/5 by the customer' }).waitFor();
    const text = (await agent.locator('main.conversation').textContent()) ?? '';
    assert.doesNotMatch(text, /csat\.recorded|conversationUpdate|handoff\.[a-z_]+/);
    await lines.locator('.line.event', { hasText: 'Accepted by Ana' }).waitFor();
    await lines.locator('.line.event', { hasText: 'Resolved by ana' }).waitFor();
    await shot(agent, 'history-rated');

    assert.deepEqual(pageErrors, [], 'no errors in the pages');
    assert.deepEqual(rig.t.errors, [], 'the service logged no errors');
  });
});
