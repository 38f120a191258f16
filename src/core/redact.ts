/**
 * Personal data masking, pure (no I/O): finds card numbers (with the CVV typed next to them), US
 * social security numbers, Brazilian CPFs and the value typed after "password" / "senha" /
 * "contraseña" in free text, and replaces each with a mask. Every surface that stores, shows or
 * sends a customer's or an agent's words (transcripts, web chat history, briefings, events, the
 * console, webhooks, logs) passes them through one `Redactor` first (docs/operations.md, "Personal data").
 *
 * What counts as each pattern (chosen so that order numbers, phone numbers, dates, amounts and ZIP
 * codes are left alone):
 * - **card**: 13–19 digits, bare or in groups split by one space or dash, that pass the Luhn check
 *   and start like a card network's number at that network's length (Visa 4… 16/19 digits, or 13
 *   with a card word nearby; Mastercard 51–55/2221–2720 16; Amex 34/37 15; Diners 36/38/300–305
 *   14–19; Discover/Elo/Hipercard/UnionPay/Maestro 6…, 50, 56–58 16–19; JCB 35 16–19). No
 *   letter or digit may touch it. Mask `•••• {last4}`.
 * - **cvv**: 3–4 digits after "cvv", "cvc", "security code", "código de segurança",
 *   "código de seguridad" (a few words may sit between), or right after a card (after an optional
 *   expiry such as `12/27`). Mask `•••`.
 * - **ssn**: `NNN-NN-NNNN` or `NNN NN NNNN` in the valid ranges (area not 000, 666 or 9xx; group
 *   not 00; serial not 0000), or 9 bare digits after "ssn" / "social security". Mask `•••-••-{last4}`.
 * - **cpf**: 11 digits whose two check digits are right, as `NNN.NNN.NNN-NN` or bare. A bare
 *   number shaped like a Brazilian mobile (`DD9NNNNNNNN`) counts only after the word "CPF". Mask
 *   `•••.•••.•••-{last2}`.
 * - **password**: the token after "password", "passwd", "pwd", "passcode", "senha", "contraseña",
 *   "clave" joined by `:` / `=` or by "is/was/é/era/es/fue" ("my password is hunter2", "minha senha é
 *   abc123", "mi contraseña es Hola.2024"), or after "pass is"/"pass:" when the value holds a digit
 *   or a symbol. A common word in that place ("my password is wrong", "a senha está errada") is not
 *   a password and stays. Mask `••••••`.
 *
 * Masks may use `{last4}` and `{last2}` (the last digits of the match). Masks contain no pattern,
 * so redacting twice gives the same text.
 *
 * @example
 * const r = new Redactor(); // every pattern on, default masks
 * r.text('card 4242 4242 4242 4242 cvv 123, cpf 529.982.247-25');
 * // 'card •••• 4242 cvv •••, cpf •••.•••.•••-25'
 */

import type { HandoffPacket, TranscriptEntry } from './conversation.js';
import type { DomainEvent } from './events.js';

/** The patterns a `Redactor` knows. */
export const PII_PATTERNS = ['cards', 'cvv', 'ssn', 'cpf', 'passwords'] as const;
export type PiiPattern = (typeof PII_PATTERNS)[number];

/** One pattern's settings: on/off and its mask (`{last4}` / `{last2}` are filled in). */
export interface PiiRule {
  readonly enabled: boolean;
  readonly mask: string;
}

/** Settings of every pattern (manifest.json → `pii`). */
export type PiiSettings = { readonly [P in PiiPattern]: PiiRule };

/** The default of every pattern: on, with these masks. */
export const DEFAULT_PII_SETTINGS: PiiSettings = Object.freeze({
  cards: Object.freeze({ enabled: true, mask: '•••• {last4}' }),
  cvv: Object.freeze({ enabled: true, mask: '•••' }),
  ssn: Object.freeze({ enabled: true, mask: '•••-••-{last4}' }),
  cpf: Object.freeze({ enabled: true, mask: '•••.•••.•••-{last2}' }),
  passwords: Object.freeze({ enabled: true, mask: '••••••' }),
});

