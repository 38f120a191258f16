import type { ConversationId } from '../ids.js';
import type { TranscriptEntry } from '../conversation.js';

/**
 * Append-only transcript per conversation (customer, bot, agent and system lines, every activity
 * type). Implementations: `MemoryTranscriptStore`, `RedisTranscriptStore`.
 *
 * @example
 * await transcripts.append(id, { at: clock.now(), from: 'customer', type: 'message', text: 'hi' });
 */
export interface TranscriptStore {
  /** Append one or more entries, in order, atomically (one round trip on a remote store). */
  append(id: ConversationId, ...entries: TranscriptEntry[]): Promise<void>;
  /** Every entry in order of appending. */
  read(id: ConversationId): Promise<TranscriptEntry[]>;
}
