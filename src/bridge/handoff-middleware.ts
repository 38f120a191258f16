/**
 * `HandoffMiddleware`: add it to any botbuilder 4.23 adapter and every handoff trigger of
 * manifest.json works with no other code.
 *
 * Per turn: record the customer's activity in the transcript; if a person owns the conversation,
 * pass the message to them and stay silent (for every activity type); otherwise run the bot with
 * a `TurnObservation` and a `ConversationView` in the turn state, hold the bot's messages until the
 * policy has decided, and on a handoff replace re-prompts with the locale's handoff notice (with
 * the queue's expected wait), queue the conversation with its briefing, and emit botbuilder's
 * `handoff.initiate` event with the transcript attached. With `bursts`, a customer message of a
 * bot-owned chat is recorded and held until its burst's window closes; the bot then runs once on
 * the burst (see `BurstWindow`).
 *
 * A transcript or store failure never loses the customer's message (it is kept and retried, per
 * conversation and in order, by `TranscriptWriter`) and never crashes the turn; errors thrown by
 * the bot itself still reach `adapter.onTurnError`. Each conversation's lines are written in the
 * order they happened, exactly once, whatever the concurrency.
 *
 * @example
 * const handover = new HandoffMiddleware({ manifest, stores, directory, texts });
 * adapter.use(handover);
 */
import { randomUUID } from 'node:crypto';
import {
  ActivityTypes,
  EventFactory,
  TurnContext,
  type Activity,
  type Middleware,
} from 'botbuilder';
import type { Manifest } from '../config/manifest-schema.js';
import { keepsDeskEventsPrivate } from '../core/desk-events.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { CustomerProfile, HandoffPacket, TranscriptEntry, TurnSignals } from '../core/conversation.js';
import { conversationId as toConversationId, type ConversationId } from '../core/ids.js';
import { isWithHuman, type HandoffState } from '../core/handoff-state.js';
import type { CustomerDirectory } from '../core/ports/customer-directory.js';
import type { Stores } from '../core/ports/stores.js';
import type { Texts } from '../core/texts.js';
import { evaluate, historyToKeep, type Decision } from '../policy/evaluate.js';
import { SentimentScorer } from '../signals/sentiment.js';
import { measureTurn } from '../signals/turn-signals.js';
import { HandoffService } from '../handoff/handoff-service.js';
import { CallbackService } from '../handoff/callback-service.js';
import { formatSlot } from '../handoff/callback-slots.js';
import type { MetricsRecorder } from '../handoff/metrics.js';
import { HISTORY_LIMIT, memoryKey, newMemory, type ConversationMemory } from '../handoff/conversation-memory.js';
import { DEFERRED_SAVES_KEY, OBSERVATION_KEY, TurnObservation, VIEW_KEY, type ConversationView } from './turn-observation.js';
import { TranscriptWriter, type TranscriptWriterOptions } from './transcript-writer.js';
import { Redactor } from '../core/redact.js';
import { BurstWindow, burstOf, type BurstOptions } from './burst-window.js';
import { inProactiveScope } from './proactive-turn.js';
import { buildBriefing } from './briefing.js';

