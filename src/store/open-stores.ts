/**
 * Picks the store from configuration: `memory` (one process, the default) or a `redis://` /
 * `rediss://` URL (many processes on one Redis). `Config.store` already holds the choice
 * (`REDIS_URL` wins over the default), so `handover start` and `handover simulate` both call
 * `openStores(config.store, …)` and never name a backend themselves.
 *
 * @example
 * const stores = await openStores(config.store, { prefix: 'handover', onError: log.error });
 * const app = createHandover({ manifest: config.manifest, stores, directory });
 * // WhatsApp Web's lease and the web chat history come from the same backend:
 * await attachWhatsAppWeb({ app, stores, manifest, lease: stores.lease });
 */
import type { Clock } from '../core/clock.js';
import { HandoverError } from '../core/errors.js';
import { isWithHuman } from '../core/handoff-state.js';
import { conversationId } from '../core/ids.js';
import type { ActivityLog } from '../core/ports/activity-log.js';
import type { Lease } from '../core/ports/lease.js';
import type { RateLimiter } from '../core/ports/rate-limiter.js';
import type { LoginAttempts } from '../core/ports/login-attempts.js';
import type { TurnInbox } from '../core/ports/turn-inbox.js';
import type { Stores } from '../core/ports/stores.js';
import type { CustomerData, RetentionPolicy } from '../core/ports/customer-data.js';
import { createMemoryStores, type ConversationExpiry, type MemoryStoreCounts, type MemoryStoresOptions } from './memory/index.js';
import { MemoryActivityLog } from './memory/memory-activity-log.js';
import { MemoryLease } from './memory/memory-lease.js';
import { MemoryRateLimiter } from './memory/memory-rate-limiter.js';
import { MemoryLoginAttempts } from './memory/memory-login-attempts.js';

/**
 * Options of `openStores`; the Redis-only ones are ignored on the memory store.
 *
 * @example
 * const opts: OpenStoresOptions = { prefix: 'handover', onError: console.error };
 */
export interface OpenStoresOptions {
  /** Redis key prefix of this deployment (every process of one deployment uses the same). Default `handover`. */
  readonly prefix?: string;
  /** Connection errors after start-up, failed subscribers and deliveries. Default: ignore. */
  readonly onError?: (e: unknown) => void;
  /** Clock of the memory lease (Redis measures lease expiry itself), of the web chat history's recency and of the memory store's conversation expiry. Default: the wall clock. */
  readonly clock?: Clock;
  /**
   * Memory store only: how long an idle conversation is kept (`manifest.json` →
   * `memoryStore.conversationTtlMinutes`; default 4 h) — see `MemoryStoresOptions`.
   */
  readonly memory?: Pick<MemoryStoresOptions, 'conversationTtlMs' | 'sweepEveryMs'>;
  /** Caps and retention of the web chat history, on either backend. */
  readonly activityLog?: WebChatHistoryOptions;
  /** Redis: how long a command may wait while Redis is away before it rejects. Default 5000 ms. */
  readonly commandTimeoutMs?: number;
  /**
   * How long each class of data is kept (`manifest.json` → `retention`): TTLs on Redis; on the
   * memory store a cap on the conversation expiry, and dead letters' and audit lines' age.
   * Default: `DEFAULT_RETENTION` on Redis, no cap on the memory store.
   */
  readonly retention?: RetentionPolicy;
  /** Redis, throwaway prefixes only (simulate, benchmarks): `close()` deletes every key under the prefix. */
  readonly deleteKeysOnClose?: boolean;
  /**
   * Redis: check the server's persistence and eviction settings once connected (what `handover
   * start` does; `simulate` and benchmarks on throwaway prefixes do not). Without it, nothing is checked.
   */
  readonly durability?: DurabilityCheckOptions;
}

/**
 * How `openStores` treats a Redis that can lose data: with no persistence (no AOF, no RDB
 * snapshots) or an evicting `maxmemory-policy` it rejects with HANDOVER_ERR_STORE_NOT_DURABLE
 * (every problem and its fix in the message) unless `allowVolatile`, in which case `warn` gets a
 * loud warning; RDB-only, `appendfsync no` and settings it could not read (CONFIG disabled on
 * managed Redis) go to `warn` and the stores open. Ignored on the memory store.
 *
 * @example
 * await openStores(url, { durability: { allowVolatile: false, warn: (t) => process.stderr.write(`${t}\n`) } });
 */
export interface DurabilityCheckOptions {
  /** `--allow-volatile-redis` / HANDOVER_ALLOW_VOLATILE_REDIS=1: open an unsafe Redis anyway, loudly. */
  readonly allowVolatile: boolean;
  /** Receives the warning text (several lines). */
  readonly warn: (text: string) => void;
  /** Receives the one line saying the settings are safe. Default: nothing. */
  readonly info?: (text: string) => void;
}

/**
 * Caps and retention of the web chat history. Whatever they say, a conversation whose handoff is
 * waiting, booked or with an agent is never forgotten.
 *
 * @example
 * const history: WebChatHistoryOptions = { maxConversations: 10_000, retentionMs: 24 * 3600_000, keepRecentMs: 30 * 60_000 };
 */
export interface WebChatHistoryOptions {
  /** Activities kept per conversation. Default 500. */
  readonly maxActivitiesPerConversation?: number;
  /** Conversations kept; beyond it the least recently active (idle for `keepRecentMs`) are forgotten early. Default 10 000. */
  readonly maxConversations?: number;
  /** A conversation idle this long is forgotten. Default 24 h. */
  readonly retentionMs?: number;
  /** A conversation active within this window is never forgotten to honour the cap. Default 30 min. */
  readonly keepRecentMs?: number;
}

