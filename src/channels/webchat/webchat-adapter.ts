import { randomBytes } from 'node:crypto';
import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import type { ActivityLog, AppendNotice, ChannelActivity } from '../../core/ports/activity-log.js';
import type { InboxEntry, TurnInbox } from '../../core/ports/turn-inbox.js';
import { systemClock, type Clock } from '../../core/clock.js';
import { HandoverError } from '../../core/errors.js';
import type { Redactor } from '../../core/redact.js';
import { consoleWebChatLogger, type WebChatLogger } from './webchat-logger.js';
import { KEEPS_DESK_EVENTS_PRIVATE } from '../../core/desk-events.js';

/** What a connected client receives: Direct Line's `{activities, watermark}` shape. */
export interface StreamBatch {
  readonly activities: readonly ChannelActivity[];
  /** Absent for ephemeral activities (typing) that are not part of the history. */
  readonly watermark?: string;
}

/** Bot logic for one turn, as botbuilder's `ActivityHandler.run` or any `(context) => …`. */
export type BotLogic = (context: TurnContext) => Promise<void>;

/** What a customer may post; the adapter fills in ids, addresses and timestamps itself. */
export interface CustomerActivity {
  readonly type: 'message' | 'typing' | 'event';
  readonly text?: string;
  readonly name?: string;
  readonly value?: unknown;
  readonly locale?: string;
  readonly userName?: string;
  readonly channelData?: Record<string, unknown>;
  /** Files the customer sent (an upload), already kept: `contentUrl` is where the console reads them. */
  readonly attachments?: ReadonlyArray<{ readonly contentType: string; readonly name: string; readonly contentUrl: string }>;
}

/** Options of {@link WebChatAdapter}. */
export interface WebChatAdapterOptions {
  readonly activityLog: ActivityLog;
  /** The bot; runs inside the middleware pipeline for every customer activity. */
  readonly logic: BotLogic;
  readonly clock?: Clock;
  readonly log?: WebChatLogger;
  readonly botId?: string;
  readonly botName?: string;
  /** `channelId` on every activity (both front doors share one channel). */
  readonly channelId?: string;
  readonly serviceUrl?: string;
  /** Run a `conversationUpdate` (membersAdded) turn when a conversation starts, like Direct Line. */
  readonly conversationUpdateOnStart?: boolean;
  /**
   * Outgoing activities that must never reach the customer's browser. Default: `handoff.initiate`
   * events, whose attachment is the agent's briefing (transcript, sentiment, policy trace).
   */
  readonly isPrivate?: (activity: Partial<Activity>) => boolean;
  /** Injected so tests of `delay` activities do not sleep. */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * The turn inbox of a shared history (Redis: `stores.turnInbox`): every customer line enters it
   * in the step that stores it, leaves it once its turn has run, and the lines of a process that
   * died before answering are claimed and answered here (see `TurnInbox`). Default: none.
   */
  readonly turnInbox?: TurnInbox;
  /** How often the inbox is swept for lines to take over. Default 2000 ms. */
  readonly inboxSweepMs?: number;
  /** Times a line's turn is run (after failed replies or crashes) before it is given up and reported. Default 5. */
  readonly inboxMaxAttempts?: number;
  /**
   * Personal data masking (manifest.json → `pii`): what the history stores and every client is
   * echoed — customer lines, bot replies, agent messages — is masked; the customer's own turn
   * still gets the text as typed (the bot may need it), except a line answered from the turn
   * inbox after its process died, which gets the stored, masked one. Default: nothing masked.
   */
  readonly redactor?: Redactor;
}

/** What `receive` did with a customer activity. */
export interface Received {
  /** The stored activity's id (for a duplicate: the one stored first). */
  readonly id: string;
  /** The position just after it (absent for typing, which is not stored). */
  readonly watermark?: string;
  /** The client's id for it was already stored: nothing was appended, echoed or run again. */
  readonly duplicate?: boolean;
}

const defaultIsPrivate = (a: Partial<Activity>): boolean => a.type === ActivityTypes.Event && a.name === 'handoff.initiate';

