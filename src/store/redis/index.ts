/**
 * The Redis store: every port on one Redis, so many processes share queues, state, transcripts,
 * events and cross-process delivery.
 *
 * @example
 * const stores = await createRedisStores({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', onError: log.error });
 * // ...
 * await stores.close();
 */
import type { Stores } from '../../core/ports/stores.js';
import { RedisKeys, DEFAULT_PREFIX } from './keys.js';
import { connectRedis, closeConnection, type RedisClient } from './redis-connection.js';
import { RedisHandoffStore } from './redis-handoff-store.js';
import { RedisTranscriptStore } from './redis-transcript-store.js';
import { RedisDocumentStore } from './redis-document-store.js';
import { RedisPacketStore } from './redis-packet-store.js';
import { RedisEventBus } from './redis-event-bus.js';
import { RedisMessageRelay, type RedisRelayOptions } from './redis-message-relay.js';
import { RedisLease } from './redis-lease.js';
import { RedisActivityLog, type RedisActivityLogOptions } from './redis-activity-log.js';
import { RedisTurnInbox, type RedisTurnInboxOptions } from './redis-turn-inbox.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';
import { RedisLoginAttempts } from './redis-login-attempts.js';
import { deleteKeysByPrefix } from './delete-keys.js';
import { RedisCustomerData } from './redis-customer-data.js';
import { RedisHistoryIndex } from './redis-history-index.js';
import { DEFAULT_RETENTION, type RetentionPolicy } from '../../core/ports/customer-data.js';

/**
 * Options of `createRedisStores`.
 *
 * @example
 * const opts: RedisStoresOptions = { url: 'redis://127.0.0.1:6379', prefix: 'handover', onError: log.error };
 */
export interface RedisStoresOptions {
  /** e.g. `redis://127.0.0.1:6379` or `rediss://user:pass@host:6380/0`. */
  readonly url: string;
  /** Namespace of every key and channel. Default `handover`; tests use a unique one each. */
  readonly prefix?: string;
  /** Connection errors after start-up, failed subscribers, failed relay deliveries. Default: ignore. */
  readonly onError?: (e: unknown) => void;
  /** Failed connection attempts at start before giving up with HANDOVER_ERR_STORE_UNAVAILABLE. Default 3. */
  readonly startAttempts?: number;
  /** How long a command may wait while Redis is away before it rejects. Default 5000 ms. */
  readonly commandTimeoutMs?: number;
  readonly relay?: RedisRelayOptions;
  /** Caps and retention of the web chat history (`activityLog`). */
  readonly activityLog?: RedisActivityLogOptions;
  /** Timings of the turn inbox (customer lines not yet answered; see `RedisTurnInbox`). */
  readonly turnInbox?: RedisTurnInboxOptions;
  /**
   * For throwaway namespaces only (`simulate`, benchmarks): `close()` first deletes every key under
   * the prefix. Never set it on a deployment's prefix — it erases queues and transcripts.
   */
  readonly deleteKeysOnClose?: boolean;
  /** TTL of every key class (manifest.json → `retention`). Default `DEFAULT_RETENTION`. */
  readonly retention?: RetentionPolicy;
}

/**
 * `Stores` on Redis, plus the ports that are not part of `Stores` (the lease a WhatsApp Web session
 * needs, the web chat history) and the client and key builder for callers that need them (health
 * checks, tests).
 *
 * @example
 * const stores = await createRedisStores({ url });
 * await stores.client.ping();
 * if (await stores.lease.acquire('whatsapp-web:main', nodeId, 30_000)) startWhatsApp();
 */
export interface RedisStores extends Stores {
  readonly client: RedisClient;
  readonly keys: RedisKeys;
  /** Expiring locks on Redis, shared by every process on this prefix. */
  readonly lease: RedisLease;
  /** Web chat history on Redis, so a page can reconnect to any process. */
  readonly activityLog: RedisActivityLog;
  /** Customer lines acknowledged and not yet answered, claimable by a survivor when their process dies. */
  readonly turnInbox: RedisTurnInbox;
  /** Token buckets shared by every process (anonymous web chat conversations per client IP). */
  readonly rateLimiter: RedisRateLimiter;
  /** Sign-in attempt counters and known devices, shared by every process (the console's sign-in throttle). */
  readonly loginAttempts: RedisLoginAttempts;
  /** The customer → conversations index, erasure of a conversation's keys and the audit lines. */
  readonly customers: RedisCustomerData;
  /** Closed handoffs, searched by customer, order number or date (the console's history). */
  readonly history: RedisHistoryIndex;
}

