/**
 * Bursts: people write "hello" / "so" / "my package" / "it didn't come" / "K48213" as five
 * messages. Customer messages of one conversation that arrive less than the channel's window apart
 * (`manifest.json` → `bursts`) form one burst; the bot reads a burst as one turn (the messages
 * joined in order, one per line) and answers once, after the window closes — at the latest
 * `maxSeconds` after the burst's first message. Meanwhile the customer sees "typing…".
 *
 * `HandoffMiddleware` hands every customer message here first (`hold`): its transcript line is
 * written at once, with its own time; if a person owns the chat it goes to them at once (no
 * window); otherwise it joins the conversation's burst in the `BurstStore` and a timer waits for
 * the deadline. Then the burst is taken from the store (exactly one process gets it) and answered
 * with a proactive turn on the channel's adapter (`continueConversation`, as agent messages are
 * delivered), in which the middleware runs the bot once on the joined text and the policy decides
 * once. On a shared store (Redis) every process also sweeps for bursts whose process died before
 * their window closed (or mid-answer: a claimed burst's lease runs out) and answers them.
 *
 * The cost: a reply comes a window later than without bursts, and a message of a bot-owned chat
 * makes three more store calls (add, take, settle). With a window of 0 nothing here runs.
 *
 * @example
 * // createHandover wires it; by hand:
 * new HandoffMiddleware({ …, bursts: { store: new MemoryBurstStore(), logic: (ctx) => bot.run(ctx), schedule: 'timers' } });
 */
import { HandoverError } from '../core/errors.js';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ActivityTypes, TurnContext, type Activity, type BotAdapter } from 'botbuilder';
import type { Clock } from '../core/clock.js';
import type { ConversationId } from '../core/ids.js';
import { isWithHuman, type HandoffState } from '../core/handoff-state.js';
import type { BurstMessage, BurstStore, PendingBurst, TakeResult } from '../core/ports/burst-store.js';
import type { Manifest } from '../config/manifest-schema.js';
import { burstHost } from './burst-hosts.js';
import { continueOn } from './continue-conversation.js';

/** Turn-state key of a burst's turn: the messages it answers (already in the transcript). */
export const BURST_KEY = Symbol.for('handover.burst');
/** Set by an adapter whose turns must be answered one by one whatever the manifest says (`SimAdapter` unless asked). */
export const NO_BURSTS_KEY = Symbol.for('handover.noBursts');
/** `PROACTIVE_KEY` of handoff-middleware.ts (the same registered symbol; imported from there it would be a cycle). */
const PROACTIVE_KEY = Symbol.for('handover.proactive');
/** `CONTENT_KEY` of the WhatsApp channels: a message's words for the bot, when the channel reads them apart from its line. */
const WHATSAPP_CONTENT_KEY = Symbol.for('handover.whatsapp.content');

/** What a burst's turn carries: its messages, in order (one for a message answered on its own). */
export interface BurstTurn {
  readonly messages: readonly BurstMessage[];
}

/** The burst a turn answers, if it is one (see `BURST_KEY`). */
export function burstOf(context: TurnContext): BurstTurn | undefined {
  return context.turnState.get(BURST_KEY) as BurstTurn | undefined;
}

/** Bot logic for one turn, as botbuilder's `ActivityHandler.run`. */
export type BurstLogic = (context: TurnContext) => Promise<void>;

/**
 * How bursts are answered. `schedule: 'timers'` waits each window in real time; `'manual'` leaves
 * the waiting to the caller, who calls `flush`/`flushDue` (simulate, on its virtual clock).
 *
 * @example
 * const opts: BurstOptions = { store: new MemoryBurstStore(), logic: (ctx) => bot.run(ctx), schedule: 'timers' };
 */
export interface BurstOptions {
  readonly store: BurstStore;
  /** The bot, run once per burst on the joined text. */
  readonly logic: BurstLogic;
  readonly schedule: 'timers' | 'manual';
  /** The stores object `attachAgentDelivery` registers its adapters under (see burst-hosts.ts): sweeps answer those routes. */
  readonly hosts?: object;
  /** How long a process may take to answer a burst it claimed before another may (default 30 s). */
  readonly leaseMs?: number;
  /** How often a shared store is swept for the bursts of dead processes (default 1 s). */
  readonly sweepEveryMs?: number;
  /** How long after its deadline a burst is left to the process that took its messages (default 2 s). */
  readonly graceMs?: number;
  /** This process's id as a claimer (default `<host>-<pid>-<random>`). */
  readonly owner?: string;
}

