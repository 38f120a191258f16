import type { ActivityLog, ActivityPage, AppendNotice, AppendOptions, ChannelActivity, IncomingOptions, IncomingResult } from '../../core/ports/activity-log.js';
import { HandoverError } from '../../core/errors.js';
import type { RedisKeys } from './keys.js';
import { closeConnection, duplicateConnection, type RedisClient } from './redis-connection.js';
import { LuaScript } from './lua-script.js';
import { asUnavailable, failFastWhileDown, watchConnection } from './unavailable.js';

const createScript = LuaScript.load('createActivityLog-2.lua');
const appendScript = LuaScript.load('appendActivity-4.lua');
const readScript = LuaScript.load('readActivities-2.lua');
const incomingScript = LuaScript.load('appendIncoming-6.lua');

/**
 * Caps and retention of `RedisActivityLog`, the same as `MemoryActivityLog`'s (and the same defaults).
 *
 * @example
 * const opts: RedisActivityLogOptions = { maxConversations: 50_000, retentionMs: 7 * 24 * 3600_000 };
 */
export interface RedisActivityLogOptions {
  /** Activities kept per conversation (older ones are trimmed; watermarks keep growing). Default 500. */
  readonly maxActivitiesPerConversation?: number;
  /**
   * Conversations kept; beyond it the least recently active are forgotten early — but never one
   * active within `keepRecentMs`, nor one with a person. Default 10 000.
   */
  readonly maxConversations?: number;
  /** A conversation idle this long is forgotten (unless with a person). Default 24 h. */
  readonly retentionMs?: number;
  /** A conversation active within this window is never forgotten to honour the cap. Default 30 min. */
  readonly keepRecentMs?: number;
  /**
   * How a web chat conversation id maps to its handoff's conversation id (the middleware's
   * `<channelId>:<conversation id>`): the prefix. Default `webchat:`.
   */
  readonly handoffIdPrefix?: string;
  /** How long a once-key is remembered (`append`'s `onceKey`). Default 24 h. */
  readonly onceTtlMs?: number;
  /** Time source for recency (ms). Default `Date.now`. */
  readonly now?: () => number;
  /**
   * TTL of a conversation's history keys, restarted by every append (manifest.json →
   * `retention.webChatHistoryDays`). Default 7 days.
   */
  readonly keyTtlMs?: number;
  /** Failed feed subscriptions and unreadable notices. Default: ignored. */
  readonly onError?: (e: unknown) => void;
}

/** Candidates the create script examines at most per call (eviction is spread over creations). */
const SWEEP_PER_CREATE = 50;