/** One match: `[start, end)` in the text, which pattern, its replacement. */
export interface PiiFinding {
  readonly start: number;
  readonly end: number;
  readonly pattern: PiiPattern;
  readonly replacement: string;
}

/**
 * Masks personal data in text and in JSON-like values. Stateless after construction; one per
 * process is enough.
 *
 * @example
 * const r = new Redactor({ ssn: { enabled: false, mask: '' } });
 * r.text('ssn 123-45-6789'); // unchanged: ssn masking is off
 * r.value({ note: 'pwd: s3cret', n: 1 }); // { note: 'pwd: ••••••', n: 1 }
 */
export class Redactor {
  private readonly settings: PiiSettings;

  constructor(settings: Partial<PiiSettings> = {}) {
    this.settings = { ...DEFAULT_PII_SETTINGS, ...settings };
  }

  /** True when at least one pattern is on (a `Redactor` with all off returns its input as is). */
  get enabled(): boolean {
    return PII_PATTERNS.some((p) => this.settings[p].enabled);
  }

  /** `text` with every enabled pattern masked (the same string when nothing matched). */
  text(text: string): string {
    if (text.length < 3 || !this.enabled) return text;
    const found = this.find(text);
    if (found.length === 0) return text;
    let out = '';
    let at = 0;
    for (const f of found) {
      out += text.slice(at, f.start) + f.replacement;
      at = f.end;
    }
    return out + text.slice(at);
  }

  /**
   * A copy of `value` with every string inside (plain objects and arrays, any depth) passed
   * through {@link Redactor.text}; keys, numbers and other values are kept. Returns `value` itself
   * when nothing changed, so unchanged data costs no copy.
   */
  value<T>(value: T): T {
    return this.deep(value, 0) as T;
  }

  /** A transcript line with its text and meta masked (the same object when nothing matched). */
  entry(e: TranscriptEntry): TranscriptEntry {
    const text = e.text === undefined ? undefined : this.text(e.text);
    const meta = e.meta === undefined ? undefined : this.value(e.meta);
    if (text === e.text && meta === e.meta) return e;
    return { ...e, ...(text === undefined ? {} : { text }), ...(meta === undefined ? {} : { meta }) };
  }

  /**
   * A domain event with the words people typed masked (`text` of customer and agent messages,
   * `note` of transfers); ids and queue names are left as they are. The same object when nothing matched.
   */
  event<E extends DomainEvent>(e: E): E {
    let out = e;
    if ('text' in e && typeof e.text === 'string') {
      const text = this.text(e.text);
      if (text !== e.text) out = { ...out, text };
    }
    if ('note' in e && typeof e.note === 'string') {
      const note = this.text(e.note);
      if (note !== e.note) out = { ...out, note };
    }
    return out;
  }

  /**
   * A briefing with what people typed masked: its transcript, summary, collected values (also in
   * `brief`), steps and trace (ids, queue, numbers and the customer directory's profile are kept).
   */
  packet(p: HandoffPacket): HandoffPacket {
    return {
      ...p,
      summary: this.text(p.summary),
      collected: this.value(p.collected),
      transcript: p.transcript.map((e) => this.entry(e)),
      steps: this.value(p.steps),
      trace: this.value(p.trace),
      ...(p.brief === undefined ? {} : { brief: this.value(p.brief) }),
    };
  }

