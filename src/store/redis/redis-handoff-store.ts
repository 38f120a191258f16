import type { AgentId, ConversationId, QueueId } from '../../core/ids.js';
import { conversationId as toConversationId } from '../../core/ids.js';
import { initialState, isWithHuman, queueScore, type HandoffState } from '../../core/handoff-state.js';
import { DEFAULT_RETENTION, type RetentionPolicy } from '../../core/ports/customer-data.js';
import type { TranscriptEntry } from '../../core/conversation.js';
import type { AssignedPage, CommitResult, GuardedAppendResult, HandoffStore, QueueEntry } from '../../core/ports/handoff-store.js';
import { HandoverError } from '../../core/errors.js';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './redis-connection.js';
import { LuaScript } from './lua-script.js';

const commitScript = LuaScript.load('commitHandoff-7.lua');
const appendIfScript = LuaScript.load('appendTranscriptIf-2.lua');

/**
 * `HandoffStore` on Redis. Each conversation is a hash (`v` version, `s` state JSON); queues, SLA
 * deadlines and each agent's owned conversations are sorted sets derived from the committed state
 * by the same Lua script that does the compare-and-set, so membership can never disagree with the
 * state, whichever process commits. A guarded transcript append checks the version and appends in
 * one script too (the transcript list shares the conversation's hash tag).
 * The queue score is computed here with `queueScore` (one definition, shared with the memory store)
 * and passed to the script, so Lua never re-implements domain rules.
 *
 * @example
 * const store = new RedisHandoffStore(client, new RedisKeys('handover'));
 * const cur = await store.get(id);
 * const r = await store.commit(id, cur.version, next); // ok:false => another process won
 */
