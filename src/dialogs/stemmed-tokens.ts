/**
 * natural's `tokenizeAndStem`, in one pass and with a memory of stems.
 *
 * The recogniser needs each message twice — its content words (stop-words dropped) and every word
 * (some stop-words carry the meaning of short messages) — and natural's `tokenizeAndStem` would
 * tokenise and run the Porter rules for both, on every turn, for words it has stemmed thousands of
 * times: about a fifth of the memory a bot turn allocates. Here the message is tokenised once with
 * the same tokeniser and stop-word list natural uses for the locale, each token is marked stop or
 * not by natural's own rule, and stems come from a bounded memo in front of natural's stemmer.
 * test/unit/stemmed-tokens.spec.ts checks the result is token for token what natural returns.
 *
 * @example
 * const t = stemmedTokensFor('en');
 * t.split('Where is my order?'); // [{ stem: 'where', stop: true }, { stem: 'is', stop: true }, …, { stem: 'order', stop: false }]
 */
import { AggressiveTokenizer, AggressiveTokenizerEs, AggressiveTokenizerPt } from 'natural/lib/natural/tokenizers';
import { PorterStemmer, PorterStemmerEs, PorterStemmerPt } from 'natural/lib/natural/stemmers';
// natural's stop-word lists are plain CommonJS arrays (`words`); only the English one is typed
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stopLists = { en: require('natural/lib/natural/util/stopwords').words as string[], pt: require('natural/lib/natural/util/stopwords_pt').words as string[], es: require('natural/lib/natural/util/stopwords_es').words as string[] };

/** One token of a message: its stem, and whether natural counts it as a stop-word. */
export interface StemmedToken {
  readonly stem: string;
  readonly stop: boolean;
}

/**
 * A locale's tokeniser, stop-word rule and (memoised) stemmer.
 *
 * @example
 * stemmedTokensFor('pt-BR').split('Quero cancelar o pedido').filter((t) => !t.stop).map((t) => t.stem);
 */
export interface StemmedTokens {
  split(text: string): StemmedToken[];
  /** natural's stem of one word (memoised). */
  stem(word: string): string;
}

/** Distinct words remembered per locale; past it the memo starts again (a flood of unique words costs CPU, never memory). */
const MEMO_LIMIT = 20_000;

function memo(stem: (w: string) => string): (w: string) => string {
  const seen = new Map<string, string>();
  return (w) => {
    let s = seen.get(w);
    if (s === undefined) {
      s = stem(w);
      if (seen.size >= MEMO_LIMIT) seen.clear();
      seen.set(w, s);
    }
    return s;
  };
}

type Tokenizer = { tokenize(text: string): string[] };
type Stem = { stem(word: string): string };

const cache = new Map<string, StemmedTokens>();

/**
 * The tokens of `locale` (pt-BR and es have their own rules; everything else is English, as in
 * the recogniser). One instance per locale, shared.
 *
 * @example
 * const en = stemmedTokensFor('en'); en.split('cancelled orders').map((t) => t.stem); // ['cancel', 'order']
 */
export function stemmedTokensFor(locale: string): StemmedTokens {
  const key = locale === 'pt-BR' || locale === 'es' ? locale : 'en';
  let t = cache.get(key);
  if (t === undefined) cache.set(key, (t = build(key)));
  return t;
}

function build(key: 'en' | 'pt-BR' | 'es'): StemmedTokens {
  // The three branches mirror natural 8.1's stemmer.js, stemmer_pt.js and stemmer_es.js.
  if (key === 'pt-BR') {
    const stops = new Set(stopLists.pt);
    const stem = memo((w) => (PorterStemmerPt as unknown as Stem).stem(w));
    const tokenizer: Tokenizer = new AggressiveTokenizerPt();
    // natural: tokenises the text as written, tests the lower-cased token against the list, stems the token
    return { stem, split: (text) => tokenizer.tokenize(text).map((tok) => ({ stem: stem(tok), stop: stops.has(tok.toLowerCase()) })) };
  }
  if (key === 'es') {
    const stops = new Set(stopLists.es);
    const stem = memo((w) => (PorterStemmerEs as unknown as Stem).stem(w));
    const tokenizer: Tokenizer = new AggressiveTokenizerEs();
    const WORDISH = /[a-záéíóúüñ0-9]/i;
    // natural: tests the token as written against the list, lower-cases it, stems it only if it has a letter or digit
    return {
      stem,
      split: (text) =>
        tokenizer.tokenize(text).map((tok) => {
          const lower = tok.toLowerCase();
          return { stem: WORDISH.test(lower) ? stem(lower) : lower, stop: stops.has(tok) };
        }),
    };
  }
  const stops = new Set(stopLists.en);
  const stem = memo((w) => (PorterStemmer as unknown as Stem).stem(w));
  const tokenizer: Tokenizer = new AggressiveTokenizer();
  // natural: lower-cases the text, tokenises it, tests the token against the list, stems it
  return { stem, split: (text) => tokenizer.tokenize(text.toLowerCase()).map((tok) => ({ stem: stem(tok), stop: stops.has(tok) })) };
}
