// `npm run tune-bands [-- en pt-BR es] [--dev FILE...]`: propose manifest.json → nlu.bands, never
// from a test set.
//
// Scores come from one of two sources:
// - default: the shipped training examples alone (dialogs/ + nlu/out-of-scope.json), every example
//   scored by a recogniser trained without it (5-fold cross-validation, the same training as the
//   bot's);
// - `--dev FILE...`: a development set in the `handover eval nlu` format, written apart from both
//   the examples and the test set, scored by the bot's own recogniser.
// Then per locale:
//   accept  = the lowest line at which wrongly accepted in-scope messages and accepted
//             out-of-scope messages both stay ≤ 3 %;
//   confirm = the line below it that keeps the most in-scope messages right (accepted or
//             confirmed) while at least 85 % of out-of-scope ones still fall back.
// A development set needs about 100 out-of-scope messages per locale for a 3 % line to mean
// more than one message. Cross-validated figures are harsher than a held-out set (each fold loses a fifth of the
// examples, and out-of-scope examples are unlike each other by design), so the lines are cautious.
import { readFileSync, readdirSync } from 'node:fs';
import { ConversationState, MemoryStorage } from 'botbuilder';
import { loadConfig } from '../src/config/load-config.js';
import { DialogBot } from '../src/dialogs/dialog-bot.js';
import { IntentRecognizer } from '../src/dialogs/intent-recognizer.js';
import { loadDialogs } from '../src/dialogs/load-dialogs.js';

const args = process.argv.slice(2);
const devAt = args.indexOf('--dev');
const devFiles = devAt < 0 ? [] : args.slice(devAt + 1);
const named = devAt < 0 ? args : args.slice(0, devAt);
const locales = named.length > 0 ? named : ['en', 'pt-BR', 'es'];
const dev = devFiles.flatMap((f) => JSON.parse(readFileSync(f, 'utf8')) as { text: string; locale: string; intent: string | null }[]);
let bot: DialogBot | undefined;
if (dev.length > 0) {
  const { manifest } = loadConfig('manifest.json');
  bot = new DialogBot({ catalog: loadDialogs({ dialogsDir: 'dialogs', localesDir: 'locales', manifest }), manifest, conversationState: new ConversationState(new MemoryStorage()) });
}
const oosAll = JSON.parse(readFileSync('nlu/out-of-scope.json', 'utf8')) as Record<string, string[]>;
const dialogs = readdirSync('dialogs').filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(`dialogs/${f}`, 'utf8')) as { intent: string; examples: Record<string, string[]> });

function prng(seed: number) {
  let a = seed;
  return () => ((a = (a * 1103515245 + 12345) % 2147483648) / 2147483648);
}

/** Cross-validated scores of the shipped examples of one locale. */
function crossValidated(locale: string): { gold: string | null; intent: string | null; conf: number }[] {
  const items: { text: string; intent: string | null }[] = [];
  for (const d of dialogs) for (const t of d.examples[locale] ?? []) items.push({ text: t, intent: d.intent });
  for (const t of oosAll[locale] ?? []) items.push({ text: t, intent: null });
  const rand = prng(3);
  const fold = items.map(() => Math.floor(rand() * 5));
  const res: { gold: string | null; intent: string | null; conf: number }[] = [];
  for (let k = 0; k < 5; k++) {
    process.stderr.write(`tune-bands ${locale}: fold ${k + 1}/5\n`);
    const ex: Record<string, string[]> = {};
    const oos: string[] = [];
    items.forEach((it, i) => {
      if (fold[i] === k) return;
      if (it.intent === null) oos.push(it.text);
      else (ex[it.intent] ??= []).push(it.text);
    });
    const r = IntentRecognizer.train(ex, locale, { outOfScope: oos });
    items.forEach((it, i) => {
      if (fold[i] !== k) return;
      const x = r.recognize(it.text);
      res.push({ gold: it.intent, intent: x.intent, conf: x.confidence });
    });
  }
  return res;
}

for (const locale of locales) {
  const res =
    bot === undefined
      ? crossValidated(locale)
      : dev.filter((m) => m.locale === locale).map((m) => {
          const x = bot!.recognize(m.text, locale);
          return { gold: m.intent, intent: x.intent, conf: x.confidence };
        });
  if (res.length === 0) continue;
  const ins = res.filter((r) => r.gold !== null);
  const oos = res.filter((r) => r.gold === null);
  const share = (xs: typeof res, f: (r: (typeof res)[number]) => boolean) => xs.filter(f).length / Math.max(1, xs.length);
  // accept from 0.6 up (below it a calibrated score is a coin toss), confirm from 0.3 up
  const lines = Array.from({ length: 8 }, (_, i) => Math.round((0.6 + i * 0.05) * 100) / 100);
  const confirmLines = Array.from({ length: 8 }, (_, i) => Math.round((0.3 + i * 0.05) * 100) / 100);
  const accept = lines.find((a) => share(ins, (r) => r.conf >= a && r.intent !== r.gold) <= 0.03 && share(oos, (r) => r.conf >= a) <= 0.03) ?? 0.95;
  let best = { confirm: accept - 0.05, rightShare: -1 };
  for (const c of confirmLines.filter((l) => l < accept)) {
    if (share(oos, (r) => r.conf < c) < 0.85) continue;
    const rightShare = share(ins, (r) => r.conf >= c && r.intent === r.gold);
    if (rightShare > best.rightShare) best = { confirm: c, rightShare };
  }
  const a = accept;
  const c = best.confirm;
  console.log(
    JSON.stringify({
      locale,
      bands: { accept: a, confirm: Math.round(c * 100) / 100 },
      [bot === undefined ? 'crossValidated' : 'dev']: {
        examples: res.length,
        acceptedRight: +share(ins, (r) => r.conf >= a && r.intent === r.gold).toFixed(3),
        confirmedRight: +share(ins, (r) => r.conf >= c && r.conf < a && r.intent === r.gold).toFixed(3),
        wrongAccepted: +share(ins, (r) => r.conf >= a && r.intent !== r.gold).toFixed(3),
        outOfScopeFallback: +share(oos, (r) => r.conf < c).toFixed(3),
        outOfScopeAccepted: +share(oos, (r) => r.conf >= a).toFixed(3),
      },
    }),
  );
}