export class RedisHandoffStore implements HandoffStore {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    /** TTLs of a closed handoff's state, transcript and briefings (an open one's have none). */
    private readonly retention: RetentionPolicy = DEFAULT_RETENTION,
  ) {}

  async get(id: ConversationId): Promise<HandoffState> {
    const json = await this.client.hGet(this.keys.handoff(id), 's');
    return json === null || json === undefined ? initialState() : parseState(json, id);
  }

  async commit(id: ConversationId, expectedVersion: number, next: HandoffState): Promise<CommitResult> {
    const stored: HandoffState = { ...next, version: expectedVersion + 1 };
    const queued = stored.status === 'queued' && stored.queue !== null && stored.enqueuedAt !== null;
    const owned = stored.status === 'assigned' && stored.agentId !== null;
    // KEYS[3] and KEYS[4] must be keys even when unused; the conversation's own key is a harmless placeholder.
    const queueKey = queued && stored.queue !== null ? this.keys.queue(stored.queue) : this.keys.handoff(id);
    const agentKey = owned && stored.agentId !== null ? this.keys.agentAssigned(stored.agentId) : this.keys.handoff(id);
    const packetKey = stored.handoffId === null ? this.keys.handoff(id) : this.keys.packet(stored.handoffId);
    const r = this.retention;
    const reply = await commitScript.run(
      this.client,
      [this.keys.handoff(id), this.keys.deadlines(), queueKey, agentKey, this.keys.transcript(id), packetKey, this.keys.conversationPackets(id)],
      [
        String(expectedVersion),
        JSON.stringify(stored),
        id,
        queued ? String(queueScore(stored.priority, stored.enqueuedAt ?? 0)) : '',
        stored.slaDeadline === null ? '' : String(stored.slaDeadline),
        owned ? '1' : '0',
        isWithHuman(stored) ? '1' : '0',
        String(r.closedHandoffsMs),
        String(r.transcriptsMs),
        String(r.briefingsMs),
      ],
    );
    if (!Array.isArray(reply)) throw invalid(`commitHandoff replied ${JSON.stringify(reply)}`);
    if (reply[0] === 1) return { ok: true, state: stored };
    const current = typeof reply[1] === 'string' && reply[1] !== '' ? parseState(reply[1], id) : initialState();
    return { ok: false, current };
  }

  async listQueue(queue: QueueId, limit = 100): Promise<QueueEntry[]> {
    if (limit <= 0) return [];
    // Lowest score first = highest priority, then oldest; equal scores tie-break by member, like the memory store.
    const ids = await this.client.zRange(this.keys.queue(queue), 0, limit - 1);
    // Issued in one tick, so node-redis pipelines the reads into one round trip.
    const states = await Promise.all(ids.map((id) => this.client.hGet(this.keys.handoff(id), 's')));
    const entries: QueueEntry[] = [];
    ids.forEach((id, i) => {
      const json = states[i];
      if (json === null || json === undefined) return;
      const s = parseState(json, id);
      // A commit may land between ZRANGE and HGET; show only what is still waiting in this queue.
      if (s.status !== 'queued' || s.queue !== queue) return;
      entries.push({ conversationId: toConversationId(id), priority: s.priority, enqueuedAt: s.enqueuedAt ?? 0, slaDeadline: s.slaDeadline });
    });
    return entries;
  }

  async queueLength(queue: QueueId): Promise<number> {
    return await this.client.zCard(this.keys.queue(queue));
  }

  /** ZRANK: the same order as `listQueue` (score, then member), in one command. */
  async queuePosition(queue: QueueId, id: ConversationId): Promise<number | null> {
    return await this.client.zRank(this.keys.queue(queue), id);
  }

  async appendTranscriptIf(id: ConversationId, expectedVersion: number, entries: readonly TranscriptEntry[]): Promise<GuardedAppendResult> {
    const reply = await appendIfScript.run(
      this.client,
      [this.keys.handoff(id), this.keys.transcript(id)],
      [String(expectedVersion), String(this.retention.transcriptsMs), ...entries.map((e) => JSON.stringify(e))],
    );
    if (!Array.isArray(reply)) throw invalid(`appendTranscriptIf replied ${JSON.stringify(reply)}`);
    if (reply[0] === 1) return { ok: true };
    return { ok: false, current: typeof reply[1] === 'string' && reply[1] !== '' ? parseState(reply[1], id) : initialState() };
  }

  async listAssigned(agent: AgentId, page: { after?: string | null; limit?: number } = {}): Promise<AssignedPage> {
    const limit = Math.max(1, page.limit ?? 100);
    const key = this.keys.agentAssigned(agent);
    // every score is 0, so the set is ordered by id and an id is a stable cursor (exclusive start)
    const start = page.after === undefined || page.after === null ? '-' : `(${page.after}`;
    // issued in one tick: one round trip
    const [ids, total] = await Promise.all([this.client.zRange(key, start, '+', { BY: 'LEX', LIMIT: { offset: 0, count: limit + 1 } }), this.client.zCard(key)]);
    const conversations = ids.slice(0, limit).map((c) => toConversationId(c));
    return { conversations, next: ids.length > limit ? (conversations.at(-1) ?? null) : null, total };
  }

  async dueDeadlines(now: number, limit: number): Promise<ConversationId[]> {
    if (limit <= 0) return [];
    const ids = await this.client.zRange(this.keys.deadlines(), '-inf', now, { BY: 'SCORE', LIMIT: { offset: 0, count: limit } });
    return ids.map((id) => toConversationId(id));
  }
}

function parseState(json: string, id: string): HandoffState {
  try {
    const s = JSON.parse(json) as HandoffState;
    if (typeof s === 'object' && s !== null && typeof s.version === 'number' && typeof s.status === 'string') return s;
  } catch {
    // fall through to the error below, which names the key
  }
  throw invalid(`the handoff state of conversation "${id}" is not valid JSON state`);
}

function invalid(message: string): HandoverError {
  return new HandoverError('HANDOVER_ERR_STORE_DATA_INVALID', `${message}: check that nothing else writes under this key prefix`);
}