/**
 * `ActivityLog` on Redis, so a web chat page that reconnects to another process replays the same
 * history with the same watermarks, and an activity appended by any process reaches the socket
 * wherever it is (`watch`). Per conversation: a counter (the position after its last activity, i.e.
 * the watermark; it only grows) and a list of the last N activities, sharing the conversation's hash
 * tag; plus one recency sorted set (score = last activity, ms) from which creations forget what may
 * be forgotten: conversations idle past `retentionMs`, and beyond `maxConversations` the least
 * recently active ones idle for `keepRecentMs` — never one whose handoff is waiting, booked or with
 * an agent (the script reads its state), so an agent can always reach a customer who waits.
 * Each operation is one Lua script (`scripts/*Activit*`), so position and list never disagree,
 * whichever process writes, and the append's feed notice goes out in position order.
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
  private readonly retentionMs: number;
  private readonly keepRecentMs: number;
  private readonly onceTtlMs: number;
  private readonly keyTtlMs: number;
  private readonly handoffIdPrefix: string;
  private readonly now: () => number;
  private readonly onError: (e: unknown) => void;
  /** Whether appends are announced on the feed (as soon as any process may watch: always). */
  private readonly feed: string;
  private readonly watchers = new Set<RedisClient>();

  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    opts: RedisActivityLogOptions = {},
  ) {
    this.maxActivities = positiveInt(opts.maxActivitiesPerConversation ?? 500, 'maxActivitiesPerConversation');
    this.maxConversations = positiveInt(opts.maxConversations ?? 10_000, 'maxConversations');
    this.retentionMs = nonNegativeInt(opts.retentionMs ?? 24 * 60 * 60 * 1000, 'retentionMs');
    this.keepRecentMs = nonNegativeInt(opts.keepRecentMs ?? 30 * 60 * 1000, 'keepRecentMs');
    this.onceTtlMs = positiveInt(opts.onceTtlMs ?? 24 * 60 * 60 * 1000, 'onceTtlMs');
    this.keyTtlMs = positiveInt(Math.round(opts.keyTtlMs ?? 7 * 24 * 60 * 60 * 1000), 'keyTtlMs');
    this.handoffIdPrefix = opts.handoffIdPrefix ?? 'webchat:';
    this.now = opts.now ?? Date.now;
    this.onError = opts.onError ?? (() => {});
    this.feed = keys.activityFeed();
  }

  async create(conversationId: string): Promise<void> {
    // a customer waiting on a new conversation or a resume hears "not now" at once, not after the offline queue's timeout
    const client = failFastWhileDown(this.client, 'register a web chat conversation');
    await this.guard('register a web chat conversation', () => createScript.run(
      client,
      [this.keys.activity(conversationId), this.keys.activityRecent()],
      [
        conversationId,
        String(this.maxConversations),
        // keys.activity('') is "<prefix>:activity:{}": without the closing brace it is the common start.
        this.keys.activity('').slice(0, -1),
        String(Math.floor(this.now())),
        String(this.retentionMs),
        String(this.keepRecentMs),
        this.keys.handoff(this.handoffIdPrefix).slice(0, -1),
        String(SWEEP_PER_CREATE),
        String(this.keyTtlMs),
      ],
    ));
  }

  async exists(conversationId: string): Promise<boolean> {
    // a read waits through a short outage (the offline queue); only writes of customer lines fail fast
    return (await this.guard('read a web chat conversation', () => this.client.exists(this.keys.activity(conversationId)))) === 1;
  }

  async append(conversationId: string, activity: ChannelActivity, options: AppendOptions = {}): Promise<string> {
    const once = options.onceKey;
    const reply = await this.guard('append to a web chat conversation', () => appendScript.run(
      this.client,
      [
        this.keys.activity(conversationId),
        this.keys.activityItems(conversationId),
        this.keys.activityRecent(),
        this.keys.activityOnce(conversationId, once ?? ''),
      ],
      [JSON.stringify(activity), String(this.maxActivities), conversationId, String(Math.floor(this.now())), once === undefined ? '' : '1', String(this.onceTtlMs), this.feed, String(this.keyTtlMs)],
    ));
    if (reply === -1) throw unknown(conversationId);
    if (!Array.isArray(reply) || typeof reply[0] !== 'number') throw invalid(`appendActivity replied ${JSON.stringify(reply)}`);
    return String(reply[0]);
  }

  async since(conversationId: string, watermark?: string): Promise<ActivityPage> {
    const reply = await this.guard('read a web chat conversation', () => readScript.run(
      this.client,
      [this.keys.activity(conversationId), this.keys.activityItems(conversationId)],
      [String(parseWatermark(watermark))],
    ));
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

  /**
   * A customer's line in one script (`appendIncoming-6.lua`): the existence check, the append and
   * its feed notice, the client key (a resend is stored once) and the turn-inbox entry, so the
   * acknowledgement that follows covers all of them. Refused at once while Redis is away
   * (HANDOVER_ERR_STORE_UNAVAILABLE: not stored, the client sends it again) rather than after the
   * offline queue's timeout. What Redis acknowledged is in its AOF before the reply (see README,
   * "How to run Redis").
   */
  async appendIncoming(conversationId: string, activity: ChannelActivity, options: IncomingOptions = {}): Promise<IncomingResult> {
    const client = failFastWhileDown(this.client, 'store a customer line');
    const clientKey = options.clientKey;
    const owner = options.inboxOwner ?? '';
    if (/\s/.test(owner)) throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `inbox owner "${owner}" must not contain white space`);
    const reply = await this.guard('store a customer line', () => incomingScript.run(
      client,
      [
        this.keys.activity(conversationId),
        this.keys.activityItems(conversationId),
        this.keys.activityRecent(),
        this.keys.activityOnce(conversationId, clientKey === undefined ? '' : `client:${clientKey}`),
        this.keys.inbox(),
        this.keys.inboxItems(),
      ],
      [
        JSON.stringify(activity),
        String(this.maxActivities),
        conversationId,
        String(Math.floor(this.now())),
        clientKey === undefined ? '' : '1',
        String(this.onceTtlMs),
        this.feed,
        owner,
        activity.id,
        String(this.keyTtlMs),
      ],
    ));
    if (reply === -1) throw unknown(conversationId);
    if (!Array.isArray(reply) || typeof reply[1] !== 'number') throw invalid(`appendIncoming replied ${JSON.stringify(reply)}`);
    if (reply[0] === 0) return { id: String(reply[2]), watermark: String(reply[1]), duplicate: true, inboxed: false };
    return { id: activity.id, watermark: String(reply[1]), duplicate: false, inboxed: owner !== '' };
  }

  /** Connection drops and recoveries of the shared client (see `ActivityLog.watchAvailability`). */
  watchAvailability(listener: (available: boolean) => void): () => void {
    return watchConnection(this.client, listener);
  }

  /**
   * Hears every append on this prefix, from any process, on a connection of its own (pub/sub).
   * After a reconnect `onResync` is called: notices sent meanwhile are lost, the history is not.
   */
  async watch(onAppend: (notice: AppendNotice) => void, onResync: () => void): Promise<() => Promise<void>> {
    const sub = await duplicateConnection(this.client, this.onError);
    this.watchers.add(sub);
    try {
      await sub.subscribe(this.feed, (message: string) => {
        const notice = parseNotice(message);
        if (notice === undefined) {
          this.onError(invalid(`a notice on ${this.feed} is not an append notice`));
          return;
        }
        onAppend(notice);
      });
    } catch (e) {
      this.watchers.delete(sub);
      await closeConnection(sub);
      throw e;
    }
    // node-redis subscribes again by itself after a reconnect; what was published meanwhile is gone.
    sub.on('ready', onResync);
    return async () => {
      if (!this.watchers.delete(sub)) return;
      sub.off('ready', onResync);
      await closeConnection(sub);
    };
  }

  /** Runs a command; "Redis cannot answer now" becomes HANDOVER_ERR_STORE_UNAVAILABLE (503 at the front doors). */
  private async guard<T>(what: string, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (e) {
      throw asUnavailable(e, what);
    }
  }

  /** Closes the feed connections `watch` opened (the shared client is closed by its owner). */
  async close(): Promise<void> {
    const all = [...this.watchers];
    this.watchers.clear();
    await Promise.all(all.map((c) => closeConnection(c)));
  }
}

/** `<position> <conversation id>\n<activity JSON>` (built by appendActivity-4.lua). */
function parseNotice(message: string): AppendNotice | undefined {
  const nl = message.indexOf('\n');
  const space = message.indexOf(' ');
  if (nl < 0 || space < 0 || space > nl) return undefined;
  const watermark = message.slice(0, space);
  if (!/^\d+$/.test(watermark)) return undefined;
  try {
    const activity = JSON.parse(message.slice(nl + 1)) as ChannelActivity;
    return { conversationId: message.slice(space + 1, nl), watermark, activity };
  } catch {
    return undefined;
  }
}

/** "" / missing / garbage mean "from the beginning"; a watermark is never negative (as in memory). */
function parseWatermark(w: string | undefined): number {
  if (w === undefined || !/^\d{1,15}$/.test(w)) return 0;
  return Number(w);
}

function nonNegativeInt(n: number, name: string): number {
  if (!Number.isInteger(n) || n < 0) throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `RedisActivityLog ${name} must be a whole number of ms (0 or more), got ${n}`);
  return n;
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
