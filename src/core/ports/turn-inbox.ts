import type { ChannelActivity } from './activity-log.js';

/**
 * A customer line the process that acknowledged it has not yet answered (its turn has not run to
 * the end), as `TurnInbox.claim` hands it over.
 *
 * @example
 * const e: InboxEntry = { conversationId: 'wc_1', activity, position: 7, attempts: 1, owner: 'node-b', claimedFrom: 'node-a' };
 */
export interface InboxEntry {
  readonly conversationId: string;
  /** The customer's activity exactly as it was stored (and acknowledged). */
  readonly activity: ChannelActivity;
  /** Its position in the conversation's history (the watermark just after it): turns run in this order. */
  readonly position: number;
  /** How many times a claim handed it out, this one included. */
  readonly attempts: number;
  /** The process that owns it now (the claimer). */
  readonly owner: string;
  /** The owner it was taken from; equal to `owner` for this process's own stale entries. */
  readonly claimedFrom: string;
}

/**
 * The turn inbox: the customer lines whose turn has not run yet, shared by every process, so a line
 * acknowledged by a process that dies before its bot answered is still answered — by another one.
 *
 * A line enters the inbox in the same atomic step that stores it in the history
 * (`ActivityLog.appendIncoming` with `inboxOwner`), so nothing is acknowledged that is not in it.
 * The owner `settle`s it once the turn has run. Every process keeps itself marked alive
 * (`start`: a renewed lease) and `claim`s, now and then, the entries older than a minimum age
 * whose owner is no longer alive — each one is handed to exactly one claimer (a compare-and-set on
 * the owner), which runs the turn — plus its own entries that went stale (a turn whose reply could
 * not be stored, a settle that did not reach the store).
 *
 * @example
 * await inbox.start();
 * const r = await log.appendIncoming!(conversationId, activity, { inboxOwner: inbox.owner });
 * await runTurn(activity);
 * inbox.settle(conversationId, activity.id);
 * for (const e of await inbox.claim()) await runTurn(e.activity).then(() => inbox.settle(e.conversationId, e.activity.id));
 */
export interface TurnInbox {
  /** This process's id as an owner of entries. */
  readonly owner: string;
  /** Marks this owner alive and keeps it so (renewed in the background) until `stop`. */
  start(): Promise<void>;
  /** Writes pending settles and gives up being alive: what it still owns is claimable at once. */
  stop(): Promise<void>;
  /** The entry's turn is queued or running in this process (after `appendIncoming` or `claim`): `claim` must not hand it back meanwhile. */
  hold(conversationId: string, activityId: string): void;
  /** The turn ended without answering (its reply could not be stored): the entry stays, and a later `claim` hands it back. */
  release(conversationId: string, activityId: string): void;
  /** The entry's turn has run: remove it (batched with other settles; retried until the store takes it). */
  settle(conversationId: string, activityId: string): void;
  /**
   * Entries older than the minimum age whose owner is not alive (now this process's, each handed to
   * one claimer only), and this process's own entries of that age; oldest first, at most a batch.
   * Each one handed out counts an attempt and is not handed out again before the minimum age.
   */
  claim(): Promise<InboxEntry[]>;
}
