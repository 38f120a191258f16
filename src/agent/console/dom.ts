/**
 * Tiny DOM builder for the console page. Text is always set with `textContent`: nothing a
 * customer (or anyone) typed is ever parsed as HTML, and its bidi controls are shown as
 * `[U+202E]` instead of reordering what the agent reads.
 *
 * @example
 * const item = h('li', { class: 'line from-customer' }, h('span', { class: 'who' }, 'Customer'), text);
 */

import { neutralizeBidi } from '../../core/bidi.js';

type Child = Node | string | null | undefined | false;

/**
 * Attributes: strings become attributes, `on*` functions become listeners.
 *
 * @example
 * h('button', { type: 'button', class: 'send', onclick: () => send() }, 'Send');
 */
export type Attrs = Record<string, string | number | boolean | ((e: Event) => void) | undefined>;

/**
 * Creates an element with attributes, listeners and text/element children.
 *
 * @example
 * const li = h('li', { class: 'line' }, h('span', {}, 'Customer'), text);
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') node.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, String(value));
  }
  append(node, ...children);
  return node;
}

/**
 * Appends children; strings become text nodes.
 *
 * @example
 * append(list, h('li', {}, 'one'), 'plain text');
 */
export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    // bidi controls are shown, not obeyed: "\u202Egnp.exe" must not read "exe.png" (src/core/bidi.ts)
    parent.appendChild(typeof c === 'string' ? document.createTextNode(neutralizeBidi(c)) : c);
  }
}

/**
 * Replaces every child of a node.
 *
 * @example
 * replace(box, h('p', {}, 'Nothing here'));
 */
export function replace(parent: Node, ...children: Child[]): void {
  while (parent.firstChild !== null) parent.removeChild(parent.firstChild);
  append(parent, ...children);
}