/** What the middleware lends: its transcript, the ownership read, the hand-over to a person, its own turn. */
export interface BurstHooks {
  /** Writes the customer's line (now, with its own time). */
  recordCustomer(context: TurnContext, id: ConversationId, at: number): Promise<void>;
  ownership(id: ConversationId): Promise<HandoffState>;
  /** A person owns the chat: the message goes to them. */
  toPerson(context: TurnContext, id: ConversationId, state: HandoffState, at: number): Promise<void>;
  /** The middleware's turn, for a burst's turn (`BURST_KEY` set). */
  run(context: TurnContext, next: () => Promise<void>): Promise<void>;
}

/** A burst this process added a message to and waits for. */
interface Waiting {
  deadline: number;
  adapter: BotAdapter;
  timer?: ReturnType<typeof setTimeout>;
}

/** manifest.json `channels` names by the channelId our adapters stamp on activities. */
const MANIFEST_CHANNEL: Readonly<Record<string, keyof Manifest['bursts']['windowSeconds']>> = {
  webchat: 'webchat',
  directline: 'directline',
  whatsapp: 'whatsapp-web',
  'whatsapp-web': 'whatsapp-web',
  'whatsapp-cloud': 'whatsapp-cloud',
};

/** A busy conversation (an earlier burst being answered) is tried again this much later. */
const BUSY_RETRY_MS = 250;

export class BurstWindow {
  readonly owner: string;
  private readonly store: BurstStore;
  private readonly maxMs: number;
  private readonly windows: Readonly<Record<string, number>>;
  private readonly leaseMs: number;
  private readonly graceMs: number;
  private readonly waiting = new Map<ConversationId, Waiting>();
  /** Per conversation, the flush under way (flushes of one conversation run one after the other). */
  private readonly flushing = new Map<string, Promise<boolean>>();
  /** Adapters seen carrying each route's messages in this process. */
  private readonly adapters = new Map<string, BotAdapter>();
  private sweepTimer: ReturnType<typeof setInterval> | undefined;
  private sweeping = false;
  private closed = false;

  constructor(
    private readonly opts: BurstOptions & {
      readonly manifest: Pick<Manifest, 'bursts'>;
      readonly clock: Clock;
      readonly route: (activity: Partial<Activity>) => string;
      readonly hooks: BurstHooks;
      readonly onError: (error: unknown, where: string) => void;
    },
  ) {
    this.store = opts.store;
    this.owner = opts.owner ?? `${hostname().replace(/\s/g, '_')}-${process.pid}-${randomBytes(4).toString('hex')}`;
    this.maxMs = Math.round(opts.manifest.bursts.maxSeconds * 1000);
    const w = opts.manifest.bursts.windowSeconds;
    this.windows = Object.fromEntries(Object.entries(MANIFEST_CHANNEL).map(([channelId, name]) => [channelId, Math.round(w[name] * 1000)]));
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.graceMs = opts.graceMs ?? 2000;
    if (opts.schedule === 'timers' && opts.store.shared) {
      this.sweepTimer = setInterval(() => void this.sweep(), opts.sweepEveryMs ?? 1000);
      this.sweepTimer.unref();
    }
  }

  /** The window of a channel (ms); 0: its messages are answered one by one. Channels we do not know have none. */
  windowMs(channelId: string | undefined): number {
    return this.windows[channelId ?? ''] ?? 0;
  }

  /** A customer message with words, on a channel with a window, not already a burst's turn. No store call. */
  applies(context: TurnContext): boolean {
    const a = context.activity;
    return (
      a.type === ActivityTypes.Message &&
      context.turnState.get(NO_BURSTS_KEY) !== true &&
      context.turnState.get(BURST_KEY) === undefined &&
      this.windowMs(a.channelId) > 0 &&
      wordsOf(context) !== undefined
    );
  }

