/**
 * The composition root: the only place that picks concrete implementations. Everything else
 * depends on ports.
 *
 * @example
 * const app = createHandover({ config, stores: createMemoryStores(), directory });
 * adapter.use(app.middleware);
 * await adapter.processActivity(activity, (ctx) => app.bot.run(ctx));
 */
import { logErrorsTo } from './bridge/middleware-kit.js';
import { checkInternals, type InternalsCheck } from './internals/self-check.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConversationState, TurnContext } from 'botbuilder';
import type { Manifest } from './config/manifest-schema.js';
import { systemClock, type Clock } from './core/clock.js';
import type { CustomerDirectory } from './core/ports/customer-directory.js';
import type { Stores } from './core/ports/stores.js';
import { Texts } from './core/texts.js';
import { DocumentStorage } from './bridge/document-storage.js';
import { JsonDiffConversationState } from './bridge/json-diff-conversation-state.js';
import { HandoffMiddleware, type HandoffMiddlewareOptions } from './bridge/handoff-middleware.js';
import type { DialogBot, BotRecognizer } from './dialogs/dialog-bot.js';
import { loadDialogs, type DialogCatalog } from './dialogs/load-dialogs.js';
import type { LocaleTexts } from './dialogs/dialog-spec.js';
import { NEUTRAL_TEXTS } from './dialogs/neutral-texts.js';
import { HandoverError } from './core/errors.js';
import { HandoffService } from './handoff/handoff-service.js';
import { CallbackService } from './handoff/callback-service.js';
import { MetricsRecorder } from './handoff/metrics.js';
import { Staffing } from './staffing/staffing.js';
import { LanguageIdentifier } from './signals/language.js';
import { burstStoreFor } from './store/burst-store-for.js';
import { redactBursts, redactStores } from './core/redacting-stores.js';
import { Redactor } from './core/redact.js';
import { toLogger, type Logger, type LoggerLike } from './core/ports/logger.js';

export interface HandoverOptions {
  readonly manifest: Manifest;
  readonly stores: Stores;
  readonly directory: CustomerDirectory;
  readonly clock?: Clock;
  /**
   * Folder holding dialogs/ and locales/ (default: the current directory). Without a dialogs/
   * folder (and no `catalog`) createHandover builds the handoff engine alone for your own bot: the
   * handoff's texts are neutral built-ins (src/dialogs/neutral-texts.ts) under any
   * `locales/<locale>.json` you keep there, queue names are the manifest's labels, and `bot` is not
   * available.
   */
  readonly root?: string;
  /**
   * Your bot's turn logic, for what the middleware answers on its own schedule (a burst, once its
   * window closes). Default: the sample dialog bot when there are dialogs; with neither, bursts are
   * off (every message is answered at once).
   */
  readonly logic?: (context: TurnContext) => Promise<void>;
  readonly catalog?: DialogCatalog;
  /** Side-effect failures of the middleware (never thrown at the customer). Default: `logger.error`. */
  readonly onError?: HandoffMiddlewareOptions['onError'];
  /**
   * Where the middleware's failures are logged when there is no `onError`: any logger with `info`
   * and `error` (the {@link Logger} port; a pino logger works as is). Default: none — silent.
   */
  readonly logger?: LoggerLike;
  readonly onDecision?: HandoffMiddlewareOptions['onDecision'];
  readonly route?: HandoffMiddlewareOptions['route'];
  /** Where `handoff.initiate` goes (see `HandoffMiddlewareOptions.initiate`); default by adapter. */
  readonly initiate?: HandoffMiddlewareOptions['initiate'];
  readonly newId?: () => string;
  /** Replaces the built-in intent recogniser with any botbuilder-style recogniser. */
  readonly recognizer?: BotRecognizer;
  /**
   * Bursts (manifest.json → `bursts`): `timers` waits each window in real time, the default on the
   * system clock; `manual` leaves the waiting to the caller (`middleware.bursts.flush`), as simulate
   * does on its virtual clock; `off`, the default on any other clock, answers every message at once.
   */
  readonly bursts?: 'timers' | 'manual' | 'off';
}

