/**
 * Sentiment: a per-message score and whether it shows the anger or frustration a support
 * supervisor would escalate (`strongNegative`, which the policy's `negative_sentiment` reads).
 *
 * Two layers, per locale (en, pt-BR, es):
 * 1. A lexicon score: AFINN-165 (the `sentiment` package's English list; natural's Portuguese and
 *    Spanish translations) plus a frustration lexicon, with negation ("not happy" is mildly
 *    negative, never anger), hedges ("a bit annoyed" counts half) and words that carry no emotion
 *    in a shop's chat ("fraud", "cargos") left out.
 * 2. Rules for what the lexicon cannot see (`anger-rules.ts`): threats (chargeback, lawyer,
 *    Procon, Reclame Aqui, Profeco, public reviews), "never again", sarcastic thanks, exasperated
 *    repetition ("third time I ask"), profanity and shorthand (pqp, vsf, krl, carajo, ctm, wtf),
 *    insults, shouting (all caps demanding something, even without a negative word), and weak
 *    cues ("!!!", an emphasised word, "again", "nobody answers", waiting for weeks) of which two
 *    escalate. Polite and negated negatives ("not angry, just asking", "I hate to bother you",
 *    "não estou irritado") and positive slang ("crazy good price", "de puta madre") are removed
 *    before anything is read.
 * A worsening trend over the last turns is the policy's business (`sentiment-trend.ts`): it needs
 * the conversation, this module reads one message.
 *
 * @example
 * const scorer = new SentimentScorer();
 * scorer.score('this is the third time I ask!!!', 'en').strongNegative; // true
 * scorer.score('not angry, just asking when it ships', 'en').strongNegative; // false
 */
import { RULES, type Lang, type LocaleRules } from './anger-rules.js';

/** Score (lexicon sum plus the weight of the rules that fired), per-token comparative, strong anger or frustration, and what counted. */
export interface SentimentResult {
  readonly score: number;
  readonly comparative: number;
  readonly strongNegative: boolean;
  /** Words, phrases and rules that counted, for the trace (rules in parentheses: "(threat: procon)"). */
  readonly hits: readonly string[];
}

/** manifest.json → `policy.negativeSentiment`. */
export interface SentimentThresholds {
  readonly scoreAtOrBelow: number;
  readonly comparativeAtOrBelow: number;
}

/** Weight of one kind of strong evidence (threat, insult, shouting…) in the score. */
const STRONG_CUE_WEIGHT = -4;
/**
 * Weak cues and what each counts towards escalation (2 escalate; 1 with a clearly negative
 * lexicon score): "again", "still nothing" and a long wait are facts of a bad case more than anger,
 * so they count half.
 */
const WEAK_CUES: Readonly<Record<string, number>> = { again: 0.5, stillNothing: 0.5, waitedLong: 0.5 };
const weakWeight = (name: string) => WEAK_CUES[name] ?? 1;
const MAX_TEXT = 2000;

/**
 * Lower case, no accents, straight quotes, letter runs of 3+ inside a word shortened to one
 * ("sooo" → "so", "pqppp" → "pqp"; a word that is only the run stays: "bbb"), so every rule and
 * lexicon key is written once.
 *
 * @example
 * foldText('Cadê meu PEDIDO?? Sooo “late”'); // 'cade meu pedido?? so "late"'
 */
export function foldText(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/[“”«»]/g, '"')
    .replace(/(\p{L})\1{2,}/gu, (run: string, ch: string, at: number, all: string) => (/\p{L}/u.test(all[at - 1] ?? '') || /\p{L}/u.test(all[at + run.length] ?? '') ? ch : run));
}

/** Global copies of the rules' patterns, made once (matchAll and replace need the g flag). */
const GLOBAL = new WeakMap<RegExp, RegExp>();
const g = (r: RegExp): RegExp => {
  let c = GLOBAL.get(r);
  if (c === undefined) GLOBAL.set(r, (c = new RegExp(r.source, 'g')));
  c.lastIndex = 0;
  return c;
};

const langOf = (locale: string): Lang => (locale === 'pt-BR' || locale === 'es' ? locale : 'en');

