import { randomUUID } from 'node:crypto';
import type { DeadLetter, MessageRelay, RelayListenOptions, RelayMessage } from '../../core/ports/message-relay.js';
import { HandoverError } from '../../core/errors.js';
import type { ConversationExpiry } from './conversation-expiry.js';

/**
 * Tuning of `MemoryMessageRelay` (the same knobs and defaults as the Redis relay's).
 *
 * @example
 * new MemoryMessageRelay({ maxAttempts: 3, retryMinMs: 10 });
 */
export interface MemoryRelayOptions {
  /** Retry backoff after a failed delivery: from `min` doubling up to `max`. Default 50..2000 ms. */
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
  /** Handler attempts before a message goes to the dead-letter list. Default 8. */
  readonly maxAttempts?: number;
  /** An attempt still running after this long counts as failed. Default 30 s. */
  readonly attemptTimeoutMs?: number;
  /** Dead letters kept (the oldest are dropped beyond it). Default 10 000. */
  readonly maxDeadLetters?: number;
  /** `send` waits for its message's first attempt at most this long (a hung channel must not hang the agent). Default 1 s. */
  readonly sendWaitMs?: number;
  /** Failures reported here (each failed attempt, each dead letter). Default: ignored. */
  readonly onError?: (e: unknown) => void;
  /** Dead letters older than this are dropped (manifest.json → `retention.deadLettersDays`). Default: kept (capped by `maxDeadLetters`). */
  readonly deadLetterTtlMs?: number;
  /** What "now" is for dead letters' age. Default `Date.now`. */
  readonly now?: () => number;
}

type Settings = Required<MemoryRelayOptions>;

/** Delivered message ids remembered to drop a second send with the same id. */
const DELIVERED_KEPT = 100_000;

interface Item {
  readonly message: RelayMessage;
  /** Lets `send` return: called once the message had its first attempt, or will not have it soon. */
  settle: () => void;
}

interface Lane {
  readonly items: Item[];
  running: Promise<void> | undefined;
  /** True while the lane waits to retry its head (later messages of the conversation wait too). */
  backingOff: boolean;
}

interface Route {
  readonly name: string;
  handler: ((m: RelayMessage) => Promise<void>) | undefined;
  options: RelayListenOptions;
  /** Sent while nobody listened, in order. */
  readonly waiting: Item[];
  readonly lanes: Map<string, Lane>;
}

/**
 * In-process `MessageRelay` with the port's guarantees: per conversation once and in order, one
 * lane per conversation so a failing message is retried (bounded, with backoff) without holding up
 * anyone else, then moved to the dead-letter list. Messages sent to a route with no listener wait,
 * in order, until one starts. `send` resolves once its message had a first attempt (so a test or a
 * one-process service sees the customer get it right away), or after `sendWaitMs` when that attempt
 * hangs or waits behind a retry — never with the handler's error.
 *
 * With an `expiry` (what `createMemoryStores` passes), what a conversation leaves behind here goes
 * when it expires: the ids of its delivered messages (kept to drop a second send) and messages
 * still waiting for a listener (they are settled and dropped). Dead letters stay for supervisors
 * (capped by `maxDeadLetters`).
 *
 * @example
 * const relay = new MemoryMessageRelay(); await relay.listen('webchat', deliver, { onDeadLetter: tellAgent });
 */
export class MemoryMessageRelay implements MessageRelay {
  private readonly routes = new Map<string, Route>();
  /** Delivered message id -> its conversation, oldest first (capped at DELIVERED_KEPT). */
  private readonly delivered = new Map<string, string>();
  /** conversation -> its delivered message ids, so an expired conversation takes them along. */
  private readonly deliveredBy = new Map<string, Set<string>>();
  private dead: DeadLetter[] = [];
  private readonly settings: Settings;

  constructor(options: MemoryRelayOptions = {}, expiry?: ConversationExpiry) {
    this.settings = { retryMinMs: 50, retryMaxMs: 2_000, maxAttempts: 8, attemptTimeoutMs: 30_000, maxDeadLetters: 10_000, sendWaitMs: 1_000, onError: () => {}, deadLetterTtlMs: Number.POSITIVE_INFINITY, now: Date.now, ...options };
    expiry?.register({ forget: (id) => this.forget(id) });
  }

