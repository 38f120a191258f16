import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { MessageRelay, RelayMessage } from '../../core/ports/message-relay.js';
import { HandoverError } from '../../core/errors.js';
import type { RedisKeys } from './keys.js';
import { closeConnection, duplicateConnection, type RedisClient } from './redis-connection.js';

/**
 * Tuning of `RedisMessageRelay`; the defaults suit a chat service.
 *
 * @example
 * await createRedisStores({ url, relay: { maxLen: 50_000, blockMs: 500 } });
 */
export interface RedisRelayOptions {
  /** Approximate cap of each route's stream (XADD MAXLEN ~). Default 10 000. */
  readonly maxLen?: number;
  /** How long one XREADGROUP waits for news; bounds how long `stop()` takes. Default 250 ms. */
  readonly blockMs?: number;
  /** Entries read per XREADGROUP. Default 20. */
  readonly batchSize?: number;
  /** How long a delivered message id is remembered to drop re-deliveries. Default 24 h. */
  readonly dedupeTtlMs?: number;
  /** A listener that has not renewed its heartbeat for this long is considered dead. Default 15 s. */
  readonly aliveTtlMs?: number;
  /** How often a listener renews its heartbeat. Default 5 s. */
  readonly heartbeatMs?: number;
  /** How often a listener looks for messages left pending by dead listeners. Default 5 s. */
  readonly adoptEveryMs?: number;
  /** Retry backoff after a failed delivery: from `min` doubling up to `max`. Default 50..2000 ms. */
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
}

type Settings = Required<RedisRelayOptions>;

const DEFAULTS: Settings = {
  maxLen: 10_000,
  blockMs: 250,
  batchSize: 20,
  dedupeTtlMs: 24 * 60 * 60 * 1000,
  aliveTtlMs: 15_000,
  heartbeatMs: 5_000,
  adoptEveryMs: 5_000,
  retryMinMs: 50,
  retryMaxMs: 2_000,
};

/**
 * One consumer group per route stream; its name is fixed because a route has one logical reader.
 *
 * @example
 * await client.xPending(keys.relayStream('webchat'), RELAY_GROUP); // what is still undelivered
 */
export const RELAY_GROUP = 'relay';

/**
 * `MessageRelay` on Redis Streams, at-least-once from Redis and once to the handler:
 *
 * - `send` = XADD to the route's stream (MAXLEN ~ bound, so a route nobody listens to cannot grow
 *   without limit; a message trimmed before delivery is reported to `onError`).
 * - `listen` = a loop on its own connection (XREADGROUP BLOCK would stall the shared one) in the
 *   route's consumer group, created from id 0 so messages sent before anyone listened are delivered.
 *   Messages are handled one at a time; XACK only after the handler succeeded.
 * - A failed handler leaves its message pending; the loop re-reads its own pending entries (from id 0)
 *   before anything newer, after a backoff, so order holds and nothing is lost.
 * - A listener that dies with messages pending stops renewing its heartbeat key; another listener of
 *   the route claims those messages (XCLAIM, guarded by their idle time so two claimers cannot both win).
 *   A listener stopped with `stop()` deletes its heartbeat at once, so its pending messages move on
 *   immediately. When a new listener starts, it adopts orphans before reading anything new.
 * - Delivered ids are remembered (`relayDone` key, set together with the XACK in one MULTI), so a
 *   message re-delivered after a crash between "handler done" and "ack" is dropped, and so is a
 *   message sent twice with the same `RelayMessage.id`. The one window left is a crash *during* the
 *   handler: that message is delivered again, which is why messages carry ids for consumers too.
 *
 * A route is meant to be held by one process at a time (the channel instance that owns it). Two
 * listeners on one route share its messages, each gets a message once, but order then holds only
 * per listener.
 *
 * @example
 * const relay = new RedisMessageRelay(client, new RedisKeys('handover'), console.error);
 * const stop = await relay.listen('webchat', async (m) => socket.send(m.text ?? ''));
 * await relay.send('webchat', { conversationId, kind: 'agent_message', text: 'Hi, I am Ana', at: Date.now(), id: 'm-1' });
 * await stop();
 */