let labels: Record<Lang, Map<string, number>> | null = null;
/** AFINN per language, folded, without negation words, symbols and the locale's neutral words. */
function lexicon(lang: Lang): Map<string, number> {
  if (labels === null) {
    const build = (raw: Record<string, number>, rules: LocaleRules): Map<string, number> => {
      const m = new Map<string, number>();
      for (const [w, v] of Object.entries(raw)) {
        const k = foldText(w);
        if (!/^[a-z][a-z' -]*$/.test(k) || rules.neutral.has(k) || rules.negators.has(k) || m.has(k)) continue;
        m.set(k, v);
      }
      return m;
    };
    const natural = (dir: string, file: string): Record<string, number> => {
      const list = require(`natural/lib/natural/sentiment/${dir}/${file}`) as { word: string; score: number }[] | Record<string, number>;
      if (!Array.isArray(list)) return list;
      const out: Record<string, number> = {};
      for (const e of list) out[e.word] = e.score;
      return out;
    };
    labels = {
      en: build(require('sentiment/languages/en/labels.json') as Record<string, number>, RULES.en),
      'pt-BR': build(natural('Portuguese', 'afinnShortSortedPortuguese.json'), RULES['pt-BR']),
      es: build(natural('Spanish', 'afinnShortSortedSpanish.json'), RULES.es),
    };
  }
  return labels[lang];
}

/** Words that carry emotion in a locale (lexicon and frustration phrases), for a recogniser that wants them. */
export function affectWords(locale: string): string[] {
  const lang = langOf(locale);
  return [...lexicon(lang).keys(), ...Object.keys(RULES[lang].frustration).flatMap((p) => p.split(' '))];
}

/** Short words customers stress in capitals ("NOW", "JÁ", "YA"); other short capitals are codes (JFK, IAD). */
const SHORT_EMPHASIS = new Set(['now', 'yet', 'any', 'why', 'not', 'you', 'all', 'one', 'two', 'out', 'nao', 'ja', 'ya', 'hoy', 'no', 'sem', 'sin', 'nem', 'ni']);
const POSITIVE_EMOJI = /[🤗💖❤😍🥰😊🙂👍🙏😁😀😃😄🎉✨💕😘🥳💯]/u;
const NEGATIVE_EMOJI = /[😡🤬😠😤👎🖕😒🙄]/u;

/** Common acronyms in upper case are not shouting. */
const ACRONYMS = new Set(
  'BBB UPS USPS DHL FEDEX TNT PIX CPF CNPJ OK ID SMS PDF USA EUA CEP RFC CURP SKU ETA ASAP FAQ TV PC NF NFE IOS ATM DM CS SAC PS VIP CEO TI IT RG OXXO SPEI NIF DNI RUT IVA ICMS AM PM LED USB HDMI XL XXL XS GPS APP WIFI URL CVV PIN LOL OMG FTC CFPB OCU MX BR ES EU UK US CA SP RJ QR CVC API SSN AI BOT PAYPAL VISA AMEX PROCON PROFECO CONDUSEF SERNAC INDECOPI FACUA KKK KKKK WTF PQP VSF TNC KRL CTM HDP FDP'.split(' '),
);

interface Lexical {
  score: number;
  tokens: number;
  strongWord: boolean;
  hits: string[];
}

function startsWithHedge(before: readonly string[], hedges: readonly string[]): boolean {
  const tail = ` ${before.slice(-3).join(' ')} `;
  return hedges.some((h) => tail.endsWith(` ${h} `) || tail.includes(` ${h} `));
}

/** AFINN and the frustration lexicon over the clauses of the cleaned text, with negation and hedges. */
function lexicalScore(clean: string, rules: LocaleRules, lang: Lang): Lexical {
  const lex = lexicon(lang);
  const out: Lexical = { score: 0, tokens: 0, strongWord: false, hits: [] };
  for (const clause of clean.split(/[.!?;,:\n()]+/)) {
    const toks = clause.split(/[^a-z0-9']+/).map((t) => t.replace(/^'+|'+$/g, '')).filter(Boolean);
    out.tokens += toks.length;
    const negatedAt = (i: number) => toks.slice(Math.max(0, i - 3), i).some((t) => rules.negators.has(t));
    const used = new Set<number>();
    const joined = ` ${toks.join(' ')} `;
    for (const [phrase, weight] of Object.entries(rules.frustration)) {
      const at = joined.indexOf(` ${phrase} `);
      if (at < 0) continue;
      const start = joined.slice(0, at).trim().split(' ').filter(Boolean).length;
      const n = phrase.split(' ').length;
      for (let k = start; k < start + n; k++) used.add(k);
      if (negatedAt(start)) continue;
      const hedged = startsWithHedge(toks.slice(0, start), rules.hedges);
      out.score += hedged ? weight / 2 : weight;
      out.hits.push(phrase);
      if (!hedged && weight <= -3) out.strongWord = true;
    }
    toks.forEach((t, i) => {
      const v = lex.get(t);
      if (v === undefined || used.has(i)) return;
      let w = v;
      const hedged = w < 0 && startsWithHedge(toks.slice(0, i), rules.hedges);
      // "not happy" is mild displeasure, "not bad" mild approval: never the full opposite
      if (negatedAt(i)) w = w > 0 ? -Math.min(2, w) : Math.min(2, -w);
      else if (hedged) w /= 2;
      out.score += w;
      if (w < 0) {
        out.hits.push(t);
        if (v <= -4 && !hedged && !negatedAt(i)) out.strongWord = true;
      }
    });
  }
  return out;
}

/** The sentence of `text` around index `at`. */
function sentenceAt(text: string, at: number, end: number): string {
  const start = Math.max(text.lastIndexOf('.', at - 1), text.lastIndexOf('!', at - 1), text.lastIndexOf('?', at - 1), text.lastIndexOf('\n', at - 1)) + 1;
  const rest = text.slice(end).search(/[.!?\n]/);
  return text.slice(start, rest < 0 ? text.length : end + rest + 1).replace(/^[\s"'!?.]+/, '');
}

const hedgedBefore = (text: string, at: number, hedges: readonly string[]) => {
  const before = ` ${text.slice(Math.max(0, at - 24), at)}`;
  return hedges.some((h) => before.endsWith(` ${h} `));
};

/** "não odeio", "no lo odio", "not ridiculous": a negation in the two words before, same clause. */
const negatedBefore = (text: string, at: number, negators: ReadonlySet<string>) => {
  const clause = text.slice(Math.max(0, at - 30), at).split(/[.!?;,:\n]/).pop() ?? '';
  return clause.split(/[^a-z0-9']+/).filter(Boolean).slice(-2).some((t) => negators.has(t));
};

/**
 * Upper case: shouting (most of the message in capitals, or several capitalised words that demand
 * something: "third time I ask WHERE IS MY ORDER") or an emphasised word. Acronyms, codes with
 * digits (SW1A 2AA) and quoted names do not count.
 */
function capitals(text: string, clean: string): { most: boolean; several: boolean; emphasis: boolean } {
  // words blanked as polite or positive slang ("DESCULPA A DEMORA", "HOLY SHIT") shout nothing
  const kept = new Set(clean.split(/[^a-z0-9']+/));
  const words = (text.replace(/(["'‘“])[^"'’”]{1,40}["'’”]/g, ' ').match(/[\p{L}\p{N}]+/gu) ?? []).filter(
    (w) => !/\p{N}/u.test(w) && w.length >= 2 && kept.has(foldText(w)),
  );
  const plain = words.filter((w) => !ACRONYMS.has(foldText(w).toUpperCase()));
  const caps = plain.filter((w) => w === w.toUpperCase() && w !== w.toLowerCase());
  const letters = plain.join('').length;
  const capLetters = caps.join('').length;
  const long = caps.filter((w) => w.length >= 4).length;
  const most = caps.length >= 2 && capLetters >= 6 && long >= 1 && capLetters / Math.max(1, letters) >= 0.7;
  const several = !most && caps.length >= 3 && long >= 2;
  // an emphasised word: 4+ letters, not a roman numeral (WWII)
  const emphasis = caps.some((w) => (w.length >= 4 && !/^[IVXLCDMW]+$/.test(w)) || SHORT_EMPHASIS.has(foldText(w)));
  return { most, several, emphasis };
}

/**
 * Scores messages in en, pt-BR and es.
 *
 * @example
 * new SentimentScorer().score('vou abrir reclamação no Procon', 'pt-BR').strongNegative; // true
 */
export class SentimentScorer {
  constructor() {
    lexicon('en');
  }

  /** Score one message. Unknown locales fall back to English. */
  score(text: string, locale: string, thresholds: SentimentThresholds = { scoreAtOrBelow: -5, comparativeAtOrBelow: -0.5 }): SentimentResult {
    const lang = langOf(locale);
    const rules = RULES[lang];
    const original = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
    let clean = foldText(original).replace(/#(?=[a-z])/g, '');
    let slang = false;
    for (const r of rules.polite) clean = clean.replace(g(r), ' ');
    for (const r of rules.positiveSlang) {
      const next = clean.replace(g(r), ' ');
      if (next !== clean) slang = true;
      clean = next;
    }
    // profanity that only intensifies praise right after it ("holy shit that was fast", "porra, que
    // rápido! amei") is positive slang too
    for (const r of rules.profanity) {
      clean = clean.replace(g(r), (m: string, ...rest: unknown[]) => {
        const at = rest.find((x): x is number => typeof x === 'number') ?? 0;
        const after = clean.slice(at + m.length, at + m.length + 30).split(/[.?;\n]/)[0] ?? '';
        const p = rules.praise.exec(after);
        if (p === null || negatedBefore(after, p.index, rules.negators)) return m;
        slang = true;
        return ' '.repeat(m.length);
      });
    }
    const lex = lexicalScore(clean, rules, lang);
    const praise = ((slang || rules.positive.test(clean)) && lex.score > 0) || (POSITIVE_EMOJI.test(original) && !NEGATIVE_EMOJI.test(original) && lex.score >= 0);

    const strong = new Map<string, string>();
    const found = (kind: string, list: readonly RegExp[], keep: (m: RegExpExecArray) => boolean = () => true) => {
      for (const r of list) {
        for (const m of clean.matchAll(g(r))) {
          if (m.index === undefined || !keep(m as RegExpExecArray)) continue;
          if (!strong.has(kind)) strong.set(kind, m[0].trim());
          return;
        }
      }
    };
    const notEnquiry = (m: RegExpExecArray) => !rules.enquiry.test(sentenceAt(clean, m.index, m.index + m[0].length));
    found('threat', [...rules.threat, rules.threatWithIntent], (m) => notEnquiry(m) && !rules.threatDisarm.test(clean.slice(Math.max(0, m.index - 30), m.index)));
    if (!praise) found('threat', rules.exposure, (m) => notEnquiry(m) && !rules.threatDisarm.test(clean.slice(Math.max(0, m.index - 30), m.index)));
    found('never again', rules.neverAgain);
    found('sarcasm', rules.sarcasm);
    if (!strong.has('sarcasm') && rules.sarcasmOpener.test(clean) && rules.exasperatingEvent.test(clean)) strong.set('sarcasm', 'praise for an exasperating event');
    found('repetition', rules.repetition);
    // profanity that only intensifies praise ("holy shit that was fast, thanks") is not anger
    found('profanity', rules.profanity);
    found('anger', rules.anger, (m) => !hedgedBefore(clean, m.index, rules.hedges) && !negatedBefore(clean, m.index, rules.negators));
    if (/🤬|🖕/u.test(original)) strong.set('profanity', strong.get('profanity') ?? '🤬');

    const weak = new Set<string>();
    for (const [name, r] of Object.entries(rules.weak)) if (r.test(clean)) weak.add(name);
    if (/[😡😠😤👎]/u.test(original)) weak.add('emoji');
    const caps = capitals(original, clean);
    // all in capitals and demanding, asking or negative; or a run of capitalised words in a negative message
    const shouting =
      !praise &&
      ((caps.most && (rules.demand.test(clean) || /[!?]/.test(original) || lex.score < 0 || weak.size > 0 || strong.size > 0)) ||
        (caps.several && (rules.demand.test(clean) || lex.score < 0 || weak.size > 0 || strong.size > 0)));
    if (shouting) strong.set('shouting', 'capitals');
    else if (caps.emphasis && !caps.most && !caps.several) weak.add('emphasis');
    // praise with an emphasised word or "!!!" is joy
    if (praise && strong.size === 0) weak.clear();

    const weakSum = [...weak].reduce((sum, w) => sum + weakWeight(w), 0);
    const score = lex.score + strong.size * STRONG_CUE_WEIGHT - weakSum;
    const comparative = score / Math.max(1, lex.tokens);
    // the lexicon alone escalates only with a word of real anger ("furious", "péssimo", AFINN -4/-5);
    // a sad fact ("I lost the receipt") or a negated positive ("not great") never does
    const lexicalAnger = lex.strongWord && (lex.score <= thresholds.scoreAtOrBelow || (lex.score < 0 && lex.score / Math.max(1, lex.tokens) <= thresholds.comparativeAtOrBelow));
    const strongNegative = strong.size > 0 || weakSum >= 2 || (weakSum >= 1 && lex.score <= -3) || lexicalAnger;
    const hits = [...lex.hits, ...[...strong].map(([k, v]) => `(${k}: ${v})`), ...[...weak].map((w) => `(${w})`)];
    return { score: round2(score), comparative: round2(comparative), strongNegative, hits };
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;
