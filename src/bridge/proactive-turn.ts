/**
 * Which `continueConversation` turns are really ours. botbuilder adapters build a proactive turn as
 * an event named `continueConversation`, but a customer can send an event with that very name (web
 * chat, Direct Line): the name alone must not let a customer's activity skip the handoff middleware.
 * So a `continueConversation` event counts as proactive only when the code that started it ran it
 * inside {@link runProactive} (agent delivery, burst answers, a host's own proactive messages) —
 * an async-context mark no activity from the network can carry.
 *
 * @example
 * await runProactive(() => adapter.continueConversation(reference, async (ctx) => { await ctx.sendActivity('Your order shipped'); }));
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<true>();

/**
 * Runs `fn` (which calls `adapter.continueConversation`) so the handoff middleware lets the
 * proactive turn through instead of treating it as the customer's.
 *
 * @example
 * await runProactive(() => adapter.continueConversation(ref, logic));
 */
export function runProactive<T>(fn: () => Promise<T>): Promise<T> {
  return scope.run(true, fn);
}

/** True inside {@link runProactive}. @example if (inProactiveScope()) … */
export function inProactiveScope(): boolean {
  return scope.getStore() === true;
}