  /**
   * Takes a customer message (`applies` said yes): records its line, then passes it to the person
   * who owns the chat, or adds it to the burst and shows "typing…". True when the turn is done;
   * false when it must go on now, as a burst of this one message (the store could not keep it):
   * the line is recorded already (`BURST_KEY` says so).
   */
  async hold(context: TurnContext, id: ConversationId): Promise<boolean> {
    const a = context.activity;
    const now = this.opts.clock.now();
    const message: BurstMessage = { id: a.id ?? `${now}-${randomBytes(4).toString('hex')}`, at: now, text: wordsOf(context) ?? '' };
    const [, ownership] = await Promise.allSettled([this.opts.hooks.recordCustomer(context, id, now), this.opts.hooks.ownership(id)]);
    if (ownership.status === 'fulfilled' && isWithHuman(ownership.value)) {
      // a burst this process still holds goes first (a person took the chat during its window)
      if (this.waiting.has(id)) await this.flush(id, { force: true });
      await this.opts.hooks.toPerson(context, id, ownership.value, now);
      return true;
    }
    const route = this.opts.route(a);
    let added: { deadline: number; size: number; added: boolean } | undefined;
    if (ownership.status === 'fulfilled') {
      try {
        added = await this.store.add(id, message, { windowMs: this.windowMs(a.channelId), maxMs: this.maxMs, route, activity: plainActivity(a) });
      } catch (e) {
        this.opts.onError(e, 'add to burst');
      }
    }
    if (added === undefined) {
      context.turnState.set(BURST_KEY, { messages: [message] } satisfies BurstTurn);
      return false;
    }
    this.adapters.set(route, context.adapter);
    // delivered again after its burst was answered: answered already
    if (added.size === 0) return true;
    this.wait(id, added.deadline, context.adapter);
    if (added.added) {
      await context.sendActivity({ type: ActivityTypes.Typing }).catch((e: unknown) => this.opts.onError(e, 'send typing'));
    }
    return true;
  }

  /** The deadline of the burst this process waits for in a conversation, if any. */
  deadlineOf(id: ConversationId): number | undefined {
    return this.waiting.get(id)?.deadline;
  }

  /**
   * Takes the conversation's burst if due (any burst with `force`) and answers it. Resolves true
   * when a burst was answered here. Flushes of one conversation run one after the other.
   */
  flush(id: ConversationId, opts: { force?: boolean; adapter?: BotAdapter } = {}): Promise<boolean> {
    const previous = this.flushing.get(id) ?? Promise.resolve(false);
    const run = previous.then(
      () => this.flushOnce(id, opts),
      () => this.flushOnce(id, opts),
    );
    this.flushing.set(id, run);
    void run.finally(() => {
      if (this.flushing.get(id) === run) this.flushing.delete(id);
    });
    return run;
  }

  /** `schedule: 'manual'`: answers every burst this process waits for that is due at `now`, earliest first. */
  async flushDue(now: number): Promise<number> {
    const due = [...this.waiting].filter(([, w]) => w.deadline <= now).sort(([, x], [, y]) => x.deadline - y.deadline);
    let answered = 0;
    for (const [id] of due) if (await this.flush(id)) answered++;
    return answered;
  }

  /**
   * One pass over a shared store (every `sweepEveryMs`; tests call it): the bursts due for longer
   * than the grace period, and claimed ones whose claimer died, on routes this process serves,
   * are taken (each by one process) and answered here. Returns how many it answered.
   */
  async sweep(): Promise<number> {
    if (this.sweeping || this.closed) return 0;
    this.sweeping = true;
    try {
      const due = await this.store.due(this.opts.clock.now(), this.graceMs, 50);
      const answered = await Promise.all(
        due.map(async ({ conversationId, route }) => {
          if (this.flushing.has(conversationId)) return false;
          const adapter = this.adapters.get(route) ?? (this.opts.hosts === undefined ? undefined : burstHost(this.opts.hosts, route)?.adapter);
          // another process serves that route (WhatsApp Web: the one holding the session)
          if (adapter === undefined) return false;
          return this.flush(conversationId as ConversationId, { adapter });
        }),
      );
      return answered.filter(Boolean).length;
    } catch (e) {
      this.opts.onError(e, 'sweep bursts');
      return 0;
    } finally {
      this.sweeping = false;
    }
  }

  /** Stops the timers and the sweep (what is still waiting is answered by another process, or lost with the memory store). */
  close(): void {
    this.closed = true;
    if (this.sweepTimer !== undefined) clearInterval(this.sweepTimer);
    for (const w of this.waiting.values()) if (w.timer !== undefined) clearTimeout(w.timer);
    this.waiting.clear();
  }

  private wait(id: ConversationId, deadline: number, adapter: BotAdapter): void {
    const previous = this.waiting.get(id);
    if (previous?.timer !== undefined) clearTimeout(previous.timer);
    const w: Waiting = { deadline, adapter };
    if (this.opts.schedule === 'timers' && !this.closed) {
      w.timer = setTimeout(() => void this.flush(id), Math.max(0, deadline - this.opts.clock.now()));
      w.timer.unref();
    }
    this.waiting.set(id, w);
  }

