/**
 * The built-in intent recogniser: multinomial logistic regression over word and character
 * n-grams, trained at start from the dialogs' examples plus a corpus of things the bot must not act
 * on (an explicit out-of-scope class), with a confidence that means what it says.
 *
 * - Text is normalised first (normalize-text.ts: case, accents, letter runs, entity placeholders,
 *   per-locale shorthand), so "cadê meu pedidoooo K48213 pfv" and "cade meu pedido" meet.
 * - Features: stemmed words, stemmed word pairs, and character 3–5-grams of each word (typos and
 *   unseen inflections still share most of their grams). TF-IDF weighted, each block L2-normalised.
 * - The model: softmax regression with L2, trained by AdaGrad on class-balanced examples, seeded
 *   (the same examples always give the same model).
 * - Calibration: every training example is scored by a model trained without it (k folds); a
 *   small logistic regression (Platt scaling) then learns, from the model's top probability, its
 *   margin, the out-of-scope probability, the share of known words and whether another company is
 *   named, how often the top intent is right. So a score of 0.8 is right about 80 % of the time on messages the model did not see;
 *   `handover eval nlu` measures it on held-out messages.
 * - Confidence = that calibrated probability for the best in-scope intent. Out-of-scope is never
 *   returned as an intent: it lowers the confidence.
 *
 * Any botbuilder `Recognizer` can replace this one (DialogBotOptions.recognizer): the bands work on
 * whatever confidence it returns.
 *
 * @example
 * const r = IntentRecognizer.train({ greeting: ['hi', 'hello'], human: ['talk to a person'] }, 'en', { outOfScope: ['tell me a joke'] });
 * r.recognize('helloo'); // { intent: 'greeting', confidence: 0.8…, ranking: [...], coverage: 1 }
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HandoverError } from '../core/errors.js';
import { ENTITY_WORDS, normalizeWords } from './normalize-text.js';
import { stemmedTokensFor } from './stemmed-tokens.js';

/** The top intent (null when nothing is known), its confidence in [0, 1], the ranking and the coverage. */
export interface Recognition {
  readonly intent: string | null;
  readonly confidence: number;
  readonly ranking: readonly { readonly intent: string; readonly score: number }[];
  /** Share of the message's words the training vocabulary knew (0 when it had none). */
  readonly coverage: number;
  /** Probability that the message is about nothing the bot does (0 without an out-of-scope corpus). */
  readonly outOfScope?: number;
}

/** Training knobs; the defaults were chosen by cross-validation on the sample's examples. */
export interface TrainOptions {
  /** Messages the bot must not act on (small talk, other businesses, gibberish). */
  readonly outOfScope?: readonly string[];
  /** Fit the calibrator on out-of-fold predictions (default true when there are ≥ 5 examples per class). */
  readonly calibrate?: boolean;
  readonly epochs?: number;
  readonly l2?: number;
  /** How much the out-of-scope class weighs against one intent (1 = as much as any intent). */
  readonly oosWeight?: number;
  /** Weight of the word block against the character block (0–1). */
  readonly wordWeight?: number;
  /**
   * Where trained models are kept between processes (keyed by a hash of the examples, the options
   * and the model version): default `node_modules/.cache/handover-nlu` under the working folder, or
   * the system's temporary folder; `false` keeps them in memory only. HANDOVER_NLU_CACHE overrides.
   */
  readonly cacheDir?: string | false;
  /** Accepted for compatibility with the earlier recogniser; emotion words no longer need special handling. */
  readonly affectWords?: Iterable<string>;
}

const MAX_TEXT = 1000;
/** Words of a message read (the request is in its first words; a pasted essay costs no more). */
const MAX_WORDS = 80;
/** Longer "words" (a URL, a pasted token) give no character n-grams. */
const MAX_GRAM_WORD = 24;
/** Character n-grams of each word: 3 to MAX_GRAM letters. */
const MAX_GRAM = 5;
/** A class whose gradient on an example is below this learns nothing from it (most classes, after a few epochs). */
const SKIP = 1e-3;
/** Folds of the out-of-fold predictions the calibrator learns from. */
const FOLDS = 5;
/** Part of the disk cache's key: change it whenever training or features change. */
const MODEL_VERSION = 'lr-wc35-platt5-v1';
const OOS = '\u0000out_of_scope';
const DEFAULTS = { epochs: 20, l2: 0.01, wordWeight: 0.75, rate: 0.5, oosWeight: 1 } as const;

/** A message as sparse features: indices into the model's vocabulary and their weights. */
interface Sparse {
  readonly idx: Int32Array;
  readonly val: Float32Array;
}

