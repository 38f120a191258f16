/**
 * Value at risk: what the business stands to lose in this conversation.
 *
 * @example
 * valueAtRisk(profile, { order_number: 'A12345' }, 0); // { tier: 'standard', maxOrderTotal: 42.5, amountNamed: 0, stake: 42.5 }
 */
import type { CustomerProfile } from '../core/conversation.js';

/** Tier, largest order, amount named, and the stake of this conversation in dollars. */
export interface ValueSignal {
  readonly tier: 'standard' | 'b2b';
  readonly maxOrderTotal: number;
  readonly amountNamed: number;
  readonly stake: number;
}

/**
 * `stake` is the money this conversation is about: the total of the order being discussed (looked
 * up in the profile) or the largest amount the customer named, whichever is larger. The customer's
 * other orders do not count: a $40 question from a customer who once spent $2,000 is a $40 question.
 */
export function valueAtRisk(profile: CustomerProfile | null, collected: Readonly<Record<string, unknown>>, amountNamed: number): ValueSignal {
  const orders = profile?.orders ?? [];
  const maxOrderTotal = orders.reduce((m, o) => Math.max(m, o.total), 0);
  const orderNumber = typeof collected.order_number === 'string' ? collected.order_number : undefined;
  const discussed = orderNumber === undefined ? 0 : (orders.find((o) => o.number.toUpperCase() === orderNumber)?.total ?? 0);
  return { tier: profile?.tier ?? 'standard', maxOrderTotal, amountNamed, stake: Math.max(discussed, amountNamed) };
}