/**
 * botbuilder adapter for browser customers (our widget and Direct Line clients). It does not
 * know about HTTP or sockets: front doors call `startConversation`/`receive` and subscribe to
 * conversations; the adapter runs turns, keeps the history in an {@link ActivityLog} and pushes
 * every outgoing activity to subscribers. Proactive sends (agent messages) go through
 * `continueConversation` and reach connected clients the same way.
 *
 * Turns of one conversation run one after the other (bot state would race otherwise); a
 * customer's own activity is logged and echoed before the turn starts.
 *
 * @example
 * const adapter = new WebChatAdapter({ activityLog: new MemoryActivityLog(), logic: (ctx) => bot.run(ctx) });
 * adapter.use(handoffMiddleware);
 * const { conversationId } = await adapter.startConversation({ userId: 'u-1' });
 * const stop = await adapter.openStream(conversationId, '0', (batch) => socket.send(JSON.stringify(batch)));
 * await adapter.receive(conversationId, 'u-1', { type: 'message', text: 'hi' });
 */
export class WebChatAdapter extends BotAdapter {
  /** Desk events (`handoff.initiate`) never reach the customer here: the middleware may send them into the turn. */
  readonly [KEEPS_DESK_EVENTS_PRIVATE] = true;
  readonly activityLog: ActivityLog;
  readonly channelId: string;
  private readonly logic: BotLogic;
  private readonly clock: Clock;
  private readonly log: WebChatLogger;
  private readonly bot: { id: string; name: string; role: string };
  private readonly serviceUrl: string;
  private readonly conversationUpdateOnStart: boolean;
  private readonly isPrivate: (activity: Partial<Activity>) => boolean;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly listeners = new Map<string, Set<(batch: StreamBatch) => void>>();
  /** Open streams' catch-up functions, called when the history feed may have missed appends. */
  private readonly resyncs = new Set<() => void>();
  /** Listening to appends made by other processes (`ActivityLog.watch`), started with the first stream. */
  private feed: Promise<(() => Promise<void>) | undefined> | undefined;
  /** Tail of each conversation's turn chain (serialises turns per conversation). */
  private readonly turnChains = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly inbox: TurnInbox | undefined;
  private readonly redactor: Redactor | undefined;
  private readonly inboxMaxAttempts: number;
  private inboxTimer: ReturnType<typeof setInterval> | undefined;
  private inboxStarted: Promise<void> | undefined;
  private sweeping = false;

  constructor(opts: WebChatAdapterOptions) {
    super();
    this.activityLog = opts.activityLog;
    this.logic = opts.logic;
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log ?? consoleWebChatLogger;
    this.bot = { id: opts.botId ?? 'bot', name: opts.botName ?? 'Bot', role: 'bot' };
    this.channelId = opts.channelId ?? 'webchat';
    this.serviceUrl = opts.serviceUrl ?? 'urn:handover:webchat';
    this.conversationUpdateOnStart = opts.conversationUpdateOnStart ?? true;
    this.isPrivate = opts.isPrivate ?? defaultIsPrivate;
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.inbox = opts.turnInbox;
    this.redactor = opts.redactor;
    this.inboxMaxAttempts = opts.inboxMaxAttempts ?? 5;
    if (this.inbox !== undefined) {
      const inbox = this.inbox;
      this.inboxStarted = inbox.start().catch((e: unknown) => this.log.error('web chat turn inbox: could not mark this process alive', { error: String(e) }));
      this.inboxTimer = setInterval(() => void this.sweepInbox(), opts.inboxSweepMs ?? 2000);
      this.inboxTimer.unref();
    }
  }

