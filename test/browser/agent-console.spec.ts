import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, screenshotDir } from '../support/webchat-chromium.js';
import { nextEvent, startTestService, type TestService } from '../support/agent-service.js';

const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: path.join(screenshotDir, `agent-console-${name}.png`), fullPage: true });

describe('agent console and web chat in Chromium (the real start composition)', function () {
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

  async function newPage(context: BrowserContext, who: string): Promise<Page> {
    const page = await context.newPage();
    // Uncaught script errors only: expected 401s (the sign-in page, a wrong password) are not errors.
    page.on('pageerror', (e) => pageErrors.push(`${who}: ${e.message}`));
    return page;
  }

  it('a customer asks for a person; an agent signs in, accepts, reads the briefing, replies; the customer sees it; back to the bot', async () => {
    // ---- the customer, on the demo page with the widget ----
    customerContext = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    const customer = await newPage(customerContext, 'customer');
    await customer.goto(`${t.base}/`);
    await customer.locator('.hov-launcher').click();
    const bubble = (text: string | RegExp) => customer.locator('.hov-bubble', { hasText: text });
    const say = async (text: string): Promise<void> => {
      await customer.locator('.hov-input').fill(text);
      await customer.locator('.hov-input').press('Enter');
    };
    const requested = nextEvent(t, (e) => e.type === 'handoff.requested');
    await say('I want to talk to a real person');
    const handoff = await requested;
    const id = handoff.conversationId;
    await bubble(/connecting you with a person/).waitFor();

    // ---- the agent, in another browser context (own cookies) ----
    agentContext = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const agent = await newPage(agentContext, 'agent');
    const login = await agent.goto(`${t.base}/agent`);
    assert.equal(login?.status(), 401, 'no session: the page is only the sign-in form');
    await agent.locator('#agent-id').fill('ana');
    await agent.locator('#agent-password').fill('wrong password');
    await agent.locator('form.login button[type=submit]').click();
    await agent.locator('.login-error', { hasText: 'Wrong agent id or password.' }).waitFor();
    await shot(agent, 'sign-in');
    await agent.locator('#agent-password').fill('ana-demo-password');
    await agent.locator('form.login button[type=submit]').click();
    await agent.locator('.who', { hasText: 'Signed in as Ana (agent)' }).waitFor();
    const cookies = await agentContext.cookies();
    const session = cookies.find((c) => c.name === 'handover_agent');
    assert.ok(session?.httpOnly, 'the session cookie is HttpOnly');
    assert.equal(session.sameSite, 'Strict');
    assert.equal(await agent.evaluate(() => document.cookie), '', 'the page script cannot read it');
    await agent.locator('.conn.live').waitFor();

    // The conversation waits in support, with a live SLA countdown; ana does not see sales at all.
    assert.deepEqual(await agent.locator('section.queue').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset['queue'])), ['support', 'support_l2', 'billing']);
    const item = agent.locator(`section.queue[data-queue="support"] .queue-item[data-conversation-id="${id}"]`);
    await item.waitFor();
    await item.locator('.reason', { hasText: 'Customer asked for a person' }).waitFor();
    // The countdown ticks (queried afresh each time: live updates may re-render the list).
    const slaText = (): Promise<string | null> => item.locator('.sla').textContent();
    await agent.waitForFunction((cid) => /^SLA \d\d:\d\d$/.test(document.querySelector(`.queue-item[data-conversation-id="${cid}"] .sla`)?.textContent ?? ''), id);
    const first = await slaText();
    await agent.waitForFunction(([cid, before]) => {
      const now = document.querySelector(`.queue-item[data-conversation-id="${cid}"] .sla`)?.textContent ?? '';
      return /^SLA \d\d:\d\d$/.test(now) && now !== before;
    }, [id, first] as const);
    await shot(agent, 'queue');

    // Accept: the briefing comes first, then the full transcript.
    await item.locator('button.accept').click();
    const briefing = agent.locator('section.briefing');
    await briefing.waitFor();
    await briefing.locator('.reason[data-reason="customer_request"]').waitFor();
    assert.ok((await briefing.locator('.trace li').count()) > 0, 'the decision trace is shown');
    assert.notEqual(((await briefing.locator('.summary').textContent()) ?? '').trim(), '');
    const facts = await briefing.locator('dl.facts').textContent();
    assert.match(facts ?? '', /Intent/);
    assert.match(facts ?? '', /Sentiment/);
    await briefing.locator('h4', { hasText: 'Collected by the bot' }).waitFor();
    await briefing.locator('h4', { hasText: 'What the bot tried' }).waitFor();
    await briefing.locator('h4', { hasText: 'Customer' }).waitFor();
    const order = await agent.evaluate(() => {
      const b = document.querySelector('section.briefing');
      const tr = document.querySelector('section.transcript');
      return b !== null && tr !== null && (b.compareDocumentPosition(tr) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
    });
    assert.ok(order, 'the briefing is above the transcript');
    const transcript = agent.locator('.transcript-lines');
    await transcript.locator('.line.from-customer', { hasText: 'I want to talk to a real person' }).waitFor();
    await agent.locator('.my-list .my-item').first().waitFor();
    await customer.locator('.hov-bubble, .hov-notice', { hasText: /Ana/ }).first().waitFor();

    // A macro fills what it can and shows what is left to fill.
    await agent.locator('button.macro[data-macro="greet"]').click();
    assert.match(await agent.locator('.reply-input').inputValue(), /I am Ana and I will take it from here\./);
    await agent.locator('.unfilled', { hasText: '{customer.name}' }).waitFor();

    // The reply reaches the customer's widget.
    await agent.locator('.reply-input').fill('Hi, I am Ana. I can help with that.');
    await agent.locator('.reply-input').press('Enter');
    await bubble('Hi, I am Ana. I can help with that.').waitFor();
    await customer.locator('.hov-notice', { hasText: 'Ana joined the chat' }).waitFor();
    assert.equal(await customer.locator('.hov-msg', { hasText: 'has joined' }).count(), 0, 'the join is said once, as a notice, not also as a bubble');
    await transcript.locator('.line.from-agent', { hasText: 'Hi, I am Ana. I can help with that.' }).waitFor();

    // The customer's messages appear live, as text — never as markup.
    await say('<img src=x onerror="window.pwned=1"><b>bold</b> my order is late');
    const live = transcript.locator('.line.from-customer', { hasText: 'my order is late' });
    await live.waitFor();
    assert.match((await live.locator('.line-text').textContent()) ?? '', /^<img src=x onerror="window.pwned=1"><b>bold<\/b> my order is late$/);
    assert.equal(await agent.locator('.transcript-lines img, .transcript-lines b').count(), 0);
    assert.equal(await agent.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
    await shot(agent, 'conversation');
    await shot(customer, 'customer-with-agent');

    // Back to the bot, with what the agent settled; the bot answers again.
    await agent.locator('.return-collected').fill('order_number=A12345');
    await agent.locator('button.return').click();
    await agent.locator('.notice', { hasText: 'Returned to the bot.' }).waitFor();
    await bubble(/back with the Acme Shop assistant/).waitFor();
    await customer.waitForFunction(() => {
      const host = document.querySelector('.handover-webchat');
      return !(host?.shadowRoot?.querySelector('.hov-status')?.textContent ?? '').includes('Ana');
    });
    assert.equal(await agent.locator('section.briefing').count(), 0, 'the conversation closes in the console');
    await say('what time do you open on saturday?');
    await bubble(/Saturday 10:00–18:00/).waitFor();
    await shot(customer, 'customer-back-with-bot');
    await shot(agent, 'after-return');

    // Sign out: back to the form; the old cookie no longer opens the console.
    await agent.locator('button.logout').click();
    await agent.locator('form.login').waitFor();
    const again = await fetch(`${t.base}/api/me`, { headers: { Cookie: `handover_agent=${session.value}` } });
    assert.equal(again.status, 401);

    assert.deepEqual(pageErrors, [], 'no errors in either page');
    assert.deepEqual(t.errors, [], 'the service logged no errors');
  });
});