  /** The matches in `text`, in order and not overlapping (what `text()` replaces). */
  find(text: string): PiiFinding[] {
    // most lines hold no run of digits long enough and no keyword: decide that in one pass, no regex
    let digits = 0;
    let longest = 0;
    let run = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        digits += 1;
        run += 1;
        if (run > longest) longest = run;
      } else if (c !== 32 && c !== 45 && c !== 46) run = 0; // digits grouped by spaces, dashes, dots count as one run
    }
    const keyword = PASSWORD_HINT.test(text);
    if (longest < 3 && !keyword) return [];
    const spans: PiiFinding[] = [];
    const taken = (s: number, e: number): boolean => spans.some((f) => s < f.end && e > f.start);
    const add = (f: PiiFinding): void => {
      if (!taken(f.start, f.end)) spans.push(f);
    };
    const s = this.settings;
    // a card has 13 digits or more, a CPF 11, an SSN 9 (grouped or bare), a CVV 3
    const cards = longest >= 13 && (s.cards.enabled || s.cvv.enabled) ? findCards(text) : [];
    if (s.cards.enabled) for (const c of cards) add({ ...c, pattern: 'cards', replacement: fill(s.cards.mask, c.digits) });
    if (s.cvv.enabled && longest >= 3) {
      for (const c of cards) {
        const v = cvvAfterCard(text, c.end);
        if (v !== null) add({ ...v, pattern: 'cvv', replacement: fill(s.cvv.mask, text.slice(v.start, v.end)) });
      }
      if (CVV_HINT.test(text)) for (const v of cvvByKeyword(text)) add({ ...v, pattern: 'cvv', replacement: fill(s.cvv.mask, text.slice(v.start, v.end)) });
    }
    if (s.cpf.enabled && longest >= 11) for (const c of findCpfs(text)) add({ ...c, pattern: 'cpf', replacement: fill(s.cpf.mask, c.digits) });
    if (s.ssn.enabled && longest >= 9) for (const c of findSsns(text)) add({ ...c, pattern: 'ssn', replacement: fill(s.ssn.mask, c.digits) });
    if (s.passwords.enabled && keyword) for (const p of findPasswords(text)) add({ ...p, pattern: 'passwords', replacement: s.passwords.mask });
    return spans.sort((a, b) => a.start - b.start);
  }

  private deep(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object' || depth > 32) return value;
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      value.forEach((v, i) => {
        const r = this.deep(v, depth + 1);
        if (r !== v) (copy ??= value.slice())[i] = r;
      });
      return copy ?? value;
    }
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return value; // Dates, Maps, class instances: not JSON text
    let copy: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value)) {
      const r = this.deep(v, depth + 1);
      if (r !== v) (copy ??= { ...(value as Record<string, unknown>) })[k] = r;
    }
    return copy ?? value;
  }
}

/** The mask with `{last4}` / `{last2}` filled from the digits of the match. */
function fill(mask: string, matched: string): string {
  const digits = matched.replace(/\D/g, '');
  return mask.replace(/\{last4\}/g, digits.slice(-4)).replace(/\{last2\}/g, digits.slice(-2));
}

interface Span {
  readonly start: number;
  readonly end: number;
}
interface DigitSpan extends Span {
  readonly digits: string;
}

/** Cheap tests before the full patterns: a password keyword, a CVV keyword. */
const PASSWORD_HINT = /pass|pwd|senh|contrase|clave/i;
const CVV_HINT = /cv[vc]|cid|csc|code|c[oó]d/i;

/** Luhn check of a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

const CARD_WORD = /\b(?:card|credit|debit|visa|cart[aã]o|cr[eé]dito|d[eé]bito|tarjeta)\b/i;

/** Whether `digits` starts like a card network's number of that length (see the module comment). */
function cardShaped(digits: string, nearCardWord: boolean): boolean {
  const n = digits.length;
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  if (digits[0] === '4') return n === 16 || n === 19 || (n === 13 && nearCardWord);
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16;
  if (p2 === 34 || p2 === 37) return n === 15;
  if (p2 === 36 || p2 === 38 || p2 === 39 || (p3 >= 300 && p3 <= 305)) return n >= 14 && n <= 19;
  if (p2 === 35) return n >= 16 && n <= 19;
  if (digits[0] === '6' || p2 === 50 || (p2 >= 56 && p2 <= 58)) return n >= 16 && n <= 19;
  return false;
}

/** Runs of digit groups joined by single spaces or dashes, with no letter or digit touching them. */
const DIGIT_RUN = /(?<![\p{L}\p{N}])\d+(?:[ -]\d+)*(?![\p{L}\p{N}])/gu;

