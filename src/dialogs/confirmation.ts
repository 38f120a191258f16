/**
 * Reading the customer's answer to "Did you mean …?": yes, no, or neither (a new request).
 *
 * A button click sends the button's text (the intent's label or "Something else"); on WhatsApp
 * the numbered options are answered "1" / "2"; people also type "yes pls", "sim", "nao", "otra
 * cosa". Short answers only: a longer message that starts with "no" ("no, I want to cancel my
 * order") is a new request and is recognised as one.
 *
 * @example
 * confirmationAnswer('yes please', 'en', 'track an order', 'Something else'); // 'yes'
 * confirmationAnswer('nao', 'pt-BR', 'acompanhar um pedido', 'Outra coisa');  // 'no'
 */
import { foldText } from './normalize-text.js';

const YES: Record<string, readonly string[]> = {
  en: ['yes', 'yeah', 'yep', 'yup', 'ya', 'yea', 'y', 'sure', 'correct', 'right', 'exactly', 'thats it', 'thats right', 'ok', 'okay', 'k', 'yes please', 'please', 'affirmative', 'indeed', 'of course', 'mhm', 'uh huh'],
  'pt-BR': ['sim', 's', 'ss', 'isso', 'isso mesmo', 'exato', 'exatamente', 'certo', 'claro', 'ok', 'pode ser', 'e isso', 'aham', 'uhum', 'com certeza', 'isso ai', 'positivo', 'sim por favor', 'quero', 'yes'],
  es: ['si', 's', 'eso', 'eso es', 'exacto', 'exactamente', 'correcto', 'claro', 'ok', 'dale', 'vale', 'asi es', 'aja', 'por supuesto', 'si por favor', 'sip', 'simon', 'sale', 'yes'],
};
const NO: Record<string, readonly string[]> = {
  en: ['no', 'nope', 'nah', 'n', 'not really', 'wrong', 'no thanks', 'not that', 'neither', 'no its not', 'incorrect'],
  'pt-BR': ['nao', 'n', 'nn', 'errado', 'nada disso', 'nao e isso', 'negativo', 'nao obrigado', 'nao obrigada', 'nope'],
  es: ['no', 'nop', 'n', 'para nada', 'no es eso', 'nada que ver', 'negativo', 'no gracias', 'incorrecto'],
};

const clean = (s: string) => foldText(s).replace(/[^a-z0-9\s]/g, ' ').replace(/\s+/g, ' ').trim();
const sets = new Map<string, { yes: Set<string>; no: Set<string> }>();
function setsFor(locale: string) {
  const key = locale in YES ? locale : 'en';
  let s = sets.get(key);
  if (s === undefined) sets.set(key, (s = { yes: new Set(YES[key]!.map(clean)), no: new Set(NO[key]!.map(clean)) }));
  return s;
}

/** 'yes', 'no', or null when the message is neither (treat it as a new request). */
export function confirmationAnswer(text: string, locale: string, label: string, somethingElse: string): 'yes' | 'no' | null {
  const t = clean(text);
  if (t === '') return null;
  if (t === '1' || t === clean(label)) return 'yes';
  if (t === '2' || t === clean(somethingElse)) return 'no';
  const { yes, no } = setsFor(locale);
  if (yes.has(t)) return 'yes';
  if (no.has(t)) return 'no';
  const words = t.split(' ');
  if (words.length > 4) return null;
  // "yes please", "sim pfv", "no thanks": the first word (or two) decides
  const first = words[0]!;
  const two = words.slice(0, 2).join(' ');
  if (yes.has(two) || (yes.has(first) && !no.has(first))) return 'yes';
  if (no.has(two) || no.has(first)) return 'no';
  return null;
}

/**
 * "I don't have it", "lost the receipt", "não sei o número", "no lo encuentro": a reply to a slot
 * prompt that says the customer cannot give the value. It answers the prompt (a failed request for
 * the slot, which `missing_entity` counts); it never interrupts it as a new intent.
 */
const CANNOT_GIVE: Record<string, RegExp> = {
  en: /\b(?:(?:do not|don t|dont|did not|didn t|didnt|never) (?:have|know|remember|see|get|got|find|keep)|(?:have not|haven t|havent) got|no idea|(?:can not|cannot|can t|cant) (?:find|remember|see|locate)|(?:lost|deleted|threw away|forgot|misplaced) (?:it|the|my|that)|not sure what it is|where (?:do|can) i find)\b/,
  'pt-BR': /\b(?:nao (?:tenho|sei|lembro|achei|acho|encontro|recebi|guardei|anotei)|perdi|apaguei|esqueci|joguei fora|sem o numero|onde (?:eu )?(?:acho|vejo|encontro))\b/,
  es: /\b(?:no (?:lo |la )?(?:tengo|se|recuerdo|encuentro|hallo|recibi|guarde|anote)|perdi|borre|olvide|se me perdio|ni idea|donde (?:lo |la )?(?:encuentro|veo|busco))\b/,
};

/** True when `text` says the customer cannot give what the prompt asked for. */
export function cannotGive(text: string, locale: string): boolean {
  const re = CANNOT_GIVE[locale] ?? CANNOT_GIVE.en!;
  return re.test(clean(text));
}