  send(route: string, message: RelayMessage): Promise<void> {
    return new Promise((resolve) => {
      const r = this.route(route);
      const item: Item = { message, settle: this.settleWithin(resolve) };
      if (r.handler === undefined) {
        r.waiting.push(item);
        item.settle();
        return;
      }
      this.enqueue(r, item);
    });
  }

  async listen(route: string, handler: (m: RelayMessage) => Promise<void>, options: RelayListenOptions = {}): Promise<() => Promise<void>> {
    const r = this.route(route);
    r.handler = handler;
    r.options = options;
    const waiting = r.waiting.splice(0);
    await Promise.all(
      waiting.map(
        (item) =>
          new Promise<void>((resolve) => {
            item.settle = this.settleWithin(resolve);
            this.enqueue(r, item);
          }),
      ),
    );
    return async () => {
      if (r.handler !== handler) return;
      r.handler = undefined;
      // Lanes notice at their next message and hand what is left back to `waiting`.
      await Promise.all([...r.lanes.values()].map((l) => l.running));
      // A route nobody listens to and nothing waits on is gone (tests open one per conversation).
      if (r.handler === undefined && r.waiting.length === 0 && r.lanes.size === 0 && this.routes.get(r.name) === r) this.routes.delete(r.name);
    };
  }

  async deadLetters(limit = 100): Promise<{ total: number; letters: DeadLetter[] }> {
    this.dropOldDeadLetters();
    return { total: this.dead.length, letters: this.dead.slice(0, Math.max(1, Math.floor(limit))) };
  }

  async redeliver(deadLetterId: string): Promise<boolean> {
    const letter = this.take(deadLetterId);
    if (letter === undefined) return false;
    await this.send(letter.route, letter.message);
    return true;
  }

  async discard(deadLetterId: string): Promise<boolean> {
    return this.take(deadLetterId) !== undefined;
  }

  /** `resolve` when called, or after `sendWaitMs` at the latest. */
  private settleWithin(resolve: () => void): () => void {
    const timer = setTimeout(resolve, this.settings.sendWaitMs);
    return () => {
      clearTimeout(timer);
      resolve();
    };
  }

  private take(id: string): DeadLetter | undefined {
    const i = this.dead.findIndex((l) => l.id === id);
    if (i < 0) return undefined;
    return this.dead.splice(i, 1)[0];
  }

  private route(name: string): Route {
    let r = this.routes.get(name);
    if (r === undefined) this.routes.set(name, (r = { name, handler: undefined, options: {}, waiting: [], lanes: new Map() }));
    return r;
  }

  private enqueue(r: Route, item: Item): void {
    const id = String(item.message.conversationId);
    let lane = r.lanes.get(id);
    if (lane === undefined) r.lanes.set(id, (lane = { items: [], running: undefined, backingOff: false }));
    lane.items.push(item);
    if (lane.backingOff) item.settle();
    lane.running ??= this.runLane(r, id, lane);
  }

  private async runLane(r: Route, id: string, lane: Lane): Promise<void> {
    // Let `send` and `listen` finish queueing before the first attempt.
    await Promise.resolve();
    try {
      for (;;) {
        const item = lane.items[0];
        if (item === undefined) break;
        const handler = r.handler;
        if (handler === undefined) {
          // Nobody listens any more: the rest waits, ahead of anything sent since.
          r.waiting.unshift(...lane.items.splice(0));
          break;
        }
        if ((await this.deliver(r, handler, lane, item)) === 'stopped') continue; // the next turn hands the rest back
        lane.items.shift();
      }
    } finally {
      lane.running = undefined;
      if (lane.items.length === 0 && r.lanes.get(id) === lane) r.lanes.delete(id);
    }
  }

  /** One message to its end (delivered or dead-lettered), or 'stopped' when the listener went away during a backoff. */
  private async deliver(r: Route, handler: (m: RelayMessage) => Promise<void>, lane: Lane, item: Item): Promise<'done' | 'stopped'> {
    const m = item.message;
    let failures = 0;
    for (;;) {
      if (this.delivered.has(m.id)) {
        item.settle();
        return 'done';
      }
      try {
        await this.attempt(handler, m);
        this.remember(m.id, String(m.conversationId));
        item.settle();
        return 'done';
      } catch (e) {
        failures++;
        this.settings.onError(e);
        item.settle();
        if (failures >= this.settings.maxAttempts) {
          await this.deadLetter(r, m, e, failures);
          return 'done';
        }
        lane.backingOff = true;
        for (const later of lane.items) later.settle();
        await new Promise((resolve) => setTimeout(resolve, Math.min(this.settings.retryMinMs * 2 ** (failures - 1), this.settings.retryMaxMs)));
        lane.backingOff = false;
        // Stopped meanwhile: runLane hands the message back with the rest.
        if (r.handler !== handler) return 'stopped';
      }
    }
  }

