import en from './locales/en.json';
import ptBR from './locales/pt-BR.json';
import es from './locales/es.json';

/** Every UI text of the widget; `en.json` is the reference, the others must have the same keys. */
export type WidgetStrings = typeof en;

const catalogues: Record<string, WidgetStrings> = { en, 'pt-BR': ptBR, es };

/**
 * Picks the catalogue for a locale: exact tag, then the same language (`pt` → `pt-BR`), then English.
 *
 * @example
 * stringsFor('pt').typing; // "{name} está digitando…"
 */
export function stringsFor(locale: string | undefined): { locale: string; strings: WidgetStrings } {
  if (locale !== undefined) {
    const exact = Object.keys(catalogues).find((k) => k.toLowerCase() === locale.toLowerCase());
    const lang = locale.split('-')[0]?.toLowerCase();
    const byLanguage = Object.keys(catalogues).find((k) => k.split('-')[0]?.toLowerCase() === lang);
    const key = exact ?? byLanguage;
    const strings = key === undefined ? undefined : catalogues[key];
    if (key !== undefined && strings !== undefined) return { locale: key, strings };
  }
  return { locale: 'en', strings: en };
}

/**
 * Fills `{name}`-style placeholders.
 *
 * @example
 * format('{name} joined the chat', { name: 'Ana' }); // 'Ana joined the chat'
 */
export function format(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, k: string) => values[k] ?? whole);
}
