/**
 * The embedded default store: every port in one process, nothing to install.
 *
 * @example
 * const stores = createMemoryStores();
 */
import type { Stores } from '../../core/ports/stores.js';
import { MemoryHandoffStore } from './memory-handoff-store.js';
import { MemoryTranscriptStore } from './memory-transcript-store.js';
import { MemoryDocumentStore } from './memory-document-store.js';
import { MemoryPacketStore } from './memory-packet-store.js';
import { MemoryEventBus } from './memory-event-bus.js';
import { MemoryMessageRelay, type MemoryRelayOptions } from './memory-message-relay.js';

/**
 * Every port in this process (the default store).
 *
 * @example
 * const stores = createMemoryStores(); await stores.handoffs.get(conversationId('webchat:1'));
 */
export function createMemoryStores(opts: { onError?: (e: unknown) => void; relay?: MemoryRelayOptions } = {}): Stores {
  const transcripts = new MemoryTranscriptStore();
  return {
    // guarded appends (an agent's line only while the state is unchanged) write into the same transcripts
    handoffs: new MemoryHandoffStore(transcripts),
    transcripts,
    documents: new MemoryDocumentStore(),
    packets: new MemoryPacketStore(),
    events: new MemoryEventBus(opts.onError),
    relay: new MemoryMessageRelay({ ...(opts.onError === undefined ? {} : { onError: opts.onError }), ...opts.relay }),
    close: async () => {},
  };
}

export { MemoryHandoffStore, MemoryTranscriptStore, MemoryDocumentStore, MemoryPacketStore, MemoryEventBus, MemoryMessageRelay, type MemoryRelayOptions };