export interface HandoffMiddlewareOptions {
  readonly manifest: Manifest;
  readonly stores: Stores;
  readonly directory: CustomerDirectory;
  readonly texts: Texts;
  readonly clock?: Clock;
  /** Relay route on which this adapter receives agent messages (default: the activity's channelId). */
  readonly route?: (activity: Activity) => string;
  /**
   * Where the `handoff.initiate` event goes (botbuilder's handoff protocol: the briefing and the
   * transcript, for an external desk): `'turn'` sends it in the customer's turn (for a desk channel
   * that reads it there); a function receives it (your desk connector, an event sink); `'none'`
   * drops it. Default: `'turn'` on adapters that keep such events from the customer (this package's
   * web chat, WhatsApp and simulator adapters: `KEEPS_DESK_EVENTS_PRIVATE`), `'none'` on any other —
   * CloudAdapter would deliver it, transcript and all, to the customer's own client.
   */
  readonly initiate?: 'turn' | 'none' | ((event: Partial<Activity>, context: TurnContext) => Promise<void>);
  /** Side-effect failures (transcript, store, events): reported here, never thrown at the customer. */
  readonly onError?: (error: unknown, where: string) => void;
  /** Called after every evaluated customer turn (simulate prints it; metrics count it). */
  readonly onDecision?: (e: { conversationId: ConversationId; signals: TurnSignals; decision: Decision; handoff: HandoffPacket | null }) => void;
  readonly service?: HandoffService;
  readonly callbacks?: CallbackService;
  /** Counts conversations, bot turns, handoffs and satisfaction answers. */
  readonly metrics?: MetricsRecorder;
  /**
   * Starts the reads the bot will make this turn (e.g. `(ctx) => conversationState.load(ctx)`),
   * issued with the middleware's own reads so that on Redis they share one round trip. Called for
   * customer messages only; a failure is ignored here (the bot's own read retries and reports it).
   */
  readonly preload?: (context: TurnContext) => Promise<unknown>;
  readonly newId?: () => string;
  /**
   * The locale a customer's message is written in, or null when unsure: a message in another of
   * the manifest's locales switches the conversation to it (the first message decides too).
   * createHandover builds one from the bot's own texts (src/signals/language.ts).
   */
  readonly detectLocale?: (text: string, firstMessage: boolean) => string | null;
  /** Background retries of a refused transcript write, and how many lines one conversation may keep meanwhile (see `TranscriptWriter`). */
  readonly transcriptRetry?: TranscriptWriterOptions['retry'] & { readonly maxPendingLines?: number };
  /** Answer each burst of customer messages once, after its window (manifest.json → `bursts`; see `BurstWindow`). Default: every message at once. */
  readonly bursts?: BurstOptions;
}

/** A 1–5 answer to the satisfaction question (a digit, optionally with a word or a star). */
const CSAT_ANSWER = /^\s*([1-5])\s*(\/\s*5|stars?|estrelas?|estrellas?|⭐)?\s*[.!]*\s*$/i;

/** A customer's yes to a callback offer ("1", "yes", "sim", "sí", …). */
const ACCEPTS_OFFER = /^\s*(1|yes|yeah|yep|ok|okay|sure|please|book it|sim|pode ser|claro|s[ií]|vale|de acuerdo)\s*[.!]*\s*$/i;

/** Marks proactive turns (agent messages going out) so the gate lets them through. */
export const PROACTIVE_KEY = Symbol.for('handover.proactive');

/** Stable conversation key: channel + the channel's own conversation id. */
export function conversationKeyOf(activity: Partial<Activity>): ConversationId {
  return toConversationId(`${activity.channelId ?? 'unknown'}:${activity.conversation?.id ?? 'unknown'}`);
}

export class HandoffMiddleware implements Middleware {
  readonly service: HandoffService;
  readonly callbacks: CallbackService;
  private readonly clock: Clock;
  private readonly sentiment = new SentimentScorer();
  private readonly newId: () => string;
  /** Per-conversation ordered transcript writes: refused lines are retried (bounded) before any newer line of the same conversation. */
  private readonly transcript: TranscriptWriter;
  /** Masks the briefing sent in `handoff.initiate` (stores given by `createHandover` mask what is written). */
  private readonly redactor: Redactor;
  /** Bursts waiting for their window (undefined: every message is answered at once). */
  readonly bursts: BurstWindow | undefined;

