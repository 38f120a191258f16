/**
 * The embedded default store: every port in one process, nothing to install.
 *
 * @example
 * const stores = createMemoryStores();
 */
import type { Clock } from '../../core/clock.js';
import type { Stores } from '../../core/ports/stores.js';
import { MemoryHandoffStore } from './memory-handoff-store.js';
import { MemoryTranscriptStore } from './memory-transcript-store.js';
import { MemoryDocumentStore, conversationOfDocumentKey } from './memory-document-store.js';
import { MemoryPacketStore } from './memory-packet-store.js';
import { MemoryEventBus } from './memory-event-bus.js';
import { MemoryMessageRelay, type MemoryRelayOptions } from './memory-message-relay.js';
import { ConversationExpiry, DEFAULT_CONVERSATION_TTL_MS, type ExpiringPart } from './conversation-expiry.js';

/**
 * Options of `createMemoryStores`.
 *
 * @example
 * createMemoryStores({ conversationTtlMs: 4 * 3600_000, onError: console.error });
 */
export interface MemoryStoresOptions {
  /** Failed subscribers and deliveries. Default: ignore. */
  readonly onError?: (e: unknown) => void;
  readonly relay?: MemoryRelayOptions;
  /**
   * A conversation with no activity for longer than this is forgotten with everything the store
   * holds for it (handoff state, transcript, conversation memory and bot state, briefings,
   * delivered-message ids; on `openStores`, its web chat history too), so a customer who comes
   * back later starts afresh. Never while it waits for an agent, is with one or is booked for a
   * callback. `manifest.json` → `memoryStore.conversationTtlMinutes` for `handover start`.
   * Default 4 hours.
   */
  readonly conversationTtlMs?: number;
  /** How often (real time) expired conversations are swept; the timer never keeps the process alive. Default 60 s. */
  readonly sweepEveryMs?: number;
  /** What "idle" is measured with (a `ManualClock` in tests). Default: the wall clock. */
  readonly clock?: Clock;
}

/**
 * Entry counts of every per-conversation map of the memory store: what "bounded" is measured by.
 *
 * @example
 * const c: MemoryStoreCounts = stores.counts(); c.conversations; // conversations tracked now
 */
export interface MemoryStoreCounts {
  /** Conversations the expiry tracks (active within the TTL, or with a person). */
  readonly conversations: number;
  /** Conversations forgotten so far. */
  readonly forgotten: number;
  readonly states: number;
  readonly queued: number;
  readonly deadlines: number;
  readonly assigned: number;
  readonly transcripts: number;
  /** Every document, conversation documents and others (agent sessions, metrics…). */
  readonly documents: number;
  readonly conversationDocuments: number;
  readonly packets: number;
  readonly relayDelivered: number;
  readonly relayConversations: number;
  readonly relayWaiting: number;
  readonly relayLanes: number;
  readonly relayRoutes: number;
}

/**
 * The memory store: every port, plus its conversation expiry and entry counts.
 *
 * @example
 * const stores: MemoryStores = createMemoryStores({ clock }); stores.expiry.sweep(); stores.counts().transcripts;
 */
export interface MemoryStores extends Stores {
  readonly handoffs: MemoryHandoffStore;
  readonly transcripts: MemoryTranscriptStore;
  readonly documents: MemoryDocumentStore;
  readonly packets: MemoryPacketStore;
  readonly relay: MemoryMessageRelay;
  /** Forgets idle conversations (a background sweep, plus lazily on access); `sweep()` runs one now. */
  readonly expiry: ConversationExpiry;
  counts(): MemoryStoreCounts;
}

/**
 * Every port in this process (the default store). Idle conversations expire after
 * `conversationTtlMs` (default 4 h), except those with a person.
 *
 * @example
 * const stores = createMemoryStores(); await stores.handoffs.get(conversationId('webchat:1'));
 */
export function createMemoryStores(opts: MemoryStoresOptions = {}): MemoryStores {
  const expiry = new ConversationExpiry({
    ttlMs: opts.conversationTtlMs ?? DEFAULT_CONVERSATION_TTL_MS,
    ...(opts.sweepEveryMs === undefined ? {} : { sweepEveryMs: opts.sweepEveryMs }),
    ...(opts.clock === undefined ? {} : { clock: opts.clock }),
    ...(opts.onError === undefined ? {} : { onError: opts.onError }),
  });
  const transcripts = new MemoryTranscriptStore(expiry);
  // guarded appends (an agent's line only while the state is unchanged) write into the same transcripts
  const handoffs = new MemoryHandoffStore(transcripts, expiry);
  const documents = new MemoryDocumentStore(expiry);
  const packets = new MemoryPacketStore(expiry);
  const relay = new MemoryMessageRelay({ ...(opts.onError === undefined ? {} : { onError: opts.onError }), ...opts.relay }, expiry);
  return {
    handoffs,
    transcripts,
    documents,
    packets,
    events: new MemoryEventBus(opts.onError),
    relay,
    expiry,
    counts: () => ({
      conversations: expiry.size,
      forgotten: expiry.forgottenCount,
      ...handoffs.counts(),
      ...transcripts.counts(),
      ...documents.counts(),
      ...packets.counts(),
      ...relay.counts(),
    }),
    close: async () => expiry.close(),
  };
}

export {
  MemoryHandoffStore,
  MemoryTranscriptStore,
  MemoryDocumentStore,
  MemoryPacketStore,
  MemoryEventBus,
  MemoryMessageRelay,
  ConversationExpiry,
  DEFAULT_CONVERSATION_TTL_MS,
  conversationOfDocumentKey,
  type MemoryRelayOptions,
  type ExpiringPart,
};
