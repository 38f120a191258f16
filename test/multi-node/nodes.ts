/**
 * "Handover nodes" for scale-out tests: each node is what one process of a deployment runs — its
 * own createRedisStores (connections), createHandover (middleware, bot, service), SimAdapter
 * (its channel instance) and delivery listener on its own relay route — and every node uses the
 * same Redis and prefix. Several nodes in one test process behave as several processes: they
 * share nothing but Redis (and, for determinism, one manual clock).
 */
import type { Activity } from 'botbuilder';
import { createHandover, type Handover } from '../../src/app.js';
import { attachAgentDelivery } from '../../src/bridge/agent-delivery.js';
import { SimAdapter } from '../../src/channels/sim/sim-adapter.js';
import type { ManualClock } from '../../src/core/clock.js';
import type { DomainEvent } from '../../src/core/events.js';
import { StaticCustomerDirectory } from '../../src/core/static-customer-directory.js';
import { createRedisStores, type RedisStores, type RedisStoresOptions } from '../../src/store/redis/index.js';
import { customers, manifest } from '../support/harness.js';
import { REDIS_URL } from '../support/redis.js';

export interface HandoverNode {
  readonly name: string;
  /** The relay route this node's channel instance receives agent messages on. */
  readonly route: string;
  readonly stores: RedisStores;
  readonly app: Handover;
  readonly adapter: SimAdapter;
  /** Every domain event this node's bus delivered to it (its own and, through Redis, the others'). */
  readonly events: DomainEvent[];
  /** Errors reported by the middleware and the stores. */
  readonly errors: { error: unknown; where: string }[];
  /** A customer turn on this node; returns what was sent back in the turn. */
  say(conversation: string, text: string, customerId?: string): Promise<Partial<Activity>[]>;
  /** Message texts sent to the customer of `conversation` through this node's adapter, so far. */
  sentTexts(conversation: string): string[];
  /** Stops delivery and closes the stores' connections; the keys stay (a process going away). */
  close(): Promise<void>;
}

export interface NodeOptions {
  readonly name: string;
  readonly prefix: string;
  readonly clock: ManualClock;
  /** Default: the node's name. */
  readonly route?: string;
  /** Whether this node listens on its route and delivers to its adapter. Default true. */
  readonly deliver?: boolean;
  readonly url?: string;
  readonly stores?: Partial<RedisStoresOptions>;
}

export async function startNode(opts: NodeOptions): Promise<HandoverNode> {
  const errors: { error: unknown; where: string }[] = [];
  const route = opts.route ?? opts.name;
  const stores = await createRedisStores({
    url: opts.url ?? REDIS_URL,
    prefix: opts.prefix,
    onError: (error) => errors.push({ error, where: 'stores' }),
    relay: { retryMinMs: 20, retryMaxMs: 200 },
    ...opts.stores,
  });
  const app = createHandover({
    manifest,
    stores,
    clock: opts.clock,
    directory: new StaticCustomerDirectory(customers),
    route: () => route,
    onError: (error, where) => errors.push({ error, where }),
  });
  const adapter = new SimAdapter('webchat');
  adapter.use(app.middleware);
  const events: DomainEvent[] = [];
  stores.events.subscribe((e) => {
    events.push(e);
  });
  const stop = opts.deliver === false ? async () => {} : await attachAgentDelivery({ adapter, stores, route });
  let closing: Promise<void> | undefined;
  return {
    name: opts.name,
    route,
    stores,
    app,
    adapter,
    events,
    errors,
    say: (conversation, text, customerId = 'c-1001') =>
      adapter.receive({ conversationId: conversation, userId: customerId, text, timestamp: new Date(opts.clock.now()) }, (ctx) => app.bot.run(ctx)),
    sentTexts: (conversation) => (adapter.sent.get(conversation) ?? []).filter((a) => a.type === 'message').map((a) => a.text ?? ''),
    close: () =>
      (closing ??= (async () => {
        await stop();
        await stores.close();
      })()),
  };
}

/** Polls `cond` until it holds (no timing assertion: it only bounds how long a broken run waits). */
export async function waitUntil(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > timeoutMs) throw new Error(`still waiting for ${what} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
