import type { ActivityLog, ActivityPage, ChannelActivity } from '../../core/ports/activity-log.js';
import { HandoverError } from '../../core/errors.js';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './redis-connection.js';
import { LuaScript } from './lua-script.js';

const createScript = LuaScript.load('createActivityLog-3.lua');
const appendScript = LuaScript.load('appendActivity-4.lua');
const readScript = LuaScript.load('readActivities-2.lua');

/**
 * Caps of `RedisActivityLog`, the same two as `MemoryActivityLog` (and the same defaults).
 *
 * @example
 * const opts: RedisActivityLogOptions = { maxActivitiesPerConversation: 200, maxConversations: 50_000 };
 */
export interface RedisActivityLogOptions {
  /** Activities kept per conversation (older ones are trimmed; watermarks keep growing). Default 500. */
  readonly maxActivitiesPerConversation?: number;
  /** Conversations kept; the least recently written are forgotten beyond it. Default 10 000. */
  readonly maxConversations?: number;
}

/**
 * `ActivityLog` on Redis, so a web chat page that reconnects to another process replays the same
 * history with the same watermarks. Per conversation: a counter (the position after its last
 * activity, i.e. the watermark; it only grows) and a list of the last N activities, sharing the
 * conversation's hash tag; plus one recency sorted set that bounds how many conversations are kept.
 * A list rather than a stream: the watermark must be the port's decimal position, which a counter
 * gives directly, and LTRIM keeps exactly N. Each operation is one Lua script (`scripts/*Activit*`),
 * so position and list never disagree, whichever process writes.
 *
 * @example
 * const log = new RedisActivityLog(client, new RedisKeys('handover'), { maxConversations: 50_000 });
 * await log.create('c-1');
 * const w = await log.append('c-1', { id: 'c-1|1', type: 'message', text: 'hi' }); // "1"
 * const page = await log.since('c-1', '0'); // { activities: [ … ], watermark: "1" }
 */
export class RedisActivityLog implements ActivityLog {
  private readonly maxActivities: number;
  private readonly maxConversations: number;

  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    opts: RedisActivityLogOptions = {},
  ) {
    this.maxActivities = positiveInt(opts.maxActivitiesPerConversation ?? 500, 'maxActivitiesPerConversation');
    this.maxConversations = positiveInt(opts.maxConversations ?? 10_000, 'maxConversations');
  }

  async create(conversationId: string): Promise<void> {
    await createScript.run(
      this.client,
      [this.keys.activity(conversationId), this.keys.activityRecent(), this.keys.activitySeq()],
      // keys.activity('') is "<prefix>:activity:{}": without the closing brace it is the common start.
      [conversationId, String(this.maxConversations), this.keys.activity('').slice(0, -1)],
    );
  }

  async exists(conversationId: string): Promise<boolean> {
    return (await this.client.exists(this.keys.activity(conversationId))) === 1;
  }

  async append(conversationId: string, activity: ChannelActivity): Promise<string> {
    const reply = await appendScript.run(
      this.client,
      [this.keys.activity(conversationId), this.keys.activityItems(conversationId), this.keys.activityRecent(), this.keys.activitySeq()],
      [JSON.stringify(activity), String(this.maxActivities), conversationId],
    );
    if (reply === -1) throw unknown(conversationId);
    if (typeof reply !== 'number') throw invalid(`appendActivity replied ${JSON.stringify(reply)}`);
    return String(reply);
  }

  async since(conversationId: string, watermark?: string): Promise<ActivityPage> {
    const reply = await readScript.run(
      this.client,
      [this.keys.activity(conversationId), this.keys.activityItems(conversationId)],
      [String(parseWatermark(watermark))],
    );
    if (reply === -1) throw unknown(conversationId);
    if (!Array.isArray(reply) || typeof reply[0] !== 'number' || !Array.isArray(reply[1])) {
      throw invalid(`readActivities replied ${JSON.stringify(reply)}`);
    }
    const items = reply[1] as unknown[];
    const activities = items.map((json, i) => {
      try {
        return JSON.parse(String(json)) as ChannelActivity;
      } catch (e) {
        throw invalid(`web chat activity ${i} of conversation "${conversationId}" is not JSON`, e);
      }
    });
    return { activities, watermark: String(reply[0]) };
  }
}

/** "" / missing / garbage mean "from the beginning"; a watermark is never negative (as in memory). */
function parseWatermark(w: string | undefined): number {
  if (w === undefined || !/^\d{1,15}$/.test(w)) return 0;
  return Number(w);
}

function positiveInt(n: number, name: string): number {
  if (!Number.isInteger(n) || n < 1) throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `RedisActivityLog ${name} must be a positive integer, got ${n}`);
  return n;
}

function unknown(conversationId: string): HandoverError {
  return new HandoverError('HANDOVER_ERR_UNKNOWN_CONVERSATION', `No web chat conversation "${conversationId}": start a new one`);
}

function invalid(message: string, cause?: unknown): HandoverError {
  return new HandoverError('HANDOVER_ERR_STORE_DATA_INVALID', `${message}: check that nothing else writes under this key prefix`, cause === undefined ? undefined : { cause });
}
