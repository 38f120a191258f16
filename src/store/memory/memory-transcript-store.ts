import type { ConversationId } from '../../core/ids.js';
import type { TranscriptEntry } from '../../core/conversation.js';
import type { TranscriptStore } from '../../core/ports/transcript-store.js';
import type { ConversationExpiry } from './conversation-expiry.js';

/**
 * In-process `TranscriptStore`. With an `expiry` (what `createMemoryStores` passes) the transcript
 * of a conversation idle past its TTL is forgotten; an append marks the conversation active.
 *
 * @example
 * await new MemoryTranscriptStore().append(id, { at: 0, from: 'customer', type: 'message', text: 'hi' });
 */
export class MemoryTranscriptStore implements TranscriptStore {
  private readonly logs = new Map<ConversationId, TranscriptEntry[]>();

  constructor(private readonly expiry?: ConversationExpiry) {
    expiry?.register({ forget: (id) => this.logs.delete(id as ConversationId) });
  }

  async append(id: ConversationId, ...entries: TranscriptEntry[]): Promise<void> {
    if (entries.length === 0) return;
    this.expiry?.touch(id);
    let log = this.logs.get(id);
    if (log === undefined) this.logs.set(id, (log = []));
    log.push(...entries);
  }

  async read(id: ConversationId): Promise<TranscriptEntry[]> {
    this.expiry?.check(id);
    return [...(this.logs.get(id) ?? [])];
  }

  /** Entry counts (what the memory bound is measured by). */
  counts(): { transcripts: number } {
    return { transcripts: this.logs.size };
  }
}
