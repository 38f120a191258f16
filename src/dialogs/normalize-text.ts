/**
 * What people type, brought to what the recogniser knows: lower case, no accents, runs of a letter
 * cut ("holaaa" → "hola", "pleaseee" → "please"), entity values (order numbers, e-mails, amounts)
 * replaced by a placeholder word, and each locale's chat shorthand spelled out ("vc" → "voce",
 * "xq" → "porque", "thx" → "thanks"). The same function runs on training examples and on messages,
 * so the two meet in one vocabulary.
 *
 * Shorthand lists are per locale and deliberately short: only forms whose meaning is not in doubt
 * in a shop's chat ("q" is "que" in pt-BR and es; in English it means nothing and is left alone).
 *
 * @example
 * normalizeWords('Cadê meu pedido K48213?? vc pode ver pfv', 'pt-BR');
 * // ['cade', 'meu', 'pedido', 'ordernumber', 'voce', 'pode', 'ver', 'por', 'favor']
 */

import { foldText } from '../core/fold-text.js';

/** Shorthand → full form, per locale (keys and values without accents, lower case). */
const SHORTHAND: Record<'en' | 'pt-BR' | 'es', Readonly<Record<string, string>>> = {
  en: {
    u: 'you', ur: 'your', urs: 'yours', r: 'are', y: 'why', pls: 'please', plz: 'please', plss: 'please', pleas: 'please',
    thx: 'thanks', thnx: 'thanks', thanx: 'thanks', tnx: 'thanks', tx: 'thanks', ty: 'thank you', tysm: 'thank you so much',
    wheres: 'where is', whats: 'what is', hows: 'how is', whens: 'when is', cant: 'cannot', wont: 'will not', dont: 'do not',
    didnt: 'did not', doesnt: 'does not', isnt: 'is not', hasnt: 'has not', havent: 'have not', wasnt: 'was not', im: 'i am',
    ive: 'i have', idk: 'i do not know', pkg: 'package', pckg: 'package', acct: 'account', acc: 'account',
    addr: 'address', asap: 'as soon as possible', ppl: 'people', sb: 'somebody', smb: 'somebody', sth: 'something',
    smth: 'something', msg: 'message', pw: 'password', pwd: 'password', info: 'information', b4: 'before', '2day': 'today',
    tmrw: 'tomorrow', tmr: 'tomorrow', tomoro: 'tomorrow', rn: 'right now', wanna: 'want to', gonna: 'going to',
    gotta: 'got to', hv: 'have', abt: 'about', bc: 'because', cuz: 'because', coz: 'because', cos: 'because', w: 'with',
    wo: 'without', sub: 'subscription', subs: 'subscription', hrs: 'hours', hr: 'hour', mins: 'minutes',
    min: 'minute', yr: 'year', yrs: 'years', wk: 'week', wks: 'weeks', k: 'ok', kk: 'ok', okay: 'ok', okey: 'ok',
    bye: 'bye', byee: 'bye', cya: 'see you', ttyl: 'talk to you later', hii: 'hi', hiii: 'hi', helo: 'hello', hellp: 'help',
    rep: 'representative', rly: 'really', pic: 'picture', b2b: 'business',
  },
  'pt-BR': {
    vc: 'voce', vcs: 'voces', voc: 'voce', ce: 'voce', pfv: 'por favor', pf: 'por favor', pfvr: 'por favor', pfvor: 'por favor',
    porfa: 'por favor', obg: 'obrigado', obgd: 'obrigado', obgda: 'obrigada', obrigadao: 'obrigado', brigado: 'obrigado',
    brigada: 'obrigada', vlw: 'valeu', vlww: 'valeu', q: 'que', oq: 'o que', pq: 'porque', pqe: 'porque', tb: 'tambem',
    tbm: 'tambem', tmb: 'tambem', kd: 'cade', cadê: 'cade', hj: 'hoje', qdo: 'quando', qnd: 'quando', qndo: 'quando',
    n: 'nao', ñ: 'nao', naum: 'nao', nn: 'nao', to: 'estou', tô: 'estou', ta: 'esta', tá: 'esta', tao: 'estao', tava: 'estava',
    msm: 'mesmo', td: 'tudo', tds: 'todos', blz: 'beleza', p: 'para', pra: 'para', pro: 'para o', pros: 'para os',
    cmg: 'comigo', ctg: 'contigo', agr: 'agora', dps: 'depois', dnv: 'de novo', mt: 'muito', mto: 'muito',
    mta: 'muita', mts: 'muitos', vdd: 'verdade', tmj: 'tamo junto', flw: 'falou', fds: 'fim de semana', add: 'adicionar',
    msg: 'mensagem', qto: 'quanto', qnt: 'quanto', qt: 'quanto', qual: 'qual', ngm: 'ninguem', alguem: 'alguem', mds: 'meu deus',
    aki: 'aqui', aq: 'aqui', eh: 'e', sao: 'sao', ok: 'ok', okay: 'ok', oii: 'oi', oie: 'oi', olaa: 'ola', bom: 'bom', info: 'informacao',
    ender: 'endereco', assin: 'assinatura', nf: 'nota fiscal', cpf: 'cpf', cartao: 'cartao',
  },
  es: {
    q: 'que', k: 'que', ke: 'que', qe: 'que', xq: 'porque', pq: 'porque', porq: 'porque', xk: 'porque', x: 'por',
    porfa: 'por favor', porfis: 'por favor', xfa: 'por favor', xfavor: 'por favor', pfa: 'por favor', plis: 'por favor',
    pls: 'por favor', tb: 'tambien', tmb: 'tambien', tbn: 'tambien', d: 'de', toy: 'estoy', toi: 'estoy', sta: 'esta',
    tas: 'estas', grax: 'gracias', grcs: 'gracias', gracias: 'gracias', graciass: 'gracias', mxs: 'muchas', msj: 'mensaje',
    msg: 'mensaje', dnd: 'donde', dond: 'donde', cdo: 'cuando', qndo: 'cuando', cuanto: 'cuanto', hla: 'hola', ola: 'hola',
    holis: 'hola', wenas: 'buenas', buenass: 'buenas', bn: 'bien', tmbn: 'tambien', nd: 'nada', ntp: 'no te preocupes',
    info: 'informacion', dir: 'direccion', suscrip: 'suscripcion', sub: 'suscripcion', ok: 'ok', okey: 'ok', oka: 'ok',
    vale: 'vale', mñn: 'manana', mnn: 'manana', hoy: 'hoy', aki: 'aqui', aqi: 'aqui', alguien: 'alguien', salu2: 'saludos',
    xa: 'para', pa: 'para', pal: 'para el', ud: 'usted', uds: 'ustedes', vdd: 'verdad', tqm: 'te quiero mucho',
  },
};

