import type { CardAction } from 'botbuilder';

/** One offered choice: what the customer sees and what the bot gets back when it is picked. */
export interface NumberedOption {
  readonly title: string;
  /** Text the bot receives (imBack semantics: the action's value when it is a string, else the title). */
  readonly text: string;
  /** The action's raw value, passed on as `activity.value` (postBack / messageBack semantics). */
  readonly value: unknown;
  /** The reply id of an interactive button or list row offering it (Cloud API), to map a tap back. */
  readonly id?: string;
}

/**
 * whatsapp-web.js has no quick-reply buttons (and the Cloud API's have limits: see `renderChoices`), so
 * suggested actions are rendered as a numbered list and a later reply "2" is mapped back to the second option.
 *
 * @example
 * const r = renderNumberedOptions('Continue?', [{ type: 'imBack', title: 'Yes', value: 'yes' }, { type: 'imBack', title: 'No', value: 'no' }]);
 * r.body;    // 'Continue?\n\n1. Yes\n2. No'
 * resolveNumberedReply(r.options, ' 2 ')?.text; // 'no'
 */
export function renderNumberedOptions(
  text: string | undefined,
  actions: readonly Partial<CardAction>[],
): { body: string; options: NumberedOption[] } {
  const options = actions.map((a): NumberedOption => {
    const title = String(a.title ?? a.text ?? a.value ?? '');
    const text = typeof a.value === 'string' ? a.value : typeof a.text === 'string' ? a.text : title;
    return { title, text, value: a.value ?? text };
  });
  const list = options.map((o, i) => `${i + 1}. ${o.title}`).join('\n');
  const head = text === undefined || text.trim() === '' ? '' : `${text}\n\n`;
  return { body: `${head}${list}`, options };
}

/**
 * Maps a reply like "2", " 2. " or "2)" to the offered option; undefined when the reply is not one of
 * the numbers (then the customer's own words go to the bot unchanged).
 *
 * @example
 * resolveNumberedReply([{ title: 'Yes', text: 'yes', value: 'yes' }], '1')?.value; // 'yes'
 */
export function resolveNumberedReply(options: readonly NumberedOption[], reply: string): NumberedOption | undefined {
  const m = /^\s*(\d{1,2})\s*[.)]?\s*$/.exec(reply);
  if (m === null || m[1] === undefined) return undefined;
  return options[Number(m[1]) - 1];
}
