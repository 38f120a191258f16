import { systemClock, type Clock } from '../../core/clock.js';
import { HandoverError } from '../../core/errors.js';

/**
 * Options of `ConversationExpiry`.
 *
 * @example
 * const opts: ConversationExpiryOptions = { ttlMs: 4 * 3600_000, clock: new ManualClock(0) };
 */
export interface ConversationExpiryOptions {
  /** A conversation with no write for longer than this is forgotten (unless kept, see `keepWhile`). */
  readonly ttlMs: number;
  /** What "now" is (a `ManualClock` in tests and `simulate`). Default: the wall clock. */
  readonly clock?: Clock;
  /**
   * How often, in real time, the background sweep looks for expired conversations. The timer never
   * keeps the process (or the stores) alive. Default 60 s.
   */
  readonly sweepEveryMs?: number;
  /** Conversations a sweep handles before it lets other work run (then it goes on). Default 1 000. */
  readonly sweepSliceSize?: number;
  /** A part that failed to forget a conversation. Default: ignored. */
  readonly onError?: (e: unknown) => void;
}

/**
 * Something that holds data of conversations (a store, an index): `forget` drops all of it for one
 * conversation, synchronously, and must cope with a conversation it never saw.
 *
 * @example
 * expiry.register({ forget: (id) => transcripts.delete(id) });
 */
export interface ExpiringPart {
  forget(conversationId: string): void;
}

/** Idle time of the memory store's conversations when nothing says otherwise: 4 hours. */
export const DEFAULT_CONVERSATION_TTL_MS = 4 * 60 * 60 * 1000;

/**
 * Forgets idle conversations of the in-process store, with everything every registered part holds
 * for them, so memory stays flat however many conversations come and go.
 *
 * A Map kept in order of last write (least recent first: a write deletes and re-inserts) is
 * swept from its head, so a sweep touches only what has expired plus one entry; writes cost O(1).
 * Expiry is also lazy: a part calls `check` before reading a conversation and `touch` before
 * writing one, so a conversation that comes back after its time starts fresh even if no sweep ran
 * yet. A conversation for which `keepWhile` answers true (waiting for an agent, with one, or
 * booked for a callback) is never forgotten: the sweep looks at it again one TTL later.
 *
 * Time is the injected clock's; only the sweep's cadence is real time.
 *
 * @example
 * const expiry = new ConversationExpiry({ ttlMs: 60_000, clock });
 * expiry.register({ forget: (id) => logs.delete(id) });
 * expiry.touch('webchat:1'); clock.advanceMs(60_001); expiry.sweep(); // logs has no 'webchat:1'
 */
export class ConversationExpiry {
  readonly ttlMs: number;
  private readonly clock: Clock;
  private readonly sweepEveryMs: number;
  private readonly sliceSize: number;
  private readonly onError: (e: unknown) => void;
  /** conversation -> time of its last write, least recent first. */
  private readonly lastWrite = new Map<string, number>();
  private readonly parts: ExpiringPart[] = [];
  private keep: (conversationId: string) => boolean = () => false;
  private timer: NodeJS.Timeout | undefined;
  private sweeping = false;
  private closed = false;
  private forgotten = 0;

  constructor(opts: ConversationExpiryOptions) {
    this.ttlMs = checkMs(opts.ttlMs, 'conversationTtlMs');
    this.sweepEveryMs = checkMs(opts.sweepEveryMs ?? 60_000, 'sweepEveryMs');
    this.sliceSize = Math.max(1, Math.floor(opts.sweepSliceSize ?? 1000));
    this.clock = opts.clock ?? systemClock;
    this.onError = opts.onError ?? (() => {});
  }

  /** Adds a part whose data of a conversation goes when the conversation expires. */
  register(part: ExpiringPart): void {
    this.parts.push(part);
  }

  /** Conversations for which `keep` answers true are never forgotten (it must be synchronous and cheap). */
  keepWhile(keep: (conversationId: string) => boolean): void {
    this.keep = keep;
  }