export interface Handover {
  readonly middleware: HandoffMiddleware;
  readonly bot: DialogBot;
  readonly service: HandoffService;
  readonly callbacks: CallbackService;
  /** Counts for `readMetrics`; call `metrics.startFlushing(ms)` in a long-running process. */
  readonly metrics: MetricsRecorder;
  readonly texts: Texts;
  readonly catalog: DialogCatalog;
  readonly conversationState: ConversationState;
}

/**
 * The language identifier of the bot's locales, trained from its own texts: dialog examples, the
 * out-of-scope corpus and the locale files (what this bot's customers and this bot write).
 */
function languageOf(catalog: DialogCatalog, manifest: Manifest): (text: string, first: boolean) => string | null {
  if (manifest.locales.length < 2) return () => null;
  const texts: Record<string, string[]> = {};
  for (const locale of manifest.locales) {
    const list: string[] = [...(catalog.outOfScope?.get(locale) ?? [])];
    for (const d of catalog.dialogs.values()) list.push(...(d.examples[locale] ?? []));
    for (const v of Object.values(catalog.locales.get(locale) ?? {})) list.push(...(Array.isArray(v) ? v : [v]));
    texts[locale] = list;
  }
  const id = LanguageIdentifier.train(texts);
  // a conversation's first message decides even when short ("hola", "oi gente"), if it is clear
  return (text, first) => id.detect(text, first ? { minLetters: 3 } : {});
}

export function createHandover(input: HandoverOptions): Handover {
  // personal data is masked before any transcript line, event or briefing is stored (docs/operations.md, "Personal data")
  const redactor = new Redactor(input.manifest.pii);
  const opts: HandoverOptions = { ...input, stores: redactStores(input.stores, redactor) };
  const root = opts.root ?? process.cwd();
  const dialogsDir = join(root, 'dialogs');
  const catalog =
    opts.catalog ??
    (existsSync(dialogsDir) ? loadDialogs({ dialogsDir, localesDir: join(root, 'locales'), manifest: opts.manifest }) : engineCatalog(opts.manifest, join(root, 'locales')));
  const withDialogs = catalog.dialogs.size > 0;
  const clock = opts.clock ?? systemClock;
  const texts = new Texts(catalog.locales, opts.manifest.defaultLocale);
  const metrics = new MetricsRecorder(opts.stores.documents, clock);
  // presence and shifts: the expected wait and the callbacks' capacity come from who can take each queue
  const staffing = new Staffing({ manifest: opts.manifest, documents: opts.stores.documents, clock });
  // side-effect failures (after a committed transition, in a turn): never thrown at a customer or an agent
  const onError = opts.onError ?? (opts.logger ? logErrorsTo(toLogger(opts.logger).child({ component: 'middleware' })) : undefined);
  // the library internals this package patches still fit the installed versions (src/internals/README.md)
  const reportInternals = (checks: readonly InternalsCheck[]): void => {
    for (const c of checks) {
      if (c.ok) continue;
      const warning = new HandoverError('HANDOVER_ERR_INTERNAL', `library internals: ${c.name}: ${c.detail}`);
      if (onError) onError(warning, 'library internals');
      else process.emitWarning(warning.message, 'HandoverWarning');
    }
  };
  reportInternals(checkInternals());
  const service = new HandoffService({ manifest: opts.manifest, stores: opts.stores, clock, texts, metrics, staffing, ...(opts.newId ? { newId: opts.newId } : {}), ...(onError ? { onError } : {}) });
  const callbacks = new CallbackService({ manifest: opts.manifest, stores: opts.stores, clock, service, staffing });
  // the SLA sweep also settles callbacks (moved, missed); presence and shift changes re-check them
  service.extend({ sweep: () => callbacks.sweep(), staffingChanged: () => callbacks.recheck() });
  // botbuilder's ConversationState, with a JSON change check instead of three SHA-256 hashes a turn
  const conversationState = new JsonDiffConversationState(new DocumentStorage(opts.stores.documents, 'botstate'));
  // a burst is answered by the host's logic, or by the sample bot; with neither, no bursts. The burst
  // store and the registry of adapters that answer bursts are keyed by the caller's stores object
  // (the one attachAgentDelivery and other apps on the same backend see), not by the masking wrapper.
  const burstLogic = opts.logic ?? (withDialogs ? (ctx: TurnContext) => bot!.run(ctx) : undefined);
  const bursts = burstLogic === undefined ? 'off' : (opts.bursts ?? (clock === systemClock ? 'timers' : 'off'));
  const middleware = new HandoffMiddleware({
    // the dialog state is read with the middleware's own reads (one round trip on Redis)
    preload: (ctx) => conversationState.load(ctx),
    callbacks,
    metrics,
    manifest: opts.manifest,
    stores: opts.stores,
    directory: opts.directory,
    texts,
    clock,
    service,
    ...(onError ? { onError } : {}),
    ...(opts.onDecision ? { onDecision: opts.onDecision } : {}),
    ...(opts.route ? { route: opts.route } : {}),
    ...(opts.initiate ? { initiate: opts.initiate } : {}),
    ...(opts.newId ? { newId: opts.newId } : {}),
    detectLocale: languageOf(catalog, opts.manifest),
    // the bot answers a burst once its window closed (`bot` exists by then)
    ...(bursts === 'off' || burstLogic === undefined ? {} : { bursts: { store: redactBursts(burstStoreFor(input.stores), redactor), logic: burstLogic, schedule: bursts, hosts: input.stores } }),
  });
  const bot = withDialogs ? sampleBot({ catalog, manifest: opts.manifest, conversationState, ...(opts.recognizer ? { recognizer: opts.recognizer } : {}) }, reportInternals) : undefined;
  return {
    middleware,
    get bot(): DialogBot {
      if (bot === undefined) {
        throw new HandoverError(
          'HANDOVER_ERR_CONFIG_INVALID',
          `there is no dialogs/ folder in ${root}: createHandover built the handoff engine for your own bot (adapter.use(handover.middleware), then run your bot's logic); the sample dialog bot needs dialogs/ and locales/`,
        );
      }
      return bot;
    },
    service,
    callbacks,
    metrics,
    texts,
    catalog,
    conversationState,
  };
}

