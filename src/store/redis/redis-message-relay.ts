import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DeadLetter, MessageRelay, RelayListenOptions, RelayMessage } from '../../core/ports/message-relay.js';
import { HandoverError } from '../../core/errors.js';
import type { RedisKeys } from './keys.js';
import { LuaScript } from './lua-script.js';
import { closeConnection, duplicateConnection, type RedisClient } from './redis-connection.js';
import { RedisLease } from './redis-lease.js';

const redeliverScript = LuaScript.load('redeliverDeadLetter-2.lua');

/**
 * Tuning of `RedisMessageRelay`; the defaults suit a chat service.
 *
 * @example
 * await createRedisStores({ url, relay: { maxLen: 50_000, maxAttempts: 5 } });
 */
export interface RedisRelayOptions {
  /** Approximate cap of each route's stream (XADD MAXLEN ~). Default 10 000. */
  readonly maxLen?: number;
  /** How long one XREADGROUP waits for news; bounds how long `stop()` takes and how fast a stand-by takes over a released route. Default 250 ms. */
  readonly blockMs?: number;
  /** Entries read per XREADGROUP. Default 20. */
  readonly batchSize?: number;
  /** How long a delivered message id is remembered to drop re-deliveries. Default 24 h. */
  readonly dedupeTtlMs?: number;
  /** A listener (and the route's reader lease) not renewed for this long is considered dead. Default 10 s. */
  readonly aliveTtlMs?: number;
  /** How often a listener renews its heartbeat and, while it reads the route, its lease. Default 2 s. */
  readonly heartbeatMs?: number;
  /** How often the reader looks for messages left pending by dead listeners. Default 2 s. */
  readonly adoptEveryMs?: number;
  /** Retry backoff after a failed delivery: from `min` doubling up to `max`. Default 50..2000 ms. */
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
  /** Handler attempts before a message goes to the dead-letter list. Default 8 (about 5 s of retries). */
  readonly maxAttempts?: number;
  /** An attempt still running after this long counts as failed (a hung channel must not hold a conversation forever). Default 30 s. */
  readonly attemptTimeoutMs?: number;
  /** Messages read and not yet finished, over all conversations; reading pauses above it. Default 1 000. */
  readonly maxInFlight?: number;
  /** Dead letters kept (the oldest are dropped beyond it). Default 10 000. */
  readonly maxDeadLetters?: number;
  /** Stream entries older than this are trimmed; an idle stream expires after it (`retention.relayStreamsDays`). Default 7 days. */
  readonly streamRetentionMs?: number;
  /** The dead-letter list expires this long after its last letter (`retention.deadLettersDays`). Default 14 days. */
  readonly deadLetterRetentionMs?: number;
}

type Settings = Required<RedisRelayOptions>;

const DEFAULTS: Settings = {
  maxLen: 10_000,
  blockMs: 250,
  batchSize: 20,
  dedupeTtlMs: 24 * 60 * 60 * 1000,
  aliveTtlMs: 10_000,
  heartbeatMs: 2_000,
  adoptEveryMs: 2_000,
  retryMinMs: 50,
  retryMaxMs: 2_000,
  maxAttempts: 8,
  attemptTimeoutMs: 30_000,
  maxInFlight: 1_000,
  maxDeadLetters: 10_000,
  streamRetentionMs: 7 * 24 * 60 * 60 * 1000,
  deadLetterRetentionMs: 14 * 24 * 60 * 60 * 1000,
};

/**
 * One consumer group per route stream; its name is fixed because a route has one logical reader.
 *
 * @example
 * await client.xPending(keys.relayStream('webchat'), RELAY_GROUP); // what is still undelivered
 */
export const RELAY_GROUP = 'relay';

