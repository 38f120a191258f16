import { historyMatches, type HistoryEntry, type HistoryIndex, type HistoryQuery } from '../../core/ports/history-index.js';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './redis-connection.js';

/** How many closed handoffs one search looks at at most (newest first within from/to). */
const MAX_SCANNED = 5000;
const PAGE = 250;

/**
 * `HistoryIndex` on Redis: `p:history` (sorted set, member `<handoffId> <conversationId>`, score =
 * closed at) lists closed handoffs by time; `p:history:{<conversationId>}` (hash, handoff id →
 * entry JSON, in the conversation's slot) holds them. Both expire `retentionMs` (the transcripts'
 * retention) after their last write, and the sorted set drops members older than that on every
 * write. A search walks the sorted set newest first inside from/to (at most 5000 members) and
 * filters; members whose entry expired are removed on the way. Erasure removes a conversation's
 * hash and members (`forgetConversation`, called from `RedisCustomerData.purgeConversation`).
 *
 * @example
 * const h = new RedisHistoryIndex(client, keys, retention.transcriptsMs);
 * await h.search({ customer: 'c-1001' }, 20);
 */
export class RedisHistoryIndex implements HistoryIndex {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly retentionMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async record(entry: HistoryEntry): Promise<void> {
    const own = this.keys.historyOf(entry.conversationId);
    const index = this.keys.history();
    await this.client.multi().hSet(own, entry.handoffId, JSON.stringify(entry)).pExpire(own, this.retentionMs).exec();
    await this.client
      .multi()
      .zAdd(index, { score: entry.closedAt, value: `${entry.handoffId} ${entry.conversationId}` })
      .zRemRangeByScore(index, '-inf', `(${this.now() - this.retentionMs}`)
      .pExpire(index, this.retentionMs)
      .exec();
  }

  async search(query: HistoryQuery, limit: number): Promise<{ entries: HistoryEntry[]; scanned: number }> {
    const index = this.keys.history();
    const oldest = Math.max(query.from ?? 0, this.now() - this.retentionMs);
    const max = query.to === undefined ? '+inf' : String(query.to);
    const found: HistoryEntry[] = [];
    let scanned = 0;
    while (found.length < limit && scanned < MAX_SCANNED) {
      const members = await this.client.zRange(index, max, String(oldest), { BY: 'SCORE', REV: true, LIMIT: { offset: scanned, count: PAGE } });
      if (members.length === 0) break;
      scanned += members.length;
      const parsed = members.map((m) => {
        const sp = m.indexOf(' ');
        return { member: m, handoffId: m.slice(0, sp), conversationId: m.slice(sp + 1) };
      });
      const values = await Promise.all(parsed.map((p) => this.client.hGet(this.keys.historyOf(p.conversationId), p.handoffId)));
      const gone: string[] = [];
      values.forEach((v, i) => {
        if (typeof v !== 'string') {
          gone.push(parsed[i]!.member);
          return;
        }
        const e = JSON.parse(v) as HistoryEntry;
        if (found.length < limit && historyMatches(e, query)) found.push(e);
      });
      if (gone.length > 0) {
        await this.client.zRem(index, gone);
        scanned -= gone.length;
      }
      if (members.length < PAGE) break;
    }
    return { entries: found, scanned };
  }

  async forgetConversation(conversationId: string): Promise<number> {
    const own = this.keys.historyOf(conversationId);
    const handoffIds = await this.client.hKeys(own);
    if (handoffIds.length > 0) await this.client.zRem(this.keys.history(), handoffIds.map((h) => `${h} ${conversationId}`));
    await this.client.unlink(own);
    return handoffIds.length;
  }
}