interface Featurizer {
  words(text: string): { words: string[]; stems: string[] };
  raw(text: string): { word: Map<string, number>; char: Map<string, number>; stems: string[] };
}

function featurizer(locale: string): Featurizer {
  const tokens = stemmedTokensFor(locale);
  const words = (text: string) => {
    const all = normalizeWords(text.slice(0, MAX_TEXT), locale);
    const w = all.length > MAX_WORDS ? all.slice(0, MAX_WORDS) : all;
    return { words: w, stems: w.map((x) => (ENTITY_WORDS.has(x) ? x : tokens.stem(x))) };
  };
  return {
    words,
    raw(text) {
      const { words: ws, stems } = words(text);
      const word = new Map<string, number>();
      const char = new Map<string, number>();
      const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
      for (let i = 0; i < stems.length; i++) {
        add(word, `w ${stems[i]}`);
        if (i > 0) add(word, `b ${stems[i - 1]} ${stems[i]}`);
      }
      for (const w of ws) {
        if (ENTITY_WORDS.has(w) || w.length > MAX_GRAM_WORD) continue;
        const padded = `<${w}>`;
        for (let n = 3; n <= MAX_GRAM; n++) for (let i = 0; i + n <= padded.length; i++) add(char, padded.slice(i, i + n));
      }
      return { word, char, stems };
    },
  };
}

/** Deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Vocabulary (feature → index) with IDF, built from training texts. */
class Vocabulary {
  readonly index = new Map<string, number>();
  idf = new Float32Array(0);
  /** Stems seen as whole words (for coverage). */
  readonly stems = new Set<string>();

  static build(docs: readonly { word: Map<string, number>; char: Map<string, number> }[]): Vocabulary {
    const v = new Vocabulary();
    const df: number[] = [];
    for (const d of docs) {
      for (const m of [d.word, d.char]) {
        for (const k of m.keys()) {
          let i = v.index.get(k);
          if (i === undefined) {
            i = v.index.size;
            v.index.set(k, i);
            df.push(0);
          }
          df[i]! += 1;
        }
      }
    }
    v.idf = Float32Array.from(df, (n) => Math.log((1 + docs.length) / (1 + n)) + 1);
    return v;
  }

  vectorize(raw: { word: Map<string, number>; char: Map<string, number> }, wordWeight: number): Sparse {
    const idx: number[] = [];
    const val: number[] = [];
    const block = (m: Map<string, number>, scale: number) => {
      const start = idx.length;
      let norm = 0;
      for (const [k, tf] of m) {
        const i = this.index.get(k);
        if (i === undefined) continue;
        const x = (1 + Math.log(tf)) * this.idf[i]!;
        idx.push(i);
        val.push(x);
        norm += x * x;
      }
      if (norm > 0) {
        const s = scale / Math.sqrt(norm);
        for (let j = start; j < val.length; j++) val[j]! *= s;
      }
    };
    block(raw.word, Math.sqrt(wordWeight));
    block(raw.char, Math.sqrt(1 - wordWeight));
    return { idx: Int32Array.from(idx), val: Float32Array.from(val) };
  }
}

/** Softmax regression: weights[feature * classes + class], bias[class]. */
class Softmax {
  constructor(
    readonly weights: Float32Array,
    readonly bias: Float32Array,
    readonly classes: number,
  ) {}

