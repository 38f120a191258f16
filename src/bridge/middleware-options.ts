/**
 * What `HandoffMiddleware` takes (its parts read the same options).
 *
 * @example
 * const options: HandoffMiddlewareOptions = { manifest, stores, directory, texts, initiate: 'none' };
 */
import type { Activity, TurnContext } from 'botbuilder';
import type { Manifest } from '../config/manifest-schema.js';
import type { Clock } from '../core/clock.js';
import type { HandoffPacket, TurnSignals } from '../core/conversation.js';
import type { ConversationId } from '../core/ids.js';
import type { CustomerDirectory } from '../core/ports/customer-directory.js';
import type { Stores } from '../core/ports/stores.js';
import type { Texts } from '../core/texts.js';
import type { LoggerLike } from '../core/ports/logger.js';
import type { Decision } from '../policy/evaluate.js';
import type { HandoffService } from '../handoff/handoff-service.js';
import type { CallbackService } from '../handoff/callback-service.js';
import type { MetricsRecorder } from '../handoff/metrics.js';
import type { TranscriptWriterOptions } from './transcript-writer.js';
import type { BurstOptions } from './burst-window.js';

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
  /**
   * Where side-effect failures are logged when there is no `onError` (any logger with `error`:
   * pino, console, handover's `createLogger`); with neither they are not reported.
   */
  readonly logger?: LoggerLike;
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

