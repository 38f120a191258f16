import type { ConversationId } from '../../core/ids.js';
import type { TranscriptEntry } from '../../core/conversation.js';
import type { TranscriptStore } from '../../core/ports/transcript-store.js';
import { HandoverError } from '../../core/errors.js';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './redis-connection.js';
import { LuaScript } from './lua-script.js';
import { DEFAULT_RETENTION, type RetentionPolicy } from '../../core/ports/customer-data.js';

const appendScript = LuaScript.load('appendTranscript-2.lua');

/**
 * `TranscriptStore` on Redis: one list per conversation (RPUSH / LRANGE). A list rather than a
 * stream because the port only appends and reads everything; stream ids as watermarks belong to the
 * web chat `ActivityLog`, not here. The key shares the conversation's hash tag with its state.
 * Each append restarts the transcript's retention (`retention.transcriptsMs`), unless the
 * conversation's handoff is open (`appendTranscript-2.lua`).
 *
 * @example
 * const transcripts = new RedisTranscriptStore(client, new RedisKeys('handover'));
 * await transcripts.append(id, { at: Date.now(), from: 'customer', type: 'message', text: 'hi' });
 */
export class RedisTranscriptStore implements TranscriptStore {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly retention: RetentionPolicy = DEFAULT_RETENTION,
  ) {}

  async append(id: ConversationId, ...entries: TranscriptEntry[]): Promise<void> {
    if (entries.length === 0) return;
    // one RPUSH with every value: atomic and in order
    await appendScript.run(this.client, [this.keys.handoff(id), this.keys.transcript(id)], [String(this.retention.transcriptsMs), ...entries.map((e) => JSON.stringify(e))]);
  }

  async read(id: ConversationId): Promise<TranscriptEntry[]> {
    const lines = await this.client.lRange(this.keys.transcript(id), 0, -1);
    return lines.map((line, i) => {
      try {
        return JSON.parse(line) as TranscriptEntry;
      } catch (e) {
        throw new HandoverError(
          'HANDOVER_ERR_STORE_DATA_INVALID',
          `transcript entry ${i} of conversation "${id}" is not JSON: check that nothing else writes under this key prefix`,
          { cause: e },
        );
      }
    });
  }
}
