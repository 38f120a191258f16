/**
 * Recognition alone: the bot's recogniser (trained from dialogs/ and nlu/out-of-scope.json) on
 * every message of test/nlu/*.json plus the bad inputs of the understanding issue (empty, 10,000
 * characters, emoji only, punctuation, mixed scripts), several passes after a warm-up. Target:
 * p99 ≤ 1 ms per message. Also reports how long training took in this process (a cold start, or
 * the disk cache).
 */
import { readFileSync } from 'node:fs';
import { ConversationState, MemoryStorage } from 'botbuilder';
import { loadConfig } from '../src/config/load-config.js';
import { DialogBot } from '../src/dialogs/dialog-bot.js';
import { loadDialogs } from '../src/dialogs/load-dialogs.js';
import { quantile } from './middleware.js';

const BAD = ['', '   ', '😀🙏📦😡'.repeat(20), '?!?!... ¿¡', 'где мой заказ 我的订单 where is my order ۱۲۳', 'hello '.repeat(1700), 'x'.repeat(10_000)];

export async function benchRecognition(passes = 5): Promise<Record<string, unknown>> {
  const { manifest } = loadConfig('manifest.json');
  const catalog = loadDialogs({ dialogsDir: 'dialogs', localesDir: 'locales', manifest });
  const t0 = performance.now();
  const bot = new DialogBot({ catalog, manifest, conversationState: new ConversationState(new MemoryStorage()) });
  const trainMs = performance.now() - t0;
  const messages = manifest.locales.flatMap((l) => (JSON.parse(readFileSync(`test/nlu/${l}.json`, 'utf8')) as { text: string; locale: string }[]).concat(BAD.map((text) => ({ text, locale: l }))));
  for (const m of messages) bot.recognize(m.text, m.locale);
  const ms: number[] = [];
  const bad: number[] = [];
  for (let p = 0; p < passes; p++) {
    for (const m of messages) {
      const s = performance.now();
      bot.recognize(m.text, m.locale);
      const d = performance.now() - s;
      ms.push(d);
      if (BAD.includes(m.text)) bad.push(d);
    }
  }
  ms.sort((a, b) => a - b);
  bad.sort((a, b) => a - b);
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    section: 'recognition (built-in recogniser, test/nlu + bad inputs)',
    messages: ms.length,
    trainMs: Math.round(trainMs),
    p50Ms: r3(quantile(ms, 0.5)),
    p99Ms: r3(quantile(ms, 0.99)),
    maxMs: r3(ms.at(-1) ?? 0),
    badInputP99Ms: r3(quantile(bad, 0.99)),
    targetP99Ms: 1,
  };
}
