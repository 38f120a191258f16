/**
 * Suggested actions (quick replies) as WhatsApp shows them: on the Cloud API, interactive reply
 * buttons (up to 3 options, titles up to 20 characters) or a list message (up to 10 rows, titles up
 * to 24 characters), within Meta's documented limits; otherwise — more options, longer titles, two
 * options with the same title, no text to carry them, or whatsapp-web.js — the numbered text list
 * ("1. Yes / 2. No", a reply "2" picks the second). Every option carries a reply id, so a tap maps
 * back to the option exactly, and the numbered text is always there as the fallback.
 *
 * @example
 * const c = renderChoices('Which shipping?', [{ type: 'imBack', title: 'Express', value: 'express' }], { interactive: true, listButton: 'Options', nonce: 'k3' });
 * c.interactive?.type; // 'button'
 * c.options[0]?.id;    // 'k3.1'
 */
import type { CardAction } from 'botbuilder';
import { renderNumberedOptions, type NumberedOption } from './numbered-options.js';
import { plainTitle } from './whatsapp-format.js';

/** Meta's limits for interactive messages (Cloud API "Interactive reply buttons" and "list messages"). */
export const INTERACTIVE_LIMITS = {
  buttons: { max: 3, titleMax: 20, idMax: 256, bodyMax: 1024 },
  list: { rowsMax: 10, titleMax: 24, idMax: 200, descriptionMax: 72, bodyMax: 4096, buttonMax: 20, sectionTitleMax: 24 },
} as const;

/** `interactive` of a reply-buttons message. */
export interface InteractiveButtons {
  readonly type: 'button';
  readonly body: { readonly text: string };
  readonly action: { readonly buttons: ReadonlyArray<{ readonly type: 'reply'; readonly reply: { readonly id: string; readonly title: string } }> };
}

/** `interactive` of a list message. */
export interface InteractiveList {
  readonly type: 'list';
  readonly body: { readonly text: string };
  readonly action: {
    readonly button: string;
    readonly sections: ReadonlyArray<{ readonly title: string; readonly rows: ReadonlyArray<{ readonly id: string; readonly title: string }> }>;
  };
}

export type InteractivePayload = InteractiveButtons | InteractiveList;

/** The rendered choices: options to remember, the numbered text, and the interactive form when it fits. */
export interface RenderedChoices {
  readonly options: NumberedOption[];
  /** The numbered text ("Continue?\n\n1. Yes\n2. No"): sent when there is no interactive form or it is refused. */
  readonly fallback: string;
  readonly interactive?: InteractivePayload;
}

/** Length as WhatsApp counts it (characters, not UTF-16 units). */
export function charLength(s: string): number {
  return Array.from(s).length;
}

/**
 * Renders suggested actions for WhatsApp.
 *
 * @example
 * renderChoices('Pick one', actions, { interactive: false, listButton: 'Options', nonce: 'a' }).fallback; // 'Pick one\n\n1. …'
 */
export function renderChoices(
  text: string,
  actions: readonly Partial<CardAction>[],
  opts: { readonly interactive: boolean; readonly listButton: string; readonly nonce: string },
): RenderedChoices {
  const numbered = renderNumberedOptions(text, actions);
  const options = numbered.options.map((o, i) => ({ ...o, id: `${opts.nonce}.${i + 1}` }));
  const base = { options, fallback: numbered.body };
  if (!opts.interactive || options.length === 0) return base;
  const body = text.trim();
  const titles = options.map((o) => plainTitle(o.title));
  const usable = body !== '' && titles.every((t) => t !== '') && new Set(titles).size === titles.length;
  if (!usable) return base;
  const longest = Math.max(...titles.map(charLength));
  const b = INTERACTIVE_LIMITS.buttons;
  if (options.length <= b.max && longest <= b.titleMax && charLength(body) <= b.bodyMax) {
    return {
      ...base,
      interactive: { type: 'button', body: { text: body }, action: { buttons: options.map((o, i) => ({ type: 'reply', reply: { id: o.id, title: titles[i] as string } })) } },
    };
  }
  const l = INTERACTIVE_LIMITS.list;
  const button = plainTitle(opts.listButton);
  if (options.length <= l.rowsMax && longest <= l.titleMax && charLength(body) <= l.bodyMax && button !== '' && charLength(button) <= l.buttonMax) {
    return {
      ...base,
      interactive: {
        type: 'list',
        body: { text: body },
        action: { button, sections: [{ title: Array.from(button).slice(0, l.sectionTitleMax).join(''), rows: options.map((o, i) => ({ id: o.id, title: titles[i] as string })) }] },
      },
    };
  }
  return base;
}

/** The offered option a tapped button / list row refers to, by its reply id. @example optionById(offered, 'k3.2')?.value */
export function optionById(offered: readonly NumberedOption[] | undefined, id: string | undefined): NumberedOption | undefined {
  if (offered === undefined || id === undefined) return undefined;
  return offered.find((o) => o.id === id);
}
