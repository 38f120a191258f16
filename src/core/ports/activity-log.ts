/**
 * A channel activity as JSON: Bot Framework schema, but typed loosely so `core/` needs no
 * botbuilder import. Every stored activity has an `id` and a `type`.
 */
export interface ChannelActivity {
  readonly id: string;
  readonly type: string;
  readonly [key: string]: unknown;
}

/** A slice of a conversation's history and the watermark to ask for the next slice. */
export interface ActivityPage {
  readonly activities: readonly ChannelActivity[];
  /** Pass back to `since` to get only newer activities. */
  readonly watermark: string;
}

/**
 * Per-conversation activity history of a customer channel (web chat): what a reconnecting
 * socket, a reloaded page or a Direct Line poller replays. Implementations: `MemoryActivityLog`,
 * `RedisActivityLog`. Both forget a conversation only when it has been idle for a while and is
 * not with a person (waiting, booked or with an agent): see their retention options.
 *
 * Watermark contract (so front doors can de-duplicate live pushes against replayed history):
 * a watermark is a decimal integer string; `append` returns the position just after the new
 * activity (the first activity gets "1"); `since(id, w)` returns the activities whose position
 * is greater than `w` ("" or "0" = everything still kept) and the watermark after the last one.
 * Watermarks only grow, even when old activities are trimmed.
 *
 * @example
 * await log.create('c-1');
 * const w = await log.append('c-1', { id: 'c-1|1', type: 'message', text: 'hi' }); // "1"
 * const page = await log.since('c-1', '0'); // { activities: [ … ], watermark: "1" }
 */
export interface ActivityLog {
  /** Registers a conversation; idempotent. `since`/`append` on an unregistered id reject. */
  create(conversationId: string): Promise<void>;
  exists(conversationId: string): Promise<boolean>;
  /**
   * Appends and returns the watermark just after the activity. With `onceKey` (e.g. the relay
   * message id an agent line comes from) a second append under the same key appends nothing and
   * returns the first one's watermark: a message delivered again after a crash shows once.
   */
  append(conversationId: string, activity: ChannelActivity, options?: AppendOptions): Promise<string>;
  since(conversationId: string, watermark?: string): Promise<ActivityPage>;
  /**
   * A customer's own activity, appended in one atomic step with what makes it safe to acknowledge:
   * rejects with HANDOVER_ERR_UNKNOWN_CONVERSATION for an unregistered id (no separate `exists`
   * call); with `clientKey` (the client's own id for the line, e.g. `clientActivityID`) a second
   * append under the same key appends nothing and answers the first one (`duplicate: true`, its
   * id and watermark), so a resend after a lost acknowledgement is stored once; with `inboxOwner`
   * (shared logs: see `TurnInbox`) the activity also enters the turn inbox, owned by that process,
   * until its turn has run. A store that cannot write now rejects with
   * HANDOVER_ERR_STORE_UNAVAILABLE (the line was not stored: the client may send it again).
   * Optional: without it, front doors fall back to `exists` + `append` (no de-duplication).
   */
  appendIncoming?(conversationId: string, activity: ChannelActivity, options?: IncomingOptions): Promise<IncomingResult>;
  /**
   * Shared logs only: calls `listener(false)` when writes cannot be made any more (the store's
   * connection dropped) and `listener(true)` when they can again, so front doors can tell
   * connected customers at once instead of at their next line. Returns the unsubscribe function.
   */
  watchAvailability?(listener: (available: boolean) => void): () => void;
  /**
   * Only on logs shared by several processes (Redis): hear every append, made by any process, so
   * the process holding a customer's socket can push what another process appended. Notices are
   * at-most-once (pub/sub): `onResync` is called when some may have been missed (after a
   * reconnect), and a listener fills any gap it sees from `since`. Resolves once listening.
   */
  watch?(onAppend: (notice: AppendNotice) => void, onResync: () => void): Promise<() => Promise<void>>;
}

/**
 * Options of `ActivityLog.append`.
 *
 * @example
 * await log.append('c-1', activity, { onceKey: 'relay-message-7' });
 */
export interface AppendOptions {
  readonly onceKey?: string;
}

/**
 * Options of `ActivityLog.appendIncoming`.
 *
 * @example
 * await log.appendIncoming!('c-1', activity, { clientKey: 'c_lz3k_0', inboxOwner: inbox.owner });
 */
export interface IncomingOptions {
  /** The client's id for this line (Direct Line `channelData.clientActivityID`, the widget's `clientActivityId`). */
  readonly clientKey?: string;
  /** The process that will run the turn (`TurnInbox.owner`); ignored by logs without an inbox. */
  readonly inboxOwner?: string;
}

/**
 * What `ActivityLog.appendIncoming` did.
 *
 * @example
 * const r: IncomingResult = { id: 'a_x1', watermark: '7', duplicate: false, inboxed: true };
 */
export interface IncomingResult {
  /** The stored activity's id: the new one, or for a duplicate the one stored first. */
  readonly id: string;
  /** The position just after the stored activity. */
  readonly watermark: string;
  /** True when the client key was already stored: nothing was appended (no echo, no turn). */
  readonly duplicate: boolean;
  /** True when the activity entered the turn inbox (settle it once its turn has run). */
  readonly inboxed: boolean;
}

/**
 * One append heard through `ActivityLog.watch`.
 *
 * @example
 * const n: AppendNotice = { conversationId: 'c-1', watermark: '7', activity };
 */
export interface AppendNotice {
  readonly conversationId: string;
  /** The position just after `activity`. */
  readonly watermark: string;
  readonly activity: ChannelActivity;
}
