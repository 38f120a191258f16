/**
 * Which adapter answers the bursts of a relay route in this process. A burst is answered with a
 * proactive turn on its channel's adapter, like an agent's message, so the process that delivers
 * agent messages on a route can answer that route's bursts too: `attachAgentDelivery` registers
 * its adapter here, keyed by the stores object the deployment shares (so two deployments in one
 * process, as in tests, never answer each other's bursts). `BurstWindow` looks adapters up here
 * when it sweeps for the bursts of a process that died.
 *
 * @example
 * const stop = serveBursts(stores, 'webchat', adapter);
 * burstHost(stores, 'webchat'); // adapter
 * stop();
 */
import type { BotAdapter } from 'botbuilder';

const hosts = new WeakMap<object, Map<string, BotAdapter>>();

/** Registers `adapter` as the one answering `route`'s bursts; returns the function that unregisters it. */
export function serveBursts(stores: object, route: string, adapter: BotAdapter): () => void {
  let routes = hosts.get(stores);
  if (routes === undefined) hosts.set(stores, (routes = new Map()));
  routes.set(route, adapter);
  return () => {
    if (routes.get(route) === adapter) routes.delete(route);
  };
}

/** The adapter registered for `route` on these stores, if any. */
export function burstHost(stores: object, route: string): BotAdapter | undefined {
  return hosts.get(stores)?.get(route);
}