  constructor(private readonly opts: HandoffMiddlewareOptions) {
    this.clock = opts.clock ?? systemClock;
    this.newId = opts.newId ?? randomUUID;
    this.service = opts.service ?? new HandoffService({ manifest: opts.manifest, stores: opts.stores, clock: this.clock, texts: opts.texts, newId: this.newId });
    this.callbacks = opts.callbacks ?? new CallbackService({ manifest: opts.manifest, stores: opts.stores, clock: this.clock, service: this.service });
    const { maxPendingLines, ...retry } = opts.transcriptRetry ?? {};
    this.redactor = new Redactor(opts.manifest.pii);
    this.transcript = new TranscriptWriter({
      store: opts.stores.transcripts,
      onError: (e) => this.report(e, 'append transcript'),
      retry,
      ...(maxPendingLines === undefined ? {} : { maxPendingLines }),
    });
    this.bursts =
      opts.bursts === undefined
        ? undefined
        : new BurstWindow({
            ...opts.bursts,
            manifest: opts.manifest,
            clock: this.clock,
            route: (a) => opts.route?.(a as Activity) ?? a.channelId ?? 'default',
            onError: (e, where) => this.report(e, where),
            hooks: {
              recordCustomer: (ctx, id, at) => this.record(id, { at, from: 'customer', type: ctx.activity.type ?? 'message', ...inboundDetails(ctx.activity) }),
              ownership: (id) => opts.stores.handoffs.get(id),
              toPerson: (ctx, id, state, at) => this.passToPerson(ctx, id, state, at),
              run: (ctx, next) => this.onTurn(ctx, next),
            },
          });
  }

  /** Lines kept in memory because the store refused them (0 when all is well). */
  get pendingTranscriptLines(): number {
    return this.transcript.pendingLines;
  }