/**
 * `MessageRelay` on Redis Streams (see the port for what it guarantees):
 *
 * - `send` = XADD to the route's stream (MAXLEN ~ bound, so a route nobody listens to cannot grow
 *   without limit; a message trimmed before delivery is reported to `onError`).
 * - **One reader per route.** Every process of a deployment may `listen` on a route (every
 *   `handover start` listens on `webchat`); the one holding the route's lease (`RedisLease`
 *   `relay:<route>`, renewed by the heartbeat) reads it, the others stand by and take over when it
 *   stops (at once: it releases the lease) or dies (when the lease lapses, `aliveTtlMs`). One reader
 *   is what keeps a conversation's messages in order across processes. A new reader reads nothing new
 *   while a previous one, still alive, finishes what it holds, and adopts (XCLAIM) what a dead one held
 *   before anything newer.
 * - **Lanes per conversation.** The reader hands each entry to its conversation's lane: lanes run
 *   side by side, each one message at a time, in stream order. A failed handler is retried with
 *   backoff in its lane (other conversations go on); after `maxAttempts` the message is moved to the
 *   dead-letter list and acknowledged in one MULTI, `onDeadLetter` is called, and the lane moves on.
 *   XACK only after the handler succeeded. Lane work runs on the shared connection; only the
 *   blocking XREADGROUP has a connection of its own.
 * - Delivered ids are remembered (`relayDone` key, set together with the XACK in one MULTI), so a
 *   message re-delivered after a crash between "handler done" and "ack" is dropped, and so is a
 *   message sent twice with the same `RelayMessage.id`. The one window left is a crash *during* the
 *   handler: that message is delivered again, which is why handlers make delivery idempotent by
 *   `RelayMessage.id` (the web chat history appends an agent message once per id).
 *
 * @example
 * const relay = new RedisMessageRelay(client, new RedisKeys('handover'), console.error);
 * const stop = await relay.listen('webchat', async (m) => socket.send(m.text ?? ''), { onDeadLetter: console.error });
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
    const stream = this.keys.relayStream(route);
    const keep = this.settings.streamRetentionMs;
    // retention: entries older than relayStreamsDays are trimmed (stream ids are ms), and a stream
    // nobody writes to for that long goes with its group (a listener creates it again: NOGROUP)
    await this.client
      .multi()
      .xAdd(stream, '*', { m: JSON.stringify(message) }, { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: this.settings.maxLen } })
      .xTrim(stream, 'MINID', Math.max(0, Date.now() - keep), { strategyModifier: '~' })
      .pExpire(stream, keep)
      .exec();
  }

  async listen(route: string, handler: (message: RelayMessage) => Promise<void>, options: RelayListenOptions = {}): Promise<() => Promise<void>> {
    const conn = await duplicateConnection(this.client, this.onError);
    const listener = new RouteListener(this.client, conn, this.keys, route, handler, options, this.onError, this.settings);
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

  async deadLetters(limit = 100): Promise<{ total: number; letters: DeadLetter[] }> {
    const key = this.keys.relayDeadLetters();
    await dropOldDeadLetters(this.client, key, this.settings.deadLetterRetentionMs);
    const [total, raw] = await Promise.all([this.client.lLen(key), this.client.lRange(key, 0, Math.max(1, Math.floor(limit)) - 1)]);
    return { total, letters: raw.map(parseDeadLetter).filter((l): l is DeadLetter => l !== undefined) };
  }

  async redeliver(deadLetterId: string): Promise<boolean> {
    const found = await this.findDeadLetter(deadLetterId);
    if (found === undefined) return false;
    const reply = await redeliverScript.run(
      this.client,
      [this.keys.relayDeadLetters(), this.keys.relayStream(found.letter.route)],
      [found.raw, JSON.stringify(found.letter.message), String(this.settings.maxLen), String(this.settings.streamRetentionMs)],
    );
    return reply === 1;
  }

  async discard(deadLetterId: string): Promise<boolean> {
    const found = await this.findDeadLetter(deadLetterId);
    if (found === undefined) return false;
    return (await this.client.lRem(this.keys.relayDeadLetters(), 1, found.raw)) > 0;
  }

  /** Stops every listener started by this relay. */
  async close(): Promise<void> {
    const all = [...this.listeners];
    this.listeners.clear();
    await Promise.all(all.map((l) => l.stop()));
  }

  private async findDeadLetter(id: string): Promise<{ raw: string; letter: DeadLetter } | undefined> {
    // The list is capped (maxDeadLetters), so reading it whole is bounded.
    for (const raw of await this.client.lRange(this.keys.relayDeadLetters(), 0, -1)) {
      const letter = parseDeadLetter(raw);
      if (letter?.id === id) return { raw, letter };
    }
    return undefined;
  }
}

