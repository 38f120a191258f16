/**
 * Localised texts with `{placeholders}`; a key may hold variants, picked by index (so the 2nd
 * fallback does not repeat the 1st). Missing locales fall back to the default locale.
 *
 * @example
 * texts.render('en', 'handoff.wait_minutes', { minutes: 4 }); // 'The expected wait is about 4 minutes.'
 */
export class Texts {
  constructor(
    private readonly locales: ReadonlyMap<string, Readonly<Record<string, string | readonly string[]>>>,
    private readonly defaultLocale: string,
  ) {}

  has(locale: string, key: string): boolean {
    return this.raw(locale, key) !== undefined;
  }

  render(locale: string, key: string, vars: Readonly<Record<string, unknown>> = {}, variant = 0): string {
    const raw = this.raw(locale, key);
    if (raw === undefined) return key;
    const text = typeof raw === 'string' ? raw : (raw[Math.min(variant, raw.length - 1)] ?? '');
    return text.replace(/\{([a-z0-9_.]+)\}/gi, (m, name: string) => {
      const v = vars[name];
      return v === undefined || v === null ? '' : String(v);
    });
  }

  private raw(locale: string, key: string): string | readonly string[] | undefined {
    return this.locales.get(locale)?.[key] ?? this.locales.get(this.defaultLocale)?.[key];
  }
}
