// Takes the README tour's screenshots from the real demo composition (`handover start
// --demo-customer c-1001`, memory store, a free loopback port) in Debian's Chromium:
//   docs/img/console-briefing.png — the agent console right after Accept (briefing, transcript, reply box);
//   docs/img/webchat-widget.png   — the customer's widget with the agent's reply.
// The customer (Dana Reyes, signed in by the demo page) asks where her order is and cannot give its
// number, so the bot hands off with a real briefing. Run: npx tsx scripts/screenshots.ts
// (CHROMIUM_PATH to use another browser). docs/img/supervisor-dashboard.png is taken by hand.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startService } from '../src/cli/start.js';

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'docs', 'img');
const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

async function main(): Promise<void> {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  mkdirSync(out, { recursive: true });
  const quiet = { info: () => {}, error: (m: string) => process.stderr.write(`service: ${m}\n`) };
  const svc = await startService({ port: 0, host: '127.0.0.1', store: 'memory', demoCustomer: 'c-1001', log: quiet, env: { ...process.env, REDIS_URL: '', PORT: '0' } });
  const base = `http://127.0.0.1:${svc.port}`;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    // ---- the customer, on the demo page ----
    const customer = await (await browser.newContext({ viewport: { width: 900, height: 700 }, locale: 'en-US' })).newPage();
    await customer.goto(`${base}/`);
    await customer.locator('.hov-launcher').click();
    const say = async (text: string): Promise<void> => {
      await customer.locator('.hov-input').fill(text);
      await customer.locator('.hov-input').press('Enter');
    };
    const bubble = (text: RegExp) => customer.locator('.hov-bubble', { hasText: text });
    await say('where is my order?');
    await bubble(/order number/).first().waitFor();
    await say("I don't have the number, this is getting really annoying");
    await bubble(/connecting you with a person/).waitFor();

    // ---- the agent accepts ----
    const agent = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })).newPage();
    await agent.goto(`${base}/agent`);
    await agent.locator('#agent-id').fill('ana');
    await agent.locator('#agent-password').fill('ana-demo-password');
    await agent.locator('form.login button[type=submit]').click();
    await agent.locator('.conn.live').waitFor();
    await agent.locator('.queue-item button.accept').first().click();
    await agent.locator('section.briefing .summary').waitFor();
    await agent.locator('.reply-input').fill("Hi Dana, I'm Ana. Your order A12345 has shipped: here is the tracking link.");
    await agent.locator('.reply-input').press('Enter');
    await agent.locator('.transcript-lines .line.from-agent').waitFor();
    await agent.locator('.reply-input').fill('');
    await agent.locator('.notice').evaluate((n) => (n.textContent = ''));
    await agent.screenshot({ path: path.join(out, 'console-briefing.png') });
    process.stdout.write(`summary: ${(await agent.locator('section.briefing .summary').textContent()) ?? ''}\n`);

    await bubble(/I'm Ana/).waitFor();
    await customer.screenshot({ path: path.join(out, 'webchat-widget.png') });
  } finally {
    await browser.close();
    await svc.close();
  }
  for (const f of ['console-briefing.png', 'webchat-widget.png']) process.stdout.write(`docs/img/${f}: ${Math.round(statSync(path.join(out, f)).size / 1024)} KB\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
