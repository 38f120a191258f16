import type { ActivityLog, ActivityPage, ChannelActivity } from '../../core/ports/activity-log.js';
import { HandoverError } from '../../core/errors.js';

interface Entry {
  /** Position of `activities[0]`; grows when old activities are trimmed. */
  offset: number;
  activities: ChannelActivity[];
}

/**
 * In-process `ActivityLog`. Bounded on both axes so a public widget cannot grow memory without
 * limit: each conversation keeps its last `maxActivitiesPerConversation` activities, and the
 * least recently written conversations are forgotten beyond `maxConversations`.
 *
 * @example
 * const log = new MemoryActivityLog({ maxConversations: 10_000 });
 * await log.create('c-1');
 * await log.append('c-1', { id: 'a1', type: 'message', text: 'hi' });
 */
export class MemoryActivityLog implements ActivityLog {
  private readonly conversations = new Map<string, Entry>();
  private readonly maxActivities: number;
  private readonly maxConversations: number;

  constructor(opts: { maxActivitiesPerConversation?: number; maxConversations?: number } = {}) {
    this.maxActivities = opts.maxActivitiesPerConversation ?? 500;
    this.maxConversations = opts.maxConversations ?? 10_000;
  }

  async create(conversationId: string): Promise<void> {
    if (this.conversations.has(conversationId)) return;
    this.conversations.set(conversationId, { offset: 0, activities: [] });
    this.evict();
  }

  async exists(conversationId: string): Promise<boolean> {
    return this.conversations.has(conversationId);
  }

  async append(conversationId: string, activity: ChannelActivity): Promise<string> {
    const entry = this.get(conversationId);
    // Re-insert so Map order is "least recently written first" for eviction.
    this.conversations.delete(conversationId);
    this.conversations.set(conversationId, entry);
    entry.activities.push(activity);
    if (entry.activities.length > this.maxActivities) {
      const drop = entry.activities.length - this.maxActivities;
      entry.activities.splice(0, drop);
      entry.offset += drop;
    }
    return String(entry.offset + entry.activities.length);
  }

  async since(conversationId: string, watermark?: string): Promise<ActivityPage> {
    const entry = this.get(conversationId);
    const end = entry.offset + entry.activities.length;
    const from = parseWatermark(watermark);
    const start = Math.max(0, Math.min(from, end) - entry.offset);
    return { activities: entry.activities.slice(start), watermark: String(end) };
  }

  private get(conversationId: string): Entry {
    const entry = this.conversations.get(conversationId);
    if (entry === undefined) {
      throw new HandoverError('HANDOVER_ERR_UNKNOWN_CONVERSATION', `No web chat conversation "${conversationId}": start a new one`);
    }
    return entry;
  }

  private evict(): void {
    while (this.conversations.size > this.maxConversations) {
      const oldest = this.conversations.keys().next();
      if (oldest.done === true) return;
      this.conversations.delete(oldest.value);
    }
  }
}

/** "" / missing / garbage mean "from the beginning"; a watermark is never negative. */
function parseWatermark(w: string | undefined): number {
  if (w === undefined || !/^\d{1,15}$/.test(w)) return 0;
  return Number(w);
}