function findCards(text: string): DigitSpan[] {
  const out: DigitSpan[] = [];
  for (const m of text.matchAll(DIGIT_RUN)) {
    const run = m[0];
    const base = m.index;
    // the groups and where each starts in the text
    const groups: { start: number; end: number; digits: string }[] = [];
    for (const g of run.matchAll(/\d+/g)) groups.push({ start: base + g.index, end: base + g.index + g[0].length, digits: g[0] });
    let i = 0;
    while (i < groups.length) {
      let best: DigitSpan | null = null;
      let digits = '';
      for (let j = i; j < groups.length; j++) {
        digits += groups[j]!.digits;
        if (digits.length > 19) break;
        if (digits.length < 13) continue;
        const start = groups[i]!.start;
        const near = CARD_WORD.test(text.slice(Math.max(0, start - 40), start));
        if (!cardShaped(digits, near) || !luhnValid(digits)) continue;
        // prefer the common 16-digit length: "4242 4242 4242 4242 123" is a card and its CVV
        if (best === null || digits.length === 16) best = { start, end: groups[j]!.end, digits };
        if (digits.length === 16) break;
      }
      if (best === null) i += 1;
      else {
        out.push(best);
        while (i < groups.length && groups[i]!.start < best.end) i += 1;
      }
    }
  }
  return out;
}

/** 3–4 digits right after a card: "4242 4242 4242 4242 12/27 123", "…4242, cvv 123", "…4242 e 123". */
const AFTER_CARD =
  /^[\s,;:-]{0,4}(?:(?:exp\w*|val\w*|venc\w*|vto|vence)[\s:.]*)?(?:\d{1,2}\s*\/\s*\d{2,4}[\s,;:-]*)?(?:(?:cvv2?|cvc2?|c[oó]d(?:igo)?\.?|and|e|y)[\s:.]*)?(\d{3,4})(?![\p{L}\p{N}]|[/.,:]\d)/iu;

function cvvAfterCard(text: string, cardEnd: number): Span | null {
  const m = AFTER_CARD.exec(text.slice(cardEnd, cardEnd + 48));
  if (m === null) return null;
  const end = cardEnd + m[0].length;
  return { start: end - m[1]!.length, end };
}

const CVV_KEYWORD =
  /\b(?:cvv2?|cvc2?|cid|csc|security code|card code|c[oó]digo de seguran[cç]a|c[oó]digo de seguridad|c[oó]d\.? (?:de )?seg(?:uran[cç]a|uridad)?\.?)\b[^\d\n•]{0,16}?(?<![\p{N}])(\d{3,4})(?![\p{L}\p{N}]|[/.,:]\d)/giu;

function cvvByKeyword(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(CVV_KEYWORD)) {
    const end = m.index + m[0].length;
    out.push({ start: end - m[1]!.length, end });
  }
  return out;
}

function cpfCheckDigitsValid(d: string): boolean {
  if (/^(\d)\1{10}$/.test(d)) return false;
  const check = (len: number): number => {
    let sum = 0;
    for (let i = 0; i < len; i++) sum += (d.charCodeAt(i) - 48) * (len + 1 - i);
    const r = (sum * 10) % 11;
    return r === 10 ? 0 : r;
  };
  return check(9) === d.charCodeAt(9) - 48 && check(10) === d.charCodeAt(10) - 48;
}

const CPF_FORMATTED = /(?<![\p{L}\p{N}.-])(\d{3})\.(\d{3})\.(\d{3})[-.\s]?(\d{2})(?![\p{N}]|[.-]\d)/gu;
const CPF_BARE = /(?<![\p{L}\p{N}.\-/+()])\d{11}(?![\p{L}\p{N}]|[.\-/]\d)/gu;
/** A Brazilian mobile number written bare: area code (11–99, no 0) then 9 and 8 digits. */
const BR_MOBILE = /^[1-9][1-9]9\d{8}$/;

