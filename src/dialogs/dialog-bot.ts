/**
 * The runtime that turns the designer's files into botbuilder-dialogs: one `ComponentDialog` per
 * intent, holding a `WaterfallDialog` built from the file's steps and the `TextPrompt`s its slots
 * and authentication need. Every turn it recognises the intent, routes (new intent, prompt answer,
 * interruption or fallback) and records what happened in the `TurnObservation` the
 * HandoffMiddleware reads. It knows no intent by name.
 *
 * @example
 * const bot = new DialogBot({ catalog, manifest, conversationState });
 * adapter.use(handoffMiddleware);
 * await adapter.processActivity(activity, (ctx) => bot.run(ctx));
 */
import { keepDialogStateConfiguration } from '../internals/botbuilder-state.js';
import { ActivityTypes, MessageFactory, getTopScoringIntent, type ConversationState, type RecognizerResult, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  DialogSet,
  DialogTurnStatus,
  TextPrompt,
  WaterfallDialog,
  type DialogState,
  type DialogStateManagerConfiguration,
  type PromptValidatorContext,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { bandsFor, type Manifest } from '../config/manifest-schema.js';
import type { CustomerProfile } from '../core/conversation.js';
import { Texts } from '../core/texts.js';
import { extractEntities, type Entities } from '../signals/entities.js';
import { asksForPerson, withoutPersonRequest } from '../signals/explicit-request.js';
import { conversationView, observe, saveWithTurn, type TurnObservation } from '../bridge/turn-observation.js';
import type { DialogCatalog } from './load-dialogs.js';
import type { DialogSpec, EntityKind, Step } from './dialog-spec.js';
import { IntentRecognizer, type Recognition } from './intent-recognizer.js';
import { cannotGive, confirmationAnswer } from './confirmation.js';

/** What the bot does with a recognition: act on it, ask "Did you mean …?", or say it did not understand. */
export type NluDecision = 'accept' | 'confirm' | 'fallback';

/**
 * The band a confidence falls in for a locale (manifest.json → nlu.bands).
 *
 * @example
 * decide({ intent: 'order_status', confidence: 0.55 }, { accept: 0.7, confirm: 0.4 }); // 'confirm'
 */
export function decide(r: Pick<Recognition, 'intent' | 'confidence'>, bands: { accept: number; confirm: number }): NluDecision {
  if (r.intent === null) return 'fallback';
  if (r.confidence >= bands.accept) return 'accept';
  return r.confidence >= bands.confirm ? 'confirm' : 'fallback';
}

/**
 * Any botbuilder-style recogniser (LuisRecognizer, an Orchestrator or CLU wrapper, your own): it
 * replaces the built-in one. Its top intent and score become the turn's intent and confidence, so
 * the policy's 0.60 line means whatever that recogniser's scores mean.
 */
export interface BotRecognizer {
  recognize(context: TurnContext): Promise<RecognizerResult>;
}

/** The catalog (dialogs + locales), the manifest (NLU thresholds), where dialog state lives, and an optional recogniser. */
export interface DialogBotOptions {
  readonly catalog: DialogCatalog;
  readonly manifest: Manifest;
  readonly conversationState: ConversationState;
  /** Replaces the built-in natural-based recogniser. */
  readonly recognizer?: BotRecognizer;
}

/** Conversation-scoped bookkeeping of the router (beside botbuilder's dialog stack). */
interface RouterState {
  expecting: EntityKind | 'auth' | null;
  activeIntent: string | null;
  fallbacks: number;
  /** The guess the bot asked "Did you mean …?" about, and the message it came from. */
  confirming?: { intent: string; text: string } | null;
}


const AUTH_GAVE_UP = Symbol('handover.authGaveUp');

/** A client's locale tag among the bot's: exact (any case), else the same language (`pt` → `pt-BR`). */
function matchLocale(tag: string | undefined, locales: readonly string[]): string | undefined {
  if (tag === undefined || tag === '') return undefined;
  const exact = locales.find((l) => l.toLowerCase() === tag.toLowerCase());
  const lang = tag.split('-')[0]?.toLowerCase();
  return exact ?? locales.find((l) => l.split('-')[0]?.toLowerCase() === lang);
}

/** What a message offers for an entity kind (a ZIP answer may be the whole text). */
function entityValue(kind: EntityKind, text: string, entities: Entities): unknown {
  switch (kind) {
    case 'text': {
      const t = text.trim();
      return t.length > 0 ? t.slice(0, 500) : undefined;
    }
    default:
      return entities[kind];
  }
}

/**
 * The sample bot's runtime, built from `dialogs/` and `locales/`.
 *
 * @example
 * const bot = new DialogBot({ catalog, manifest, conversationState });
 * await adapter.processActivity(activity, (ctx) => bot.run(ctx));
 */
export class DialogBot {
  private readonly dialogs: DialogSet;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly routerState: StatePropertyAccessor<RouterState>;
  private readonly recognizers = new Map<string, IntentRecognizer>();
  private readonly faqRecognizers = new Map<string, IntentRecognizer>();
  private stateConfiguration: DialogStateManagerConfiguration | undefined;
  readonly texts: Texts;

  constructor(private readonly opts: DialogBotOptions) {
    const { catalog, manifest, conversationState } = opts;
    this.texts = new Texts(catalog.locales, manifest.defaultLocale);
    this.dialogState = conversationState.createProperty<DialogState>('dialogState');
    this.routerState = conversationState.createProperty<RouterState>('router');
    this.dialogs = new DialogSet(this.dialogState);
    for (const spec of catalog.dialogs.values()) this.dialogs.add(this.buildDialog(spec));
    for (const locale of manifest.locales) {
      const examples: Record<string, string[]> = {};
      for (const d of catalog.dialogs.values()) {
        const ex = d.examples[locale];
        if (ex !== undefined) examples[d.intent] = ex;
      }
      if (Object.keys(examples).length >= 2) {
        this.recognizers.set(locale, IntentRecognizer.train(examples, locale, { outOfScope: catalog.outOfScope?.get(locale) ?? [] }));
      }
    }
  }

  /** Recognise with the locale's recogniser (the default locale's when it has no examples). */
  recognize(text: string, locale: string): Recognition {
    const r = this.recognizers.get(locale) ?? this.recognizers.get(this.opts.manifest.defaultLocale);
    return r === undefined ? { intent: null, confidence: 0, ranking: [], coverage: 0 } : r.recognize(text);
  }

  private async external(recognizer: BotRecognizer, context: TurnContext): Promise<Recognition> {
    const r = await recognizer.recognize(context);
    const top = getTopScoringIntent(r);
    const known = this.opts.catalog.dialogs.has(top.intent);
    const ranking = Object.entries(r.intents)
      .map(([intent, v]) => ({ intent, score: v.score ?? 0 }))
      .sort((a, b) => b.score - a.score);
    return { intent: known ? top.intent : null, confidence: known ? top.score : 0, ranking, coverage: 1 };
  }

  /** The bot's turn logic: pass it to the adapter after `adapter.use(handoffMiddleware)`. */
  async run(context: TurnContext): Promise<void> {
    if (context.activity.type === ActivityTypes.ConversationUpdate) return this.welcome(context);
    if (context.activity.type !== ActivityTypes.Message) return;
    const view = conversationView(context);
    const locale = view?.locale ?? context.activity.locale ?? this.opts.manifest.defaultLocale;
    const text = (context.activity.text ?? '').slice(0, 10_000);
    const obs = observe(context);
    const state = await this.routerState.get(context, { expecting: null, activeIntent: null, fallbacks: 0 });
    const rec = this.opts.recognizer === undefined ? this.recognize(text, locale) : await this.external(this.opts.recognizer, context);
    const spec = rec.intent === null ? undefined : this.opts.catalog.dialogs.get(rec.intent);
    obs?.recognized({ intent: rec.intent, confidence: rec.confidence, queue: spec?.queue ?? null, flags: spec?.flags ?? [] });

    // botbuilder rebuilds its memory-scope configuration (a ServiceCollection, a zod parse) for the
    // first DialogContext of every turn unless turn state holds one; it is the same every turn, so
    // the first turn's is kept and handed to the rest (what botbuilder's DialogManager does with
    // its stateConfiguration)
    keepDialogStateConfiguration(context, this.stateConfiguration);
    const dc = await this.dialogs.createContext(context);
    this.stateConfiguration ??= dc.state.configuration;
    if (view?.resumedFromAgent === true) {
      // whatever the bot was asking before the handoff is settled or moot now
      await dc.cancelAllDialogs();
      state.activeIntent = null;
      state.expecting = null;
      state.fallbacks = 0;
    }
    const entities = extractEntities(text);
    const nlu = this.opts.manifest.nlu;
    const confirming = state.confirming ?? null;
    state.confirming = null;
    const answer = confirming === null || dc.activeDialog !== undefined ? null : this.confirmation(text, locale, confirming.intent);
    const decision = this.supported(decide(rec, bandsFor(this.opts.manifest, locale)), spec, entities);
    const idle = dc.activeDialog === undefined || state.activeIntent === null;
    const person = idle && answer === null && decision !== 'accept' && asksForPerson(text, locale) ? this.personDialog() : undefined;
    if (person !== undefined) {
      // "I was charged twice, get me someone": the request for a person is explicit whatever the
      // rest scores; begin the person dialog and take the queue from what else was asked
      obs?.recognized({ intent: person.intent, confidence: 1, queue: person.queue, flags: person.flags });
      await this.begin(dc, person, state, obs, entities, text);
      this.mixedRequest(text, locale, obs);
    } else if (confirming !== null && answer === 'yes') {
      // the customer confirmed the guess: act on it as on a sure recognition of the first message
      const confirmed = this.opts.catalog.dialogs.get(confirming.intent)!;
      obs?.recognized({ intent: confirmed.intent, confidence: 1, queue: confirmed.queue, flags: confirmed.flags });
      obs?.steps.push(`the customer confirmed: ${this.label(confirmed, locale)}`);
      await this.begin(dc, confirmed, state, obs, extractEntities(confirming.text), confirming.text);
    } else if (confirming !== null && answer === 'no') {
      // a refused guess is a turn the bot did not understand (low_confidence, fallback_loop)
      obs?.recognized({ intent: null, confidence: 0 });
      obs?.refusedGuess(this.label(this.opts.catalog.dialogs.get(confirming.intent)!, locale));
      state.fallbacks += 1;
      await context.sendActivity(this.tagged(this.texts.render(locale, 'nlu.rephrase'), 'fallback'));
    } else if (dc.activeDialog !== undefined && state.activeIntent !== null) {
      const expecting = state.expecting;
      const satisfies = expecting !== null && expecting !== 'auth' && entityValue(expecting, text, entities) !== undefined;
      // "I don't have it" answers the prompt (a failed request for the slot), whatever it resembles
      const nonAnswer = expecting !== null && expecting !== 'auth' && cannotGive(text, locale);
      const interrupts =
        !satisfies && !nonAnswer && rec.intent !== null && rec.intent !== state.activeIntent && rec.confidence >= nlu.interruptAbove && spec !== undefined;
      if (interrupts && spec !== undefined) {
        await dc.cancelAllDialogs();
        await this.begin(dc, spec, state, obs, entities, text);
      } else {
        obs?.promptAnswered();
        const active = this.opts.catalog.dialogs.get(state.activeIntent);
        if (active !== undefined) obs?.setTopic(active.intent, active.queue);
        const r = await dc.continueDialog();
        if (r.status === DialogTurnStatus.complete || r.status === DialogTurnStatus.empty) {
          const failed = (r.result as { authFailed?: boolean } | undefined)?.authFailed === true;
          if (failed) {
            state.activeIntent = null;
            state.expecting = null;
          } else this.finish(state, obs, state.activeIntent);
        }
      }
    } else if ((spec === undefined || decision === 'fallback') && this.suggested(entities, text) !== undefined) {
      // an entity alone ("K48213") names what the customer wants: the dialog that declares it
      const suggested = this.suggested(entities, text)!;
      obs?.recognized({ intent: suggested.intent, confidence: 1, queue: suggested.queue, flags: suggested.flags });
      obs?.steps.push(`understood ${suggested.intent.replace(/_/g, ' ')} from the ${Object.keys(entities).join(', ').replace(/_/g, ' ')} alone`);
      await this.begin(dc, suggested, state, obs, entities, text);
    } else if (spec === undefined || decision === 'fallback') {
      const variant = state.fallbacks;
      state.fallbacks += 1;
      obs?.fallback();
      await context.sendActivity(this.tagged(this.texts.render(locale, 'fallback', {}, variant), 'fallback'));
    } else if (decision === 'confirm' && !this.confirmsBySlot(spec, text, entities)) {
      state.confirming = { intent: spec.intent, text: text.slice(0, 1000) };
      const label = this.label(spec, locale);
      obs?.said(`asked "did you mean: ${label}?"`);
      await context.sendActivity(
        this.tagged(this.texts.render(locale, 'nlu.confirm', { label }), 'prompt', [label, this.texts.render(locale, 'nlu.something_else')]),
      );
    } else {
      // accepted, or a guess confirmed implicitly by asking for the intent's first slot
      await this.begin(dc, spec, state, obs, entities, text);
      if (spec.flags.includes('customer_request')) this.mixedRequest(text, locale, obs);
    }
    await this.routerState.set(context, state);
    await saveWithTurn(context, this.opts.conversationState.saveChanges(context));
  }

  /**
   * A data value as the customer reads it: `value.<field>.<value>` in the locale's texts (spaces
   * as underscores), else the value as the data has it.
   */
  private localValue(locale: string, field: string, value: string): string {
    const key = `value.${field}.${value.trim().toLowerCase().replace(/\s+/g, '_')}`;
    return this.texts.has(locale, key) ? this.texts.render(locale, key) : value;
  }

  /** The dialog a request for a person starts (flagged customer_request), if the designer wrote one. */
  private personDialog(): DialogSpec | undefined {
    for (const d of this.opts.catalog.dialogs.values()) if (d.flags.includes('customer_request')) return d;
    return undefined;
  }

  /**
   * A guess in the confirm band is taken as sure when the message also carries an entity that
   * suggests that very intent ("só queria saber do pedido K48213" and order status).
   */
  private supported(decision: NluDecision, spec: DialogSpec | undefined, entities: Entities): NluDecision {
    if (decision !== 'confirm' || spec === undefined) return decision;
    return spec.suggestedBy.some((k) => entities[k as keyof Entities] !== undefined) ? 'accept' : decision;
  }

  /**
   * The dialog an entity sent on its own suggests (`suggestedBy`), when the message is nothing but
   * that entity: no word the recogniser could read.
   */
  private suggested(entities: Entities, text: string): DialogSpec | undefined {
    const kinds = Object.keys(entities).filter((k) => entities[k as keyof Entities] !== undefined);
    if (kinds.length === 0) return undefined;
    const words = text.replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[a-z][-\s]?\d{5}\b|(?:US\$|R\$|\$|€|£)?\s?\d[\d.,]*/gi, ' ').match(/\p{L}{2,}/gu) ?? [];
    // "order K48213", "pedido K48213", "el K48213": one or two short words beside the value at most
    if (words.length > 2) return undefined;
    for (const d of this.opts.catalog.dialogs.values()) if (d.suggestedBy.some((k) => kinds.includes(k))) return d;
    return undefined;
  }

  /**
   * "I was charged twice and I want to talk to someone": a request for a person with a
   * substantive intent beside it. The handoff stays the customer's request, but it goes to the
   * substantive intent's queue, and that intent is the conversation's topic in the briefing.
   */
  private mixedRequest(text: string, locale: string, obs: TurnObservation | undefined): void {
    if (!asksForPerson(text, locale)) return;
    const rest = withoutPersonRequest(text, locale);
    const r = this.recognize(rest, locale);
    const other = r.intent === null ? undefined : this.opts.catalog.dialogs.get(r.intent);
    if (other === undefined || other.flags.includes('customer_request') || decide(r, bandsFor(this.opts.manifest, locale)) === 'fallback') return;
    obs?.setTopic(other.intent, other.queue);
    obs?.steps.push(`the customer also wants: ${this.label(other, locale)}`);
  }

  /** The intent's short label in the locale (its description, else its id, when it has none). */
  label(spec: DialogSpec, locale: string): string {
    const l = spec.label as Record<string, string> | undefined;
    return l?.[locale] ?? l?.[this.opts.manifest.defaultLocale] ?? spec.description ?? spec.intent.replace(/_/g, ' ');
  }

  private confirmation(text: string, locale: string, intent: string): 'yes' | 'no' | null {
    const spec = this.opts.catalog.dialogs.get(intent);
    if (spec === undefined) return null;
    return confirmationAnswer(text, locale, this.label(spec, locale), this.texts.render(locale, 'nlu.something_else'));
  }

  /**
   * A guess about an intent that begins by asking for a slot the message does not fill is
   * confirmed implicitly by that question ("What's the order number?"): an answer that fills the
   * slot confirms it. Only for intents the policy has no flag for (a flag acts on recognition).
   */
  private confirmsBySlot(spec: DialogSpec, text: string, entities: Entities): boolean {
    const first = spec.steps[0];
    if (first === undefined || !('slot' in first) || spec.flags.length > 0) return false;
    return first.entity !== 'text' && entityValue(first.entity, text, entities) === undefined;
  }

  private async begin(
    dc: Awaited<ReturnType<DialogSet['createContext']>>,
    spec: DialogSpec,
    state: RouterState,
    obs: TurnObservation | undefined,
    entities: Entities,
    text: string,
  ): Promise<void> {
    state.activeIntent = spec.intent;
    state.expecting = null;
    obs?.setTopic(spec.intent, spec.queue);
    if (spec.flags.includes('customer_request')) obs?.requestHandoff();
    const r = await dc.beginDialog(spec.intent, { entities, text });
    if (r.status === DialogTurnStatus.complete) this.finish(state, obs, spec.intent);
  }

  private finish(state: RouterState, obs: TurnObservation | undefined, intent: string | null): void {
    obs?.progress(`resolved ${intent ?? 'the request'}`);
    state.activeIntent = null;
    state.expecting = null;
  }

  /**
   * A conversation opened (web chat's `conversationUpdate` with the customer among `membersAdded`):
   * the bot says its greeting dialog's first text, in the conversation's language (the widget's or
   * Direct Line's `locale`), by first name for a signed-in customer whose token carries one.
   */
  private async welcome(context: TurnContext): Promise<void> {
    const a = context.activity;
    const botId = a.recipient?.id;
    const customer = (a.membersAdded ?? []).find((m) => m.id !== botId);
    if (customer === undefined) return;
    const say = this.opts.catalog.dialogs.get('greeting')?.steps.find((s) => 'say' in s);
    if (say === undefined || !('say' in say)) return;
    const locale = matchLocale(a.locale, this.opts.manifest.locales) ?? this.opts.manifest.defaultLocale;
    const first = customer.name?.trim().split(/\s+/)[0];
    const named = first === undefined || first === '' ? {} : { 'customer.name': first, 'customer.comma_name': `, ${first}` };
    const text = this.texts.render(locale, say.say, { ...this.vars(context, {}), ...named });
    const reply = this.tagged(text, 'answer');
    reply.locale = locale;
    await context.sendActivity(reply);
  }

  /** Outgoing messages carry what they are, so the middleware can drop a re-prompt on a handoff. */
  private tagged(text: string, kind: 'answer' | 'prompt' | 'retry' | 'fallback' | 'info', choices?: string[]) {
    const a = choices === undefined || choices.length === 0 ? MessageFactory.text(text) : MessageFactory.suggestedActions(choices, text);
    a.channelData = { handover: { kind } };
    return a;
  }

  private locale(ctx: TurnContext): string {
    return conversationView(ctx)?.locale ?? ctx.activity.locale ?? this.opts.manifest.defaultLocale;
  }

  private vars(ctx: TurnContext, values: Record<string, unknown>): Record<string, unknown> {
    const view = conversationView(ctx);
    const customer: CustomerProfile | null = view?.customer ?? null;
    const first = customer?.name?.split(/\s+/)[0];
    return {
      ...view?.collected,
      ...values,
      'customer.name': first ?? '',
      'customer.comma_name': first === undefined ? '' : `, ${first}`,
    };
  }

  private buildDialog(spec: DialogSpec): ComponentDialog {
    const component = new IntentComponent(spec.intent);
    const waterfall: ((step: WaterfallStepContext) => Promise<import('botbuilder-dialogs').DialogTurnResult>)[] = [];
    spec.steps.forEach((step, i) => waterfall.push(...this.buildStep(spec, step, i, component)));
    if (waterfall.length === 0) waterfall.push(async (step) => step.endDialog());
    component.addDialog(new WaterfallDialog(`${spec.intent}:flow`, waterfall));
    component.setInitial(`${spec.intent}:flow`);
    return component;
  }

  private buildStep(
    spec: DialogSpec,
    step: Step,
    index: number,
    component: ComponentDialog,
  ): ((s: WaterfallStepContext) => Promise<import('botbuilder-dialogs').DialogTurnResult>)[] {
    const values = (s: WaterfallStepContext) => s.values as Record<string, unknown>;
    const slotsOf = (s: WaterfallStepContext) => ((s.options as { slots?: Record<string, unknown> } | undefined)?.slots ?? {}) as Record<string, unknown>;
    const initial = (s: WaterfallStepContext) => (s.options as { entities?: Entities; text?: string } | undefined) ?? {};
    if ('slot' in step) {
      const promptId = `${spec.intent}:slot:${step.slot}:${index}`;
      component.addDialog(
        new TextPrompt(promptId, async (pc: PromptValidatorContext<string>) => {
          const ctx = pc.context;
          const obs = observe(ctx);
          const text = pc.recognized.value ?? '';
          const value = entityValue(step.entity, text, extractEntities(text));
          if (value !== undefined) {
            obs?.entityFilled(step.slot, value);
            return true;
          }
          if (step.critical) obs?.entityMissing(step.slot);
          return false;
        }),
      );
      return [
        async (s) => {
          const view = conversationView(s.context);
          const fromMessage = step.entity === 'text' ? undefined : entityValue(step.entity, initial(s).text ?? '', initial(s).entities ?? {});
          const known = fromMessage ?? view?.collected[step.slot];
          const obs = observe(s.context);
          if (known !== undefined) {
            values(s)[step.slot] = known;
            if (fromMessage !== undefined) obs?.entityFilled(step.slot, known);
            return s.next(known);
          }
          if (step.critical) obs?.entityRequested(step.slot);
          await this.setExpecting(s.context, step.entity);
          const locale = this.locale(s.context);
          return s.prompt(promptId, {
            prompt: this.tagged(this.texts.render(locale, step.prompt, this.vars(s.context, values(s))), 'prompt'),
            retryPrompt: this.tagged(this.texts.render(locale, step.retry, this.vars(s.context, values(s))), 'retry'),
          });
        },
        async (s) => {
          const raw = s.result as unknown;
          const value = typeof raw === 'string' ? entityValue(step.entity, raw, extractEntities(raw)) : raw;
          values(s)[step.slot] = value;
          slotsOf(s)[step.slot] = value;
          await this.setExpecting(s.context, null);
          return s.next();
        },
      ];
    }
    if ('authenticate' in step) {
      const promptId = `${spec.intent}:auth:${index}`;
      const max = this.opts.manifest.policy.authFailed.attempts;
      component.addDialog(
        new TextPrompt(promptId, async (pc: PromptValidatorContext<string>) => {
          const ctx = pc.context;
          const obs = observe(ctx);
          const expected = conversationView(ctx)?.customer?.zip;
          const text = (pc.recognized.value ?? '').trim();
          const given = extractEntities(text).zip ?? text;
          if (expected !== undefined && given === expected) {
            obs?.authenticated();
            return true;
          }
          obs?.authFailed();
          if (pc.attemptCount >= max) {
            ctx.turnState.set(AUTH_GAVE_UP, true);
            return true;
          }
          return false;
        }),
      );
      return [
        async (s) => {
          if (conversationView(s.context)?.authenticated === true) return s.next();
          await this.setExpecting(s.context, 'auth');
          observe(s.context)?.said('asked for the account ZIP code (authentication)');
          const locale = this.locale(s.context);
          return s.prompt(promptId, {
            prompt: this.tagged(this.texts.render(locale, 'auth.ask_zip'), 'prompt'),
            retryPrompt: this.tagged(this.texts.render(locale, 'auth.retry_zip'), 'retry'),
          });
        },
        async (s) => {
          await this.setExpecting(s.context, null);
          if (s.context.turnState.get(AUTH_GAVE_UP) === true) {
            await s.context.sendActivity(this.tagged(this.texts.render(this.locale(s.context), 'auth.failed'), 'info'));
            return s.endDialog({ authFailed: true });
          }
          return s.next();
        },
      ];
    }
    if ('lookup' in step) {
      return [
        async (s) => {
          const number = values(s).order_number;
          const orders = conversationView(s.context)?.customer?.orders ?? [];
          const order = orders.find((o) => o.number.toUpperCase() === String(number ?? '').toUpperCase());
          if (order === undefined) {
            await s.context.sendActivity(this.tagged(this.texts.render(this.locale(s.context), step.notFound, this.vars(s.context, values(s))), 'answer'));
            return s.endDialog();
          }
          // data values are shown in the customer's language: "shipped" reads "enviado" in pt-BR
          values(s)['order.status'] = this.localValue(this.locale(s.context), 'order_status', order.status ?? 'processing');
          values(s)['order.total'] = order.total;
          return s.next();
        },
      ];
    }
    if ('say' in step) {
      return [
        async (s) => {
          const locale = this.locale(s.context);
          const choices = step.choices?.map((k) => this.texts.render(locale, k));
          await s.context.sendActivity(this.tagged(this.texts.render(locale, step.say, this.vars(s.context, values(s))), 'answer', choices));
          return s.next();
        },
      ];
    }
    // faq
    return [
      async (s) => {
        const locale = this.locale(s.context);
        const r = this.faqRecognizer(spec, step, locale)?.recognize(initial(s).text ?? '');
        const hit = r !== undefined && r.intent !== null && r.confidence >= 0.3 ? step.faq.find((f) => f.id === r.intent) : undefined;
        await s.context.sendActivity(this.tagged(this.texts.render(locale, hit?.answer ?? step.otherwise, this.vars(s.context, values(s))), 'answer'));
        observe(s.context)?.progress(`answered ${spec.intent}${hit === undefined ? '' : ` (${hit.id})`}`);
        return s.next();
      },
    ];
  }

  private faqRecognizer(spec: DialogSpec, step: Extract<Step, { faq: unknown }>, locale: string): IntentRecognizer | undefined {
    const key = `${spec.intent}:${locale}`;
    let r = this.faqRecognizers.get(key);
    if (r === undefined) {
      const examples: Record<string, string[]> = {};
      for (const f of step.faq) {
        const ex = f.examples[locale as keyof typeof f.examples] ?? f.examples[this.opts.manifest.defaultLocale];
        if (ex !== undefined) examples[f.id] = ex;
      }
      if (Object.keys(examples).length < 2) return undefined;
      r = IntentRecognizer.train(examples, locale);
      this.faqRecognizers.set(key, r);
    }
    return r;
  }

  private async setExpecting(ctx: TurnContext, kind: RouterState['expecting']): Promise<void> {
    const state = await this.routerState.get(ctx, { expecting: null, activeIntent: null, fallbacks: 0 });
    state.expecting = kind;
  }
}

/** A ComponentDialog whose initial dialog can be set (botbuilder keeps `initialDialogId` protected). */
class IntentComponent extends ComponentDialog {
  setInitial(id: string): void {
    this.initialDialogId = id;
  }
}