  static fit(xs: readonly Sparse[], ys: readonly number[], classes: number, features: number, o: { epochs: number; l2: number; rate: number; seed: number; classWeight?: readonly number[] }): Softmax {
    const w = new Float32Array(features * classes);
    const b = new Float32Array(classes);
    const gw = new Float32Array(features * classes).fill(1e-8);
    const gb = new Float32Array(classes).fill(1e-8);
    // class-balanced: every class weighs as much as every other, whatever its number of examples
    const counts = new Array<number>(classes).fill(0);
    for (const y of ys) counts[y]! += 1;
    const present = counts.filter((c) => c > 0).length;
    const cw = counts.map((c, k) => (c === 0 ? 0 : (ys.length / (present * c)) * (o.classWeight?.[k] ?? 1)));
    const order = xs.map((_, i) => i);
    const rand = prng(o.seed);
    const p = new Float64Array(classes);
    const m = new Softmax(w, b, classes);
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (const n of order) {
        const x = xs[n]!;
        const y = ys[n]!;
        m.probs(x, 1, p);
        const scale = cw[y]!;
        for (let c = 0; c < classes; c++) {
          const g = (p[c]! - (c === y ? 1 : 0)) * scale;
          // a class the model already rules out for this example learns nothing from it
          if (g > -SKIP && g < SKIP) continue;
          gb[c]! += g * g;
          b[c]! -= (o.rate * g) / Math.sqrt(gb[c]!);
          for (let k = 0; k < x.idx.length; k++) {
            const at = x.idx[k]! * classes + c;
            const gk = g * x.val[k]!;
            gw[at]! += gk * gk;
            w[at]! -= (o.rate * gk) / Math.sqrt(gw[at]!);
          }
        }
      }
      // L2 as decoupled weight decay, once per epoch
      if (o.l2 > 0) {
        const keep = 1 - o.l2;
        for (let i = 0; i < w.length; i++) w[i]! *= keep;
      }
    }
    return m;
  }

  /** Class probabilities at `temperature` into `out`. */
  probs(x: Sparse, temperature: number, out: Float64Array): Float64Array {
    const k = this.classes;
    for (let c = 0; c < k; c++) out[c] = this.bias[c]!;
    for (let j = 0; j < x.idx.length; j++) {
      const row = x.idx[j]! * k;
      const v = x.val[j]!;
      for (let c = 0; c < k; c++) out[c]! += this.weights[row + c]! * v;
    }
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, out[c]!);
    let sum = 0;
    for (let c = 0; c < k; c++) {
      out[c] = Math.exp((out[c]! - max) / temperature);
      sum += out[c]!;
    }
    for (let c = 0; c < k; c++) out[c]! /= sum;
    return out;
  }
}

type Knobs = Required<Pick<TrainOptions, 'epochs' | 'l2' | 'wordWeight' | 'oosWeight'>>;
type Raw = ReturnType<Featurizer['raw']>;

interface Trained {
  readonly vocabulary: Vocabulary;
  readonly model: Softmax;
  readonly labels: readonly string[];
  readonly wordWeight: number;
  /** Null when not calibrated: the confidence is then the model's own probability. */
  readonly calibrator: Calibrator | null;
}

function fitOnce(raws: readonly Raw[], ys: readonly number[], labels: readonly string[], o: Knobs): Omit<Trained, 'calibrator'> {
  const vocabulary = Vocabulary.build(raws);
  for (const r of raws) for (const s of r.stems) vocabulary.stems.add(s);
  const xs = raws.map((r) => vocabulary.vectorize(r, o.wordWeight));
  const classWeight = labels.map((l) => (l === OOS ? o.oosWeight : 1));
  const model = Softmax.fit(xs, ys, labels.length, vocabulary.index.size, { epochs: o.epochs, l2: o.l2, rate: DEFAULTS.rate, seed: 7, classWeight });
  return { vocabulary, model, labels, wordWeight: o.wordWeight };
}

/** What the calibrator reads of one prediction: how sure the model is, and how familiar the message is. */
function calibrationFeatures(r: { pTop: number; pSecond: number; pOos: number; coverage: number; otherBrand: boolean }): number[] {
  const logit = (x: number) => Math.log(Math.max(x, 1e-6) / Math.max(1 - x, 1e-6));
  return [logit(r.pTop), r.pTop - r.pSecond, r.pOos, r.coverage, r.otherBrand ? 1 : 0];
}
const CALIBRATION_FEATURES = 5;

/** σ(w·x + b): P(the top intent is right) from calibrationFeatures. */
export interface Calibrator {
  readonly w: readonly number[];
  readonly b: number;
}

function applyCalibrator(c: Calibrator, x: readonly number[]): number {
  let z = c.b;
  for (let i = 0; i < x.length; i++) z += c.w[i]! * x[i]!;
  return 1 / (1 + Math.exp(-z));
}

/**
 * Platt scaling with a few features, fitted on out-of-fold predictions: every training message is
 * scored by a model trained without it (k folds), and a small logistic regression learns how often
 * the top intent is then right (an out-of-scope message never is).
 */
