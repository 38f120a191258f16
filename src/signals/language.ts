/**
 * Which of the bot's locales a message is written in, from character n-gram profiles learned
 * from the bot's own texts (dialog examples, out-of-scope corpus, locale texts) — the words and
 * shorthand customers of this bot actually use ("vc", "pfv", "porfa", "xq"), which general
 * language identifiers trained on books miss on messages of a few words.
 *
 * It answers only when sure: a message too short to tell ("ok", "A12345", "👍") or whose best
 * two languages are too close ("no" is English and Spanish) gets `null`, and the conversation
 * keeps its locale.
 *
 * @example
 * const id = LanguageIdentifier.train({ en: ['where is my order'], es: ['dónde está mi pedido'] });
 * id.detect('donde esta mi paquete porfa'); // 'es'
 */
import { foldText } from '../core/fold-text.js';

/** Fewer letters than this and the message says too little about its language. */
const MIN_LETTERS = 8;
/** The best language must beat the runner-up by this much log-probability per n-gram. */
const MIN_MARGIN = 0.12;
const ORDERS = [1, 2, 3] as const;

function grams(text: string): string[] {
  const out: string[] = [];
  for (const word of foldText(text).split(/[^a-zñ]+/)) {
    if (word.length === 0) continue;
    const w = ` ${word} `;
    for (const n of ORDERS) for (let i = 0; i + n <= w.length; i++) out.push(w.slice(i, i + n));
  }
  return out;
}

/** The folded words of two letters or more. */
function wordsOf(text: string): string[] {
  return foldText(text)
    .split(/[^a-zñ]+/)
    .filter((w) => w.length >= 2);
}

/**
 * A per-locale character n-gram model (orders 1–3, word-bounded, add-one smoothed).
 *
 * @example
 * LanguageIdentifier.train(texts).detect('quero cancelar minha assinatura'); // 'pt-BR'
 */
export class LanguageIdentifier {
  private constructor(
    private readonly models: ReadonlyMap<string, { logp: Map<string, number>; unseen: number }>,
    /** Every word of each locale's texts: a message with none of the winner's words is not in it (gibberish). */
    private readonly words: ReadonlyMap<string, ReadonlySet<string>>,
  ) {}

  /** Train from `{ locale: [texts…] }` (at least two locales with text). */
  static train(texts: Readonly<Record<string, readonly string[]>>): LanguageIdentifier {
    const counts = new Map<string, Map<string, number>>();
    const vocabulary = new Set<string>();
    const words = new Map<string, Set<string>>();
    for (const [locale, list] of Object.entries(texts)) {
      const c = new Map<string, number>();
      const known = new Set<string>();
      words.set(locale, known);
      for (const t of list) for (const w of wordsOf(t)) known.add(w);
      for (const t of list) for (const g of grams(t)) {
        c.set(g, (c.get(g) ?? 0) + 1);
        vocabulary.add(g);
      }
      if (c.size > 0) counts.set(locale, c);
    }
    const models = new Map<string, { logp: Map<string, number>; unseen: number }>();
    for (const [locale, c] of counts) {
      let total = 0;
      for (const n of c.values()) total += n;
      const denom = total + vocabulary.size + 1;
      const logp = new Map<string, number>();
      for (const [g, n] of c) logp.set(g, Math.log((n + 1) / denom));
      models.set(locale, { logp, unseen: Math.log(1 / denom) });
    }
    return new LanguageIdentifier(models, words);
  }

  /** Per locale, the mean log-probability of the message's n-grams (higher is likelier). */
  scores(text: string): Map<string, number> {
    const gs = grams(text.slice(0, 500));
    const out = new Map<string, number>();
    for (const [locale, m] of this.models) {
      let s = 0;
      for (const g of gs) s += m.logp.get(g) ?? m.unseen;
      out.set(locale, gs.length === 0 ? 0 : s / gs.length);
    }
    return out;
  }

  /**
   * The locale the message is written in, or null when it is too short or too close to call.
   * `minLetters` lowers the length needed (a conversation's first message, "hola", may decide).
   */
  detect(text: string, opts: { minLetters?: number } = {}): string | null {
    const letters = foldText(text.slice(0, 500)).replace(/[^a-zñ]/g, '').length;
    if (letters < (opts.minLetters ?? MIN_LETTERS) || this.models.size < 2) return null;
    const ranked = [...this.scores(text)].sort((a, b) => b[1] - a[1]);
    const [best, second] = ranked;
    if (best === undefined || second === undefined) return null;
    if (best[1] - second[1] < MIN_MARGIN) return null;
    // letters that merely look like a language ("qwpx vvrm") do not switch it: one real word must
    const known = this.words.get(best[0]);
    return wordsOf(text.slice(0, 500)).some((w) => known?.has(w) === true) ? best[0] : null;
  }
}