/**
 * Other companies and services customers mention when they write to the wrong business ("my
 * netflix payment failed", "cadê meu pedido da shopee"): one placeholder word, so the recogniser
 * learns from the out-of-scope corpus that a message about another brand's order, bill or account
 * is not this shop's. Left out: payment methods, wallets and banks (visa, paypal, pix, nubank: a
 * customer's card is declined here too), carriers (ups, correios), e-mail and social networks, and
 * any brand that is also a common word (claro, oi, target, orange). A designer whose shop sells
 * or partners with a brand edits this list.
 */
export const OTHER_BRANDS: ReadonlySet<string> = new Set(
  `amazon aliexpress shopee shein temu ebay etsy walmart costco bestbuy ikea wayfair mercadolivre mercadolibre
   magalu magazineluiza americanas casasbahia kabum centauro netshoes submarino carrefour pontofrio liverpool coppel elcorteingles fnac
   zara netflix spotify disney disneyplus hbo hbomax primevideo globoplay paramount deezer youtube twitch crunchyroll
   starplus applemusic appletv uber ubereats ifood rappi didi cabify lyft doordash grubhub glovo pedidosya
   deliveroo airbnb expedia decolar despegar movistar telcel att verizon tmobile tigo entel vodafone latam
   aeromexico avianca iberia vueling ryanair jetblue volaris vivaaerobus aerolineas playstation xbox nintendo fortnite roblox
   minecraft serasa detran inss irs dmv sunat afip mcdonalds burgerking starbucks kfc dominos subway
   pizzahut oxxo`.split(/\s+/),
);
const OTHER_BRAND_PHRASES = new RegExp(
  `\\b(?:${['mercado libre', 'mercado livre', 'magazine luiza', 'casas bahia', 'el corte ingles', 'best buy', 'prime video', 'disney plus', 'disney\\+', 'hbo max', 'apple music', 'apple tv', 'uber eats', 'pedidos ya', 'american airlines', 'aerolineas argentinas', 'viva aerobus', 'burger king', 'pizza hut', 't-mobile', 'at&t', 'star\\+', 'ponto frio'].join('|')})(?![a-z])`,
  'g',
);

/** Order numbers, e-mails, amounts and bare numbers, as the entity extractor sees them. */
const ENTITIES: readonly [RegExp, string][] = [
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, ' emailaddress '],
  [/(?:us\$|r\$|\$|€|£)\s?\d[\d.,]*|\b\d[\d.,]*\s?(?:dollars?|bucks|reais|real|pesos?|euros?|usd|brl|mxn)\b/g, ' moneyamount '],
  [/\b[a-z][-\s]?\d{5}\b/g, ' ordernumber '],
  [/\b\d+\b/g, ' number '],
];

const LOCALES = new Set(['en', 'pt-BR', 'es']);
type Locale = keyof typeof SHORTHAND;
const asLocale = (l: string): Locale => (LOCALES.has(l) ? (l as Locale) : 'en');

export { foldText };

/** Words of the message after folding, entity placeholders and shorthand (in that order). */
export function normalizeWords(text: string, locale: string): string[] {
  let t = foldText(text);
  for (const [re, word] of ENTITIES) t = t.replace(re, word);
  t = t.replace(OTHER_BRAND_PHRASES, ' otherbrand ');
  const words = t.split(/[^a-z0-9ñ]+/).filter((w) => w.length > 0);
  const short = SHORTHAND[asLocale(locale)];
  const out: string[] = [];
  for (const w of words) {
    const full = Object.hasOwn(short, w) ? short[w]! : undefined;
    if (full === undefined) out.push(OTHER_BRANDS.has(w) ? 'otherbrand' : w);
    else for (const part of full.split(' ')) out.push(part);
  }
  return out;
}

/** The placeholder words entity values become (they say which entity, never its value). */
export const ENTITY_WORDS: ReadonlySet<string> = new Set(['emailaddress', 'moneyamount', 'ordernumber', 'number', 'otherbrand']);
