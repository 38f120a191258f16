import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ChannelActivity } from '../../core/ports/activity-log.js';
import type { InboxEntry, TurnInbox } from '../../core/ports/turn-inbox.js';
import { HandoverError } from '../../core/errors.js';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './redis-connection.js';
import { RedisLease } from './redis-lease.js';
import { LuaScript } from './lua-script.js';

const claimScript = LuaScript.load('claimInbox-2.lua');

/**
 * Timings of `RedisTurnInbox`.
 *
 * @example
 * const opts: RedisTurnInboxOptions = { aliveTtlMs: 10_000, minAgeMs: 5_000 };
 */
export interface RedisTurnInboxOptions {
  /** This process's owner id. Default `<host>-<pid>-<random>` (a restarted process is a new owner). */
  readonly owner?: string;
  /** How long the liveness lease lasts without a renewal: a dead process's lines are claimable this long after its death. Default 10 s. */
  readonly aliveTtlMs?: number;
  /** An entry is claimable (from a dead owner, or as one's own stale entry) once this old. Default 5 s. */
  readonly minAgeMs?: number;
  /** Entries one claim hands out at most. Default 100. */
  readonly batch?: number;
  /** Settles that failed and renewals that failed: reported here. Default: ignored. */
  readonly onError?: (e: unknown) => void;
  /** Wall clock (ms), the same one `RedisActivityLog` stamps entries with. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * `TurnInbox` on Redis, next to the web chat history (`RedisActivityLog.appendIncoming` writes its
 * entries in the append's own script): `p:inbox` (a sorted set of "<conversation> <activity id>"
 * by when each becomes claimable) and `p:inbox:items` (owner, position, attempts and the activity).
 * A process is alive while its lease `node:<owner>` (a `RedisLease`, renewed every third of its TTL)
 * exists; `claim` is one Lua script (`claimInbox-2.lua`) that compares and replaces the owner, so an
 * entry of a dead process goes to exactly one claimer. Settles are batched: the turns finishing in
 * one tick of the event loop are removed in one round trip (ZREM + HDEL in a MULTI), and a batch
 * Redis refused is retried until it takes it.
 *
 * @example
 * const inbox = new RedisTurnInbox(client, keys, { onError: log.error });
 * await inbox.start();
 * // … appendIncoming(…, { inboxOwner: inbox.owner }), run the turn, inbox.settle(conversationId, activity.id)
 * await inbox.stop();
 */
export class RedisTurnInbox implements TurnInbox {
  readonly owner: string;
  private readonly lease: RedisLease;
  private readonly aliveTtlMs: number;
  private readonly minAgeMs: number;
  private readonly batch: number;
  private readonly onError: (e: unknown) => void;
  /** Members settled here and not yet removed in Redis. */
  private readonly toSettle = new Set<string>();
  /** Members whose turn is queued or running in this process (-> since when): `claim` must not hand them back. */
  private readonly running = new Map<string, number>();
  private readonly now: () => number;
  private flushing: Promise<void> | undefined;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private flushScheduled = false;
  private settleFailures = 0;
  private renewTimer: ReturnType<typeof setInterval> | undefined;
  private started = false;

  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    opts: RedisTurnInboxOptions = {},
  ) {
    this.owner = opts.owner ?? `${hostname().replace(/\s/g, '_')}-${process.pid}-${randomBytes(4).toString('hex')}`;
    if (this.owner === '' || /\s/.test(this.owner)) throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `inbox owner "${this.owner}" must be non-empty without white space`);
    this.lease = new RedisLease(client, keys);
    this.aliveTtlMs = positive(opts.aliveTtlMs ?? 10_000, 'aliveTtlMs');
    this.minAgeMs = positive(opts.minAgeMs ?? 5_000, 'minAgeMs');
    this.batch = positive(opts.batch ?? 100, 'batch');
    this.onError = opts.onError ?? (() => {});
    this.now = opts.now ?? Date.now;
  }

  /** Members this process is running (tests and metrics). */
  get runningCount(): number {
    return this.running.size;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.beAlive();
    // Acquire, not renew: after an outage longer than the TTL the lease is gone and must be taken again.
    this.renewTimer = setInterval(() => void this.beAlive().catch((e: unknown) => this.onError(e)), Math.max(100, Math.floor(this.aliveTtlMs / 3)));
    this.renewTimer.unref();
    this.client.on('ready', this.onReady);
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    if (this.renewTimer !== undefined) clearInterval(this.renewTimer);
    this.client.off('ready', this.onReady);
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    await this.flush().catch((e: unknown) => this.onError(e));
    // Whatever is still ours becomes claimable by the others at once.
    await this.lease.release(this.keys.nodeLease(this.owner), this.owner).catch((e: unknown) => this.onError(e));
  }

  hold(conversationId: string, activityId: string): void {
    this.running.set(member(conversationId, activityId), this.now());
  }

  release(conversationId: string, activityId: string): void {
    this.running.delete(member(conversationId, activityId));
  }

  settle(conversationId: string, activityId: string): void {
    const m = member(conversationId, activityId);
    this.running.delete(m);
    this.toSettle.add(m);
    this.scheduleFlush(0);
  }

  async claim(): Promise<InboxEntry[]> {
    const now = this.now();
    // Only what could be due needs naming (held since before the minimum age, with a second for clocks).
    const skip = [...this.toSettle];
    for (const [m, since] of this.running) if (now - since >= this.minAgeMs - 1000) skip.push(m);
    const reply = await claimScript.run(
      this.client,
      [this.keys.inbox(), this.keys.inboxItems()],
      [
        this.owner,
        String(now),
        String(this.minAgeMs),
        this.keys.lease(this.keys.nodeLease('')).slice(0, -1),
        String(this.batch),
        String(this.batch * 10),
        // settled here but not yet removed there count as running: never handed back
        ...skip,
      ],
    );
    if (!Array.isArray(reply)) throw invalid(`claimInbox replied ${JSON.stringify(reply)}`);
    const entries: InboxEntry[] = [];
    for (const row of reply as unknown[]) {
      if (!Array.isArray(row) || row.length !== 5) throw invalid(`claimInbox replied an entry ${JSON.stringify(row)}`);
      const [m, from, position, attempts, json] = row.map(String) as [string, string, string, string, string];
      const space = m.indexOf(' ');
      let activity: ChannelActivity;
      try {
        activity = JSON.parse(json) as ChannelActivity;
      } catch (e) {
        throw invalid(`inbox entry "${m}" is not JSON`, e);
      }
      entries.push({ conversationId: m.slice(0, space), activity, position: Number(position), attempts: Number(attempts), owner: this.owner, claimedFrom: from });
    }
    return entries;
  }

  /** Writes the pending settles now (also called by `stop`). */
  async flush(): Promise<void> {
    while (this.flushing !== undefined) await this.flushing;
    if (this.toSettle.size === 0) return;
    const members = [...this.toSettle];
    const run = (async () => {
      try {
        await this.client.multi().zRem(this.keys.inbox(), members).hDel(this.keys.inboxItems(), members).exec();
        for (const m of members) this.toSettle.delete(m);
        this.settleFailures = 0;
      } catch (e) {
        this.settleFailures++;
        this.onError(e);
        // Kept and retried, backing off: an unsettled entry would be answered twice after a crash.
        this.scheduleFlush(Math.min(30_000, 250 * 2 ** Math.min(this.settleFailures, 7)));
      }
    })();
    this.flushing = run;
    try {
      await run;
    } finally {
      this.flushing = undefined;
    }
  }

  private readonly onReady = (): void => {
    void this.beAlive().catch((e: unknown) => this.onError(e));
    if (this.toSettle.size > 0) this.scheduleFlush(0);
  };

  private async beAlive(): Promise<void> {
    await this.lease.acquire(this.keys.nodeLease(this.owner), this.owner, this.aliveTtlMs);
  }

  private scheduleFlush(delayMs: number): void {
    if (delayMs === 0) {
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      // the turns that end in this tick go in one round trip
      setImmediate(() => {
        this.flushScheduled = false;
        void this.flush();
      });
      return;
    }
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, delayMs);
    this.flushTimer.unref();
  }
}

function member(conversationId: string, activityId: string): string {
  return `${conversationId} ${activityId}`;
}

function positive(n: number, name: string): number {
  if (!Number.isInteger(n) || n < 1) throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `RedisTurnInbox ${name} must be a positive integer, got ${n}`);
  return n;
}

function invalid(message: string, cause?: unknown): HandoverError {
  return new HandoverError('HANDOVER_ERR_STORE_DATA_INVALID', `${message}: check that nothing else writes under this key prefix`, cause === undefined ? undefined : { cause });
}