  /** Stops the background retries of refused transcript lines (call when the process shuts down). */
  close(): void {
    this.transcript.close();
    this.bursts?.close();
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (isProactive(context)) return next();
    const startedAt = performance.now();
    const activity = context.activity;
    const id = conversationKeyOf(activity);
    // a message of a burst: its line is written now, the bot answers the burst once its window closes
    if (this.bursts?.applies(context) === true && (await this.bursts.hold(context, id))) return;
    // a burst's turn: its lines are in the transcript already; it happened when its last message came
    const burst = burstOf(context);
    const now = burst?.messages[burst.messages.length - 1]?.at ?? this.clock.now();
    // the customer's line, the ownership and (speculatively) the memory go out together: one round
    // trip on Redis instead of three; the memory read is wasted only while a person owns the chat
    const isMsg = activity.type === ActivityTypes.Message;
    const [, stateRead, memoryRead] = await Promise.allSettled([
      burst === undefined ? this.record(id, { at: now, from: 'customer', type: activity.type ?? 'message', ...inboundDetails(activity) }) : undefined,
      this.opts.stores.handoffs.get(id),
      isMsg ? this.opts.stores.documents.read<ConversationMemory>(memoryKey(id)) : Promise.resolve(undefined),
      isMsg && this.opts.preload !== undefined ? this.opts.preload(context) : undefined,
    ]);

    let state: HandoffState;
    try {
      if (stateRead.status === 'rejected') throw stateRead.reason;
      state = stateRead.value;
    } catch (e) {
      this.report(e, 'read handoff state');
      if (activity.type === ActivityTypes.Message) await this.say(context, id, this.opts.texts.render(localeOf(activity, this.opts.manifest), 'handoff.store_trouble'));
      return;
    }
    if (isWithHuman(state)) return this.passToPerson(context, id, state, now);
    if (activity.type !== ActivityTypes.Message) {
      // the bot may greet on conversationUpdate and the like: what it sends is recorded too
      context.onSendActivities(async (_ctx, activities, nextSend) => {
        await this.record(id, ...activities.filter((a) => a.type !== 'trace').map((a) => botEntry(a, this.clock.now())));
        return nextSend();
      });
      return next();
    }

    let memory: ConversationMemory;
    let eTag: string | undefined;
    try {
      if (memoryRead.status === 'rejected') throw memoryRead.reason;
      const doc = memoryRead.value;
      memory = doc?.value ?? this.freshMemory(activity, now);
      if (doc === undefined) this.opts.metrics?.count({ conversations: 1 });
      eTag = doc?.eTag;
    } catch (e) {
      this.report(e, 'read conversation memory');
      await this.say(context, id, this.opts.texts.render(localeOf(activity, this.opts.manifest), 'handoff.store_trouble'));
      return;
    }
    const resumedFromAgent = this.absorbOutcome(memory, state, now);
    if (await this.takeSatisfactionAnswer(context, id, memory, eTag, now)) return;

    const customer = await this.opts.directory.lookup(activity.from?.id ?? '').catch((e: unknown) => {
      this.report(e, 'customer directory');
      return null;
    });
    const first = memory.turn === 0;
    // turns are numbered per customer message, a burst's turn by its last one
    memory.turn += burst?.messages.length ?? 1;
    if (activity.type === ActivityTypes.Message) this.followLanguage(memory, activity.text ?? '', first);
    // the reference reaches the customer proactively; refresh it only when the channel moved it
    if (memory.reference.serviceUrl !== activity.serviceUrl) memory.reference = TurnContext.getConversationReference(activity) as unknown as Record<string, unknown>;
    const obs = new TurnObservation();
    context.turnState.set(VIEW_KEY, {
      conversationId: id,
      locale: memory.locale,
      channel: memory.channel,
      turn: memory.turn,
      customer,
      collected: { ...memory.collected },
      authenticated: memory.authenticated,
      resumedFromAgent,
    } satisfies ConversationView);
    context.turnState.set(OBSERVATION_KEY, obs);

    const hold = this.holdBotMessages(context, id);
    // the bot's state save (saveWithTurn) rides with the writes below: one round trip, not two
    const saves: Promise<void>[] = [];
    let saveError: { error: unknown } | undefined;
    context.turnState.set(DEFERRED_SAVES_KEY, (save: Promise<unknown>) =>
      saves.push(save.then(() => undefined, (error: unknown) => void (saveError ??= { error }))),
    );
    let botError: unknown;
    try {
      await next();
    } catch (e) {
      botError = e;
    }

    // A bot that reports nothing through observe() made progress when it answered with a message
    // (otherwise every turn after 90 s would look stalled).
    if (!obs.reportedProgress && hold.messages().length > 0) obs.progress('answered');
    const signals = this.measure(memory, obs, customer, activity.text ?? '', now);
    memory.history.push(signals);
    const decision = evaluate(this.opts.manifest.policy, memory.history);
    this.opts.metrics?.count({ botTurns: 1 }, { channel: activity.channelId ?? 'unknown', turnMs: performance.now() - startedAt });
    memory.history = historyToKeep(this.opts.manifest.policy, memory.history).slice(-HISTORY_LIMIT);

    const handoff =
      decision.handoff && botError === undefined ? await this.handOff(context, id, state, memory, signals, decision, customer, hold.messages(), now) : null;
    if (handoff?.packet) memory.settledHandoff = null;
    // independent side effects: the customer's messages, the memory and the agents' notice go out together
    await Promise.all([
      hold.release(handoff),
      this.saveMemory(id, memory, eTag),
      handoff?.announced?.catch((e: unknown) => this.report(e, 'publish handoff.requested')),
      ...saves,
    ]);
    this.opts.onDecision?.({ conversationId: id, signals, decision, handoff: handoff?.packet ?? null });
    if (botError !== undefined) throw botError;
    if (saveError !== undefined) throw saveError.error;
  }

  /** A person owns the chat: the bot stays silent for every activity type; messages go to them. */
  private async passToPerson(context: TurnContext, id: ConversationId, state: HandoffState, now: number): Promise<void> {
    const activity = context.activity;
    if (activity.type !== ActivityTypes.Message) return;
    if (state.status === 'queued' && ACCEPTS_OFFER.test(activity.text ?? '') && (await this.takeOffer(context, id, state))) return;
    // a burst a person took over during its window: each of its messages, in order
    // a photo or a voice note is shown live too (a burst's files are in the transcript)
    const files = inboundDetails(activity).meta?.['attachments'] as { contentType: string; name: string | null; url: string | null }[] | undefined;
    const burst = burstOf(context)?.messages;
    for (const m of burst ?? [{ at: now, text: activity.text ?? '' }]) {
      await this.opts.stores.events
        .publish({ type: 'customer.message', conversationId: id, at: m.at, text: m.text, activityType: activity.type, ...(burst === undefined && files !== undefined ? { attachments: files } : {}) })
        .catch((e: unknown) => this.report(e, 'publish customer.message'));
    }
  }

