import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PorterStemmer, PorterStemmerEs, PorterStemmerPt } from 'natural/lib/natural/stemmers';
import { stemmedTokensFor } from '../../../src/dialogs/stemmed-tokens.js';

type NaturalStemmer = { tokenizeAndStem(text: string, keepStops?: boolean): string[] };
const natural: Record<string, NaturalStemmer> = {
  en: PorterStemmer as unknown as NaturalStemmer,
  'pt-BR': PorterStemmerPt as unknown as NaturalStemmer,
  es: PorterStemmerEs as unknown as NaturalStemmer,
};

/** Every example utterance of the sample dialogs, and every customer line of the scenario files, per locale. */
function corpus(): Record<string, string[]> {
  const out: Record<string, string[]> = { en: [], 'pt-BR': [], es: [] };
  for (const f of readdirSync('dialogs').filter((n) => n.endsWith('.json'))) {
    const d = JSON.parse(readFileSync(join('dialogs', f), 'utf8')) as { examples?: Record<string, string[]> };
    for (const [locale, list] of Object.entries(d.examples ?? {})) out[locale]?.push(...list);
  }
  for (const f of ['../shared/scenarios/acme-en.json', 'test/scenarios/acme-more-en.json', 'test/scenarios/acme-pt-es.json']) {
    const raw = JSON.parse(readFileSync(f, 'utf8')) as unknown;
    const list = (Array.isArray(raw) ? raw : ((raw as { scenarios?: unknown[] }).scenarios ?? [raw])) as { locale?: string; turns?: { text?: string }[] }[];
    for (const s of list) for (const t of s.turns ?? []) if (typeof t.text === 'string') out[s.locale ?? 'en']?.push(t.text);
  }
  return out;
}

const TRICKY = [
  '',
  '   ',
  '?!…',
  'WHERE IS MY ORDER???',
  "I'm NOT happy, it's the 3rd time",
  'e-mail: ana@example.com / order A-12345',
  'R$ 150,00 — cobrança duplicada!!',
  'ÑANDÚ Ésta está AQUÍ',
  'Não NÃO não',
  'no no no',
  'co-operate re-enter 1st 2nd',
  '😀 emoji only 😀',
  'mixed ÁÉÍÓÚ áéíóú ü ñ ç ã õ',
  'stop words: the and of a an is are was were be been',
  'palavras: de a o que e do da em um para é com não uma os no se na por mais',
  'palabras: de la que el en y a los del se las por un para con no una su al lo',
];

describe('stemmedTokensFor (natural tokenizeAndStem in one memoised pass)', () => {
  const texts = corpus();
  for (const locale of ['en', 'pt-BR', 'es'] as const) {
    it(`${locale}: the same stems as natural, with and without stop-words, for every example, scenario line and tricky input`, () => {
      const all = [...(texts[locale] ?? []), ...TRICKY];
      assert.ok(all.length > 50, `corpus for ${locale} is too small (${all.length}): the check would prove little`);
      const t = stemmedTokensFor(locale);
      for (let round = 0; round < 2; round++) {
        // the second round answers from the memo
        for (const text of all) {
          const split = t.split(text);
          assert.deepEqual(split.map((x) => x.stem), natural[locale]!.tokenizeAndStem(text, true), `${locale} keepStops: ${JSON.stringify(text)}`);
          assert.deepEqual(split.filter((x) => !x.stop).map((x) => x.stem), natural[locale]!.tokenizeAndStem(text), `${locale}: ${JSON.stringify(text)}`);
        }
      }
    });
  }

  it('locales other than pt-BR and es use the English rules, and one instance serves each', () => {
    assert.equal(stemmedTokensFor('fr'), stemmedTokensFor('en'));
    assert.deepEqual(stemmedTokensFor('fr').split('Running orders').map((x) => x.stem), ['run', 'order']);
    assert.notEqual(stemmedTokensFor('es'), stemmedTokensFor('pt-BR'));
  });
});
