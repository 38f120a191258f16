/**
 * A conversation harness: the real middleware, the real dialogs and the real handoff service on
 * the memory store (or given stores), driven through a botbuilder BotAdapter with a manual clock.
 */
import { readFileSync } from 'node:fs';
import type { Activity } from 'botbuilder';
import { createHandover, type Handover } from '../../src/app.js';
import { ManualClock } from '../../src/core/clock.js';
import type { CustomerProfile } from '../../src/core/conversation.js';
import { conversationId, type ConversationId } from '../../src/core/ids.js';
import type { Stores } from '../../src/core/ports/stores.js';
import { StaticCustomerDirectory } from '../../src/core/static-customer-directory.js';
import { parseManifest } from '../../src/config/load-config.js';
import { SimAdapter } from '../../src/channels/sim/sim-adapter.js';
import { attachAgentDelivery } from '../../src/bridge/agent-delivery.js';
import { createMemoryStores } from '../../src/store/memory/index.js';

export const manifest = parseManifest(JSON.parse(readFileSync('manifest.json', 'utf8')));
export const customers = JSON.parse(readFileSync('data/customers.json', 'utf8')) as CustomerProfile[];

export interface Harness {
  readonly app: Handover;
  readonly adapter: SimAdapter;
  readonly clock: ManualClock;
  readonly stores: Stores;
  readonly errors: { error: unknown; where: string }[];
  readonly id: ConversationId;
  readonly conversation: string;
  /** Send a customer message at `atSeconds` (virtual) and return every activity sent back. */
  send(text: string, atSeconds?: number, extra?: { type?: string; locale?: string; name?: string }): Promise<Partial<Activity>[]>;
  /** Texts of the messages in `send`'s result. */
  say(text: string, atSeconds?: number): Promise<string[]>;
  /** Everything sent to the customer so far (bot, system and agent messages). */
  sent(): Partial<Activity>[];
  close(): Promise<void>;
}

export async function harness(
  opts: { customerId?: string; stores?: Stores; conversation?: string; channel?: string; manifest?: typeof manifest; clock?: ManualClock } = {},
): Promise<Harness> {
  const clock = opts.clock ?? new ManualClock(Date.UTC(2026, 0, 5, 15));
  const start = opts.clock === undefined ? clock.now() : Date.UTC(2026, 0, 5, 15);
  const stores = opts.stores ?? createMemoryStores();
  const errors: { error: unknown; where: string }[] = [];
  const channel = opts.channel ?? 'webchat';
  const conversation = opts.conversation ?? `conv-${Math.random().toString(36).slice(2)}`;
  // each harness is its own "node": agent messages for its conversation come back on its own route
  const route = opts.stores === undefined ? channel : `${channel}:${conversation}`;
  const app = createHandover({
    route: () => route,
    manifest: opts.manifest ?? manifest,
    stores,
    clock,
    directory: new StaticCustomerDirectory(customers),
    onError: (error, where) => errors.push({ error, where }),
  });
  const adapter = new SimAdapter(channel);
  adapter.use(app.middleware);
  const stop = await attachAgentDelivery({ adapter, stores, route });
  const id = conversationId(`${channel}:${conversation}`);
  const customerId = opts.customerId ?? 'c-1001';
  const send = async (text: string, atSeconds?: number, extra: { type?: string; locale?: string; name?: string } = {}) => {
    if (atSeconds !== undefined) clock.set(start + atSeconds * 1000);
    return adapter.receive({ conversationId: conversation, userId: customerId, text, ...extra }, (ctx) => app.bot.run(ctx));
  };
  return {
    app,
    adapter,
    clock,
    stores,
    errors,
    id,
    conversation,
    send,
    say: async (text, at) => (await send(text, at)).filter((a) => a.type === 'message').map((a) => a.text ?? ''),
    sent: () => adapter.sent.get(conversation) ?? [],
    close: async () => {
      await stop();
      if (opts.stores === undefined) await stores.close();
    },
  };
}
