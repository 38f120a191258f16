/**
 * `HandoffMiddleware`: add it to any botbuilder 4.23 adapter and every handoff trigger of
 * manifest.json works with no other code.
 *
 * Per turn: record the customer's activity in the transcript; if a person owns the conversation,
 * pass the message to them and stay silent (for every activity type: `PersonGate`); otherwise run
 * the bot with a `TurnObservation` and a `ConversationView` in the turn state, hold the bot's
 * messages only while a handoff could still replace them (`BotMessageHold`), let the policy decide
 * (`TurnEvaluator`), and on a handoff queue the conversation with its briefing (`HandoffRequester`,
 * `buildBriefing`), replace re-prompts with the locale's handoff notice and emit botbuilder's
 * `handoff.initiate` event. Around a person's part: a new episode after a resolution or a return,
 * the satisfaction answer and callback bookings (`AfterHandoff`). With `bursts`, a customer message
 * of a bot-owned chat is recorded and held until its burst's window closes; the bot then runs once
 * on the burst (see `BurstWindow`).
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
import { ActivityTypes, TurnContext, type Activity, type Middleware } from 'botbuilder';
import { systemClock } from '../core/clock.js';
import type { TranscriptEntry } from '../core/conversation.js';
import { conversationId as toConversationId, type ConversationId } from '../core/ids.js';
import { isWithHuman, type HandoffState } from '../core/handoff-state.js';
import { Redactor } from '../core/redact.js';
import { HandoverError } from '../core/errors.js';
import { toLogger } from '../core/ports/logger.js';
import { HandoffService } from '../handoff/handoff-service.js';
import { CallbackService } from '../handoff/callback-service.js';
import { HISTORY_LIMIT, memoryKey, newMemory, type ConversationMemory } from '../handoff/conversation-memory.js';
import { AfterHandoff, startEpisodeAfter } from './after-handoff.js';
import { BotMessageHold } from './bot-message-hold.js';
import { BurstWindow, burstOf } from './burst-window.js';
import { HandoffRequester } from './handoff-request.js';
import { logErrorsTo, type MiddlewareKit } from './middleware-kit.js';
import type { HandoffMiddlewareOptions } from './middleware-options.js';
import { PersonGate } from './person-gate.js';
import { proactiveOwner, type ProactiveOwner } from './proactive-turn.js';
import { botEntry, inboundDetails, localeOf } from './transcript-lines.js';
import { TranscriptWriter } from './transcript-writer.js';
import { TurnEvaluator } from './turn-evaluator.js';
import { DEFERRED_SAVES_KEY, OBSERVATION_KEY, TurnObservation, VIEW_KEY, type ConversationView } from './turn-observation.js';

export type { HandoffMiddlewareOptions } from './middleware-options.js';

/** Marks proactive turns (agent messages going out) so the gate lets them through. */
export const PROACTIVE_KEY = Symbol.for('handover.proactive');

/** Stable conversation key: channel + the channel's own conversation id. */
export function conversationKeyOf(activity: Partial<Activity>): ConversationId {
  return toConversationId(`${activity.channelId ?? 'unknown'}:${activity.conversation?.id ?? 'unknown'}`);
}

export class HandoffMiddleware implements Middleware {
  readonly service: HandoffService;
  readonly callbacks: CallbackService;
  /** Bursts waiting for their window (undefined: every message is answered at once). */
  readonly bursts: BurstWindow | undefined;
  /** Per-conversation ordered transcript writes: refused lines are retried (bounded) before any newer line of the same conversation. */
  private readonly transcript: TranscriptWriter;
  /** Masks the briefing sent in `handoff.initiate` (stores given by `createHandover` mask what is written). */
  private readonly redactor: Redactor;
  private readonly kit: MiddlewareKit;
  private readonly after: AfterHandoff;
  private readonly gate: PersonGate;
  private readonly evaluator: TurnEvaluator;
  private readonly requester: HandoffRequester;