export class RedisMessageRelay implements MessageRelay {
  private readonly listeners = new Set<RouteListener>();
  private readonly settings: Settings;

  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly onError: (e: unknown) => void,
    options: RedisRelayOptions = {},
  ) {
    this.settings = { ...DEFAULTS, ...options };
  }

  async send(route: string, message: RelayMessage): Promise<void> {
    await this.client.xAdd(
      this.keys.relayStream(route),
      '*',
      { m: JSON.stringify(message) },
      { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: this.settings.maxLen } },
    );
  }

  async listen(route: string, handler: (message: RelayMessage) => Promise<void>): Promise<() => Promise<void>> {
    const conn = await duplicateConnection(this.client, this.onError);
    const listener = new RouteListener(conn, this.keys, route, handler, this.onError, this.settings);
    try {
      await listener.start();
    } catch (e) {
      await closeConnection(conn);
      throw e;
    }
    this.listeners.add(listener);
    return async () => {
      this.listeners.delete(listener);
      await listener.stop();
    };
  }

  /** Stops every listener started by this relay. */
  async close(): Promise<void> {
    const all = [...this.listeners];
    this.listeners.clear();
    await Promise.all(all.map((l) => l.stop()));
  }
}

interface StreamEntry {
  readonly id: string;
  /** Field/value pairs; null when the entry was trimmed from the stream while pending. */
  readonly fields: readonly string[] | null;
}