  /** After an agent resolved: a 1–5 answer is the customer's rating, recorded and thanked, not a bot turn. */
  private async takeSatisfactionAnswer(context: TurnContext, id: ConversationId, memory: ConversationMemory, eTag: string | undefined, now: number): Promise<boolean> {
    if (memory.csatPending === undefined || memory.csatPending === null) return false;
    memory.csatPending = null;
    const answer = CSAT_ANSWER.exec(context.activity.text ?? '');
    if (answer?.[1] === undefined) return false;
    const score = Number(answer[1]);
    this.opts.metrics?.count({ csatResponses: 1, csatTotal: score });
    await this.record(id, { at: now, from: 'system', type: 'event', meta: { name: 'csat.recorded', score } });
    await this.say(context, id, this.opts.texts.render(memory.locale, 'handoff.csat_thanks'));
    await this.saveMemory(id, memory, eTag);
    return true;
  }

  /**
   * Hold the bot's messages until the policy has decided, so a re-prompt never precedes a handoff
   * notice. Typing, events and the like go straight out (and are recorded); a batch with a message
   * is held whole, in order. `release` records and sends what is kept.
   */
  private holdBotMessages(context: TurnContext, id: ConversationId) {
    const held: Partial<Activity>[] = [];
    let releasing = false;
    context.onSendActivities(async (_ctx, activities, nextSend) => {
      if (releasing) return nextSend();
      if (!activities.some(isMessage)) {
        await this.record(id, ...activities.filter((a) => a.type !== 'trace').map((a) => botEntry(a, this.clock.now())));
        return nextSend();
      }
      held.push(...activities);
      return activities.map((a) => ({ id: (a.id ??= this.newId()) }));
    });
    return {
      messages: () => held.filter(isMessage),
      /** Send what the bot said (minus re-prompts and fallbacks once a person takes over), then the notice and `handoff.initiate`. */
      release: async (handoff: { packet: HandoffPacket | null; notice: string } | null): Promise<void> => {
        releasing = true;
        const outgoing = handoff?.packet ? held.filter((a) => !DROPPED_ON_HANDOFF.includes(kindOf(a))) : [...held];
        if (handoff !== null) outgoing.push({ type: ActivityTypes.Message, text: handoff.notice, channelData: { handover: { kind: 'handoff' } } });
        const at = this.clock.now();
        await this.record(id, ...outgoing.map((a) => botEntry(a, at)));
        try {
          if (outgoing.length > 0) await context.sendActivities(outgoing);
          if (handoff?.packet) {
            // what leaves for an external desk is masked like what is stored (README, "Personal data")
            const packet = this.redactor.packet(handoff.packet);
            const transcript = { activities: packet.transcript.map((e) => transcriptActivity(e, context.activity)) };
            const event = EventFactory.createHandoffInitiation(context, packet, transcript as never);
            const where = this.opts.initiate ?? (keepsDeskEventsPrivate(context.adapter) ? 'turn' : 'none');
            if (where === 'turn') await context.sendActivity(event);
            else if (typeof where === 'function') await where(event, context);
          }
        } catch (e) {
          this.report(e, 'send bot activities');
        }
      },
    };
  }