/**
 * The sample dialog bot, loaded only when there are dialogs: botbuilder-dialogs and the recogniser's
 * tokenisers are ~300 modules a host with its own bot never needs.
 */
function sampleBot(opts: ConstructorParameters<typeof DialogBot>[0], report: (checks: readonly InternalsCheck[]) => void): DialogBot {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (CommonJS build)
  const { DialogBot: Bot } = require('./dialogs/dialog-bot.js') as typeof import('./dialogs/dialog-bot.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- with the bot, for the same reason
  const { checkDialogInternals } = require('./internals/dialogs-self-check.js') as typeof import('./internals/dialogs-self-check.js');
  report([checkDialogInternals()]);
  return new Bot(opts);
}

/**
 * The catalog of an app without dialogs: no dialogs, and per locale the neutral handoff texts,
 * the manifest's queue labels as `queue.<id>`, and the app's own `locales/<locale>.json` on top.
 */
function engineCatalog(manifest: Manifest, localesDir: string): DialogCatalog {
  const locales = new Map<string, LocaleTexts>();
  for (const locale of manifest.locales) {
    const queues = Object.fromEntries(Object.entries(manifest.queues).map(([id, q]) => [`queue.${id}`, q.label]));
    const file = join(localesDir, `${locale}.json`);
    let own: LocaleTexts = {};
    if (existsSync(file)) {
      try {
        own = JSON.parse(readFileSync(file, 'utf8')) as LocaleTexts;
      } catch (e) {
        throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `${file} is not valid JSON: ${(e as Error).message}`);
      }
    }
    locales.set(locale, { ...((NEUTRAL_TEXTS[locale] ?? NEUTRAL_TEXTS['en']) as LocaleTexts), ...queues, ...own });
  }
  return { dialogs: new Map(), locales };
}

