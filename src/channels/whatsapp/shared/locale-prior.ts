/**
 * A first guess at a WhatsApp customer's language from what the channel knows before they say
 * anything: the phone number's country calling code (`5511987654321` → Brazil → `pt-BR`) or, for a
 * username-only sender, the country prefix of the business-scoped user id (`BR.1502…` → `pt-BR`).
 *
 * It is only a prior: the adapters put it in `activity.locale`, the handoff middleware starts a new
 * conversation in it (when the manifest has that language) and the customer's own words decide from
 * the first message on (src/signals/language.ts). So a Brazilian number writing in English gets
 * English; a Brazilian number sending "oi" (too short to tell) gets Portuguese, not the default.
 *
 * @example
 * localeFromPhone('5511987654321'); // 'pt-BR'
 * localeFromPhone('5215512345678'); // 'es-MX'
 * localeFromUserId('AR.13491208655302741918'); // 'es-AR'
 */

/** Calling code → ISO 3166 country, for the codes whose language we can guess. Longest prefix wins. */
const CALLING_CODES: Readonly<Record<string, string>> = {
  '1': 'US', '7': 'RU', '20': 'EG', '27': 'ZA', '30': 'GR', '31': 'NL', '32': 'BE', '33': 'FR', '34': 'ES', '36': 'HU', '39': 'IT',
  '40': 'RO', '41': 'CH', '43': 'AT', '44': 'GB', '45': 'DK', '46': 'SE', '47': 'NO', '48': 'PL', '49': 'DE',
  '51': 'PE', '52': 'MX', '53': 'CU', '54': 'AR', '55': 'BR', '56': 'CL', '57': 'CO', '58': 'VE',
  '60': 'MY', '61': 'AU', '62': 'ID', '63': 'PH', '64': 'NZ', '65': 'SG', '66': 'TH', '81': 'JP', '82': 'KR', '84': 'VN', '86': 'CN',
  '90': 'TR', '91': 'IN', '92': 'PK', '234': 'NG', '238': 'CV', '239': 'ST', '240': 'GQ', '244': 'AO', '245': 'GW', '258': 'MZ',
  '351': 'PT', '352': 'LU', '353': 'IE', '502': 'GT', '503': 'SV', '504': 'HN', '505': 'NI', '506': 'CR', '507': 'PA',
  '591': 'BO', '593': 'EC', '595': 'PY', '598': 'UY', '670': 'TL',
};

/** North American numbering plan areas that are Spanish-speaking countries (+1 809 …). */
const NANP_AREAS: Readonly<Record<string, string>> = { '809': 'DO', '829': 'DO', '849': 'DO', '787': 'PR', '939': 'PR' };

/** Country → locale. Countries not listed here give no guess (the manifest default applies). */
const COUNTRY_LOCALES: Readonly<Record<string, string>> = {
  BR: 'pt-BR', PT: 'pt-PT', AO: 'pt-AO', MZ: 'pt-MZ', CV: 'pt-CV', GW: 'pt-GW', ST: 'pt-ST', TL: 'pt-TL',
  ES: 'es-ES', MX: 'es-MX', AR: 'es-AR', CL: 'es-CL', CO: 'es-CO', PE: 'es-PE', VE: 'es-VE', CU: 'es-CU', DO: 'es-DO', PR: 'es-PR',
  GT: 'es-GT', SV: 'es-SV', HN: 'es-HN', NI: 'es-NI', CR: 'es-CR', PA: 'es-PA', BO: 'es-BO', EC: 'es-EC', PY: 'es-PY', UY: 'es-UY', GQ: 'es-GQ',
  US: 'en-US', GB: 'en-GB', IE: 'en-IE', AU: 'en-AU', NZ: 'en-NZ', ZA: 'en-ZA', NG: 'en-NG', SG: 'en-SG', PH: 'en-PH', IN: 'en-IN',
  FR: 'fr-FR', BE: 'fr-BE', LU: 'fr-LU', DE: 'de-DE', AT: 'de-AT', CH: 'de-CH', IT: 'it-IT', NL: 'nl-NL',
};

/**
 * The ISO country of an international phone number (digits, optionally with `+`, spaces or dashes).
 *
 * @example
 * countryOfPhone('+55 11 98765-4321'); // 'BR'
 */
export function countryOfPhone(phone: string): string | undefined {
  const digits = phone.replace(/[^\d]/g, '');
  if (digits.length < 7) return undefined;
  if (digits.startsWith('1')) return NANP_AREAS[digits.slice(1, 4)] ?? CALLING_CODES['1'];
  for (const n of [3, 2, 1]) {
    const country = CALLING_CODES[digits.slice(0, n)];
    if (country !== undefined) return country;
  }
  return undefined;
}

/** The locale guessed from a phone number, if its country has one. @example localeFromPhone('34612345678') // 'es-ES' */
export function localeFromPhone(phone: string): string | undefined {
  const c = countryOfPhone(phone);
  return c === undefined ? undefined : COUNTRY_LOCALES[c];
}

/** A business-scoped user id (BSUID): `<ISO country>.<alphanumerics>`, parent ids with `ENT.`. */
const BSUID = /^([A-Z]{2})\.(?:ENT\.)?[A-Za-z0-9]{1,128}$/;

/** True for a business-scoped user id (a username-only sender), false for a phone number. @example isBusinessScopedUserId('US.134912') // true */
export function isBusinessScopedUserId(id: string): boolean {
  return BSUID.test(id);
}

/** The locale guessed from a business-scoped user id's country prefix. @example localeFromUserId('BR.1502576394655843') // 'pt-BR' */
export function localeFromUserId(userId: string): string | undefined {
  const m = BSUID.exec(userId);
  return m?.[1] === undefined ? undefined : COUNTRY_LOCALES[m[1]];
}

/** The prior for a customer id of either kind. @example localePrior('5511987654321') // 'pt-BR' */
export function localePrior(id: string): string | undefined {
  return isBusinessScopedUserId(id) ? localeFromUserId(id) : localeFromPhone(id);
}
