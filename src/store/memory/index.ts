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
import { MemoryCustomerData } from './memory-customer-data.js';
import { MemoryHistoryIndex } from './memory-history-index.js';
import { shortestConversationMs, type RetentionPolicy } from '../../core/ports/customer-data.js';
import { customerOfDocument } from '../../handoff/customer-erasure.js';

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
  /**
   * `manifest.json` → `retention`: a conversation's data goes after the shortest of its classes
   * (if shorter than `conversationTtlMs`), dead letters after `deadLettersMs`, audit lines after
   * `auditMs`. Default: no cap but `conversationTtlMs`; dead letters and audit lines kept.
   */
  readonly retention?: RetentionPolicy;
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
  /** The customer → conversations index, erasure of a conversation and the audit lines. */
  readonly customers: MemoryCustomerData;
  /** Closed handoffs, searched by customer, order number or date (forgotten with their conversation). */
  readonly history: MemoryHistoryIndex;
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
  const ttlMs = opts.conversationTtlMs ?? DEFAULT_CONVERSATION_TTL_MS;
  const expiry = new ConversationExpiry({
    ttlMs: opts.retention === undefined ? ttlMs : Math.min(ttlMs, shortestConversationMs(opts.retention)),
    ...(opts.sweepEveryMs === undefined ? {} : { sweepEveryMs: opts.sweepEveryMs }),
    ...(opts.clock === undefined ? {} : { clock: opts.clock }),
    ...(opts.onError === undefined ? {} : { onError: opts.onError }),
  });
  const transcripts = new MemoryTranscriptStore(expiry);
  // guarded appends (an agent's line only while the state is unchanged) write into the same transcripts
  const handoffs = new MemoryHandoffStore(transcripts, expiry);
  let customers: MemoryCustomerData | undefined;
  // the middleware's conversation memory names the customer: that write links the two
  const documents = new MemoryDocumentStore(expiry, undefined, (key, value) => {
    const link = customerOfDocument(key, value);
    if (link !== undefined) customers?.link(link.customerId, link.conversationId);
  });
  const packets = new MemoryPacketStore(expiry);
  const relay = new MemoryMessageRelay(
    {
      ...(opts.onError === undefined ? {} : { onError: opts.onError }),
      ...(opts.retention === undefined ? {} : { deadLetterTtlMs: opts.retention.deadLettersMs }),
      ...(opts.clock === undefined ? {} : { now: () => opts.clock!.now() }),
      ...opts.relay,
    },
    expiry,
  );
  customers = new MemoryCustomerData({ expiry, handoffs, transcripts, documents, packets, relay }, opts.retention ?? { ...NO_RETENTION }, opts.clock);
  const history = new MemoryHistoryIndex(opts.retention?.transcriptsMs, opts.clock);
  expiry.register(history);
  return {
    handoffs,
    transcripts,
    documents,
    packets,
    events: new MemoryEventBus(opts.onError),
    relay,
    expiry,
    customers,
    history,
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

/** No retention cap (audit lines kept as long as the process lives). */
const NO_RETENTION: RetentionPolicy = {
  transcriptsMs: Number.POSITIVE_INFINITY,
  briefingsMs: Number.POSITIVE_INFINITY,
  botStateMs: Number.POSITIVE_INFINITY,
  closedHandoffsMs: Number.POSITIVE_INFINITY,
  webChatHistoryMs: Number.POSITIVE_INFINITY,
  deadLettersMs: Number.POSITIVE_INFINITY,
  relayStreamsMs: Number.POSITIVE_INFINITY,
  auditMs: Number.POSITIVE_INFINITY,
};

export {
  MemoryCustomerData,
  MemoryHistoryIndex,
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
