/**
 * Bursts waiting for their window (see `BurstWindow`): the customer messages of one conversation
 * that arrived less than the channel's window apart, kept in the store until the window closes so
 * that, on a shared store, any process can answer them — also when the process that took them dies.
 *
 * Per conversation there is at most one **open** burst (still collecting; due at its deadline) and
 * one **claimed** burst (being answered by the process holding its lease). `take` moves a due open
 * burst to claimed in one atomic step, so exactly one caller gets it; `settle` removes it once
 * answered; a claimed burst whose lease ran out (its claimer died mid-turn) is handed out again.
 * While a conversation has a claimed burst, its next open burst waits (`busy`): a conversation's
 * bursts are answered one after the other, across processes.
 *
 * Times are epoch milliseconds of the caller's clock, passed in (simulate's clock is virtual).
 *
 * @example
 * const r = await store.add('webchat:c1', { id: 'a1', at: now, text: 'hello' }, { windowMs: 3000, maxMs: 10_000, route: 'webchat', activity });
 * // … at r.deadline:
 * const t = await store.take('webchat:c1', { now: Date.now(), owner: 'node-a', leaseMs: 30_000 });
 * if (t.kind === 'claimed') { await answer(t.burst); await store.settle('webchat:c1', t.burst.id); }
 */

/** One customer message of a burst. */
export interface BurstMessage {
  /** The channel's activity id (a repeated id is added once). */
  readonly id: string;
  /** When it arrived (epoch ms): its transcript line has this time. */
  readonly at: number;
  /** The customer's words. */
  readonly text: string;
}

/** A burst as `take` hands it out. */
export interface PendingBurst {
  /** The burst's own id (unique; `settle` names it). */
  readonly id: string;
  readonly conversationId: string;
  /** The relay route of the channel that can answer it (the adapter serving it). */
  readonly route: string;
  /** When its first message arrived. */
  readonly first: number;
  /** When its window closed (or closes). */
  readonly deadline: number;
  /** In order of arrival. */
  readonly messages: readonly BurstMessage[];
  /** The last message's activity (plain JSON): the burst's turn is built from it. */
  readonly activity: Readonly<Record<string, unknown>>;
  /** How many times `take` handed it out, this one included (more than 1: a claimer died). */
  readonly attempts: number;
}

/** What `take` found. */
export type TakeResult =
  | { readonly kind: 'claimed'; readonly burst: PendingBurst }
  /** The open burst is not due yet (a later message moved its deadline). */
  | { readonly kind: 'wait'; readonly deadline: number }
  /** An earlier burst of the conversation is being answered (lease until `until`). */
  | { readonly kind: 'busy'; readonly until: number }
  /** Nothing to take (another process took it). */
  | { readonly kind: 'none' };

/** Options of `BurstStore.add`. */
export interface AddToBurst {
  /** The channel's window: the burst closes this long after its last message… */
  readonly windowMs: number;
  /** …and at the latest this long after its first. */
  readonly maxMs: number;
  readonly route: string;
  /** The message's activity as plain JSON (kept as the last one's). */
  readonly activity: Readonly<Record<string, unknown>>;
}

/** Implementations: `MemoryBurstStore` (one process), `RedisBurstStore` (shared by every process). */
export interface BurstStore {
  /** True when several processes share it: then each one sweeps for bursts whose process died. */
  readonly shared: boolean;
  /**
   * Adds a message to the conversation's open burst (opening one) and returns the burst's deadline:
   * the later of its current deadline and min(`at` + window, first + max). A message arriving after
   * the deadline while the burst was not yet taken joins it (its deadline is then at once or soon).
   * `added` is false for a message id already in it, and then `size` 0 for one in a burst already
   * answered (a line delivered twice, e.g. run again by a turn inbox after a crash): nothing to do.
   */
  add(conversationId: string, message: BurstMessage, opts: AddToBurst): Promise<{ readonly deadline: number; readonly size: number; readonly added: boolean }>;
  /**
   * Claims the conversation's burst for `owner` for `leaseMs`: a claimed burst whose lease ran out
   * (handed out again, first), else the open one once due (or at once with `force`).
   */
  take(conversationId: string, opts: { readonly now: number; readonly owner: string; readonly leaseMs: number; readonly force?: boolean }): Promise<TakeResult>;
  /** The claimed burst `burstId` has been answered: removes it (its message ids are remembered a while, see `add`). */
  settle(conversationId: string, burstId: string): Promise<void>;
  /**
   * Conversations with a burst another process may have to answer: open bursts due for more than
   * `graceMs`, claimed bursts whose lease ran out; at most `limit`, oldest first, with their route.
   */
  due(now: number, graceMs: number, limit: number): Promise<readonly { readonly conversationId: string; readonly route: string }[]>;
}
