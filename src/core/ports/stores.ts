import type { HandoffStore } from './handoff-store.js';
import type { TranscriptStore } from './transcript-store.js';
import type { DocumentStore } from './document-store.js';
import type { PacketStore } from './packet-store.js';
import type { EventBus } from './event-bus.js';
import type { MessageRelay } from './message-relay.js';
import type { CustomerData } from './customer-data.js';
import type { HistoryIndex } from './history-index.js';

/** Every port a store backend provides; `createMemoryStores()` and `createRedisStores()` return one. */
export interface Stores {
  readonly handoffs: HandoffStore;
  readonly transcripts: TranscriptStore;
  readonly documents: DocumentStore;
  readonly packets: PacketStore;
  readonly events: EventBus;
  readonly relay: MessageRelay;
  /** Which conversations are whose, erasure of a conversation's data, audit lines (both built-in stores have it). */
  readonly customers?: CustomerData;
  /** Closed handoffs searched by customer, order number or date (console history; both built-in stores have it). */
  readonly history?: HistoryIndex;
  /** Release connections and timers. */
  close(): Promise<void>;
}