  /**
   * Queue the conversation with its briefing and word the notice (expected wait, and a callback
   * time when the wait is long). A store failure gives no packet and the "technical problem" notice.
   */
  private async handOff(
    context: TurnContext,
    id: ConversationId,
    current: HandoffState,
    memory: ConversationMemory,
    signals: TurnSignals,
    decision: Decision,
    customer: CustomerProfile | null,
    botMessages: readonly Partial<Activity>[],
    now: number,
  ): Promise<{ packet: HandoffPacket | null; notice: string; announced?: Promise<void> }> {
    const queue = decision.queue ?? this.opts.manifest.policy.defaultQueue;
    const reason = decision.reason ?? 'customer_request';
    const activity = context.activity;
    try {
      const [stored, wait] = await Promise.all([this.opts.stores.transcripts.read(id), this.service.expectedWaitMs(queue)]);
      const transcriptSoFar = [...stored, ...botMessages.filter((a) => !DROPPED_ON_HANDOFF.includes(kindOf(a))).map((a) => botEntry(a, now))];
      const r = await this.service.request({
        conversationId: id,
        reason,
        queue,
        priority: decision.priority,
        route: this.opts.route?.(activity) ?? activity.channelId ?? 'default',
        packet: (queued) => buildBriefing({ id, memory, signals, decision, customer, transcript: transcriptSoFar, queued, channel: activity.channelId ?? 'unknown' }),
        current,
      });
      const slaMs = (this.opts.manifest.queues[queue]?.slaSeconds ?? Infinity) * 1000;
      this.opts.metrics?.count({
        handoffs: 1,
        byReason: { [reason]: 1 },
        handoffsOverflowed: wait > slaMs ? 1 : 0,
        conversationsHandedOff: memory.handedOff === true ? 0 : 1,
      }, { queue, reason });
      memory.handedOff = true;
      let notice = this.opts.texts.render(memory.locale, 'handoff.notice', { queue: this.service.queueLabel(memory.locale, queue), wait: this.service.waitText(memory.locale, wait) });
      memory.callbackOffer = null;
      if (this.callbacks.worthOffering(wait) && r.state.handoffId !== null) {
        // a long wait: offer a specific time that the queue's capacity can honour
        const slot = await this.callbacks.offer(queue, wait);
        if (slot !== null) {
          memory.callbackOffer = { handoffId: r.state.handoffId, queue, start: slot.start };
          notice = `${notice} ${this.opts.texts.render(memory.locale, 'handoff.callback_offer', { time: this.slotText(slot.start, memory.locale) })}`;
        }
      }
      return { packet: r.packet, notice, announced: r.announced };
    } catch (e) {
      this.report(e, 'request handoff');
      return { packet: null, notice: this.opts.texts.render(memory.locale, 'handoff.store_trouble') };
    }
  }

  private slotText(start: number, locale: string): string {
    return formatSlot(start, this.clock.now(), locale, this.opts.manifest.callbacks.timezone);
  }

  /**
   * The queued customer said yes to the callback offer: book it (capacity-checked) and confirm,
   * or offer the next free time when the slot filled meanwhile. False when there is no offer.
   */
  private async takeOffer(context: TurnContext, id: ConversationId, state: HandoffState): Promise<boolean> {
    let doc;
    try {
      doc = await this.opts.stores.documents.read<ConversationMemory>(memoryKey(id));
    } catch (e) {
      this.report(e, 'read conversation memory');
      return false;
    }
    const memory = doc?.value;
    const offer = memory?.callbackOffer;
    if (memory === undefined || offer === undefined || offer === null || offer.handoffId !== state.handoffId) return false;
    try {
      const r = await this.callbacks.book(id, offer.queue, offer.start);
      if (r.ok) {
        memory.callbackOffer = null;
        await this.say(context, id, this.opts.texts.render(memory.locale, 'handoff.callback_booked', { time: this.slotText(r.at, memory.locale) }));
      } else if (r.next !== null) {
        memory.callbackOffer = { ...offer, start: r.next.start };
        await this.say(context, id, this.opts.texts.render(memory.locale, 'handoff.callback_full', { time: this.slotText(r.next.start, memory.locale) }));
      } else {
        memory.callbackOffer = null;
        return false;
      }
      await this.saveMemory(id, memory, doc?.eTag);
      return true;
    } catch (e) {
      this.report(e, 'book callback');
      return false;
    }
  }