interface StreamEntry {
  readonly id: string;
  /** Field/value pairs; null when the entry was trimmed from the stream while pending. */
  readonly fields: readonly string[] | null;
}

/** One message waiting in, or going through, its conversation's lane. */
interface LaneItem {
  readonly entryId: string;
  readonly message: RelayMessage;
}

/** One conversation's messages, delivered one at a time. */
interface Lane {
  readonly items: LaneItem[];
  running: Promise<void> | undefined;
}

/** One `listen()`: a consumer in the route's group; it reads while it holds the route's lease. */
class RouteListener {
  private readonly consumer = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly stream: string;
  private readonly aliveKey: string;
  private readonly leaseName: string;
  private readonly lease: RedisLease;
  private running = false;
  private reader = false;
  private loop: Promise<void> = Promise.resolve();
  private heartbeat: NodeJS.Timeout | undefined;
  /** Resolves when `stop()` begins: cuts every backoff and wait short. */
  private readonly stopped: Promise<void>;
  private signalStop: () => void = () => {};
  /** Wakes the loop when a lane finishes an item (reading may resume below `maxInFlight`). */
  private progress: (() => void) | undefined;
  /** True while this consumer may have pending entries not yet in a lane (after an adoption). */
  private mayHavePending = false;
  private pendingCursor = '0';
  private lastAdoptAt = 0;
  private stopping: Promise<void> | undefined;
  private readonly lanes = new Map<string, Lane>();
  /** Entry ids handed to a lane and not finished (acked, dead-lettered or left at stop). */
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly client: RedisClient,
    private readonly conn: RedisClient,
    private readonly keys: RedisKeys,
    private readonly route: string,
    private readonly handler: (message: RelayMessage) => Promise<void>,
    private readonly options: RelayListenOptions,
    private readonly onError: (e: unknown) => void,
    private readonly settings: Settings,
  ) {
    this.stream = keys.relayStream(route);
    this.aliveKey = keys.relayAlive(route, this.consumer);
    this.leaseName = `relay:${route}`;
    this.lease = new RedisLease(client, keys);
    this.stopped = new Promise((resolve) => (this.signalStop = resolve));
  }

  async start(): Promise<void> {
    await this.ensureGroup();
    await this.beat();
    this.running = true;
    // A timer, not the loop, renews heartbeat and lease: a slow handler must not make this listener look dead.
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
    this.signalStop();
    if (this.heartbeat !== undefined) clearInterval(this.heartbeat);
    await this.loop;
    // Each lane ends after the attempt it is in; what it had not reached stays pending for the next reader.
    await Promise.all([...this.lanes.values()].map((l) => l.running));
    try {
      if (this.client.isReady) {
        // Without the heartbeat and the lease, the next reader adopts whatever is still pending here right away.
        await this.client.del(this.aliveKey);
        if (this.reader) await this.lease.release(this.leaseName, this.consumer);
        const left = await this.client.xPendingRange(this.stream, RELAY_GROUP, '-', '+', 1, { consumer: this.consumer });
        // DELCONSUMER drops the consumer's pending entries, so only an empty consumer is removed.
        if (left.length === 0) await this.client.xGroupDelConsumer(this.stream, RELAY_GROUP, this.consumer);
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
        if (!this.reader) {
          this.reader = await this.lease.acquire(this.leaseName, this.consumer, this.settings.aliveTtlMs);
          if (!this.reader) {
            await this.pause(this.settings.blockMs);
            continue;
          }
          this.lastAdoptAt = 0;
        }
        if (Date.now() - this.lastAdoptAt >= this.settings.adoptEveryMs) {
          // A previous reader still alive is finishing what it read: reading on now could overtake it.
          if (await this.adoptOrphans()) {
            this.lastAdoptAt = 0;
            await this.pause(this.settings.blockMs);
            continue;
          }
        }
        if (this.inFlight.size >= this.settings.maxInFlight) {
          await this.waitForProgress();
          continue;
        }
        let batch: StreamEntry[] = [];
        if (this.mayHavePending) batch = await this.readPending();
        if (batch.length === 0) batch = await this.read('>', this.settings.blockMs);
        for (const entry of batch) await this.dispatch(entry);
        backoff = 0;
      } catch (e) {
        if (!this.running) break;
        if (e instanceof Error && e.message.startsWith('NOGROUP')) {
          // The stream or group vanished (Redis restarted without persistence, or keys were deleted).
          await this.ensureGroup().catch((err: unknown) => this.onError(err));
        }
        this.mayHavePending = true;
        this.pendingCursor = '0';
        this.onError(e);
        backoff = Math.min(Math.max(this.settings.retryMinMs, backoff * 2), this.settings.retryMaxMs);
        await this.pause(backoff);
      }
    }
  }

  /** Own pending entries not yet in a lane (adopted ones), oldest first, a page at a time. */
  private async readPending(): Promise<StreamEntry[]> {
    for (;;) {
      const page = await this.read(this.pendingCursor);
      if (page.length === 0) {
        this.mayHavePending = false;
        this.pendingCursor = '0';
        return [];
      }
      this.pendingCursor = page.at(-1)!.id;
      const fresh = page.filter((e) => !this.inFlight.has(e.id));
      if (fresh.length > 0) return fresh;
    }
  }

  /** Hands an entry to its conversation's lane (unreadable entries are reported and acknowledged here). */
  private async dispatch(entry: StreamEntry): Promise<void> {
    if (this.inFlight.has(entry.id)) return;
    if (entry.fields === null) {
      this.reportTrimmed(entry.id);
      await this.client.xAck(this.stream, RELAY_GROUP, entry.id);
      return;
    }
    const message = parseMessage(entry.fields);
    if (message === undefined) {
      this.onError(
        new HandoverError('HANDOVER_ERR_STORE_DATA_INVALID', `relay entry ${entry.id} on route "${this.route}" is not a RelayMessage: dropped`),
      );
      await this.client.xAck(this.stream, RELAY_GROUP, entry.id);
      return;
    }
    this.inFlight.add(entry.id);
    const laneId = String(message.conversationId);
    let lane = this.lanes.get(laneId);
    if (lane === undefined) this.lanes.set(laneId, (lane = { items: [], running: undefined }));
    lane.items.push({ entryId: entry.id, message });
    lane.running ??= this.runLane(laneId, lane);
  }

  private reportTrimmed(entryId: string): void {
    this.onError(
      new HandoverError(
        'HANDOVER_ERR_CHANNEL',
        `relay message ${entryId} on route "${this.route}" was trimmed before delivery: raise maxLen or keep a listener on the route`,
      ),
    );
  }

  private async runLane(laneId: string, lane: Lane): Promise<void> {
    try {
      while (this.running) {
        const item = lane.items[0];
        if (item === undefined) break;
        const finished = await this.deliver(item);
        if (!finished) break; // stopping: the rest stays pending for the next reader
        lane.items.shift();
        this.inFlight.delete(item.entryId);
        this.progress?.();
      }
    } finally {
      lane.running = undefined;
      if (lane.items.length === 0 && this.lanes.get(laneId) === lane) this.lanes.delete(laneId);
      if (!this.running) for (const item of lane.items) this.inFlight.delete(item.entryId);
    }
  }

  /**
   * Delivers one message: the handler (unless already delivered), then marker + ack; after
   * `maxAttempts` failed handler attempts, dead-letter + ack. Redis failures around it are retried
   * without counting as attempts. False when the listener stopped first.
   */
  private async deliver(item: LaneItem): Promise<boolean> {
    const { message, entryId } = item;
    const doneKey = this.keys.relayDone(this.route, message.id);
    let failures = 0;
    let lastError: unknown;
    let handled = false;
    let storeFailures = 0;
    while (this.running) {
      try {
        if (!handled && failures >= this.settings.maxAttempts) {
          await this.deadLetter(item, lastError, failures);
          return true;
        }
        if (!handled && (await this.client.exists(doneKey)) === 1) handled = true;
        if (!handled) {
          try {
            await this.attempt(message);
            handled = true;
          } catch (e) {
            failures++;
            lastError = e;
            this.onError(e);
            if (failures < this.settings.maxAttempts) await this.pause(this.backoff(failures));
            continue;
          }
        }
        // Marker and ack together: a crash can no longer separate "delivered" from "acknowledged".
        await this.client.multi().set(doneKey, '1', { PX: this.settings.dedupeTtlMs }).xAck(this.stream, RELAY_GROUP, entryId).exec();
        return true;
      } catch (e) {
        // Redis itself failed (exists, ack, dead-letter): not the message's fault, try again.
        this.onError(e);
        await this.pause(this.backoff(++storeFailures));
      }
    }
    return false;
  }

  /** One handler call, abandoned (and counted as failed) after `attemptTimeoutMs`. */
  private async attempt(message: RelayMessage): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new HandoverError('HANDOVER_ERR_CHANNEL', `delivering relay message ${message.id} took over ${this.settings.attemptTimeoutMs} ms`)),
        this.settings.attemptTimeoutMs,
      );
    });
    try {
      await Promise.race([this.handler(message), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async deadLetter(item: LaneItem, error: unknown, attempts: number): Promise<void> {
    const letter: DeadLetter = {
      id: randomUUID(),
      route: this.route,
      message: item.message,
      error: error instanceof Error ? error.message : String(error),
      attempts,
      at: Date.now(),
    };
    const key = this.keys.relayDeadLetters();
    await this.client
      .multi()
      .lPush(key, JSON.stringify(letter))
      .lTrim(key, 0, this.settings.maxDeadLetters - 1)
      // retention: the list goes deadLettersDays after the last dead letter
      .pExpire(key, this.settings.deadLetterRetentionMs)
      .xAck(this.stream, RELAY_GROUP, item.entryId)
      .exec();
    await dropOldDeadLetters(this.client, key, this.settings.deadLetterRetentionMs).catch((e: unknown) => this.onError(e));
    this.onError(
      new HandoverError(
        'HANDOVER_ERR_CHANNEL',
        `relay message ${item.message.id} to ${item.message.conversationId} on route "${this.route}" failed ${attempts} times and went to the dead-letter list (${letter.id}): ${letter.error}`,
      ),
    );
    try {
      await this.options.onDeadLetter?.(letter);
    } catch (e) {
      this.onError(e);
    }
  }

  private backoff(failures: number): number {
    return Math.min(this.settings.retryMinMs * 2 ** Math.max(0, failures - 1), this.settings.retryMaxMs);
  }

  /**
   * Claims what dead listeners left pending, oldest first. True while a live listener other than
   * this one still holds pending entries (a previous reader finishing): reading on must wait.
   */
  private async adoptOrphans(): Promise<boolean> {
    this.lastAdoptAt = Date.now();
    const summary = await this.client.xPending(this.stream, RELAY_GROUP);
    let othersBusy = false;
    for (const c of summary.consumers ?? []) {
      const name = String(c.name);
      if (name === this.consumer) continue;
      if ((await this.client.exists(this.keys.relayAlive(this.route, name))) === 1) {
        othersBusy = true;
        continue;
      }
      for (;;) {
        const pending = await this.client.xPendingRange(this.stream, RELAY_GROUP, '-', '+', 100, { consumer: name });
        if (pending.length === 0) break;
        for (const p of pending) {
          const id = String(p.id);
          // Claiming resets the idle time, so a second claimer asking for "idle >= what I saw" loses.
          const claimed = await this.client.xClaimJustId(this.stream, RELAY_GROUP, this.consumer, Math.max(1, Number(p.millisecondsSinceLastDelivery)), id);
          // Redis 7 drops a claimed entry that was trimmed away without a word: say so.
          if ((claimed?.length ?? 0) === 0 && ((await this.client.xRange(this.stream, id, id))?.length ?? 0) === 0) this.reportTrimmed(id);
        }
        this.mayHavePending = true;
        this.pendingCursor = '0';
        const left = await this.client.xPendingRange(this.stream, RELAY_GROUP, '-', '+', 1, { consumer: name });
        // Someone else claimed them (idle changed under us): leave that consumer to them.
        if (left.length > 0 && left[0]!.id === pending[0]!.id) break;
      }
      const left = await this.client.xPendingRange(this.stream, RELAY_GROUP, '-', '+', 1, { consumer: name });
      if (left.length === 0) await this.client.xGroupDelConsumer(this.stream, RELAY_GROUP, name);
    }
    return othersBusy;
  }

  private async ensureGroup(): Promise<void> {
    try {
      // From id 0: a route's first listener gets what was sent before anyone listened.
      await this.client.xGroupCreate(this.stream, RELAY_GROUP, '0', { MKSTREAM: true });
      // MKSTREAM made an empty stream without TTL: give it the retention a message would
      if ((await this.client.pTTL(this.stream)) === -1) await this.client.pExpire(this.stream, this.settings.streamRetentionMs);
    } catch (e) {
      if (!(e instanceof Error) || !e.message.startsWith('BUSYGROUP')) throw e;
    }
  }

  private async beat(): Promise<void> {
    await this.client.set(this.aliveKey, '1', { PX: this.settings.aliveTtlMs });
    // A reader that lost its lease (a pause longer than the TTL) stops reading; its lanes finish.
    if (this.reader && this.running && !(await this.lease.renew(this.leaseName, this.consumer, this.settings.aliveTtlMs))) this.reader = false;
  }

  /**
   * XREADGROUP sent raw: node-redis' reply transformer throws on a pending entry whose body was
   * trimmed (`[id, nil]`), which would wedge the route; parsing it here lets us report and skip it.
   */
  private async read(id: string, blockMs?: number): Promise<StreamEntry[]> {
    const args = ['XREADGROUP', 'GROUP', RELAY_GROUP, this.consumer, 'COUNT', String(this.settings.batchSize)];
    if (blockMs !== undefined) args.push('BLOCK', String(blockMs));
    args.push('STREAMS', this.stream, id);
    return parseReadReply(await this.conn.sendCommand(args));
  }

  /** A pause that `stop()` cuts short. */
  private async pause(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), this.stopped]);
    clearTimeout(timer);
  }

  /** Waits until a lane finishes an item (or a short while, or stop). */
  private async waitForProgress(): Promise<void> {
    const progressed = new Promise<void>((resolve) => (this.progress = resolve));
    await Promise.race([progressed, this.pause(this.settings.blockMs)]);
    this.progress = undefined;
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

/**
 * Retention of each dead letter: the list is newest first, so letters older than `retentionMs`
 * are at its end; each is removed by value (LREM), so a letter redelivered or discarded meanwhile
 * by another process is never mistaken for another one.
 */
async function dropOldDeadLetters(client: RedisClient, key: string, retentionMs: number): Promise<void> {
  const oldest = Date.now() - retentionMs;
  for (let i = 0; i < 1000; i++) {
    const last = await client.lIndex(key, -1);
    if (last === null) return;
    const at = parseDeadLetter(last)?.at;
    if (typeof at === 'number' && at >= oldest) return;
    await client.lRem(key, -1, last);
  }
}

function parseDeadLetter(raw: string): DeadLetter | undefined {
  try {
    const l = JSON.parse(raw) as Partial<DeadLetter> | null;
    if (l !== null && typeof l === 'object' && typeof l.id === 'string' && typeof l.route === 'string' && typeof l.message === 'object') return l as DeadLetter;
  } catch {
    // not ours: skipped
  }
  return undefined;
}
