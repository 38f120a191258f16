/**
 * Library internals: node-redis' per-client command options (`_commandOptions`, a field its own
 * `withCommandOptions()` overrides the same way). See src/internals/README.md.
 *
 * @example
 * const client = createClient({ url, commandOptions: { timeout: 0 } });
 * timeOnlyWhileOffline(client, 5000);
 */
import { setMaxListeners } from 'node:events';
import { HandoverError } from '../core/errors.js';

/** What of a node-redis client this patch uses. */
export interface ClientLike {
  readonly isReady: boolean;
  on(event: 'end' | 'error' | 'reconnecting', listener: () => void): unknown;
}

const offlineTimeouts = new WeakMap<object, number>();

/**
 * Gives a client's commands a timeout only while it is disconnected, and rejects at once the
 * commands still unsent when the connection drops.
 *
 * Why: node-redis arms `AbortSignal.timeout()` for every command (a timer, a WeakRef and a
 * listener), though the timeout only ever applies while the command waits unsent in the offline
 * queue: it is disarmed as soon as the command is written. While connected that is pure cost —
 * about 0.1 ms of CPU per chat turn, a DOMException built 5 s later for every command, and objects
 * that survive young-generation collections (scavenges get longer, the p99 of a turn with them).
 * The client's command options are what each command call copies, so they are chosen per call:
 * none while ready, `timeoutMs` while Redis is away.
 *
 * A command accepted while the client was ready but not yet written when the socket dies (issued
 * in the same tick, or queued behind a busy event loop) would otherwise wait, without a timeout,
 * for the reconnect — for a customer's line, a spinner for the whole outage instead of "not sent".
 * So commands issued while ready carry the abort signal of the current connection: when the
 * connection drops it is aborted, node-redis removes every unsent command carrying it (one that
 * was written is not touched: node-redis rejects it itself when the socket closes) and rejects it
 * with an `AbortError`, which `isUnavailable` reads as "Redis cannot answer now". An aborted
 * command was never sent, so retrying it cannot apply it twice.
 */
export function timeOnlyWhileOffline(client: ClientLike, timeoutMs: number): void {
  // node-redis reads `this._commandOptions` on every command call (withCommandOptions() overrides it the same way)
  const holder = client as unknown as { _commandOptions?: Record<string, unknown> };
  const current = holder._commandOptions;
  if (current === undefined || !('timeout' in current)) {
    throw new HandoverError('HANDOVER_ERR_INTERNAL', 'node-redis no longer keeps per-client command options in _commandOptions: update src/internals/redis-offline-timeout.ts');
  }
  // from whatever the client was given (a duplicate copies its parent's current options, signal included)
  const { abortSignal: _parentSignal, ...base } = current;
  const offline = Object.freeze({ ...base, timeout: timeoutMs });
  const forConnection = (c: AbortController): Readonly<Record<string, unknown>> => {
    // one listener per unsent command: many at once is normal, not a leak
    setMaxListeners(0, c.signal);
    return Object.freeze({ ...base, timeout: 0, abortSignal: c.signal });
  };
  let connection = new AbortController();
  let online = forConnection(connection);
  const dropped = (): void => {
    if (!client.isReady && !connection.signal.aborted) connection.abort();
  };
  // 'error' and 'reconnecting' can fire before isReady flips: look again on the next tick too
  const onDrop = (): void => {
    dropped();
    setImmediate(dropped);
  };
  for (const e of ['end', 'error', 'reconnecting'] as const) client.on(e, onDrop);
  Object.defineProperty(client, '_commandOptions', {
    configurable: true,
    enumerable: false,
    get: () => {
      if (!client.isReady) return offline;
      if (connection.signal.aborted) {
        connection = new AbortController();
        online = forConnection(connection);
      }
      return online;
    },
  });
  offlineTimeouts.set(client, timeoutMs);
}

/** The offline timeout a patched client was given (its duplicates get the same), or undefined. */
export function offlineTimeoutOf(client: object): number | undefined {
  return offlineTimeouts.get(client);
}

/**
 * True when node-redis still keeps per-client command options where this patch puts them.
 *
 * @example
 * commandOptionsPatchApplies(createClient({ commandOptions: { timeout: 0 } })); // true
 */
export function commandOptionsPatchApplies(client: object): boolean {
  const current = (client as { _commandOptions?: unknown })._commandOptions;
  return typeof current === 'object' && current !== null && 'timeout' in current;
}
