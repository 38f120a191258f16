/**
 * Sentiment: a per-message score and whether it shows strong anger or frustration.
 *
 * English uses the `sentiment` package (AFINN-165); pt-BR and es are registered from natural's
 * AFINN translations. On top, a curated frustration lexicon per language (phrases such as
 * "worst service", "this is ridiculous", "fed up", "péssimo", "una vergüenza") adds weight,
 * because AFINN misses or under-weights exactly the words customers use when they are done with a
 * bot. Shouting (several upper-case words) intensifies a negative message.
 * We never pass `extras` to `analyze()`: the package mutates its language table with them.
 *
 * @example
 * const scorer = new SentimentScorer();
 * scorer.score('this is ridiculous, worst service ever', 'en'); // { score: -10, strongNegative: true, … }
 */
import Sentiment from 'sentiment';

/** Score (AFINN sum plus frustration phrases), per-token comparative, strong anger or frustration, and what counted. */
export interface SentimentResult {
  readonly score: number;
  readonly comparative: number;
  readonly strongNegative: boolean;
  /** Words and phrases that counted, for the trace. */
  readonly hits: readonly string[];
}

/** manifest.json → `policy.negativeSentiment`. */
export interface SentimentThresholds {
  readonly scoreAtOrBelow: number;
  readonly comparativeAtOrBelow: number;
}

type Lang = 'en' | 'pt-BR' | 'es';

/** Phrases of frustration or anger, weight added to the AFINN score (negative = worse). */
const FRUSTRATION: Record<Lang, Record<string, number>> = {
  en: {
    ridiculous: -2, 'worst service': -3, 'worst ever': -2, furious: -2, useless: -3, unacceptable: -3,
    'fed up': -4, 'sick of': -4, 'sick and tired': -4, 'this is a joke': -6, 'waste of time': -4, 'wasting my time': -4,
    pathetic: -2, incompetent: -3, 'terrible service': -3, 'awful service': -3, frustrated: -3,
    frustrating: -2, fuck: -2, 'wtf': -3, 'stupid bot': -4, 'garbage': -2, outrageous: -3, 'never again': -3,
    'am angry': -3, 'so angry': -3, 'piss': -2,
  },
  'pt-BR': {
    'péssimo': -4, 'pessimo': -4, 'horrível': -4, 'horrivel': -4, absurdo: -4, ridículo: -4, ridiculo: -4,
    'estou irritado': -4, irritado: -3, irritada: -3, 'que raiva': -5, raiva: -3, inútil: -4, inutil: -4,
    'palhaçada': -5, 'vergonha': -3, 'cansei': -4, 'não aguento': -4, 'nao aguento': -4, 'lixo': -4,
    'descaso': -4, 'odeio': -4, 'furioso': -4, 'furiosa': -4, 'pior atendimento': -5,
  },
  es: {
    'pésimo': -4, pesimo: -4, horrible: -4, absurdo: -4, ridículo: -4, ridiculo: -4, 'estoy harto': -5,
    harto: -4, harta: -4, furioso: -4, furiosa: -4, inútil: -4, inutil: -4, 'una vergüenza': -5,
    'una verguenza': -5, basura: -4, 'peor servicio': -5, 'qué rabia': -5, 'que rabia': -5, rabia: -3,
    'odio': -4, indignado: -4, indignada: -4, 'una broma': -4,
  },
};

/** Raw lexicon scores per language (before negation), to tell a strongly negative word. */
const LABELS: Record<Lang, Record<string, number>> = {
  en: require('sentiment/languages/en/labels.json') as Record<string, number>,
  'pt-BR': {},
  es: {},
};