function fitCalibrator(raws: readonly Raw[], ys: readonly number[], labels: readonly string[], o: Knobs, folds = FOLDS): Calibrator {
  const rand = prng(11);
  const fold = raws.map(() => Math.floor(rand() * folds));
  const xs: number[][] = [];
  const right: number[] = [];
  const oos = labels.indexOf(OOS);
  for (let k = 0; k < folds; k++) {
    const trainIdx = raws.map((_, i) => i).filter((i) => fold[i] !== k);
    const m = fitOnce(trainIdx.map((i) => raws[i]!), trainIdx.map((i) => ys[i]!), labels, o);
    for (let i = 0; i < raws.length; i++) {
      if (fold[i] !== k) continue;
      const r = predictRaw(m, raws[i]!, new Float64Array(labels.length));
      if (r === undefined) continue;
      xs.push(calibrationFeatures(r));
      right.push(r.top === ys[i] && ys[i] !== oos ? 1 : 0);
    }
  }
  // plain gradient descent on the log-loss (4 weights, a few hundred points), lightly regularised
  const w = new Array<number>(CALIBRATION_FEATURES).fill(0);
  w[0] = 1;
  let b = 0;
  const rate = 0.1;
  for (let it = 0; it < 2000; it++) {
    const gw = new Array<number>(CALIBRATION_FEATURES).fill(0);
    let gb = 0;
    for (let n = 0; n < xs.length; n++) {
      const g = applyCalibrator({ w, b }, xs[n]!) - right[n]!;
      for (let j = 0; j < CALIBRATION_FEATURES; j++) gw[j]! += g * xs[n]![j]!;
      gb += g;
    }
    for (let j = 0; j < CALIBRATION_FEATURES; j++) w[j]! -= rate * (gw[j]! / xs.length + 1e-3 * w[j]!);
    b -= (rate * gb) / xs.length;
  }
  return { w: w.map((x) => Math.round(x * 1e4) / 1e4), b: Math.round(b * 1e4) / 1e4 };
}

/** The model's raw view of a message: best in-scope class, runner-up, out-of-scope mass, coverage. */
function predictRaw(
  t: Omit<Trained, 'calibrator'>,
  raw: Raw,
  scratch: Float64Array,
): { top: number; pTop: number; pSecond: number; pOos: number; coverage: number; otherBrand: boolean; p: Float64Array } | undefined {
  const content = raw.stems.filter((s) => !ENTITY_WORDS.has(s));
  if (content.length === 0) return undefined;
  const coverage = content.filter((s) => t.vocabulary.stems.has(s)).length / content.length;
  const p = t.model.probs(t.vocabulary.vectorize(raw, t.wordWeight), 1, scratch);
  let top = -1;
  let pTop = 0;
  let pSecond = 0;
  let pOos = 0;
  for (let c = 0; c < t.labels.length; c++) {
    if (t.labels[c] === OOS) pOos = p[c]!;
    else if (p[c]! > pTop) {
      pSecond = pTop;
      pTop = p[c]!;
      top = c;
    } else if (p[c]! > pSecond) pSecond = p[c]!;
  }
  return { top, pTop, pSecond, pOos, coverage, otherBrand: raw.stems.includes('otherbrand'), p };
}

const trainedCache = new Map<string, Trained>();

function cacheFolder(dir: string | false | undefined): string | null {
  const env = process.env.HANDOVER_NLU_CACHE;
  if (dir === false || env === '0' || env === 'off') return null;
  if (dir !== undefined) return dir;
  if (env !== undefined && env !== '') return env;
  const modules = join(process.cwd(), 'node_modules');
  return existsSync(modules) ? join(modules, '.cache', 'handover-nlu') : join(tmpdir(), 'handover-nlu');
}

/** The on-disk form of a trained model (weights as base64 of their Float32 bytes). */
interface CachedModel {
  readonly version: string;
  readonly labels: readonly string[];
  readonly features: readonly string[];
  readonly idf: string;
  readonly stems: readonly string[];
  readonly weights: string;
  readonly bias: string;
  readonly wordWeight: number;
  readonly calibrator: Calibrator | null;
}

