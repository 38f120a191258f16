/**
 * Bidirectional-text controls made harmless for display. The embedding, override and isolate
 * controls (U+202A–U+202E, U+2066–U+2069) change how the text around them is drawn: a customer
 * who types "\u202Egnp.exe" is shown as "exe.png". The console and the widget draw every text a
 * person typed through `neutralizeBidi`, which replaces each control with its visible code point
 * ("[U+202E]gnp.exe"), so what is shown reads in the order it was typed; right-to-left scripts
 * (Arabic, Hebrew) still display right to left, inside an element isolated with `dir="auto"`.
 * Pure, no dependencies: both browser bundles import it.
 *
 * @example
 * neutralizeBidi('\u202Egnp.exe'); // '[U+202E]gnp.exe'
 * neutralizeBidi('olá'); // 'olá' (the same string)
 */

/** The controls that reorder text: embeddings, overrides, their pop, and the isolates. */
export const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** `text` with every bidi control replaced by `[U+XXXX]`; the same string when it has none. */
export function neutralizeBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
}