  /** Before a write: forgets the conversation if it had expired, then marks it active now. */
  touch(conversationId: string): void {
    const now = this.clock.now();
    const last = this.lastWrite.get(conversationId);
    if (last !== undefined) {
      if (this.due(last, now) && !this.kept(conversationId)) this.forget(conversationId);
      this.lastWrite.delete(conversationId);
    }
    this.lastWrite.set(conversationId, now);
    if (this.timer === undefined && !this.closed) this.startTimer();
  }

  /** Before a read: forgets the conversation if it has expired (a read does not extend its life). */
  check(conversationId: string): void {
    const last = this.lastWrite.get(conversationId);
    if (last !== undefined && this.due(last, this.clock.now()) && !this.kept(conversationId)) this.forget(conversationId);
  }

  /**
   * Forgets up to `limit` expired conversations now, oldest first, and returns how many. A kept
   * one is looked at again one TTL later.
   */
  sweep(limit = Number.POSITIVE_INFINITY): number {
    const now = this.clock.now();
    let done = 0;
    let looked = 0;
    // Each kept conversation moves to the tail: never looked at twice in one sweep.
    const size = this.lastWrite.size;
    while (done < limit && looked < size) {
      const head = this.lastWrite.entries().next();
      if (head.done === true) break;
      const [id, last] = head.value;
      if (!this.due(last, now)) break;
      looked++;
      if (this.kept(id)) {
        this.lastWrite.delete(id);
        this.lastWrite.set(id, now);
      } else {
        this.forget(id);
        done++;
      }
    }
    return done;
  }

  /**
   * Forgets one conversation now with everything every part holds for it, kept or not (an
   * erasure: `eraseCustomer`).
   */
  forgetNow(conversationId: string): void {
    this.forget(conversationId);
  }

  /** Conversations tracked now (written within the TTL, or kept). */
  get size(): number {
    return this.lastWrite.size;
  }

  /** Conversations forgotten so far (sweeps and lazy expiry). */
  get forgottenCount(): number {
    return this.forgotten;
  }

  /** Stops the background sweep for good (the stores' `close()`). */
  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private due(last: number, now: number): boolean {
    return now - last > this.ttlMs;
  }

  private kept(id: string): boolean {
    try {
      return this.keep(id);
    } catch (e) {
      this.onError(e);
      return true; // cannot tell: keeping it costs memory, forgetting it could strand a customer
    }
  }

  private forget(id: string): void {
    this.lastWrite.delete(id);
    this.forgotten++;
    for (const part of this.parts) {
      try {
        part.forget(id);
      } catch (e) {
        this.onError(e);
      }
    }
  }

  /**
   * The timer holds the expiry only weakly: stores dropped without `close()` are still collected
   * (and their timer stops), and `unref` lets the process exit while it waits.
   */
  private startTimer(): void {
    const self = new WeakRef(this);
    const timer = setInterval(() => {
      const expiry = self.deref();
      if (expiry === undefined) clearInterval(timer);
      else expiry.sweepInSlices();
    }, this.sweepEveryMs);
    timer.unref();
    this.timer = timer;
  }

  /** One background sweep: slices of `sliceSize`, yielding between them, until nothing expired is left. */
  private sweepInSlices(): void {
    if (this.sweeping || this.closed) return;
    this.sweeping = true;
    const self = new WeakRef(this);
    const slice = (): void => {
      const expiry = self.deref();
      if (expiry === undefined) return;
      let more = false;
      try {
        more = !expiry.closed && expiry.sweep(expiry.sliceSize) === expiry.sliceSize;
      } catch (e) {
        expiry.onError(e);
      }
      if (more) setImmediate(slice);
      else expiry.sweeping = false;
    };
    slice();
  }
}

function checkMs(ms: number, name: string): number {
  if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms < 1) {
    throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `${name} must be a whole number of milliseconds ≥ 1, got ${String(ms)}`);
  }
  return ms;
}
