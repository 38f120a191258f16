import type { HandoffStore } from './handoff-store.js';
import type { TranscriptStore } from './transcript-store.js';
import type { DocumentStore } from './document-store.js';
import type { PacketStore } from './packet-store.js';
import type { EventBus } from './event-bus.js';
import type { MessageRelay } from './message-relay.js';

/** Every port a store backend provides; `createMemoryStores()` and `createRedisStores()` return one. */
export interface Stores {
  readonly handoffs: HandoffStore;
  readonly transcripts: TranscriptStore;
  readonly documents: DocumentStore;
  readonly packets: PacketStore;
  readonly events: EventBus;
  readonly relay: MessageRelay;
  /** Release connections and timers. */
  close(): Promise<void>;
}
