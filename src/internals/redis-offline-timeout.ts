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
 * Gives a client's commands a timeout only while it is disconnected.
 *
 * Why: node-redis arms `AbortSignal.timeout()` for every command (a timer, a WeakRef and a
 * listener), though the timeout only ever applies while the command waits unsent in the offline
 * queue: it is disarmed as soon as the command is written. While connected that is pure cost —
 * about 0.1 ms of CPU per chat turn, a DOMException built 5 s later for every command, and objects
 * that survive young-generation collections (scavenges get longer, the p99 of a turn with them).
 * The client's command options are what each command call copies, so they are chosen per call:
 * none while ready, `timeoutMs` while Redis is away. A command accepted while ready but still unsent
 * when the socket dies waits for the reconnect; the commands that must not (a customer's line) go
 * through {@link failingFastOnDrop}.
 */
export function timeOnlyWhileOffline(client: ClientLike, timeoutMs: number): void {
  // node-redis reads `this._commandOptions` on every command call (withCommandOptions() overrides it the same way)
  const holder = client as unknown as { _commandOptions?: Record<string, unknown> };
  const current = holder._commandOptions;
  if (current === undefined || !('timeout' in current)) {
    throw new HandoverError('HANDOVER_ERR_INTERNAL', 'node-redis no longer keeps per-client command options in _commandOptions: update src/internals/redis-offline-timeout.ts');
  }
  // from whatever the client was given (a duplicate copies its parent's current options)
  const online = Object.freeze({ ...current, timeout: 0 });
  const offline = Object.freeze({ ...current, timeout: timeoutMs });
  Object.defineProperty(client, '_commandOptions', { configurable: true, enumerable: false, get: () => (client.isReady ? online : offline) });
  offlineTimeouts.set(client, timeoutMs);
}

const failFastViews = new WeakMap<object, object>();

/**
 * The same client, for commands that must be refused at once when the connection drops rather
 * than wait for the reconnect: a customer's line ("not sent, send it again" beats a spinner for the
 * whole outage), a rate-limit take in front of it.
 *
 * A command accepted while the client was ready but not yet written when the socket dies (issued
 * in the same tick, or queued behind a busy event loop) would wait, without a timeout, in node-redis'
 * write queue until the reconnect. Commands issued through this view carry the abort signal of the
 * current connection: when it drops the signal is aborted, node-redis removes every unsent command
 * carrying it (one already written is not touched: node-redis rejects it itself when the socket
 * closes) and rejects it with an `AbortError`, which `isUnavailable` reads as "Redis cannot answer
 * now". An aborted command was never sent, so retrying it cannot apply it twice. Only these
 * commands pay for the signal (a listener per command: ~10–20 % of a pipelined command's cost).
 *
 * @example
 * await failingFastOnDrop(client).evalSha(sha, { keys, arguments: args });
 */
export function failingFastOnDrop<C extends ClientLike>(client: C): C {
  const known = failFastViews.get(client);
  if (known !== undefined) return known as C;
  const base = client as unknown as { _commandOptions?: Record<string, unknown> };
  let connection = new AbortController();
  // one listener per unsent command: many at once is normal, not a leak
  setMaxListeners(0, connection.signal);
  const dropped = (): void => {
    if (!client.isReady && !connection.signal.aborted) connection.abort();
  };
  // 'error' and 'reconnecting' can fire before isReady flips: look again on the next tick too
  const onDrop = (): void => {
    dropped();
    setImmediate(dropped);
  };
  for (const e of ['end', 'error', 'reconnecting'] as const) client.on(e, onDrop);
  // node-redis' own withAbortSignal() is the same: a prototype view with its own _commandOptions
  const view = Object.create(client) as C;
  Object.defineProperty(view, '_commandOptions', {
    configurable: true,
    enumerable: false,
    get: () => {
      const options = base._commandOptions;
      if (!client.isReady) return options;
      if (connection.signal.aborted) {
        connection = new AbortController();
        setMaxListeners(0, connection.signal);
      }
      return { ...options, abortSignal: connection.signal };
    },
  });
  failFastViews.set(client, view);
  return view;
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