function findCpfs(text: string): DigitSpan[] {
  const out: DigitSpan[] = [];
  for (const m of text.matchAll(CPF_FORMATTED)) {
    const digits = m.slice(1, 5).join('');
    if (cpfCheckDigitsValid(digits)) out.push({ start: m.index, end: m.index + m[0].length, digits });
  }
  for (const m of text.matchAll(CPF_BARE)) {
    const digits = m[0];
    if (!cpfCheckDigitsValid(digits)) continue;
    // a bare number that also reads as a mobile phone is a CPF only when called one
    if (BR_MOBILE.test(digits) && !/\bcpf\b/i.test(text.slice(Math.max(0, m.index - 30), m.index))) continue;
    out.push({ start: m.index, end: m.index + digits.length, digits });
  }
  return out;
}

const SSN_GROUPED = /(?<![\p{L}\p{N}\-/.])(\d{3})([- ])(\d{2})\2(\d{4})(?![\p{L}\p{N}]|[-/.]\d)/gu;
const SSN_BARE = /\b(?:ssn|social security(?: number| no\.?| #)?)\b[^\d\n•]{0,12}?(?<!\d)(\d{9})(?!\d)/giu;

function ssnValid(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  return a !== 0 && a !== 666 && a < 900 && group !== '00' && serial !== '0000';
}

function findSsns(text: string): DigitSpan[] {
  const out: DigitSpan[] = [];
  for (const m of text.matchAll(SSN_GROUPED)) {
    if (ssnValid(m[1]!, m[3]!, m[4]!)) out.push({ start: m.index, end: m.index + m[0].length, digits: m[1]! + m[3]! + m[4]! });
  }
  for (const m of text.matchAll(SSN_BARE)) {
    const d = m[1]!;
    if (!ssnValid(d.slice(0, 3), d.slice(3, 5), d.slice(5))) continue;
    const end = m.index + m[0].length;
    out.push({ start: end - 9, end, digits: d });
  }
  return out;
}

/**
 * The keyword, a joiner (`:`/`=`, or a verb: is, was, é, era, es, fue, "would be"…) and the value
 * (quoted, or up to the next space). Group 1: the keyword; 2: the joiner; 3: the value.
 */
const PASSWORD =
  /(?<![\p{L}\p{N}])(passwords?|passwd|passcode|pwd|pass|senhas?|contraseñas?|contrasenas?|claves?)(\s*[:=]\s*|\s+(?:is|was|would be|will be|é|eh|era|ser[aá]|es|fue|sea)(?=[\s:=])\s*[:=]?\s*)("[^"\n]{1,64}"|'[^'\n]{1,64}'|«[^»\n]{1,64}»|\S{1,64})/giu;

/** Words that follow "password is" without being one ("my password is wrong"), accents off. */
const NOT_A_PASSWORD = new Set(
  (
    'not no wrong incorrect invalid expired correct right working broken blocked locked the a an my your this that same new old reset changed ' +
    'required needed missing empty weak strong too very still also ok okay fine fixed ready being what where gone lost forgotten case sensitive ' +
    'nao errada errado incorreta incorreto invalida invalido bloqueada bloqueado expirada expirado a o minha meu muito igual nova novo antiga mesma ' +
    'obrigatoria fraca forte certa certo esta esqueci qual cadê cade ' +
    'incorrecta incorrecto equivocada equivocado caducada la el mi muy nueva misma vieja correcta cual segura'
  ).split(' '),
);

function findPasswords(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(PASSWORD)) {
    const keyword = m[1]!.toLowerCase();
    const joiner = m[2]!;
    let value = m[3]!;
    let start = m.index + m[1]!.length + joiner.length;
    const quoted = /^["'«]/.test(value);
    if (quoted) {
      start += 1;
      value = value.slice(1, -1);
    } else value = value.replace(/[.,;:?)\]]+$/, ''); // the sentence's punctuation, not the password's
    if (!/[\p{L}\p{N}]/u.test(value)) continue;
    const plain = value.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    const byColon = /[:=]/.test(joiner);
    if (!quoted && !byColon && NOT_A_PASSWORD.has(plain)) continue;
    // "boarding pass is ready": a bare "pass" counts only for a value with a digit or a symbol
    if (keyword === 'pass' && !/[^\p{L}]/u.test(value)) continue;
    out.push({ start, end: start + value.length });
  }
  return out;
}