  /** Fold a finished handoff into memory once: keep what the agent settled, start a fresh history. */
  private absorbOutcome(memory: ConversationMemory, state: HandoffState, now: number): boolean {
    if ((state.status !== 'resolved' && state.status !== 'returned') || state.handoffId === null) return false;
    if (memory.settledHandoff === state.handoffId) return false;
    memory.settledHandoff = state.handoffId;
    memory.history = [];
    memory.fallbacks = 0;
    memory.entityRequests = {};
    memory.lastProgressAt = now;
    if (state.status === 'returned' && state.returnDigest !== null) Object.assign(memory.collected, state.returnDigest.collected);
    memory.csatPending = state.status === 'resolved' ? state.handoffId : null;
    return true;
  }

  private measure(memory: ConversationMemory, obs: TurnObservation, customer: CustomerProfile | null, text: string, now: number): TurnSignals {
    const sentiment = this.sentiment.score(text, memory.locale, this.opts.manifest.policy.negativeSentiment);
    const last = memory.history[memory.history.length - 1];
    const { signals, state } = measureTurn(
      {
        turn: memory.turn,
        locale: memory.locale,
        lastProgressAt: memory.lastProgressAt,
        collected: memory.collected,
        entityRequests: memory.entityRequests,
        authFailures: memory.authFailures,
        authenticated: memory.authenticated,
        fallbacks: memory.fallbacks ?? 0,
        lastTopic: last === undefined || last.topic === null ? null : { intent: last.topic, queue: last.topicQueue },
      },
      obs,
      { text, now, customer, sentiment },
    );
    memory.lastProgressAt = state.lastProgressAt;
    memory.collected = { ...state.collected };
    memory.entityRequests = { ...state.entityRequests };
    memory.authFailures = state.authFailures;
    memory.authenticated = state.authenticated;
    memory.fallbacks = state.fallbacks;
    memory.steps.push(...obs.steps);
    if (memory.steps.length > HISTORY_LIMIT) memory.steps.splice(0, memory.steps.length - HISTORY_LIMIT);
    memory.sentiment.push({ turn: memory.turn, score: sentiment.score });
    if (memory.sentiment.length > HISTORY_LIMIT) memory.sentiment.splice(0, memory.sentiment.length - HISTORY_LIMIT);
    return signals;
  }


  /** The customer wrote in another of the bot's locales: answer in it from now on. */
  private followLanguage(memory: ConversationMemory, text: string, first: boolean): void {
    const detected = this.opts.detectLocale?.(text, first) ?? null;
    if (detected === null || detected === memory.locale || !(this.opts.manifest.locales as readonly string[]).includes(detected)) return;
    memory.steps.push(`switched the language to ${detected} (the customer wrote in it)`);
    memory.locale = detected;
  }

  private freshMemory(activity: Activity, now: number): ConversationMemory {
    return newMemory({
      startedAt: now,
      locale: localeOf(activity, this.opts.manifest),
      channel: activity.channelId ?? 'unknown',
      route: this.opts.route?.(activity) ?? activity.channelId ?? 'default',
      customerId: activity.from?.id ?? '',
      reference: TurnContext.getConversationReference(activity) as unknown as Record<string, unknown>,
    });
  }

  private async saveMemory(id: ConversationId, memory: ConversationMemory, eTag: string | undefined): Promise<void> {
    try {
      const r = await this.opts.stores.documents.write(memoryKey(id), memory, eTag ?? '*');
      // Two turns of one conversation raced (two processes): keep this turn's memory, the later one wins.
      if (!r.ok) await this.opts.stores.documents.write(memoryKey(id), memory, '*');
    } catch (e) {
      this.report(e, 'save conversation memory');
    }
  }