  private async flushOnce(id: ConversationId, opts: { force?: boolean; adapter?: BotAdapter }): Promise<boolean> {
    const w = this.waiting.get(id);
    const now = this.opts.clock.now();
    let r: TakeResult;
    try {
      r = await this.store.take(id, { now, owner: this.owner, leaseMs: this.leaseMs, ...(opts.force === true ? { force: true } : {}) });
    } catch (e) {
      this.opts.onError(e, 'take burst');
      if (w !== undefined && this.waiting.get(id) === w) this.wait(id, now + 1000, w.adapter);
      return false;
    }
    const adapter = w?.adapter ?? opts.adapter;
    switch (r.kind) {
      case 'none':
        if (w !== undefined && this.waiting.get(id) === w) this.waiting.delete(id);
        return false;
      case 'wait':
        // a later message (maybe on another process) moved the deadline
        if (w !== undefined && this.waiting.get(id) === w) this.wait(id, r.deadline, w.adapter);
        return false;
      case 'busy':
        if (w !== undefined && this.waiting.get(id) === w) this.wait(id, Math.min(r.until, now + BUSY_RETRY_MS), w.adapter);
        return false;
      case 'claimed':
        // a claimed burst handed out again (its claimer died) comes before the open one this process waits for
        if (w !== undefined && this.waiting.get(id) === w && r.burst.attempts === 1) this.waiting.delete(id);
        await this.answer(r.burst, adapter);
        if (w !== undefined && this.waiting.get(id) === w) this.wait(id, this.opts.clock.now(), w.adapter);
        return true;
    }
  }

  /** The burst's turn: the middleware and the bot, once, on the joined text; then the burst is settled. */
  private async answer(burst: PendingBurst, preferred: BotAdapter | undefined): Promise<void> {
    const host = this.opts.hosts === undefined ? undefined : burstHost(this.opts.hosts, burst.route);
    const adapter = preferred ?? this.adapters.get(burst.route) ?? host?.adapter;
    if (adapter === undefined) {
      // claimed here but nothing here can reach the customer: another process takes it when the lease ends
      this.opts.onError(new HandoverError('HANDOVER_ERR_CHANNEL', `no adapter serves route "${burst.route}" in this process`), 'answer burst');
      return;
    }
    const activity = burstActivity(burst);
    try {
      // CloudAdapter needs continueConversationAsync and the bot's app id (registered with the route)
      await continueOn(adapter, TurnContext.getConversationReference(activity), async (proactive) => {
        const context = new TurnContext(proactive.adapter, activity);
        // what the adapter put in its proactive turn (connector clients and the like), minus the proactive mark
        proactive.turnState.forEach((value, key) => {
          if (key !== PROACTIVE_KEY) context.turnState.set(key, value);
        });
        context.turnState.set(BURST_KEY, { messages: burst.messages } satisfies BurstTurn);
        await this.opts.hooks.run(context, () => this.opts.logic(context));
      }, { owner: 'handover', ...(host?.botAppId === undefined ? {} : { botAppId: host.botAppId }) });
    } catch (e) {
      // the bot's own error (the adapter's onTurnError saw it too); running it again would throw again
      this.opts.onError(e, 'answer burst');
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await this.store.settle(burst.conversationId, burst.id);
        return;
      } catch (e) {
        // unsettled, it would be answered again by a sweep once the lease ends
        this.opts.onError(e, 'settle burst');
        if (attempt >= 3) return;
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }
}

/** The customer's words in a message: the WhatsApp channels' `words` (a caption, a tapped option), else its text; undefined when none. */
function wordsOf(context: TurnContext): string | undefined {
  const content = context.turnState.get(WHATSAPP_CONTENT_KEY) as { words?: unknown } | undefined;
  const words = content === undefined ? context.activity.text : content.words;
  return typeof words === 'string' && words.trim() !== '' ? words : undefined;
}

/** The activity as plain JSON (dates as ISO strings), without what a burst's turn does not carry. */
function plainActivity(a: Partial<Activity>): Record<string, unknown> {
  const { attachments: _attachments, ...rest } = a;
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

/** The burst's turn: its last message's activity with every message's words, one per line. */
function burstActivity(burst: PendingBurst): Partial<Activity> {
  const last = burst.messages[burst.messages.length - 1];
  const activity: Record<string, unknown> = { ...burst.activity, text: burst.messages.map((m) => m.text).join('\n') };
  if (last !== undefined) activity['id'] = last.id;
  // a tapped option's value belongs to that message alone
  if (burst.messages.length > 1) delete activity['value'];
  return activity as Partial<Activity>;
}