/** The channel whose web chat history this is: handoff ids are `<channel>:<web chat id>`. */
const WEBCHAT_HANDOFF_PREFIX = 'webchat:';

/**
 * Every store port of one backend, plus the two that are not in `Stores`: the lease (one WhatsApp
 * Web session per number across processes) and the web chat history.
 *
 * @example
 * const stores: OpenedStores = await openStores('memory');
 * stores.kind; // 'memory'
 */
export interface OpenedStores extends Stores {
  readonly kind: 'memory' | 'redis';
  /** The Redis key prefix, `null` on the memory store. */
  readonly prefix: string | null;
  readonly lease: Lease;
  readonly activityLog: ActivityLog;
  /** Token buckets (anonymous web chat conversations per client IP): shared by every process on Redis. */
  readonly rateLimiter: RateLimiter;
  /** Sign-in attempt counters and known devices (the console's sign-in throttle): shared by every process on Redis. */
  readonly loginAttempts: LoginAttempts;
  /** Redis only: customer lines acknowledged and not yet answered, taken over by a survivor when their process dies. */
  readonly turnInbox?: TurnInbox;
  /** Which conversations are whose, the erasure of a conversation, the audit lines (`eraseCustomer`). */
  readonly customers: CustomerData;
  /** Memory store only: its conversation expiry and entry counts (web chat histories included). */
  readonly memory?: {
    readonly expiry: ConversationExpiry;
    counts(): MemoryStoreCounts & { readonly webChatHistories: number };
  };
}

/**
 * Opens the store named by `store` (`Config.store`): `memory`, or a Redis URL. Rejects with
 * HANDOVER_ERR_CONFIG_INVALID for anything else, with HANDOVER_ERR_STORE_UNAVAILABLE (saying
 * how to start Redis) when Redis does not answer, and, with `durability`, with
 * HANDOVER_ERR_STORE_NOT_DURABLE when the server can lose data. The Redis client is loaded only when asked for.
 *
 * @example
 * const stores = await openStores(process.env.REDIS_URL ?? 'memory', { prefix: 'handover' });
 * try { … } finally { await stores.close(); }
 */
export async function openStores(store: string, opts: OpenStoresOptions = {}): Promise<OpenedStores> {
  const kind = storeKind(store);
  if (kind === 'memory') {
    const stores = createMemoryStores({
      ...opts.memory,
      ...(opts.retention === undefined ? {} : { retention: opts.retention }),
      ...(opts.onError === undefined ? {} : { onError: opts.onError }),
      ...(opts.clock === undefined ? {} : { clock: opts.clock }),
    });
    const activityLog = new MemoryActivityLog({
      ...opts.activityLog,
      ...(opts.clock === undefined ? {} : { now: () => opts.clock!.now() }),
      isWithPerson: async (id) => isWithHuman(await stores.handoffs.get(conversationId(`${WEBCHAT_HANDOFF_PREFIX}${id}`))),
      // an expired conversation takes its web chat history along
      expiry: stores.expiry,
      handoffIdPrefix: WEBCHAT_HANDOFF_PREFIX,
    });
    stores.customers.attachHistory(activityLog, WEBCHAT_HANDOFF_PREFIX);
    const memory = { expiry: stores.expiry, counts: () => ({ ...stores.counts(), webChatHistories: activityLog.size }) };
    return { ...stores, kind, prefix: null, lease: new MemoryLease(opts.clock), activityLog, memory, rateLimiter: new MemoryRateLimiter(opts.clock), loginAttempts: new MemoryLoginAttempts(opts.clock) };
  }
  // Loaded here, not imported at the top, so a memory-only process never loads node-redis.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, and tsx's CJS hook resolves require()
  const redis = require('./redis/index.js') as typeof import('./redis/index.js');
  const stores = await redis.createRedisStores({
    url: store,
    ...(opts.prefix === undefined ? {} : { prefix: opts.prefix }),
    ...(opts.onError === undefined ? {} : { onError: opts.onError }),
    activityLog: { ...opts.activityLog, handoffIdPrefix: WEBCHAT_HANDOFF_PREFIX, ...(opts.clock === undefined ? {} : { now: () => opts.clock!.now() }) },
    ...(opts.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: opts.commandTimeoutMs }),
    ...(opts.deleteKeysOnClose === undefined ? {} : { deleteKeysOnClose: opts.deleteKeysOnClose }),
    ...(opts.retention === undefined ? {} : { retention: opts.retention }),
  });
  if (opts.durability !== undefined) {
    try {
      await redis.checkRedisDurability(stores.client, { url: store, ...opts.durability });
    } catch (e) {
      await stores.close().catch(() => undefined);
      throw e;
    }
  }
  return Object.assign(stores, { kind, prefix: stores.keys.prefix });
}

/** `memory` or `redis`; anything else is a configuration error naming the accepted forms. */
function storeKind(store: string): 'memory' | 'redis' {
  if (store === 'memory') return 'memory';
  if (/^rediss?:\/\/./.test(store)) return 'redis';
  throw new HandoverError(
    'HANDOVER_ERR_CONFIG_INVALID',
    `store "${store.replace(/:[^:@/]*@/, ':***@')}" is neither "memory" nor a Redis URL: use --store memory, or REDIS_URL / --store redis://HOST:PORT`,
  );
}
