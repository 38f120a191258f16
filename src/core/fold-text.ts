/**
 * Text as the recogniser and the language identifier compare it: lower case, accents off, runs of
 * three or more of a letter cut to one ("holaaa" → "hola"; "ee", "oo", "ss", "rr" stay).
 *
 * @example
 * foldText('HOLAAA Cadê'); // 'hola cade'
 */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z])\1{2,}/g, '$1');
}
