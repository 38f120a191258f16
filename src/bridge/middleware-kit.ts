/**
 * What the parts of `HandoffMiddleware` share: its options and clock, and the three ways a part
 * touches the outside — a transcript line, a system message to the customer, a side-effect failure.
 *
 * @example
 * await kit.say(context, id, kit.opts.texts.render(locale, 'handoff.store_trouble'));
 */
import type { TurnContext } from 'botbuilder';
import { isHandoverError } from '../core/errors.js';
import type { Logger } from '../core/ports/logger.js';
import type { Clock } from '../core/clock.js';
import type { TranscriptEntry } from '../core/conversation.js';
import type { ConversationId } from '../core/ids.js';
import type { ConversationMemory } from '../handoff/conversation-memory.js';
import type { HandoffMiddlewareOptions } from './middleware-options.js';

export interface MiddlewareKit {
  readonly opts: HandoffMiddlewareOptions;
  readonly clock: Clock;
  readonly newId: () => string;
  /** Appends to the conversation's transcript, in order, exactly once; never throws. */
  record(id: ConversationId, ...entries: TranscriptEntry[]): Promise<void>;
  /** Sends a system message to the customer and records it; never throws. */
  say(context: TurnContext, id: ConversationId, text: string): Promise<void>;
  /** Saves the conversation's memory (compare-and-set on `eTag`, the later turn wins a race); never throws. */
  saveMemory(id: ConversationId, memory: ConversationMemory, eTag: string | undefined): Promise<void>;
  /** A side-effect failure: to `onError`, never at the customer. */
  report(error: unknown, where: string): void;
}

/**
 * An `onError` that logs a side-effect failure: `handoff middleware: <where>`, the error's message
 * and its HANDOVER_ERR code (what the middleware and `createHandover` do with a logger and no onError).
 *
 * @example
 * const onError = logErrorsTo(toLogger(pino()).child({ component: 'middleware' }));
 */
export function logErrorsTo(log: Logger): (error: unknown, where: string) => void {
  return (e, where) => log.error(`handoff middleware: ${where}`, { error: e instanceof Error ? e.message : String(e), ...(isHandoverError(e) ? { code: e.code } : {}) });
}