let registered = false;
function registerLanguages(engine: Sentiment): void {
  if (registered) return;
  for (const [code, dir, file, negFile] of [
    ['pt-BR', 'Portuguese', 'afinnShortSortedPortuguese.json', 'negations_pt.json'],
    ['es', 'Spanish', 'afinnShortSortedSpanish.json', 'negations_es.json'],
  ] as const) {
    const list = require(`natural/lib/natural/sentiment/${dir}/${file}`) as { word: string; score: number }[] | Record<string, number>;
    const labels: Record<string, number> = {};
    if (Array.isArray(list)) for (const e of list) labels[e.word.toLowerCase()] = e.score;
    else Object.assign(labels, list);
    const negations = new Set<string>((require(`natural/lib/natural/sentiment/${dir}/${negFile}`) as { words?: string[] }).words ?? []);
    // the negation word itself ("não", "no") scores in these lists: it must only flip what follows
    for (const n of negations) delete labels[n];
    LABELS[code] = labels;
    engine.registerLanguage(code, {
      labels,
      scoringStrategy: {
        apply(tokens: string[], cursor: number, tokenScore: number): number {
          const prev = cursor > 0 ? tokens[cursor - 1] : undefined;
          return prev !== undefined && negations.has(prev) ? -tokenScore : tokenScore;
        },
      },
    });
  }
  registered = true;
}

const SHOUT_WORD = /\b[A-Z]{3,}\b/g;

/** Words that carry emotion in a locale (lexicon and frustration phrases), for the recogniser. */
export function affectWords(locale: string): string[] {
  const lang: Lang = locale === 'pt-BR' || locale === 'es' ? locale : 'en';
  new SentimentScorer(); // registers pt-BR / es lexicons on first use
  return [...Object.keys(LABELS[lang]), ...Object.keys(FRUSTRATION[lang]).flatMap((p) => p.split(' '))];
}

/**
 * Scores messages in en, pt-BR and es.
 *
 * @example
 * new SentimentScorer().score('estoy harto', 'es').strongNegative; // true
 */
export class SentimentScorer {
  private readonly engine = new Sentiment();
  constructor() {
    registerLanguages(this.engine);
  }

  /** Score one message. Unknown locales fall back to English. */
  score(text: string, locale: string, thresholds: SentimentThresholds = { scoreAtOrBelow: -5, comparativeAtOrBelow: -0.5 }): SentimentResult {
    const lang: Lang = locale === 'pt-BR' || locale === 'es' ? locale : 'en';
    const clipped = text.length > 2000 ? text.slice(0, 2000) : text;
    const r = this.engine.analyze(clipped, { language: lang === 'en' ? 'en' : lang });
    const lower = clipped.toLowerCase();
    const hits: string[] = [];
    let score = r.score;
    for (const [phrase, weight] of Object.entries(FRUSTRATION[lang])) {
      if (containsPhrase(lower, phrase)) {
        score += weight;
        hits.push(phrase);
      }
    }
    for (const c of r.calculation) for (const [w, v] of Object.entries(c)) if (v < 0 && !hits.includes(w)) hits.push(w);
    const shouting = (clipped.match(SHOUT_WORD) ?? []).length >= 2 && letterCaseRatio(clipped) > 0.7;
    if (shouting && score < 0) {
      score *= 1.5;
      hits.push('(shouting)');
    }
    const tokens = Math.max(1, r.tokens.length);
    const comparative = score / tokens;
    // a negated positive ("not great") or a sad fact ("I lost the receipt", AFINN -3) is not anger:
    // only our frustration phrases and AFINN's -4/-5 words count as strong by themselves
    const strongWord = hits.some((h) => (FRUSTRATION[lang][h] ?? 0) <= -2 || (LABELS[lang][h] ?? 0) <= -4);
    const strongNegative =
      score <= thresholds.scoreAtOrBelow || (comparative <= thresholds.comparativeAtOrBelow && strongWord && score < 0);
    return { score: round2(score), comparative: round2(comparative), strongNegative, hits };
  }
}

function containsPhrase(lower: string, phrase: string): boolean {
  const i = lower.indexOf(phrase);
  if (i < 0) return false;
  const before = i === 0 ? ' ' : lower[i - 1]!;
  const after = lower[i + phrase.length] ?? ' ';
  return !/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after);
}

function letterCaseRatio(s: string): number {
  const letters = s.replace(/[^A-Za-z]/g, '');
  if (letters.length < 8) return 0;
  return letters.replace(/[^A-Z]/g, '').length / letters.length;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
