/**
 * Explicit request for a person, detected in the customer's own words, per locale. It does not
 * depend on the bot's classifier: "get me a human, this bot is useless" is a request for a person
 * however the rest of the message scores, and it works for any bot behind the middleware.
 *
 * @example
 * asksForPerson('can I talk to a real person?', 'en'); // true
 * asksForPerson('is a person going to call me?', 'en'); // false (a question about a person, not a request)
 */
const PATTERNS: Record<string, RegExp[]> = {
  en: [
    /\b(talk|speak|chat)\s+(to|with)\s+(a|an|some|the)?\s*(real\s+|live\s+)?(person|human|agent|someone|somebody|representative|operator|manager)\b/i,
    /\b(get|give|connect|transfer|put|pass)\s+(me\s+)?(to\s+|through\s+to\s+|with\s+|over\s+to\s+)?(a|an)?\s*(real\s+|live\s+)?(person|human|agent|representative|operator|manager|someone|somebody)\b/i,
    /\b(i\s+)?(want|need|would\s+like)\s+(a|an|to\s+talk\s+to\s+a)?\s*(real\s+|live\s+)?(person|human|agent|representative|operator)\b/i,
    /^\s*(human|agent|operator|representative|real person)( please)?[\s!.]*$/i,
  ],
  'pt-BR': [
    /\b(falar|conversar)\s+com\s+(um|uma|algu[eé]m|o|a)?\s*(atendente|pessoa|humano|agente|gerente|algu[eé]m)\b/i,
    /\b(quero|preciso\s+de)\s+(um|uma)?\s*(atendente|pessoa\s+de\s+verdade|humano)\b/i,
    /^\s*(atendente|humano)( por favor)?[\s!.]*$/i,
    /\b(me\s+)?(passa|passe|transfere|transfira|encaminha|coloca|bota)\s+(pra|para|com)\s+(um|uma|o|a)?\s*(atendente|pessoa|humano|algu[eé]m|gerente)\b/i,
  ],
  es: [
    /\b(hablar|conversar)\s+con\s+(un|una|alguien|el|la)?\s*(agente|persona|humano|asesor|operador|gerente|alguien)\b/i,
    /\b(quiero|necesito)\s+(un|una)?\s*(agente|persona\s+real|humano|asesor)\b/i,
    /^\s*(agente|humano|asesor)( por favor)?[\s!.]*$/i,
    /\b(p[aá]same|p[aá]sesme|comun[ií]came|transf[ié]reme|p[oó]nme|cont[aá]ctame)\s+con\s+(un|una|el|la|alguien)?\s*(agente|persona|humano|asesor|operador|gerente|alguien)\b/i,
  ],
};

/** Does the message ask for a person? @example asksForPerson('human please', 'en') // true */
export function asksForPerson(text: string, locale: string): boolean {
  const t = text.slice(0, 2000);
  const lists = [PATTERNS[locale] ?? [], locale === 'en' ? [] : (PATTERNS.en ?? [])];
  return lists.some((l) => l.some((re) => re.test(t)));
}

/**
 * The message without its request for a person ("I was charged twice and I want to talk to
 * someone" → "I was charged twice and"): what else the customer wants, for the queue and the
 * briefing.
 *
 * @example
 * withoutPersonRequest('my order is late, get me a human', 'en'); // 'my order is late, '
 */
export function withoutPersonRequest(text: string, locale: string): string {
  let t = text.slice(0, 2000);
  for (const l of [PATTERNS[locale] ?? [], locale === 'en' ? [] : (PATTERNS.en ?? [])]) {
    for (const re of l) t = t.replace(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`), ' ');
  }
  return t;
}
