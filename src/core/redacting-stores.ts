/**
 * `redactStores`: the stores as every part of the service uses them, with personal data masked on
 * the way in (docs/operations.md, "Personal data"). Whatever writes a transcript line (the middleware's
 * customer and bot lines, agents' messages and transfer notes, WhatsApp lines, system notices),
 * publishes an event (customer and agent messages the console shows live, transfer notes that
 * webhooks send), relays an agent's message to the customer's channel or stores a briefing goes
 * through here, so nothing below — memory or Redis — and nothing read back from it (the console
 * API and socket, `handoff.initiate`, webhooks) holds the clear value. Reads are untouched: what
 * is stored is already masked. Pure (a decorator over the ports): any layer may wrap the stores
 * it was given (`createHandover`, `handover start` and the WhatsApp channels do).
 *
 * Wrapping twice is harmless: stores already wrapped are returned as they are.
 *
 * @example
 * const stores = redactStores(await openStores(url), new Redactor(config.manifest.pii));
 * await stores.transcripts.append(id, { at, from: 'customer', type: 'message', text: 'cvv 123' }); // stored: 'cvv •••'
 */
import type { AddToBurst, BurstMessage, BurstStore } from './ports/burst-store.js';
import type { Stores } from './ports/stores.js';
import type { TranscriptStore } from './ports/transcript-store.js';
import type { EventBus } from './ports/event-bus.js';
import type { PacketStore } from './ports/packet-store.js';
import type { Redactor } from './redact.js';
import type { ReturnDigest } from './conversation.js';

const REDACTED = Symbol.for('handover.redactedStores');

/** Whether `stores` came out of {@link redactStores}. */
export function isRedacted(stores: Stores): boolean {
  return (stores as unknown as Record<symbol, unknown>)[REDACTED] === true;
}

/**
 * A view of `stores` (every other member forwarded as is) whose transcripts, guarded transcript
 * appends, relayed messages, events and packets mask
 * personal data before storing or publishing. With every pattern off, `stores` itself.
 *
 * @example
 * const app = createHandover({ manifest, stores: redactStores(stores, new Redactor(manifest.pii)), directory });
 */
export function redactStores<S extends Stores>(stores: S, redactor: Redactor): S {
  if (isRedacted(stores) || !redactor.enabled) return stores;
  return override(stores, {
    transcripts: redactTranscripts(stores.transcripts, redactor),
    handoffs: override(stores.handoffs, {
      // an agent's message is written with the state check (handoff-service sendAgentMessage)
      appendTranscriptIf: (id, version, entries) => stores.handoffs.appendTranscriptIf(id, version, entries.map((e) => redactor.entry(e))),
      // what an agent settled when returning the chat to the bot (fields and note) is kept in the state
      commit: (id, version, next) => stores.handoffs.commit(id, version, next.returnDigest === null ? next : { ...next, returnDigest: redactDigest(next.returnDigest, redactor) }),
    }),
    relay: override(stores.relay, {
      // agents' messages on their way to the customer's channel: the stream keeps them until delivered
      send: (route, m) => stores.relay.send(route, m.text === undefined ? m : { ...m, text: redactor.text(m.text) }),
    }),
    events: redactEvents(stores.events, redactor),
    packets: redactPackets(stores.packets, redactor),
    [REDACTED]: true,
  } as unknown as Partial<S>);
}

/**
 * The burst store with the customer's words masked as every store sees them: a burst's lines wait
 * there (on Redis, shared) until its window closes, and its turn is read back from it — so a card
 * number typed in a burst reaches the bot as `•••• 4242`, never Redis in clear.
 *
 * @example
 * const bursts = redactBursts(burstStoreFor(stores), redactor);
 */
export function redactBursts(store: BurstStore, redactor: Redactor): BurstStore {
  if (!redactor.enabled) return store;
  const mask = (a: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> => (typeof a['text'] === 'string' ? { ...a, text: redactor.text(a['text']) } : a);
  return override(store, {
    add: (id: string, m: BurstMessage, o: AddToBurst) => store.add(id, { ...m, text: redactor.text(m.text) }, { ...o, activity: mask(o.activity) }),
  });
}

/**
 * `target` seen through a proxy that answers `over`'s members and forwards everything else (bound
 * to `target`), so methods a store gains later (erasure, counts) keep working through the wrapper.
 */
function override<T extends object>(target: T, over: Partial<T>): T {
  // one bound copy per method (a store's methods are called on every turn)
  const bound = new Map<PropertyKey, { readonly fn: unknown; readonly bound: unknown }>();
  return new Proxy(target, {
    get(t, prop) {
      if (Object.prototype.hasOwnProperty.call(over, prop)) return (over as Record<PropertyKey, unknown>)[prop];
      const v = Reflect.get(t, prop, t) as unknown;
      if (typeof v !== 'function') return v;
      const known = bound.get(prop);
      if (known !== undefined && known.fn === v) return known.bound;
      const b = (v as (...a: unknown[]) => unknown).bind(t);
      bound.set(prop, { fn: v, bound: b });
      return b;
    },
  });
}

function redactDigest(d: ReturnDigest, r: Redactor): ReturnDigest {
  const collected = r.value(d.collected);
  const note = d.note === undefined ? undefined : r.text(d.note);
  if (collected === d.collected && note === d.note) return d;
  return { ...d, collected, ...(note === undefined ? {} : { note }) };
}

function redactTranscripts(store: TranscriptStore, r: Redactor): TranscriptStore {
  return override(store, { append: (id, ...entries) => store.append(id, ...entries.map((e) => r.entry(e))) });
}

function redactEvents(bus: EventBus, r: Redactor): EventBus {
  return override(bus, { publish: (event) => bus.publish(r.event(event)) });
}

function redactPackets(store: PacketStore, r: Redactor): PacketStore {
  return override(store, { put: (id, p) => store.put(id, r.packet(p)) });
}
