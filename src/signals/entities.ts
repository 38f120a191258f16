/**
 * Entity extraction: pure functions from a message to the entities the sample domain and the
 * value signal need. Order numbers are a letter and five digits, stored upper-case.
 *
 * @example
 * extractEntities("it's a12345, about $140"); // { order_number: 'A12345', amount: 140 }
 */
export interface Entities {
  order_number?: string;
  email?: string;
  zip?: string;
  amount?: number;
  quantity?: number;
}

const ORDER = /\b([a-z])[-\s]?(\d{5})\b/i;
const EMAIL = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/;
const ZIP = /(?<![\d$.,])\b(\d{5})\b(?![\d.,])/;
// "$140", "$1,250.50", "R$ 140,00", "€90", "140 dollars", "140 USD", "140 reais"
const MONEY_PREFIX = /(?:US\$|R\$|\$|€|£)\s?(\d{1,3}(?:[.,]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)/i;
const MONEY_SUFFIX = /\b(\d{1,3}(?:[.,]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)\s?(?:dollars?|usd|bucks|reais|real|euros?|eur|d[oó]lares?|pesos?)\b/i;
const QUANTITY = /\b(\d{1,6})\s+(?!dollars?|usd|bucks|reais|euros?|d[oó]lares?|pesos?|minutes?|hours?|days?|weeks?|months?|years?|seconds?)[a-z\u00c0-\u017f]+/i;

/** Parse "1,250.50" (en) or "1.250,50" / "140,00" (pt/es) into a number of dollars. */
export function parseMoney(raw: string): number {
  const s = raw.trim();
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  let normalised: string;
  if (lastComma > lastDot) {
    // comma is the decimal separator when followed by 1-2 digits at the end ("140,00"), else thousands
    normalised = /,\d{1,2}$/.test(s) ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
  } else {
    normalised = /\.\d{1,2}$/.test(s) ? s.replace(/,/g, '') : s.replace(/[.,]/g, '');
  }
  const n = Number(normalised);
  return Number.isFinite(n) ? n : 0;
}

/** Entities in one message. @example extractEntities('order a12345') // { order_number: 'A12345' } */
export function extractEntities(text: string): Entities {
  const out: Entities = {};
  const order = ORDER.exec(text);
  if (order?.[1] !== undefined && order[2] !== undefined) out.order_number = `${order[1].toUpperCase()}${order[2]}`;
  const email = EMAIL.exec(text);
  if (email !== null) out.email = email[0].toLowerCase();
  // a ZIP is five digits that are not part of an order number or an amount
  const withoutOrder = order === null ? text : text.replace(order[0], ' ');
  const money = MONEY_PREFIX.exec(withoutOrder) ?? MONEY_SUFFIX.exec(withoutOrder);
  if (money?.[1] !== undefined) out.amount = parseMoney(money[1]);
  const withoutMoney = money === null ? withoutOrder : withoutOrder.replace(money[0], ' ');
  const zip = ZIP.exec(withoutMoney);
  if (zip?.[1] !== undefined) out.zip = zip[1];
  const qty = QUANTITY.exec(withoutMoney);
  if (qty?.[1] !== undefined && zip?.[1] !== qty[1]) out.quantity = Number(qty[1]);
  return out;
}
