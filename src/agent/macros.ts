/**
 * Response macros (manifest.json `console.macros`) with `{placeholders}` filled from what the
 * conversation knows: `{agent.name}`, `{agent.id}`, `{customer.name}`, `{customer.email}`,
 * `{customer.id}`, `{customer.zip}`, any collected field by name (`{order_number}`) or as
 * `{collected.order_number}`. A placeholder with no value is left as it is, so the agent sees
 * what to fill in before sending. Pure: the console page uses it too.
 *
 * @example
 * fillMacro('Hi {customer.name}, order {order_number}?', {
 *   agent: { id: 'ana', name: 'Ana' },
 *   customer: { id: 'c-1001', name: 'Maria' },
 *   collected: { order_number: 'A1001' },
 * }); // 'Hi Maria, order A1001?'
 */

/**
 * What placeholders are filled from.
 *
 * @example
 * const ctx: MacroContext = { agent: { id: 'ana', name: 'Ana' }, customer: packet.customer, collected: packet.collected };
 */
export interface MacroContext {
  readonly agent: { readonly id: string; readonly name: string };
  readonly customer: { readonly id?: string; readonly name?: string; readonly email?: string; readonly zip?: string } | null;
  readonly collected: Readonly<Record<string, unknown>>;
}

const PLACEHOLDER = /\{([A-Za-z_][\w.]*)\}/g;

function scalar(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return undefined;
}

/**
 * The value of one placeholder name, or undefined when the conversation does not know it.
 *
 * @example
 * placeholderValue('order_number', { agent, customer: null, collected: { order_number: 'A1' } }); // 'A1'
 */
export function placeholderValue(name: string, ctx: MacroContext): string | undefined {
  if (name === 'agent.name') return ctx.agent.name;
  if (name === 'agent.id') return ctx.agent.id;
  if (name.startsWith('customer.')) {
    const field = name.slice('customer.'.length);
    const fromProfile = ctx.customer === null ? undefined : scalar((ctx.customer as Record<string, unknown>)[field]);
    // a name the bot collected (e.g. asked during the conversation) beats none at all
    return fromProfile ?? scalar(ctx.collected[`customer_${field}`]) ?? (field === 'name' ? scalar(ctx.collected['name']) : undefined);
  }
  if (name.startsWith('collected.')) return scalar(ctx.collected[name.slice('collected.'.length)]);
  return scalar(ctx.collected[name]);
}

/**
 * Fills every known placeholder of a macro text; unknown ones stay visible.
 *
 * @example
 * fillMacro('Order {order_number}', { agent: { id: 'ana', name: 'Ana' }, customer: null, collected: {} }); // 'Order {order_number}'
 */
export function fillMacro(text: string, ctx: MacroContext): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => placeholderValue(name, ctx) ?? whole);
}

/**
 * The placeholders a (filled) text still contains, e.g. to warn the agent before sending.
 *
 * @example
 * unfilledPlaceholders('Order {order_number}'); // ['order_number']
 */
export function unfilledPlaceholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}
