/**
 * What the bot tells the middleware about a turn. The middleware puts a `TurnObservation` in the
 * turn state before calling the bot; the bot (our dialog runtime, or any botbuilder bot through
 * `observe(context)`) records what happened; after the bot's turn the middleware turns it into
 * signals. A bot that records nothing still gets sentiment, value, stall and explicit-request
 * detection from the middleware itself.
 *
 * @example
 * // inside any bot:
 * const obs = observe(context);
 * obs?.recognized({ intent: 'order_status', confidence: 0.91 });
 * obs?.fallback();
 */
import { getTopScoringIntent, type RecognizerResult, type TurnContext } from 'botbuilder';
import type { CustomerProfile } from '../core/conversation.js';

export const OBSERVATION_KEY = Symbol.for('handover.observation');
export const VIEW_KEY = Symbol.for('handover.view');
export const DEFERRED_SAVES_KEY = Symbol.for('handover.deferredSaves');

export interface RecognizedIntent {
  readonly intent: string | null;
  readonly confidence: number;
  /** Queue and policy flags declared for this intent (from its dialog file). */
  readonly queue?: string | null;
  readonly flags?: readonly string[];
}

export class TurnObservation {
  recognition: RecognizedIntent | null = null;
  answeredPrompt = false;
  isFallback = false;
  readonly requested: string[] = [];
  readonly missing: string[] = [];
  readonly filled: Record<string, unknown> = {};
  authFailures = 0;
  authSucceeded = false;
  madeProgress = false;
  topic: { intent: string; queue: string | null } | null = null;
  handoffRequested = false;
  readonly steps: string[] = [];
  /** The steps that are something the bot said this turn (a prompt, a re-prompt, "I didn't understand"). */
  readonly spoken = new Set<string>();

  recognized(r: RecognizedIntent): void {
    this.recognition = r;
  }
  /** The turn was an answer to the bot's prompt: intent confidence does not apply to it. */
  promptAnswered(): void {
    this.answeredPrompt = true;
  }
  /** The bot said "I didn't understand". */
  fallback(): void {
    this.isFallback = true;
    this.said('said it did not understand');
  }
  /** The customer said no to the bot's "Did you mean …?": a turn the bot did not understand. */
  refusedGuess(label: string): void {
    this.isFallback = true;
    this.steps.push(`asked "did you mean: ${label}?" and the customer said no`);
  }
  /** The bot asked for a critical entity. */
  entityRequested(name: string): void {
    this.requested.push(name);
    this.said(`asked for ${name}`);
  }
  /** The customer's reply to a request still lacks the critical entity. */
  entityMissing(name: string): void {
    this.missing.push(name);
  }
  entityFilled(name: string, value: unknown): void {
    this.filled[name] = value;
    this.madeProgress = true;
  }
  authFailed(): void {
    this.authFailures += 1;
    this.steps.push('authentication failed');
  }
  authenticated(): void {
    this.authSucceeded = true;
    this.madeProgress = true;
    this.steps.push('authenticated the customer');
  }
  /**
   * A step that is a prompt, a re-prompt or a fallback the bot sends this turn. A handoff decided
   * on this turn replaces such messages with its notice, so the briefing leaves these steps out
   * (the customer never saw them).
   */
  said(step: string): void {
    this.steps.push(step);
    this.spoken.add(step);
  }
  /** An intent was resolved or an answer given. */
  progress(step?: string): void {
    this.madeProgress = true;
    if (step !== undefined) this.steps.push(step);
  }
  setTopic(intent: string, queue: string | null): void {
    this.topic = { intent, queue };
  }
  /** The bot itself asks for a handoff (e.g. a designer's explicit step). */
  requestHandoff(): void {
    this.handoffRequested = true;
  }

  /** True when the bot reported anything about progress this turn (our dialogs always do). */
  get reportedProgress(): boolean {
    return this.madeProgress || this.isFallback || this.answeredPrompt || this.requested.length > 0 || this.authFailures > 0 || this.topic !== null;
  }
}

/**
 * Wraps any botbuilder-style recogniser so that every result is reported to the middleware
 * (top intent and score), with no other change to your bot.
 *
 * @example
 * const recognizer = observeRecognizer(new LuisRecognizer(app));
 * const result = await recognizer.recognize(context); // also recorded for the handoff policy
 */
export function observeRecognizer<R extends { recognize(context: TurnContext): Promise<RecognizerResult> }>(recognizer: R): R {
  return new Proxy(recognizer, {
    get(target, prop, receiver) {
      if (prop !== 'recognize') return Reflect.get(target, prop, receiver) as unknown;
      return async (context: TurnContext) => {
        const result = await target.recognize(context);
        const top = getTopScoringIntent(result);
        observe(context)?.recognized({ intent: top.intent === '' ? null : top.intent, confidence: top.score });
        return result;
      };
    },
  });
}

/** What the middleware knows about the conversation, readable by the bot. */
export interface ConversationView {
  readonly conversationId: string;
  readonly locale: string;
  readonly channel: string;
  readonly turn: number;
  readonly customer: CustomerProfile | null;
  /** Entities and slots collected so far (by the bot, or settled by an agent before a return). */
  readonly collected: Readonly<Record<string, unknown>>;
  readonly authenticated: boolean;
  /** First bot turn after an agent resolved or returned the chat: start fresh, keep `collected`. */
  readonly resumedFromAgent: boolean;
}

/** The observation of the current turn, or undefined when no HandoffMiddleware runs. */
export function observe(context: TurnContext): TurnObservation | undefined {
  return context.turnState.get(OBSERVATION_KEY) as TurnObservation | undefined;
}

/** The middleware's view of the conversation, or undefined when no HandoffMiddleware runs. */
export function conversationView(context: TurnContext): ConversationView | undefined {
  return context.turnState.get(VIEW_KEY) as ConversationView | undefined;
}

/**
 * Save the bot's state with the middleware's own end-of-turn writes instead of before them.
 *
 * Why: on Redis every sequential await is a network round trip. A bot that awaits its state save
 * and then lets the middleware write the transcript and memory spends two round trips where one
 * would do. Under a HandoffMiddleware the save is handed over (already issued, so it goes out in
 * the same pipeline flush as the middleware's writes) and the middleware awaits it before the turn
 * ends, throwing its failure as it would the bot's own. Without the middleware it is awaited here.
 *
 * @example
 * await saveWithTurn(context, conversationState.saveChanges(context));
 */
export async function saveWithTurn(context: TurnContext, save: Promise<unknown>): Promise<void> {
  const defer = context.turnState.get(DEFERRED_SAVES_KEY) as ((save: Promise<unknown>) => void) | undefined;
  if (defer === undefined) await save;
  else defer(save);
}
