import type { ConversationId } from '../../core/ids.js';
import type { TranscriptEntry } from '../../core/conversation.js';
import type { TranscriptStore } from '../../core/ports/transcript-store.js';

/** In-process `TranscriptStore`. *
 * @example
 * await new MemoryTranscriptStore().append(id, { at: 0, from: 'customer', type: 'message', text: 'hi' });
 */
export class MemoryTranscriptStore implements TranscriptStore {
  private readonly logs = new Map<ConversationId, TranscriptEntry[]>();
  async append(id: ConversationId, ...entries: TranscriptEntry[]): Promise<void> {
    if (entries.length === 0) return;
    let log = this.logs.get(id);
    if (log === undefined) this.logs.set(id, (log = []));
    log.push(...entries);
  }
  async read(id: ConversationId): Promise<TranscriptEntry[]> {
    return [...(this.logs.get(id) ?? [])];
  }
}
