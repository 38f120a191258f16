/**
 * The mocha fixture most console and web chat Chromium specs share: one Chromium and one real
 * `handover start` composition (startTestService) for the suite, browser contexts closed after it,
 * and the pages' errors collected for a final "no errors" check.
 *
 * @example
 * const rig = chromiumWithService();
 * it('…', async () => { const context = await rig.newContext({ viewport: { width: 1440, height: 900 } }); … });
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium } from './webchat-chromium.js';
import { startTestService, type TestService } from './agent-service.js';

export interface ChromiumWithService {
  readonly t: TestService;
  readonly browser: Browser;
  /** Page errors of every page opened through `trackErrors`, prefixed with its name. */
  readonly pageErrors: string[];
  /** A browser context closed after the suite. */
  newContext(options?: Parameters<Browser['newContext']>[0]): Promise<BrowserContext>;
}

/** Registers before/after hooks in the calling describe() and returns the suite's fixture. */
export function chromiumWithService(): ChromiumWithService {
  let t: TestService | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  before(async () => {
    browser = await launchChromium();
    t = await startTestService();
  });
  after(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.close();
  });
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`${what} is not started: use the fixture inside it() or a later hook`);
    return v;
  };
  return {
    get t() {
      return need(t, 'the service');
    },
    get browser() {
      return need(browser, 'Chromium');
    },
    pageErrors,
    async newContext(options) {
      const c = await need(browser, 'Chromium').newContext(options);
      contexts.push(c);
      return c;
    },
  };
}