  private async attempt(handler: (m: RelayMessage) => Promise<void>, m: RelayMessage): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HandoverError('HANDOVER_ERR_CHANNEL', `delivering relay message ${m.id} took over ${this.settings.attemptTimeoutMs} ms`)), this.settings.attemptTimeoutMs);
    });
    try {
      await Promise.race([handler(m), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async deadLetter(r: Route, message: RelayMessage, error: unknown, attempts: number): Promise<void> {
    const route = r.name;
    const letter: DeadLetter = { id: randomUUID(), route, message, error: error instanceof Error ? error.message : String(error), attempts, at: this.settings.now() };
    this.dead.unshift(letter);
    this.dropOldDeadLetters();
    if (this.dead.length > this.settings.maxDeadLetters) this.dead.length = this.settings.maxDeadLetters;
    this.settings.onError(
      new HandoverError('HANDOVER_ERR_CHANNEL', `relay message ${message.id} to ${message.conversationId} on route "${route}" failed ${attempts} times and went to the dead-letter list (${letter.id}): ${letter.error}`),
    );
    try {
      await r.options.onDeadLetter?.(letter);
    } catch (e) {
      this.settings.onError(e);
    }
  }

  private remember(id: string, conversationId: string): void {
    this.delivered.set(id, conversationId);
    let mine = this.deliveredBy.get(conversationId);
    if (mine === undefined) this.deliveredBy.set(conversationId, (mine = new Set()));
    mine.add(id);
    if (this.delivered.size > DELIVERED_KEPT) {
      const [oldest, of] = this.delivered.entries().next().value!;
      this.delivered.delete(oldest);
      const theirs = this.deliveredBy.get(of);
      theirs?.delete(oldest);
      if (theirs?.size === 0) this.deliveredBy.delete(of);
    }
  }

  /** Entry counts (what the memory bound is measured by). */
  counts(): { relayDelivered: number; relayConversations: number; relayWaiting: number; relayLanes: number; relayRoutes: number } {
    let relayWaiting = 0;
    let relayLanes = 0;
    for (const r of this.routes.values()) {
      relayWaiting += r.waiting.length;
      relayLanes += r.lanes.size;
    }
    return { relayDelivered: this.delivered.size, relayConversations: this.deliveredBy.size, relayWaiting, relayLanes, relayRoutes: this.routes.size };
  }

  /** Dead letters past their retention go (newest first: the old ones are at the end). */
  private dropOldDeadLetters(): void {
    const oldest = this.settings.now() - this.settings.deadLetterTtlMs;
    while (this.dead.length > 0 && this.dead[this.dead.length - 1]!.at < oldest) this.dead.pop();
  }

  /**
   * Erasure: a conversation's dead letters and messages still waiting for a listener go, with its
   * delivered ids; returns how many messages went.
   */
  purge(conversationId: string): number {
    let removed = 0;
    for (const r of this.routes.values()) for (const item of r.waiting) if (String(item.message.conversationId) === conversationId) removed++;
    const before = this.dead.length;
    this.dead = this.dead.filter((l) => String(l.message.conversationId) !== conversationId);
    removed += before - this.dead.length;
    this.forget(conversationId);
    return removed;
  }

  /** What an expired conversation left here: delivered ids, and messages waiting for a listener. */
  private forget(conversationId: string): void {
    const mine = this.deliveredBy.get(conversationId);
    if (mine !== undefined) {
      for (const id of mine) this.delivered.delete(id);
      this.deliveredBy.delete(conversationId);
    }
    for (const r of this.routes.values()) {
      if (r.waiting.length === 0) continue;
      const keep: Item[] = [];
      for (const item of r.waiting) {
        if (String(item.message.conversationId) === conversationId) item.settle();
        else keep.push(item);
      }
      r.waiting.splice(0, r.waiting.length, ...keep);
    }
  }
}
