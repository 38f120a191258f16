/**
 * The built-in intent recogniser, trained at start from the dialogs' example utterances with
 * natural's naive Bayes classifier.
 *
 * natural's scores are not probabilities, so the confidence is derived:
 *   posterior  = top class likelihood / sum of all class likelihoods   (the true NB posterior)
 *   coverage   = share of the message's content words the training vocabulary knows (unknown
 *                words of emotion, like "ridiculous", count half: sentiment measures them)
 *   confidence = posterior × coverage
 * A message made of words no dialog uses ("what is the capital of Mongolia") gets a confidence
 * near 0 however the likelihoods fall; a message in the vocabulary but split between intents gets
 * the split. `handover eval` measures what this confidence means on held-out data.
 *
 * Any botbuilder `Recognizer` can replace this one: the runtime only needs `recognize(text)`.
 *
 * @example
 * const r = IntentRecognizer.train({ greeting: ['hi', 'hello'], human: ['talk to a person'] }, 'en');
 * r.recognize('hello there'); // { intent: 'greeting', confidence: 0.9…, ranking: [...] }
 */
import { BayesClassifier } from 'natural/lib/natural/classifiers';
import { PorterStemmer, PorterStemmerPt, PorterStemmerEs } from 'natural/lib/natural/stemmers';
import { stemmedTokensFor, type StemmedTokens } from './stemmed-tokens.js';

/** The top intent (null when nothing is known), its confidence in [0, 1], the ranking and the coverage. */
export interface Recognition {
  readonly intent: string | null;
  readonly confidence: number;
  readonly ranking: readonly { readonly intent: string; readonly score: number }[];
  /** Share of content words the vocabulary knew (0 when the message had none). */
  readonly coverage: number;
}

interface Stemmer {
  tokenizeAndStem(text: string, keepStops?: boolean): string[];
}

function stemmerFor(locale: string): Stemmer {
  if (locale === 'pt-BR') return PorterStemmerPt as unknown as Stemmer;
  if (locale === 'es') return PorterStemmerEs as unknown as Stemmer;
  return PorterStemmer as unknown as Stemmer;
}

const MAX_TEXT = 1000;
/** How much an unknown emotion word counts against coverage (an unknown topic word counts 1). */
const AFFECT_WEIGHT = 0.5;
/** Pseudo-count per word and intent (see train()). */
export const SMOOTHING = 0.05;

const ENTITY_VALUES = /\b[a-z][-\s]?\d{5}\b|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:US\$|R\$|\$|€|£)\s?[\d.,]+|\b\d[\d.,]*\b/gi;
function stripEntities(text: string): string {
  return text.replace(ENTITY_VALUES, ' ');
}

/**
 * Naive Bayes over stemmed content words, with a confidence that means something.
 *
 * @example
 * IntentRecognizer.train({ greeting: ['hi'], human: ['talk to a person'] }, 'en').recognize('hi').intent; // 'greeting'
 */
export class IntentRecognizer {
  private constructor(
    private readonly classifier: BayesClassifier,
    private readonly vocabulary: ReadonlySet<string>,
    private readonly tokens: StemmedTokens,
    readonly intents: readonly string[],
    private readonly affect: ReadonlySet<string>,
    private readonly locale: string,
  ) {}