const f32 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const fromF32 = (s: string) => {
  const b = Buffer.from(s, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

/** A model trained earlier (by this or another process), or undefined; a damaged file is ignored. */
function readCached(key: string, dir: string | false | undefined): Trained | undefined {
  const folder = cacheFolder(dir);
  if (folder === null) return undefined;
  try {
    const c = JSON.parse(readFileSync(join(folder, `${key}.json`), 'utf8')) as CachedModel;
    if (c.version !== MODEL_VERSION) return undefined;
    const vocabulary = new Vocabulary();
    c.features.forEach((k, i) => vocabulary.index.set(k, i));
    vocabulary.idf = fromF32(c.idf);
    for (const s of c.stems) vocabulary.stems.add(s);
    const model = new Softmax(fromF32(c.weights), fromF32(c.bias), c.labels.length);
    if (model.weights.length !== c.features.length * c.labels.length || vocabulary.idf.length !== c.features.length) return undefined;
    return { vocabulary, model, labels: c.labels, wordWeight: c.wordWeight, calibrator: c.calibrator };
  } catch {
    return undefined;
  }
}

/** Keep a trained model for the next process; a folder that cannot be written only costs the next start a training. */
function writeCached(key: string, t: Trained, dir: string | false | undefined): void {
  const folder = cacheFolder(dir);
  if (folder === null) return;
  const c: CachedModel = {
    version: MODEL_VERSION,
    labels: t.labels,
    features: [...t.vocabulary.index.keys()],
    idf: f32(t.vocabulary.idf),
    stems: [...t.vocabulary.stems],
    weights: f32(t.model.weights),
    bias: f32(t.model.bias),
    wordWeight: t.wordWeight,
    calibrator: t.calibrator,
  };
  try {
    mkdirSync(folder, { recursive: true });
    // write then rename: a process reading at the same time sees the old file or the whole new one
    const tmp = join(folder, `${key}.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify(c));
    renameSync(tmp, join(folder, `${key}.json`));
  } catch {
    // read-only or full disk: the model stays in memory
  }
}

/**
 * Logistic regression over word and character n-grams with an out-of-scope class.
 *
 * @example
 * IntentRecognizer.train({ greeting: ['hi'], human: ['talk to a person'] }, 'en').recognize('hii').intent; // 'greeting'
 */
export class IntentRecognizer {
  private readonly scratch: Float64Array;

  private constructor(
    private readonly t: Trained,
    private readonly f: Featurizer,
    readonly intents: readonly string[],
  ) {
    this.scratch = new Float64Array(t.labels.length);
  }

  /** The fitted calibrator (null when not calibrated). */
  get calibrator(): Calibrator | null {
    return this.t.calibrator;
  }

  /** Drop the trained models kept for reuse (a process trains the same examples once). */
  static clearCache(): void {
    trainedCache.clear();
  }

  /** Train from `{ intent: [examples…] }`. Throws when fewer than two intents have examples. */
  static train(examples: Readonly<Record<string, readonly string[]>>, locale: string, opts: TrainOptions = {}): IntentRecognizer {
    const intents = Object.keys(examples).filter((k) => (examples[k]?.length ?? 0) > 0);
    if (intents.length < 2) throw new HandoverError('HANDOVER_ERR_DIALOGS_INVALID', `need examples for at least two intents (locale ${locale}): give a second dialog intent examples in this locale`);
    const o = { epochs: opts.epochs ?? DEFAULTS.epochs, l2: opts.l2 ?? DEFAULTS.l2, wordWeight: opts.wordWeight ?? DEFAULTS.wordWeight, oosWeight: opts.oosWeight ?? DEFAULTS.oosWeight };
    const oos = opts.outOfScope ?? [];
    const labels = oos.length > 0 ? [...intents, OOS] : intents;
    const texts: string[] = [];
    const ys: number[] = [];
    intents.forEach((intent, c) => {
      for (const ex of examples[intent]!) {
        texts.push(ex);
        ys.push(c);
      }
    });
    for (const ex of oos) {
      texts.push(ex);
      ys.push(labels.length - 1);
    }
    const minPerClass = Math.min(...labels.map((_, c) => ys.filter((y) => y === c).length));
    const calibrate = opts.calibrate ?? minPerClass >= 5;
    const key = createHash('sha1').update(JSON.stringify([MODEL_VERSION, locale, labels, texts, ys, o, calibrate])).digest('hex');
    const f = featurizer(locale);
    let t = trainedCache.get(key) ?? readCached(key, opts.cacheDir);
    if (t === undefined) {
      const raws = texts.map((x) => f.raw(x));
      const calibrator = calibrate ? fitCalibrator(raws, ys, labels, o) : null;
      t = { ...fitOnce(raws, ys, labels, o), calibrator };
      writeCached(key, t, opts.cacheDir);
    }
    trainedCache.set(key, t);
    return new IntentRecognizer(t, f, intents);
  }

  recognize(text: string): Recognition {
    const r = predictRaw(this.t, this.f.raw(text), this.scratch);
    if (r === undefined) return { intent: null, confidence: 0, ranking: [], coverage: 0, outOfScope: 0 };
    const ranking: { intent: string; score: number }[] = [];
    for (let c = 0; c < this.t.labels.length; c++) if (this.t.labels[c] !== OOS) ranking.push({ intent: this.t.labels[c]!, score: Math.round(r.p[c]! * 1000) / 1000 });
    ranking.sort((a, b) => b.score - a.score);
    const c = this.t.calibrator;
    const confidence = c === null ? r.pTop : applyCalibrator(c, calibrationFeatures(r));
    return {
      intent: this.t.labels[r.top]!,
      confidence: Math.round(confidence * 1000) / 1000,
      ranking: ranking.slice(0, 5),
      coverage: r.coverage,
      outOfScope: Math.round(r.pOos * 1000) / 1000,
    };
  }
}
