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

/** An adapter answering a route's bursts, and the bot's app id its proactive turns need (CloudAdapter). */
export interface BurstHost {
  readonly adapter: BotAdapter;
  readonly botAppId?: string;
}

const hosts = new WeakMap<object, Map<string, BurstHost>>();

/** Registers `adapter` as the one answering `route`'s bursts; returns the function that unregisters it. */
export function serveBursts(stores: object, route: string, adapter: BotAdapter, botAppId?: string): () => void {
  let routes = hosts.get(stores);
  if (routes === undefined) hosts.set(stores, (routes = new Map()));
  const host: BurstHost = botAppId === undefined ? { adapter } : { adapter, botAppId };
  routes.set(route, host);
  return () => {
    if (routes.get(route) === host) routes.delete(route);
  };
}

/** The adapter registered for `route` on these stores, if any. */
export function burstHost(stores: object, route: string): BurstHost | undefined {
  return hosts.get(stores)?.get(route);
}
