import type { ActivityLog, ActivityPage, AppendOptions, ChannelActivity, IncomingOptions, IncomingResult } from '../../core/ports/activity-log.js';
import { HandoverError } from '../../core/errors.js';
import type { ConversationExpiry } from './conversation-expiry.js';

/**
 * Caps and retention of `MemoryActivityLog` (the same as `RedisActivityLogOptions`, same defaults).
 *
 * @example
 * new MemoryActivityLog({ maxConversations: 10_000, retentionMs: 24 * 3600_000, isWithPerson: async (id) => … });
 */
export interface MemoryActivityLogOptions {
  /** Activities kept per conversation (older ones are trimmed; watermarks keep growing). Default 500. */
  readonly maxActivitiesPerConversation?: number;
  /** Conversations kept; beyond it the least recently active are forgotten early (see `keepRecentMs`). Default 10 000. */
  readonly maxConversations?: number;
  /** A conversation idle this long is forgotten (unless with a person). Default 24 h. */
  readonly retentionMs?: number;
  /** A conversation active within this window is never forgotten to honour the cap. Default 30 min. */
  readonly keepRecentMs?: number;
  /**
   * True while a conversation is with a person (handoff waiting, booked or with an agent): such a
   * conversation is never forgotten. Default: none is.
   */
  readonly isWithPerson?: (conversationId: string) => boolean | Promise<boolean>;
  /** Time source (ms). Default `Date.now`. */
  readonly now?: () => number;
  /**
   * The memory store's conversation expiry (`createMemoryStores(…).expiry`, wired by `openStores`):
   * creating or appending marks the conversation `<handoffIdPrefix><id>` active there, and when it
   * expires its history goes too, so a customer who returns later starts a new conversation.
   */
  readonly expiry?: ConversationExpiry;
  /** How a web chat id is named in the other stores: `webchat:` + id. Default `webchat:`. */
  readonly handoffIdPrefix?: string;
}

interface Entry {
  /** Position of `activities[0]`; grows when old activities are trimmed. */
  offset: number;
  activities: ChannelActivity[];
  lastActiveAt: number;
  /** once-key -> the position its append got. */
  once?: Map<string, number>;
  /** client key of a customer line -> where it was stored and its id (`appendIncoming`). */
  clientIds?: Map<string, { position: number; id: string }>;
}

/** Candidates a creation examines at most (eviction is spread over creations, as on Redis). */
const SWEEP_PER_CREATE = 50;

/**
 * In-process `ActivityLog`. Bounded so a public widget cannot grow memory without limit: each
 * conversation keeps its last `maxActivitiesPerConversation` activities, and creations forget
 * conversations idle past `retentionMs` and, beyond `maxConversations`, the least recently active
 * ones idle for `keepRecentMs` — never one that is with a person (`isWithPerson`): an agent can
 * always reach a customer who waits.
 *
 * @example
 * const log = new MemoryActivityLog({ maxConversations: 10_000 });
 * await log.create('c-1');
 * await log.append('c-1', { id: 'a1', type: 'message', text: 'hi' });
 */
export class MemoryActivityLog implements ActivityLog {
  /** In order of last activity, least recent first (re-inserted on every write). */
  private readonly conversations = new Map<string, Entry>();
  private readonly maxActivities: number;
  private readonly maxConversations: number;
  private readonly retentionMs: number;
  private readonly keepRecentMs: number;
  private readonly isWithPerson: (conversationId: string) => boolean | Promise<boolean>;
  private readonly now: () => number;
  private readonly expiry: ConversationExpiry | undefined;
  private readonly handoffIdPrefix: string;
  private sweeping = false;

  constructor(opts: MemoryActivityLogOptions = {}) {
    this.maxActivities = opts.maxActivitiesPerConversation ?? 500;
    this.maxConversations = opts.maxConversations ?? 10_000;
    this.retentionMs = opts.retentionMs ?? 24 * 60 * 60 * 1000;
    this.keepRecentMs = opts.keepRecentMs ?? 30 * 60 * 1000;
    this.isWithPerson = opts.isWithPerson ?? (() => false);
    this.now = opts.now ?? Date.now;
    this.expiry = opts.expiry;
    const prefix = (this.handoffIdPrefix = opts.handoffIdPrefix ?? 'webchat:');
    this.expiry?.register({
      forget: (id) => {
        if (id.startsWith(prefix)) this.conversations.delete(id.slice(prefix.length));
      },
    });
  }

  /** Activities held for a conversation now (what an erasure reports). */
  countOf(conversationId: string): number {
    return this.conversations.get(conversationId)?.activities.length ?? 0;
  }

  /** Conversations kept now (what the memory bound is measured by). */
  get size(): number {
    return this.conversations.size;
  }

  async create(conversationId: string): Promise<void> {
    this.expiry?.touch(this.handoffIdPrefix + conversationId);
    if (this.conversations.has(conversationId)) return;
    const now = this.now();
    this.conversations.set(conversationId, { offset: 0, activities: [], lastActiveAt: now });
    await this.sweep(conversationId, now);
  }

