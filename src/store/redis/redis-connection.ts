import { createClient, type RedisClientType } from 'redis';
import { HandoverError } from '../../core/errors.js';
import { offlineTimeoutOf, timeOnlyWhileOffline } from '../../internals/redis-offline-timeout.js';

/**
 * The node-redis client every Redis store takes: no extra modules, functions or scripts (our Lua
 * runs through `LuaScript`), RESP3 (the v6 default), no type mapping (replies are strings).
 *
 * @example
 * function health(client: RedisClient) { return client.ping(); }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- node-redis spells "no modules" as {}
export type RedisClient = RedisClientType<{}, {}, {}, 3, {}>;

/**
 * How `connectRedis` connects.
 *
 * @example
 * const opts: RedisConnectionOptions = { url: 'redis://127.0.0.1:6379', onError: console.error, startAttempts: 1 };
 */
export interface RedisConnectionOptions {
  readonly url: string;
  /** Every connection error after start-up lands here; never an unhandled 'error' event. */
  readonly onError: (e: unknown) => void;
  /** Per attempt TCP connect timeout. Default 2000 ms. */
  readonly connectTimeoutMs?: number;
  /** Upper bound of the reconnect backoff. Default 5000 ms. */
  readonly maxReconnectDelayMs?: number;
  /** How many failed attempts at start-up before giving up. Default 3. */
  readonly startAttempts?: number;
  /**
   * How long a command issued while Redis is away may wait in the offline queue before it rejects.
   * Default 5000 ms (node-redis'). A chat turn should fail fast enough to tell the customer to try
   * again; a command sent while connected is never cut short (see `timeOnlyWhileOffline`).
   */
  readonly commandTimeoutMs?: number;
  /** CLIENT SETNAME of this connection and its duplicates, so `CLIENT LIST` shows whose they are. */
  readonly name?: string;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 5000;

/**
 * Opens a node-redis client that fails fast at start-up and never gives up afterwards.
 *
 * Why both: a process started without Redis must say so at once (the caller turns the rejection
 * into HANDOVER_ERR_STORE_UNAVAILABLE with the fix), but a process that was running must survive a
 * Redis restart, so once connected it reconnects forever with capped exponential backoff. Commands
 * issued while disconnected wait in node-redis' offline queue and fail after `commandTimeoutMs`
 * (5 s by default), which callers see as ordinary rejections.
 *
 * @example
 * const client = await connectRedis({ url: 'redis://127.0.0.1:6379', onError: console.error });
 * const sub = await duplicateConnection(client, console.error);
 */
export async function connectRedis(opts: RedisConnectionOptions): Promise<RedisClient> {
  const startAttempts = opts.startAttempts ?? 3;
  const maxDelay = opts.maxReconnectDelayMs ?? 5000;
  let everReady = false;
  let lastStartError: unknown;
  const client = createClient({
    url: opts.url,
    ...(opts.name === undefined ? {} : { name: opts.name }),
    commandOptions: { timeout: 0 },
    socket: {
      connectTimeout: opts.connectTimeoutMs ?? 2000,
      reconnectStrategy: (retries: number, cause: Error) => {
        // Returning an Error makes connect() reject instead of retrying forever before the first success.
        if (!everReady && retries + 1 >= startAttempts) return cause;
        return Math.min(50 * 2 ** Math.min(retries, 10), maxDelay);
      },
    },
  });
  timeOnlyWhileOffline(client, opts.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
  client.on('ready', () => {
    everReady = true;
  });
  client.on('error', (e: unknown) => {
    // Before the first success the error is thrown by connect(); reporting it too would be noise.
    if (everReady) opts.onError(e);
    else lastStartError = e;
  });
  try {
    await client.connect();
  } catch (e) {
    throw new HandoverError(
      'HANDOVER_ERR_STORE_UNAVAILABLE',
      `Redis did not answer at ${redactUrl(opts.url)} (${describe(e ?? lastStartError)}): ` +
        'start one (e.g. `redis-server --daemonize yes`) or set REDIS_URL to a running Redis',
      { cause: e },
    );
  }
  return client;
}

/**
 * A second connection with the same options, for what must not share the main connection:
 * pub/sub subscriptions and blocking reads (a BLOCK would stall every command pipelined behind it).
 *
 * @example
 * const conn = await duplicateConnection(client, onError);
 * await conn.subscribe('handover:events', (m) => console.log(m));
 */
export async function duplicateConnection(client: RedisClient, onError: (e: unknown) => void): Promise<RedisClient> {
  const conn = client.duplicate();
  const timeoutMs = offlineTimeoutOf(client);
  if (timeoutMs !== undefined) timeOnlyWhileOffline(conn, timeoutMs);
  conn.on('error', onError);
  await conn.connect();
  return conn;
}

/**
 * Closes a connection without hanging: a graceful `close()` while connected (pending replies are
 * awaited), `destroy()` while Redis is away (close() would wait for a reconnect that may never come).
 *
 * @example
 * await closeConnection(client);
 */
export async function closeConnection(client: RedisClient): Promise<void> {
  if (!client.isOpen) return;
  if (!client.isReady) {
    client.destroy();
    return;
  }
  try {
    await client.close();
  } catch {
    // Already closing or the socket died mid-close: nothing left to release but the socket.
    if (client.isOpen) client.destroy();
  }
}

/**
 * `redis://user:secret@host` -> `redis://user:***@host`, so a password never reaches a log.
 *
 * @example
 * redactUrl('redis://app:s3cret@10.0.0.5:6379'); // 'redis://app:***@10.0.0.5:6379'
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