  constructor(private readonly opts: HandoffMiddlewareOptions) {
    const clock = opts.clock ?? systemClock;
    const newId = opts.newId ?? randomUUID;
    this.service = opts.service ?? new HandoffService({ manifest: opts.manifest, stores: opts.stores, clock, texts: opts.texts, newId });
    this.callbacks = opts.callbacks ?? new CallbackService({ manifest: opts.manifest, stores: opts.stores, clock, service: this.service });
    const { maxPendingLines, ...retry } = opts.transcriptRetry ?? {};
    this.redactor = new Redactor(opts.manifest.pii);
    const onError = opts.onError ?? (opts.logger === undefined ? undefined : logErrorsTo(toLogger(opts.logger).child({ component: 'middleware' })));
    const report = (error: unknown, where: string): void => {
      try {
        onError?.(error, where);
      } catch {
        // a faulty error hook must not break the turn either
      }
    };
    this.transcript = new TranscriptWriter({
      store: opts.stores.transcripts,
      onError: (e) => report(e, 'append transcript'),
      retry,
      ...(maxPendingLines === undefined ? {} : { maxPendingLines }),
    });
    const record = (id: ConversationId, ...entries: TranscriptEntry[]): Promise<void> => this.transcript.write(id, entries);
    this.kit = {
      opts,
      clock,
      newId,
      record,
      report,
      say: async (context, id, text) => {
        try {
          await context.sendActivity({ type: ActivityTypes.Message, text, channelData: { handover: { kind: 'system', role: 'system' } } });
        } catch (e) {
          report(e, 'send system message');
        }
        await record(id, { at: clock.now(), from: 'system', type: 'message', text });
      },
      saveMemory: async (id, memory, eTag) => {
        try {
          const r = await opts.stores.documents.write(memoryKey(id), memory, eTag ?? '*');
          // Two turns of one conversation raced (two processes): keep this turn's memory, the later one wins.
          if (!r.ok) await opts.stores.documents.write(memoryKey(id), memory, '*');
        } catch (e) {
          report(e, 'save conversation memory');
        }
      },
    };
    this.after = new AfterHandoff(this.kit, this.callbacks);
    this.gate = new PersonGate(this.kit, this.after);
    this.evaluator = new TurnEvaluator(this.kit);
    this.requester = new HandoffRequester(this.kit, this.service, this.callbacks, (start, locale) => this.after.slotText(start, locale));
    this.bursts =
      opts.bursts === undefined
        ? undefined
        : new BurstWindow({
            ...opts.bursts,
            manifest: opts.manifest,
            clock,
            route: (a) => opts.route?.(a as Activity) ?? a.channelId ?? 'default',
            onError: report,
            hooks: {
              recordCustomer: (ctx, id, at) => record(id, { at, from: 'customer', type: ctx.activity.type ?? 'message', ...inboundDetails(ctx.activity) }),
              ownership: (id) => opts.stores.handoffs.get(id),
              toPerson: (ctx, id, state, at) => this.gate.pass(ctx, id, state, at),
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
    const proactive = proactiveTurnOf(context);
    if (proactive === 'handover') return next();
    if (proactive === 'host') return this.hostTurn(context, next);
    const { kit, opts } = this;
    const startedAt = performance.now();
    const activity = context.activity;
    const id = conversationKeyOf(activity);
    // a message of a burst: its line is written now, the bot answers the burst once its window closes
    if (this.bursts?.applies(context) === true && (await this.bursts.hold(context, id))) return;
    // a burst's turn: its lines are in the transcript already; it happened when its last message came
    const burst = burstOf(context);
    const now = burst?.messages[burst.messages.length - 1]?.at ?? kit.clock.now();
    const read = await this.readTurn(context, id, burst === undefined, now);
    if (read === undefined) return;
    const { state } = read;
    if (isWithHuman(state)) return this.gate.pass(context, id, state, now);
    if (activity.type !== ActivityTypes.Message) {
      // the bot may greet on conversationUpdate and the like: what it sends is recorded too
      context.onSendActivities(async (_ctx, activities, nextSend) => {
        await kit.record(id, ...activities.filter((a) => a.type !== 'trace').map((a) => botEntry(a, kit.clock.now())));
        return nextSend();
      });
      return next();
    }
    const { memory, eTag } = read;
    if (memory === undefined) return;

    const resumedFromAgent = startEpisodeAfter(memory, state, now);
    if (await this.after.takeSatisfactionAnswer(context, id, memory, eTag, now)) return;
    const customer = await opts.directory.lookup(activity.from?.id ?? '').catch((e: unknown) => {
      kit.report(e, 'customer directory');
      return null;
    });
    const first = memory.turn === 0;
    // turns are numbered per customer message, a burst's turn by its last one
    memory.turn += burst?.messages.length ?? 1;
    this.followLanguage(memory, activity.text ?? '', first);
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

    const hold = new BotMessageHold(kit, context, id, this.redactor);
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

    const { signals, decision } = this.evaluator.evaluate(memory, obs, { customer, text: activity.text ?? '', now, botSaid: hold.texts() });
    opts.metrics?.count({ botTurns: 1 }, { channel: activity.channelId ?? 'unknown', turnMs: performance.now() - startedAt });
    const handingOff = decision.handoff && botError === undefined;
    // the briefing tells what the customer saw: a handoff replaces this turn's prompts and fallbacks
    memory.steps.push(...(handingOff && hold.dropsOnHandoff ? obs.steps.filter((s) => !obs.spoken.has(s)) : obs.steps));
    if (memory.steps.length > HISTORY_LIMIT) memory.steps.splice(0, memory.steps.length - HISTORY_LIMIT);
    const handoff = handingOff
      ? await this.requester.request({ context, id, current: state, memory, signals, decision, customer, keptBotMessages: hold.keptOnHandoff(), now })
      : null;
    if (handoff?.packet) memory.settledHandoff = null;
    // independent side effects: the customer's messages, the memory and the agents' notice go out together
    await Promise.all([
      hold.release(handoff),
      kit.saveMemory(id, memory, eTag),
      handoff?.announced?.catch((e: unknown) => kit.report(e, 'publish handoff.requested')),
      ...saves,
    ]);
    opts.onDecision?.({ conversationId: id, signals, decision, handoff: handoff?.packet ?? null });
    if (botError !== undefined) throw botError;
    if (saveError !== undefined) throw saveError.error;
  }

  /**
   * The bot's own proactive turn (a reminder, "your order shipped"): it runs only while the bot owns
   * the conversation — never over an agent (then it is skipped and reported with
   * HANDOVER_ERR_NOT_IN_STATE) — and what it sends is recorded in the transcript.
   */
  private async hostTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { kit, opts } = this;
    const id = conversationKeyOf(context.activity);
    let state: HandoffState;
    try {
      state = await opts.stores.handoffs.get(id);
    } catch (e) {
      // the owner is unknown: not talking over a person matters more than this message
      kit.report(e, 'read handoff state (bot proactive turn)');
      throw e;
    }
    if (isWithHuman(state)) {
      kit.report(new HandoverError('HANDOVER_ERR_NOT_IN_STATE', `the bot's proactive turn in ${id} did not run: a person owns the conversation (${state.status}); check isWithHuman(await handover.service.state(id)) first`), 'bot proactive turn');
      return;
    }
    context.onSendActivities(async (_ctx, activities, nextSend) => {
      await kit.record(id, ...activities.filter((a) => a.type !== 'trace').map((a) => botEntry(a, kit.clock.now())));
      return nextSend();
    });
    return next();
  }

  /**
   * The customer's line, the ownership and (speculatively) the memory go out together: one round
   * trip on Redis instead of three; the memory read is wasted only while a person owns the chat.
   * Undefined when the ownership cannot be read (the customer is told; nothing else happens); a
   * message whose memory cannot be read gets `memory: undefined` after the customer is told.
   */
  private async readTurn(
    context: TurnContext,
    id: ConversationId,
    recordLine: boolean,
    now: number,
  ): Promise<{ state: HandoffState; memory?: ConversationMemory; eTag?: string } | undefined> {
    const { kit, opts } = this;
    const activity = context.activity;
    const isMsg = activity.type === ActivityTypes.Message;
    const [, stateRead, memoryRead] = await Promise.allSettled([
      recordLine ? kit.record(id, { at: now, from: 'customer', type: activity.type ?? 'message', ...inboundDetails(activity) }) : undefined,
      opts.stores.handoffs.get(id),
      isMsg ? opts.stores.documents.read<ConversationMemory>(memoryKey(id)) : Promise.resolve(undefined),
      isMsg && opts.preload !== undefined ? opts.preload(context) : undefined,
    ]);
    const trouble = (): Promise<void> => kit.say(context, id, opts.texts.render(localeOf(activity, opts.manifest), 'handoff.store_trouble'));
    if (stateRead.status === 'rejected') {
      kit.report(stateRead.reason, 'read handoff state');
      if (isMsg) await trouble();
      return undefined;
    }
    const state = stateRead.value;
    if (!isMsg || isWithHuman(state)) return { state };
    if (memoryRead.status === 'rejected') {
      kit.report(memoryRead.reason, 'read conversation memory');
      await trouble();
      return { state };
    }
    const doc = memoryRead.value;
    if (doc === undefined) opts.metrics?.count({ conversations: 1 });
    return { state, memory: doc?.value ?? this.freshMemory(activity, now), ...(doc === undefined ? {} : { eTag: doc.eTag }) };
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
}

/**
 * Whose proactive turn this is, if it is one. `'handover'`: an agent's or the system's message
 * going out, or a burst's answer — marked with PROACTIVE_KEY by our adapters, or started inside
 * `runProactive` by this package; it passes straight through (the gate must not swallow what an agent
 * sends). `'host'`: the bot's own proactive message — started with `continueOn` (owner `'host'`),
 * or the `continueConversation` event any botbuilder adapter builds in `continueConversation()` /
 * `continueConversationAsync()` (CloudAdapter spells it `ContinueConversation`) from a conversation
 * reference: it has no timestamp, where everything a channel delivers carries one (the Bot
 * Connector's, Direct Line's, this package's adapters'). A customer can send an event of that name;
 * it is stamped, and is recorded and handled like any other of the customer's activities.
 */
function proactiveTurnOf(context: TurnContext): ProactiveOwner | undefined {
  if (context.turnState.get(PROACTIVE_KEY) === true) return 'handover';
  const a = context.activity;
  if (a.type !== ActivityTypes.Event || typeof a.name !== 'string' || a.name.toLowerCase() !== 'continueconversation') return undefined;
  return proactiveOwner() ?? (a.timestamp === undefined && a.localTimestamp === undefined ? 'host' : undefined);
}