  /**
   * Append to the conversation's transcript after every earlier line of it, in one append with any
   * lines still pending for it; a refused write is kept and retried for this conversation only.
   * Never throws (failures go to `onError`).
   */
  private record(id: ConversationId, ...entries: TranscriptEntry[]): Promise<void> {
    return this.transcript.write(id, entries);
  }

  private async say(context: TurnContext, id: ConversationId, text: string): Promise<void> {
    try {
      await context.sendActivity({ type: ActivityTypes.Message, text, channelData: { handover: { kind: 'system', role: 'system' } } });
    } catch (e) {
      this.report(e, 'send system message');
    }
    await this.record(id, { at: this.clock.now(), from: 'system', type: 'message', text });
  }

  private report(error: unknown, where: string): void {
    try {
      this.opts.onError?.(error, where);
    } catch {
      // a faulty error hook must not break the turn either
    }
  }
}

/** Bot messages that make no sense once a person takes over: re-prompts, new prompts, "I didn't understand". */
const DROPPED_ON_HANDOFF: readonly string[] = ['retry', 'fallback', 'prompt'];


/**
 * A proactive turn (an agent's or the system's message going out) rather than a customer's:
 * marked with PROACTIVE_KEY by our adapters, or the `continueConversation` event every botbuilder
 * adapter builds in `continueConversation()` (CloudAdapter spells it `ContinueConversation`) when it
 * was started inside `runProactive` (agent delivery, burst answers). The name alone is not enough: a
 * customer can send an event of that name, and it is recorded and handled like any other.
 * Such a turn passes straight through: the gate must not swallow what an agent sends.
 */
function isProactive(context: TurnContext): boolean {
  if (context.turnState.get(PROACTIVE_KEY) === true) return true;
  const a = context.activity;
  return a.type === ActivityTypes.Event && typeof a.name === 'string' && a.name.toLowerCase() === 'continueconversation' && inProactiveScope();
}

function isMessage(a: Partial<Activity>): boolean {
  return (a.type ?? ActivityTypes.Message) === ActivityTypes.Message;
}

function kindOf(a: Partial<Activity>): string {
  const cd = a.channelData as { handover?: { kind?: string } } | undefined;
  return cd?.handover?.kind ?? 'answer';
}

function localeOf(activity: Partial<Activity>, manifest: Manifest): string {
  const l = activity.locale;
  if (l !== undefined && (manifest.locales as readonly string[]).includes(l)) return l;
  const base = l?.split('-')[0];
  const match = manifest.locales.find((x) => x.split('-')[0] === base);
  return match ?? manifest.defaultLocale;
}

function inboundDetails(a: Partial<Activity>): Pick<TranscriptEntry, 'text' | 'meta'> {
  const meta: Record<string, unknown> = {};
  if (a.name !== undefined) meta.name = a.name;
  if (a.attachments !== undefined && a.attachments.length > 0) {
    meta.attachments = a.attachments.map((x) => ({ contentType: x.contentType, name: x.name ?? null, url: x.contentUrl ?? null }));
  }
  return {
    ...(a.text === undefined ? {} : { text: a.text.slice(0, 10_000) }),
    ...(Object.keys(meta).length === 0 ? {} : { meta }),
  };
}

function botEntry(a: Partial<Activity>, at: number): TranscriptEntry {
  const type = a.type ?? 'message';
  return {
    at,
    from: 'bot',
    type,
    ...(a.text === undefined ? {} : { text: a.text }),
    meta: type === ActivityTypes.Message ? { kind: kindOf(a) } : { ...(a.name === undefined ? {} : { name: a.name }) },
  };
}

function transcriptActivity(e: TranscriptEntry, like: Activity): Partial<Activity> {
  return {
    type: e.type,
    text: e.text,
    timestamp: new Date(e.at),
    from: { id: e.from === 'customer' ? (like.from?.id ?? 'customer') : e.from, name: e.from, role: e.from === 'customer' ? 'user' : 'bot' },
    conversation: like.conversation,
    channelId: like.channelId,
  };
}