  async exists(conversationId: string): Promise<boolean> {
    this.expiry?.check(this.handoffIdPrefix + conversationId);
    return this.conversations.has(conversationId);
  }

  async append(conversationId: string, activity: ChannelActivity, options: AppendOptions = {}): Promise<string> {
    const entry = this.get(conversationId);
    const earlier = options.onceKey === undefined ? undefined : entry.once?.get(options.onceKey);
    if (earlier !== undefined) return String(earlier);
    this.touch(conversationId, entry, this.now());
    entry.activities.push(activity);
    if (entry.activities.length > this.maxActivities) {
      const drop = entry.activities.length - this.maxActivities;
      entry.activities.splice(0, drop);
      entry.offset += drop;
    }
    const position = entry.offset + entry.activities.length;
    if (options.onceKey !== undefined) {
      entry.once ??= new Map();
      entry.once.set(options.onceKey, position);
      // Bounded like the activities: a key older than everything kept cannot come back in practice.
      if (entry.once.size > this.maxActivities) entry.once.delete(entry.once.keys().next().value!);
    }
    return String(position);
  }

  /**
   * A customer's line, once per client key: a resend after a lost acknowledgement answers the
   * first one's id and watermark and appends nothing. One process holds everything here, so there
   * is no turn inbox (`inboxed` is false).
   */
  async appendIncoming(conversationId: string, activity: ChannelActivity, options: IncomingOptions = {}): Promise<IncomingResult> {
    const entry = this.get(conversationId);
    const key = options.clientKey === undefined ? undefined : `client:${options.clientKey}`;
    const earlier = key === undefined ? undefined : entry.clientIds?.get(key);
    if (earlier !== undefined) return { id: earlier.id, watermark: String(earlier.position), duplicate: true, inboxed: false };
    const watermark = await this.append(conversationId, activity);
    if (key !== undefined) {
      entry.clientIds ??= new Map();
      entry.clientIds.set(key, { position: Number(watermark), id: activity.id });
      // bounded like the activities
      if (entry.clientIds.size > this.maxActivities) entry.clientIds.delete(entry.clientIds.keys().next().value!);
    }
    return { id: activity.id, watermark, duplicate: false, inboxed: false };
  }

  async since(conversationId: string, watermark?: string): Promise<ActivityPage> {
    const entry = this.get(conversationId);
    const end = entry.offset + entry.activities.length;
    const from = parseWatermark(watermark);
    const start = Math.max(0, Math.min(from, end) - entry.offset);
    return { activities: entry.activities.slice(start), watermark: String(end) };
  }

  /** The conversation's entry; one that expired (memory store) is unknown, not revived. */
  private get(conversationId: string): Entry {
    this.expiry?.check(this.handoffIdPrefix + conversationId);
    const entry = this.conversations.get(conversationId);
    if (entry === undefined) {
      throw new HandoverError('HANDOVER_ERR_UNKNOWN_CONVERSATION', `No web chat conversation "${conversationId}": start a new one`);
    }
    return entry;
  }

  /** Marks a conversation active now: re-inserted, so Map order stays "least recently active first". */
  private touch(conversationId: string, entry: Entry, now: number): void {
    this.expiry?.touch(this.handoffIdPrefix + conversationId);
    entry.lastActiveAt = now;
    this.conversations.delete(conversationId);
    this.conversations.set(conversationId, entry);
  }

  /** What `createActivityLog-2.lua` does on Redis: the expired first, then the cap. */
  private async sweep(created: string, now: number): Promise<void> {
    if (this.sweeping) return; // the sweep in progress covers this creation too
    this.sweeping = true;
    try {
      let budget = SWEEP_PER_CREATE;
      const oldest = (limit: number, idleMoreThan: number): string[] => {
        const out: string[] = [];
        for (const [id, e] of this.conversations) {
          if (out.length >= limit || now - e.lastActiveAt <= idleMoreThan) break;
          if (id !== created) out.push(id);
        }
        return out;
      };
      for (const id of oldest(budget, this.retentionMs)) {
        budget--;
        await this.consider(id, now);
      }
      while (this.conversations.size > this.maxConversations && budget > 0) {
        const candidates = oldest(Math.min(this.conversations.size - this.maxConversations, budget), this.keepRecentMs);
        if (candidates.length === 0) break;
        for (const id of candidates) {
          budget--;
          await this.consider(id, now);
        }
      }
    } finally {
      this.sweeping = false;
    }
  }

  /** Forgets a conversation, or, while it is with a person, marks it active now instead. */
  private async consider(id: string, now: number): Promise<void> {
    let keep: boolean;
    try {
      keep = await this.isWithPerson(id);
    } catch {
      keep = true; // cannot tell: keeping it costs memory, forgetting it could strand a customer
    }
    const entry = this.conversations.get(id);
    if (entry === undefined) return;
    if (keep) this.touch(id, entry, now);
    else this.conversations.delete(id);
  }
}

/** "" / missing / garbage mean "from the beginning"; a watermark is never negative. */
function parseWatermark(w: string | undefined): number {
  if (w === undefined || !/^\d{1,15}$/.test(w)) return 0;
  return Number(w);
}