  /** Train from `{ intent: [examples…] }`. Throws when fewer than two intents have examples. */
  /**
   * @param affectWords words that carry emotion, not topic ("ridiculous", "furious"): when the
   *   vocabulary does not know them they do not lower coverage — sentiment measures them instead.
   */
  static train(
    examples: Readonly<Record<string, readonly string[]>>,
    locale: string,
    opts: { smoothing?: number; affectWords?: Iterable<string> } = {},
  ): IntentRecognizer {
    const smoothing = opts.smoothing ?? SMOOTHING;
    const stemmer = stemmerFor(locale);
    const tokens = stemmedTokensFor(locale);
    // natural's default add-one smoothing over a small vocabulary makes a word seen only in one
    // intent barely more likely there than anywhere else; a small pseudo-count keeps evidence sharp.
    const classifier = new BayesClassifier(stemmer as never, smoothing);
    const vocabulary = new Set<string>();
    const intents: string[] = [];
    for (const [intent, list] of Object.entries(examples)) {
      if (list.length === 0) continue;
      intents.push(intent);
      for (const ex of list) {
        const toks = tokens2(tokens, stripEntities(ex), locale);
        for (const tok of toks) vocabulary.add(tok);
        classifier.addDocument(toks, intent);
      }
    }
    if (intents.length < 2) throw new Error(`need examples for at least two intents (locale ${locale})`);
    classifier.train();
    const affect = new Set<string>();
    for (const w of opts.affectWords ?? []) for (const t of stemmer.tokenizeAndStem(w)) if (!vocabulary.has(t)) affect.add(t);
    return new IntentRecognizer(classifier, vocabulary, tokens, intents, affect, locale);
  }

  recognize(text: string): Recognition {
    // entity values (order numbers, money, ZIPs, e-mails) say nothing about the intent
    const all = tokens2(this.tokens, stripEntities(text.slice(0, MAX_TEXT)), this.locale);
    if (all.length === 0) return { intent: null, confidence: 0, ranking: [], coverage: 0 };
    const known = all.filter((t) => this.vocabulary.has(t));
    // emotion words the vocabulary does not know weigh half: "someone used my card, this is
    // ridiculous!" is still about fraud, but "what a joke, this service is awful" is not about service
    const affectUnknown = all.filter((t) => !this.vocabulary.has(t) && this.affect.has(t)).length;
    const coverage = known.length / (all.length - affectUnknown * AFFECT_WEIGHT);
    if (known.length === 0) return { intent: null, confidence: 0, ranking: [], coverage: 0 };
    const raw = this.classifier.getClassifications(known as never) as { label: string; value: number }[];
    const sum = raw.reduce((s, r) => s + r.value, 0);
    const ranking = raw.map((r) => ({ intent: r.label, score: sum > 0 ? r.value / sum : 0 }));
    const top = ranking[0];
    if (top === undefined) return { intent: null, confidence: 0, ranking, coverage };
    const confidence = Math.round(top.score * coverage * 1000) / 1000;
    return { intent: top.intent, confidence, ranking: ranking.slice(0, 5), coverage };
  }
}

/**
 * Stemmed content words. natural drops stop-words, which also drops a few words that carry the
 * whole meaning of short messages ("where is my order" would be just "order"): those are
 * kept from the raw tokens.
 */
const KEEP = new Set(['no', 'yes', 'not', 'person', 'human', 'agent', 'bye', 'where', 'when', 'why', 'how', 'open', 'close']);
/** Function words natural's pt/es stop lists miss (mostly accented forms); they carry no intent. */
const EXTRA_STOPS: Record<string, ReadonlySet<string>> = {
  'pt-BR': new Set(['é', 'está', 'estão', 'são', 'foi', 'ser', 'ter', 'tem', 'têm', 'isso', 'esse', 'essa', 'este', 'esta', 'aqui', 'aí', 'lá', 'pra', 'pro', 'já', 'só', 'também', 'então', 'né', 'vc', 'você', 'vocês']),
  es: new Set(['es', 'está', 'están', 'son', 'fue', 'ser', 'esto', 'eso', 'esa', 'ese', 'este', 'esta', 'aquí', 'ahí', 'allí', 'ya', 'sólo', 'solo', 'también', 'pues', 'usted', 'ustedes', 'mí', 'tú', 'él']),
};
function tokens2(tokens: StemmedTokens, text: string, locale = 'en'): string[] {
  const stops = EXTRA_STOPS[locale];
  const split = tokens.split(text);
  const content: string[] = [];
  for (const t of split) if (!t.stop && (stops === undefined || !stops.has(t.stem))) content.push(t.stem);
  const extra: string[] = [];
  for (const t of split) if (KEEP.has(t.stem) && !content.includes(t.stem)) extra.push(t.stem);
  return extra.length === 0 ? content : [...content, ...extra];
}