/** One `listen()`: a consumer in the route's group, with its own connection and loop. */
class RouteListener {
  private readonly consumer = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly stream: string;
  private readonly aliveKey: string;
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private heartbeat: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  /** True while this consumer may have pending entries (start, after a failure or an adoption). */
  private mayHavePending = true;
  private lastAdoptAt = 0;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly conn: RedisClient,
    private readonly keys: RedisKeys,
    private readonly route: string,
    private readonly handler: (message: RelayMessage) => Promise<void>,
    private readonly onError: (e: unknown) => void,
    private readonly settings: Settings,
  ) {
    this.stream = keys.relayStream(route);
    this.aliveKey = keys.relayAlive(route, this.consumer);
  }

  async start(): Promise<void> {
    await this.ensureGroup();
    await this.beat();
    await this.adoptOrphans();
    this.running = true;
    // A timer, not the loop, renews the heartbeat: a slow handler must not make this listener look dead.
    this.heartbeat = setInterval(() => {
      this.beat().catch((e: unknown) => this.onError(e));
    }, this.settings.heartbeatMs);
    this.heartbeat.unref();
    this.loop = this.run();
  }

  stop(): Promise<void> {
    this.stopping ??= this.stopNow();
    return this.stopping;
  }

  private async stopNow(): Promise<void> {
    this.running = false;
    this.wake?.();
    if (this.heartbeat !== undefined) clearInterval(this.heartbeat);
    await this.loop;
    try {
      if (this.conn.isReady) {
        // Without the heartbeat, another listener adopts whatever is still pending here right away.
        await this.conn.del(this.aliveKey);
        const left = await this.conn.xPendingRange(this.stream, RELAY_GROUP, '-', '+', 1, { consumer: this.consumer });
        // DELCONSUMER drops the consumer's pending entries, so only an empty consumer is removed.
        if (left.length === 0) await this.conn.xGroupDelConsumer(this.stream, RELAY_GROUP, this.consumer);
      }
    } catch (e) {
      this.onError(e);
    }
    await closeConnection(this.conn);
  }

  private async run(): Promise<void> {
    let backoff = 0;
    while (this.running) {
      try {
        if (Date.now() - this.lastAdoptAt >= this.settings.adoptEveryMs) await this.adoptOrphans();
        let batch: StreamEntry[] = [];
        if (this.mayHavePending) {
          batch = await this.read('0');
          if (batch.length === 0) this.mayHavePending = false;
        }
        if (batch.length === 0) batch = await this.read('>', this.settings.blockMs);
        for (const entry of batch) {
          // Entries left unhandled stay pending for this consumer; stop() hands them over.
          if (!this.running) break;
          await this.deliver(entry);
        }
        backoff = 0;
      } catch (e) {
        this.mayHavePending = true;
        if (!this.running) break;
        if (e instanceof Error && e.message.startsWith('NOGROUP')) {
          // The stream or group vanished (Redis restarted without persistence, or keys were deleted).
          await this.ensureGroup().catch((err: unknown) => this.onError(err));
        }
        this.onError(e);
        backoff = Math.min(Math.max(this.settings.retryMinMs, backoff * 2), this.settings.retryMaxMs);
        await this.sleep(backoff);
      }
    }
  }

  private async deliver(entry: StreamEntry): Promise<void> {
    if (entry.fields === null) {
      this.onError(
        new HandoverError(
          'HANDOVER_ERR_CHANNEL',
          `relay message ${entry.id} on route "${this.route}" was trimmed before delivery: raise maxLen or keep a listener on the route`,
        ),
      );
      await this.conn.xAck(this.stream, RELAY_GROUP, entry.id);
      return;
    }
    const message = parseMessage(entry.fields);
    if (message === undefined) {
      this.onError(
        new HandoverError('HANDOVER_ERR_STORE_DATA_INVALID', `relay entry ${entry.id} on route "${this.route}" is not a RelayMessage: dropped`),
      );
      await this.conn.xAck(this.stream, RELAY_GROUP, entry.id);
      return;
    }
    const doneKey = this.keys.relayDone(this.route, message.id);
    if ((await this.conn.exists(doneKey)) === 0) {
      await this.handler(message); // throws => stays pending, retried before anything newer
    }
    // Marker and ack together: a crash can no longer separate "delivered" from "acknowledged".
    await this.conn.multi().set(doneKey, '1', { PX: this.settings.dedupeTtlMs }).xAck(this.stream, RELAY_GROUP, entry.id).exec();
  }

  /** Claims messages left pending by listeners whose heartbeat is gone, oldest first. */
  private async adoptOrphans(): Promise<void> {
    this.lastAdoptAt = Date.now();
    const summary = await this.conn.xPending(this.stream, RELAY_GROUP);
    for (const c of summary.consumers ?? []) {
      const name = String(c.name);
      if (name === this.consumer) continue;
      if ((await this.conn.exists(this.keys.relayAlive(this.route, name))) === 1) continue;
      const pending = await this.conn.xPendingRange(this.stream, RELAY_GROUP, '-', '+', 100, { consumer: name });
      for (const p of pending) {
        // Claiming resets the idle time, so a second claimer asking for "idle >= what I saw" loses.
        const claimed = await this.conn.xClaimJustId(this.stream, RELAY_GROUP, this.consumer, Math.max(1, Number(p.millisecondsSinceLastDelivery)), String(p.id));
        if (claimed.length > 0) this.mayHavePending = true;
      }
      const left = await this.conn.xPendingRange(this.stream, RELAY_GROUP, '-', '+', 1, { consumer: name });
      if (left.length === 0) await this.conn.xGroupDelConsumer(this.stream, RELAY_GROUP, name);
    }
  }

  private async ensureGroup(): Promise<void> {
    try {
      // From id 0: a route's first listener gets what was sent before anyone listened.
      await this.conn.xGroupCreate(this.stream, RELAY_GROUP, '0', { MKSTREAM: true });
    } catch (e) {
      if (!(e instanceof Error) || !e.message.startsWith('BUSYGROUP')) throw e;
    }
  }

  private async beat(): Promise<void> {
    await this.conn.set(this.aliveKey, '1', { PX: this.settings.aliveTtlMs });
  }

  /**
   * XREADGROUP sent raw: node-redis' reply transformer throws on a pending entry whose body was
   * trimmed (`[id, nil]`), which would wedge the route; parsing it here lets us report and skip it.
   */
  private async read(id: '0' | '>', blockMs?: number): Promise<StreamEntry[]> {
    const args = ['XREADGROUP', 'GROUP', RELAY_GROUP, this.consumer, 'COUNT', String(this.settings.batchSize)];
    if (blockMs !== undefined) args.push('BLOCK', String(blockMs));
    args.push('STREAMS', this.stream, id);
    return parseReadReply(await this.conn.sendCommand(args));
  }

  /** A backoff pause that `stop()` can cut short through `wake`. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wake = finish;
    });
  }
}

/** XREADGROUP reply for one stream: RESP3 map `{ stream: entries }`, RESP2 `[[stream, entries]]`, or null. */
function parseReadReply(reply: unknown): StreamEntry[] {
  if (reply === null || reply === undefined) return [];
  let perStream: unknown[];
  if (Array.isArray(reply)) perStream = reply.map((s: unknown) => (Array.isArray(s) ? s[1] : undefined));
  else if (reply instanceof Map) perStream = [...reply.values()];
  else if (typeof reply === 'object') perStream = Object.values(reply);
  else return [];
  const out: StreamEntry[] = [];
  for (const entries of perStream) {
    if (!Array.isArray(entries)) continue;
    for (const e of entries) {
      if (!Array.isArray(e)) continue;
      const [id, fields] = e as [unknown, unknown];
      out.push({ id: String(id), fields: Array.isArray(fields) ? fields.map(String) : null });
    }
  }
  return out;
}

function parseMessage(fields: readonly string[]): RelayMessage | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] !== 'm') continue;
    try {
      const m = JSON.parse(fields[i + 1] ?? '') as Partial<RelayMessage> | null;
      if (m !== null && typeof m === 'object' && typeof m.id === 'string' && typeof m.conversationId === 'string') return m as RelayMessage;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
