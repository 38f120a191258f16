/**
 * Which `continueConversation` turns are really ours. botbuilder adapters build a proactive turn as
 * an event named `continueConversation`, but a customer can send an event with that very name (web
 * chat, Direct Line): the name alone must not let a customer's activity skip the handoff middleware.
 * So a `continueConversation` event counts as proactive only when the code that started it ran it
 * inside {@link runProactive} — an async-context mark no activity from the network can carry — or
 * when it has no timestamp (every activity a channel delivers has one; the event botbuilder builds
 * for a proactive turn from a conversation reference has none). The mark says whose turn it is: `'handover'` (agent delivery, burst
 * answers: it passes the gate) or `'host'` (the bot's own proactive message: it runs only while the
 * bot owns the chat, and is recorded).
 *
 * @example
 * await runProactive(() => adapter.continueConversation(reference, async (ctx) => { await ctx.sendActivity('Your order shipped'); }));
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** Whose proactive turn: this package's (agent messages, burst answers) or the host bot's own. */
export type ProactiveOwner = 'handover' | 'host';

const scope = new AsyncLocalStorage<ProactiveOwner>();

/**
 * Runs `fn` (which calls `adapter.continueConversation`) so the handoff middleware lets the
 * proactive turn through instead of treating it as the customer's.
 *
 * @example
 * await runProactive(() => adapter.continueConversation(ref, logic));
 */
export function runProactive<T>(fn: () => Promise<T>, owner: ProactiveOwner = 'handover'): Promise<T> {
  return scope.run(owner, fn);
}

/** True inside {@link runProactive}. @example if (inProactiveScope()) … */
export function inProactiveScope(): boolean {
  return scope.getStore() !== undefined;
}

/** Whose proactive turn is running here (undefined outside {@link runProactive}). @example proactiveOwner() // 'host' */
export function proactiveOwner(): ProactiveOwner | undefined {
  return scope.getStore();
}