/**
 * Connects (main connection + event subscriber) and returns every port. Throws
 * HANDOVER_ERR_STORE_UNAVAILABLE, saying how to start Redis, when it does not answer at start;
 * after that, connections reconnect with capped backoff and errors go to `onError`.
 * `close()` stops relay listeners and closes every connection; calling it twice is harmless.
 *
 * @example
 * const stores = await createRedisStores({ url: 'redis://127.0.0.1:6379', prefix: 'handover' });
 * const state = await stores.handoffs.get(conversationId('c-1'));
 */
export async function createRedisStores(opts: RedisStoresOptions): Promise<RedisStores> {
  const onError = opts.onError ?? (() => {});
  const keys = new RedisKeys(opts.prefix ?? DEFAULT_PREFIX);
  const client = await connectRedis({
    url: opts.url,
    onError,
    // Named after the prefix so an operator (or a test) can tell this deployment's connections apart.
    name: keys.prefix,
    ...(opts.startAttempts === undefined ? {} : { startAttempts: opts.startAttempts }),
    ...(opts.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: opts.commandTimeoutMs }),
  });
  let events: RedisEventBus;
  try {
    events = await RedisEventBus.start(client, keys, onError);
  } catch (e) {
    await closeConnection(client);
    throw e;
  }
  const retention = opts.retention ?? DEFAULT_RETENTION;
  const relay = new RedisMessageRelay(client, keys, onError, { streamRetentionMs: retention.relayStreamsMs, deadLetterRetentionMs: retention.deadLettersMs, ...opts.relay });
  const activityLog = new RedisActivityLog(client, keys, { onError, keyTtlMs: retention.webChatHistoryMs, ...opts.activityLog });
  const turnInbox = new RedisTurnInbox(client, keys, { onError, ...(opts.activityLog?.now === undefined ? {} : { now: opts.activityLog.now }), ...opts.turnInbox });
  const history = new RedisHistoryIndex(client, keys, retention.transcriptsMs, opts.activityLog?.now);
  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    await turnInbox.stop();
    await relay.close();
    await activityLog.close();
    await events.close();
    if (opts.deleteKeysOnClose === true) {
      try {
        await deleteKeysByPrefix(client, keys);
      } catch (e) {
        onError(e);
      }
    }
    await closeConnection(client);
  };
  return {
    client,
    keys,
    handoffs: new RedisHandoffStore(client, keys, retention),
    transcripts: new RedisTranscriptStore(client, keys, retention),
    documents: new RedisDocumentStore(client, keys, retention, opts.activityLog?.now),
    packets: new RedisPacketStore(client, keys, retention),
    customers: new RedisCustomerData(client, keys, retention, opts.activityLog?.handoffIdPrefix ?? 'webchat:', opts.activityLog?.now, history),
    history,
    events,
    relay,
    lease: new RedisLease(client, keys),
    activityLog,
    turnInbox,
    rateLimiter: new RedisRateLimiter(client, keys),
    loginAttempts: new RedisLoginAttempts(client, keys),
    close: () => (closing ??= close()),
  };
}

export { RedisKeys, DEFAULT_PREFIX } from './keys.js';
export { RedisHandoffStore } from './redis-handoff-store.js';
export { RedisTranscriptStore } from './redis-transcript-store.js';
export { RedisDocumentStore } from './redis-document-store.js';
export { RedisPacketStore } from './redis-packet-store.js';
export { RedisEventBus } from './redis-event-bus.js';
export { RedisMessageRelay, type RedisRelayOptions } from './redis-message-relay.js';
export { RedisLease } from './redis-lease.js';
export { RedisActivityLog, type RedisActivityLogOptions } from './redis-activity-log.js';
export { RedisTurnInbox, type RedisTurnInboxOptions } from './redis-turn-inbox.js';
export { RedisRateLimiter } from './redis-rate-limiter.js';
export { RedisLoginAttempts } from './redis-login-attempts.js';
export { deleteKeysByPrefix } from './delete-keys.js';
export { RedisCustomerData } from './redis-customer-data.js';
export { RedisHistoryIndex } from './redis-history-index.js';
export type { RedisClient } from './redis-connection.js';
export {
  assessRedisDurability,
  checkRedisDurability,
  describeDurability,
  readRedisDurability,
  type DurabilityAssessment,
  type DurabilityFinding,
  type RedisDurabilitySettings,
} from './redis-durability.js';
