export type { HandoffStore, QueueEntry, CommitResult, GuardedAppendResult, AssignedPage } from './handoff-store.js';
export type { TranscriptStore } from './transcript-store.js';
export type { DocumentStore, StoredDocument, WriteResult } from './document-store.js';
export type { PacketStore } from './packet-store.js';
export type { EventBus } from './event-bus.js';
export type { MessageRelay, RelayMessage } from './message-relay.js';
export type { CustomerDirectory } from './customer-directory.js';
export type { Stores } from './stores.js';