  /** Creates a conversation (new id) and, by default, runs a `conversationUpdate` turn in the background. */
  async startConversation(user: { userId: string; userName?: string; locale?: string }): Promise<{ conversationId: string }> {
    const conversationId = `wc_${randomBytes(12).toString('hex')}`;
    await this.activityLog.create(conversationId);
    if (this.conversationUpdateOnStart) {
      const update: Partial<Activity> = {
        ...this.incomingBase(conversationId, user.userId, user.userName),
        type: ActivityTypes.ConversationUpdate,
        membersAdded: [{ id: user.userId, name: user.userName ?? '' }, { id: this.bot.id, name: this.bot.name }],
        ...(user.locale === undefined ? {} : { locale: user.locale }),
      };
      this.enqueueTurn(conversationId, update, false);
    }
    return { conversationId };
  }

  /**
   * Accepts a customer activity: logs it and echoes it to every client of the conversation
   * (Direct Line clients need the echo to mark a message as sent; `channelData.clientActivityID`
   * is kept), then queues the bot turn. Resolves once the activity is recorded, not after the turn:
   * resolving is the acknowledgement, so by then the line is stored (and, with a turn inbox, in the
   * inbox, so it is answered even if this process dies before its turn ran). A line whose
   * `clientActivityID` was already stored (a resend after a lost acknowledgement) is not stored,
   * echoed or run again: the answer names the first one (`duplicate`). While the store cannot
   * write it rejects with HANDOVER_ERR_STORE_UNAVAILABLE: not stored, the client sends it again.
   */
  async receive(conversationId: string, userId: string, input: CustomerActivity): Promise<Received> {
    const channelData = { ...(input.channelData ?? {}) };
    // Only the server may say who is an agent: the widget trusts channelData.handover.
    delete channelData['handover'];
    const activity: ChannelActivity = {
      ...this.incomingBase(conversationId, userId, input.userName),
      id: newActivityId(),
      type: input.type,
      ...(input.text === undefined ? {} : { text: input.text }),
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.value === undefined ? {} : { value: input.value }),
      ...(input.locale === undefined ? {} : { locale: input.locale }),
      ...(input.attachments === undefined || input.attachments.length === 0 ? {} : { attachments: input.attachments.map((a) => ({ ...a })) }),
      channelData,
    };
    // Stored and echoed masked; the turn below gets the text as typed.
    const stored = this.masked(activity);
    // Typing is ephemeral: the bot (and the handoff middleware) see it, the history does not.
    const appendIncoming = this.activityLog.appendIncoming?.bind(this.activityLog);
    if (input.type === 'typing' || appendIncoming === undefined) {
      if (!(await this.activityLog.exists(conversationId))) {
        throw new HandoverError('HANDOVER_ERR_UNKNOWN_CONVERSATION', `No web chat conversation "${conversationId}"`);
      }
      let watermark: string | undefined;
      if (input.type !== 'typing') {
        watermark = await this.activityLog.append(conversationId, stored);
        this.publish(conversationId, { activities: [stored], watermark });
      }
      this.enqueueTurn(conversationId, activity as Partial<Activity>, false);
      return watermark === undefined ? { id: activity.id } : { id: activity.id, watermark };
    }
    const clientKey = clientKeyOf(channelData);
    const r = await appendIncoming(conversationId, stored, {
      ...(clientKey === undefined ? {} : { clientKey }),
      ...(this.inbox === undefined ? {} : { inboxOwner: this.inbox.owner }),
    });
    if (r.duplicate) return { id: r.id, watermark: r.watermark, duplicate: true };
    this.publish(conversationId, { activities: [stored], watermark: r.watermark });
    if (r.inboxed) this.inbox?.hold(conversationId, activity.id);
    this.enqueueTurn(conversationId, activity as Partial<Activity>, r.inboxed);
    return { id: activity.id, watermark: r.watermark };
  }

  /** Runs `logic` for an activity through the middleware pipeline (the botbuilder entry point). */
  async processActivity(activity: Partial<Activity>, logic: BotLogic): Promise<void> {
    const context = new TurnContext(this, activity);
    await this.runMiddleware(context, logic);
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const a of activities) {
      if (a.type === 'delay') {
        // Same as CloudAdapter: `value` is milliseconds.
        await this.sleep(typeof a.value === 'number' ? a.value : 1000);
        responses.push({ id: '' });
        continue;
      }
      if (a.type === ActivityTypes.Trace || a.type === ActivityTypes.InvokeResponse) {
        responses.push({ id: '' });
        continue;
      }
      const conversationId = a.conversation?.id ?? context.activity.conversation?.id;
      if (conversationId === undefined) {
        throw new HandoverError('HANDOVER_ERR_CHANNEL', 'Outgoing web chat activity has no conversation id');
      }
      const full = this.masked(this.outgoing(a, conversationId));
      responses.push({ id: full.id });
      if (this.isPrivate(a)) continue;
      if (a.type === ActivityTypes.Typing) {
        this.publish(conversationId, { activities: [full] });
        continue;
      }
      // An agent message (relay id in channelData) is appended once, even when delivered again after a crash.
      const onceKey = relayMessageIdOf(a);
      let watermark: string;
      try {
        watermark = await this.activityLog.append(conversationId, full, onceKey === undefined ? {} : { onceKey });
      } catch (e) {
        // The customer's line stays in the turn inbox: its turn runs again once the store takes replies.
        const tracker = context.turnState.get(REPLY_TRACKER) as { failed: boolean } | undefined;
        if (tracker !== undefined) tracker.failed = true;
        throw e;
      }
      this.publish(conversationId, { activities: [full], watermark });
    }
    return responses;
  }

  override async updateActivity(): Promise<void> {
    throw new HandoverError('HANDOVER_ERR_NOT_SUPPORTED', 'The web chat channel cannot update a sent activity; send a new one');
  }

  override async deleteActivity(): Promise<void> {
    throw new HandoverError('HANDOVER_ERR_NOT_SUPPORTED', 'The web chat channel cannot delete a sent activity');
  }

  /**
   * Proactive turn (agent messages, notices): activities sent in `logic` reach the connected
   * clients and the history like any reply.
   */
  override async continueConversation(reference: Partial<ConversationReference>, logic: BotLogic): Promise<void> {
    const activity = TurnContext.applyConversationReference(
      { type: ActivityTypes.Event, name: 'continueConversation' },
      reference,
      true,
    );
    await this.processActivity(activity, logic);
  }

  /**
   * Live activities of a conversation as this process sees them (its own turns and deliveries, and,
   * on a shared history, other processes' appends — so the same activity may come twice: streams
   * de-duplicate by watermark, see `openStream`); returns the unsubscribe function.
   */
  subscribe(conversationId: string, listener: (batch: StreamBatch) => void): () => void {
    let set = this.listeners.get(conversationId);
    if (set === undefined) this.listeners.set(conversationId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(conversationId) === set) this.listeners.delete(conversationId);
    };
  }

  /**
   * History after `watermark`, then live activities, without gaps or duplicates, in position
   * order: the subscription starts before the history is read; a live activity already covered is
   * dropped, and one that leaves a gap (an append on another process whose notice was missed, or
   * two appends heard out of order) is filled from the history first. On a history shared by
   * several processes, appends made anywhere reach this stream through `ActivityLog.watch`.
   */
  async openStream(conversationId: string, watermark: string | undefined, send: (batch: StreamBatch) => void): Promise<() => void> {
    await this.startFeed();
    /** Position of the last activity sent; -1 until the history was read. */
    let last = -1;
    let reading = false;
    let readAgain = false;
    let closed = false;
    const held: StreamBatch[] = [];
    const deliver = (batch: StreamBatch): void => {
      if (batch.watermark === undefined) return send(batch); // typing: not in the history
      const w = Number(batch.watermark);
      if (w <= last) return;
      if (w - batch.activities.length === last) {
        last = w;
        send(batch);
        return;
      }
      catchUp().catch((e: unknown) => this.log.warn('web chat stream catch-up failed', { conversationId, error: String(e) }));
    };
    const catchUp = async (): Promise<void> => {
      if (reading) {
        readAgain = true;
        return;
      }
      reading = true;
      try {
        do {
          readAgain = false;
          const page = await this.activityLog.since(conversationId, last < 0 ? watermark : String(last));
          if (closed) return;
          const w = Number(page.watermark);
          // The first page is always sent (an empty one tells the client the watermark).
          if (last < 0 || w > last) {
            last = w;
            send({ activities: page.activities, watermark: page.watermark });
          }
          for (const batch of held.splice(0)) deliver(batch);
        } while (readAgain && !closed);
      } finally {
        reading = false;
      }
    };
    const resync = (): void => {
      if (last >= 0) catchUp().catch((e: unknown) => this.log.warn('web chat stream catch-up failed', { conversationId, error: String(e) }));
    };
    const unsubscribe = this.subscribe(conversationId, (batch) => (reading || last < 0 ? held.push(batch) : deliver(batch)));
    const stop = (): void => {
      closed = true;
      this.resyncs.delete(resync);
      unsubscribe();
    };
    try {
      await catchUp();
    } catch (e) {
      stop();
      throw e;
    }
    this.resyncs.add(resync);
    return stop;
  }

  /** Waits for queued and running turns (graceful shutdown). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Stops sweeping the turn inbox and gives this process's place in it up (pending settles written,
   * liveness released: what it still owns is claimable by the others at once). Call after `drain`.
   */
  async stopInbox(): Promise<void> {
    if (this.inboxTimer !== undefined) clearInterval(this.inboxTimer);
    this.inboxTimer = undefined;
    await this.inboxStarted;
    await this.inbox?.stop().catch((e: unknown) => this.log.warn('web chat turn inbox: stop failed', { error: String(e) }));
  }

  /**
   * One pass over the turn inbox (every `inboxSweepMs`; tests call it directly): the lines of
   * processes that died before answering, now this process's (each claimed by one process only),
   * and this process's own lines whose reply could not be stored, run their turn here, in their
   * conversation's order. A line already answered (a reply to it is in the history: the process
   * died after answering, before settling) is only settled. Returns how many turns it queued.
   */
  async sweepInbox(): Promise<number> {
    const inbox = this.inbox;
    if (inbox === undefined || this.sweeping) return 0;
    this.sweeping = true;
    try {
      let entries: InboxEntry[];
      try {
        entries = await inbox.claim();
      } catch (e) {
        this.log.warn('web chat turn inbox: claim failed', { error: String(e) });
        return 0;
      }
      entries.sort((a, b) => (a.conversationId < b.conversationId ? -1 : a.conversationId > b.conversationId ? 1 : a.position - b.position));
      let queued = 0;
      const answered = new Map<string, Promise<Set<string>>>();
      for (const e of entries) {
        const id = e.activity.id;
        if (e.attempts > this.inboxMaxAttempts) {
          inbox.settle(e.conversationId, id);
          this.log.error('web chat turn inbox: a customer line was never answered; giving up', { conversationId: e.conversationId, activityId: id, attempts: e.attempts - 1 });
          continue;
        }
        inbox.hold(e.conversationId, id);
        let replied: Set<string>;
        try {
          let read = answered.get(e.conversationId);
          if (read === undefined) answered.set(e.conversationId, (read = this.repliedTo(e.conversationId, e.position - 1)));
          replied = await read;
        } catch (err) {
          if (err instanceof HandoverError && err.code === 'HANDOVER_ERR_UNKNOWN_CONVERSATION') inbox.settle(e.conversationId, id);
          else inbox.release(e.conversationId, id);
          continue;
        }
        if (replied.has(id)) {
          inbox.settle(e.conversationId, id);
          continue;
        }
        if (e.claimedFrom !== e.owner) {
          this.log.warn('web chat turn inbox: answering a line its process left unanswered', { conversationId: e.conversationId, activityId: id, from: e.claimedFrom });
        }
        this.enqueueTurn(e.conversationId, e.activity as Partial<Activity>, true);
        queued++;
      }
      return queued;
    } finally {
      this.sweeping = false;
    }
  }

  /** Stops hearing other processes' appends (shutdown, after the sockets closed); a later stream starts it again. */
  async stopFeed(): Promise<void> {
    const feed = this.feed;
    this.feed = undefined;
    const stop = await feed?.catch(() => undefined);
    await stop?.();
  }

  /**
   * An agent is typing to the customer (the console's composer): a `typing` activity from the
   * agent (`from.id` `agent:<id>`, their name, `channelData.handover.role` 'agent') reaches the
   * conversation's clients connected to this process. Ephemeral: never stored, no turn. Returns
   * whether any client was there to see it.
   *
   * @example
   * adapter.showAgentTyping('wc_…', { id: 'ana', name: 'Ana' }); // the widget says "Ana is typing…"
   */
  showAgentTyping(conversationId: string, agent: { readonly id: string; readonly name: string }): boolean {
    if (!this.listeners.has(conversationId)) return false;
    const typing = this.outgoing(
      {
        type: ActivityTypes.Typing,
        conversation: { id: conversationId } as Activity['conversation'],
        channelData: { handover: { role: 'agent', kind: 'agent_typing', agentId: agent.id, agentName: agent.name } },
      },
      conversationId,
    );
    this.publish(conversationId, { activities: [typing] });
    return true;
  }

  /** Number of live subscribers of a conversation (tests, metrics). */
  subscriberCount(conversationId: string): number {
    return this.listeners.get(conversationId)?.size ?? 0;
  }

  /** Starts hearing other processes' appends (once; only a shared history has `watch`). */
  private async startFeed(): Promise<void> {
    const watch = this.activityLog.watch?.bind(this.activityLog);
    if (watch === undefined) return;
    const starting = (this.feed ??= watch(
      (n) => this.heard(n),
      () => {
        for (const resync of [...this.resyncs]) resync();
      },
    ));
    try {
      await starting;
    } catch (e) {
      // Retried by the next stream; this one fails (the client reconnects).
      if (this.feed === starting) this.feed = undefined;
      throw e;
    }
  }

  /** An append heard on the feed: only conversations with a stream here care. */
  private heard(n: AppendNotice): void {
    if (!this.listeners.has(n.conversationId)) return;
    this.publish(n.conversationId, { activities: [n.activity], watermark: n.watermark });
  }

  private publish(conversationId: string, batch: StreamBatch): void {
    for (const listener of this.listeners.get(conversationId) ?? []) {
      try {
        listener(batch);
      } catch (e) {
        // One broken socket must not stop delivery to the others.
        this.log.warn('web chat listener failed', { conversationId, error: String(e) });
      }
    }
  }

  /** Ids of the customer activities after `watermark` that a stored bot-side activity replies to. */
  private async repliedTo(conversationId: string, watermark: number): Promise<Set<string>> {
    const page = await this.activityLog.since(conversationId, String(Math.max(0, watermark)));
    const out = new Set<string>();
    for (const a of page.activities) {
      const from = a['from'] as { role?: unknown } | undefined;
      if (from?.role === 'user' || typeof a['replyToId'] !== 'string') continue;
      // an agent's line carries the reference's first activity: it answers nothing in particular
      if (relayMessageIdOf(a as Partial<Activity>) !== undefined) continue;
      out.add(a['replyToId']);
    }
    return out;
  }

  /**
   * Queues a turn after the conversation's earlier ones. An inboxed line is settled once its turn
   * has run — unless a reply could not be stored (then it stays for a later sweep to run again);
   * a turn that threw (the bot's own error) is settled too: running it again would throw again.
   */
  private enqueueTurn(conversationId: string, activity: Partial<Activity>, inboxed: boolean): void {
    const previous = this.turnChains.get(conversationId) ?? Promise.resolve();
    const tracker = { failed: false };
    const id = activity.id ?? '';
    const turn = previous
      .then(async () => {
        const context = new TurnContext(this, activity);
        if (inboxed) context.turnState.set(REPLY_TRACKER, tracker);
        try {
          await this.runMiddleware(context, this.logic);
        } finally {
          if (inboxed && this.inbox !== undefined) {
            if (tracker.failed) this.inbox.release(conversationId, id);
            else this.inbox.settle(conversationId, id);
          }
        }
      })
      .catch((e: unknown) => {
        this.log.error('web chat turn failed', { conversationId, type: activity.type, error: e instanceof Error ? e.message : String(e) });
      });
    this.turnChains.set(conversationId, turn);
    this.inFlight.add(turn);
    void turn.finally(() => {
      this.inFlight.delete(turn);
      if (this.turnChains.get(conversationId) === turn) this.turnChains.delete(conversationId);
    });
  }

  private incomingBase(conversationId: string, userId: string, userName: string | undefined): Omit<ChannelActivity, 'id' | 'type'> {
    return {
      channelId: this.channelId,
      serviceUrl: this.serviceUrl,
      timestamp: new Date(this.clock.now()).toISOString(),
      conversation: { id: conversationId },
      from: { id: userId, role: 'user', ...(userName === undefined ? {} : { name: userName }) },
      recipient: { ...this.bot },
    };
  }

  /** The activity as the history stores it and clients see it: its text, value and attachments masked. */
  private masked(a: ChannelActivity): ChannelActivity {
    const r = this.redactor;
    if (r === undefined) return a;
    const text = typeof a.text === 'string' ? r.text(a.text) : a.text;
    const value = r.value(a.value);
    const attachments = r.value(a.attachments);
    if (text === a.text && value === a.value && attachments === a.attachments) return a;
    return { ...a, ...(text === undefined ? {} : { text }), ...(value === undefined ? {} : { value }), ...(attachments === undefined ? {} : { attachments }) };
  }

  private outgoing(a: Partial<Activity>, conversationId: string): ChannelActivity {
    const handover = (a.channelData as { handover?: { role?: unknown; agentName?: unknown; agentId?: unknown } } | undefined)?.handover;
    let from = { ...this.bot, ...(a.from ?? {}) };
    // botbuilder rewrites `from` to the bot on every send; the agent travels in channelData. Clients
    // (Microsoft Web Chat) tell speakers apart by from.id and show from.name: an agent's activities
    // are from `agent:<id>` with the agent's name, role 'bot' (not the customer).
    if (handover?.role === 'agent') {
      const name = typeof handover.agentName === 'string' && handover.agentName !== '' ? handover.agentName : undefined;
      const agentId = typeof handover.agentId === 'string' && handover.agentId !== '' ? handover.agentId : undefined;
      from = { ...from, ...(agentId === undefined ? {} : { id: `agent:${agentId}` }), ...(name === undefined ? {} : { name }), role: 'bot' };
    }
    // JSON round-trip: the history and the wire get plain data (Dates become ISO strings).
    const plain = JSON.parse(
      JSON.stringify({
        ...a,
        id: a.id ?? newActivityId(),
        timestamp: a.timestamp ?? new Date(this.clock.now()),
        channelId: this.channelId,
        serviceUrl: this.serviceUrl,
        conversation: { ...(a.conversation ?? {}), id: conversationId },
        from,
      }),
    ) as ChannelActivity;
    return plain;
  }
}

/** Marks a customer line's turn whose reply the history refused (its inbox entry then stays). */
const REPLY_TRACKER = Symbol('handover.webchat.replyTracker');

/** The client's own id for a line (`channelData.clientActivityID`, as Direct Line clients and our widget send it). */
function clientKeyOf(channelData: Record<string, unknown>): string | undefined {
  const id = channelData['clientActivityID'];
  return typeof id === 'string' && id !== '' && id.length <= 200 ? id : undefined;
}

/** The relay message id an agent or system line carries (set by `attachAgentDelivery`), if any. */
function relayMessageIdOf(a: Partial<Activity>): string | undefined {
  const id = (a.channelData as { handover?: { messageId?: unknown } } | undefined)?.handover?.messageId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function newActivityId(): string {
  return `a_${randomBytes(9).toString('base64url')}`;
}
