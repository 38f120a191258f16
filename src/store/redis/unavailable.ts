import { ErrorReply } from 'redis';
import { HandoverError } from '../../core/errors.js';
import type { RedisClient } from './redis-connection.js';
import { failingFastOnDrop } from '../../internals/redis-offline-timeout.js';

/** Replies Redis gives while it cannot serve writes for now (loading its AOF, a busy script, a failed save, a replica). */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MISCONF|TRYAGAIN|MASTERDOWN|READONLY|CLUSTERDOWN|NOREPLICAS)\b/;

/**
 * True when `e`, thrown by a node-redis command, means "Redis cannot answer now" rather than "this
 * command is wrong": every client-side error (offline-queue timeout, socket closed, client closed —
 * node-redis throws its own classes for those, never an `ErrorReply`), and the replies of a Redis
 * that is starting or cannot write (`LOADING`, `MISCONF`, `READONLY`, …).
 *
 * @example
 * try { await client.exists(key); } catch (e) { if (isUnavailable(e)) retryLater(); else throw e; }
 */
export function isUnavailable(e: unknown): boolean {
  if (e instanceof HandoverError) return e.code === 'HANDOVER_ERR_STORE_UNAVAILABLE';
  if (e instanceof ErrorReply) return TRANSIENT_REPLY.test(e.message);
  return e instanceof Error;
}

/**
 * The error to throw for a failed command: `HANDOVER_ERR_STORE_UNAVAILABLE` (the operation did not
 * happen; the caller may tell its client to retry) when Redis cannot answer now, the error itself
 * otherwise. Front doors map the code to 503 + Retry-After.
 *
 * @example
 * await client.exists(key).catch((e: unknown) => { throw asUnavailable(e, 'read a web chat conversation'); });
 */
export function asUnavailable(e: unknown, what: string): unknown {
  if (e instanceof HandoverError || !isUnavailable(e)) return e;
  return new HandoverError('HANDOVER_ERR_STORE_UNAVAILABLE', `Redis cannot ${what} now (${e instanceof Error ? e.message : String(e)}): retry when it is back`, { cause: e });
}

/**
 * Rejects at once (HANDOVER_ERR_STORE_UNAVAILABLE) while the connection is down, instead of letting
 * the command wait in node-redis' offline queue for `commandTimeoutMs`: for a customer's line,
 * "not sent, will retry" now beats a spinner for 5 s. Returns the client to issue the command on:
 * one whose commands are also refused at once if the connection drops before they are written
 * (`failingFastOnDrop`).
 *
 * @example
 * const c = failFastWhileDown(client, 'store a customer line');
 * await script.run(c, keys, args);
 */
export function failFastWhileDown(client: RedisClient, what: string): RedisClient {
  if (!client.isReady) throw new HandoverError('HANDOVER_ERR_STORE_UNAVAILABLE', `Redis cannot ${what} now (not connected): retry when it is back`);
  return failingFastOnDrop(client);
}

/**
 * Calls `listener(false)` when the connection goes down and `listener(true)` when it is ready
 * again (each change once); returns the unsubscribe function.
 *
 * @example
 * const stop = watchConnection(client, (up) => console.log(up ? 'Redis is back' : 'Redis is away'));
 */
export function watchConnection(client: RedisClient, listener: (available: boolean) => void): () => void {
  let last = client.isReady;
  const check = (): void => {
    const now = client.isReady;
    if (now === last) return;
    last = now;
    listener(now);
  };
  const events = ['ready', 'end', 'error', 'reconnecting'] as const;
  // 'error' and 'reconnecting' fire before isReady flips in some paths: look again on the next tick too
  const onEvent = (): void => {
    check();
    setImmediate(check);
  };
  for (const e of events) client.on(e, onEvent);
  return () => {
    for (const e of events) client.off(e, onEvent);
  };
}
