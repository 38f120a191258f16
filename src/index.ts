/**
 * handover — the public API.
 *
 * Common: `createHandover` (wires the middleware, the dialog bot and the handoff service),
 * `HandoffMiddleware`, `observe` / `conversationView` (for your own bot), `loadConfig`,
 * `createMemoryStores`. Advanced: the ports, the pure policy and signals, the state machine.
 *
 * @example
 * import { createHandover, createMemoryStores, loadConfig, StaticCustomerDirectory } from 'handover';
 * const { manifest } = loadConfig('manifest.json');
 * const handover = createHandover({ manifest, stores: createMemoryStores(), directory: new StaticCustomerDirectory([]) });
 * adapter.use(handover.middleware);
 */
export { createHandover, type Handover, type HandoverOptions } from './app.js';
export { HandoffMiddleware, conversationKeyOf, PROACTIVE_KEY, type HandoffMiddlewareOptions } from './bridge/handoff-middleware.js';
export { observe, observeRecognizer, conversationView, TurnObservation, type ConversationView, type RecognizedIntent } from './bridge/turn-observation.js';
export { attachAgentDelivery } from './bridge/agent-delivery.js';
export { runProactive } from './bridge/proactive-turn.js';
export { continueOn, type ContinueOptions } from './bridge/continue-conversation.js';
export { KEEPS_DESK_EVENTS_PRIVATE, keepsDeskEventsPrivate } from './core/desk-events.js';
export { DocumentStorage } from './bridge/document-storage.js';
export { JsonDiffConversationState, stateFingerprint } from './bridge/json-diff-conversation-state.js';
export { HandoffService } from './handoff/handoff-service.js';
export { CallbackService } from './handoff/callback-service.js';
export { MetricsRecorder, readMetrics, type MetricsReport, type MetricCounts } from './handoff/metrics.js';
export { loadConfig, parseManifest, type Config } from './config/load-config.js';
export { ManifestSchema, type Manifest, type Policy } from './config/manifest-schema.js';
export { loadDialogs, type DialogCatalog } from './dialogs/load-dialogs.js';
// The sample dialog bot and its recogniser: `import { DialogBot, IntentRecognizer } from 'handover/sample-bot'`
// (createHandover builds it when there are dialogs/); the root does not load botbuilder-dialogs.
export type { DialogBot } from './dialogs/dialog-bot.js';
export type { IntentRecognizer, Recognition } from './dialogs/intent-recognizer.js';
export { createMemoryStores, type MemoryStores, type MemoryStoresOptions, type MemoryStoreCounts } from './store/memory/index.js';
export { openStores, type OpenStoresOptions, type OpenedStores } from './store/open-stores.js';
export { redactStores } from './core/redacting-stores.js';
export { Redactor, DEFAULT_PII_SETTINGS, PII_PATTERNS, type PiiPattern, type PiiRule, type PiiSettings, type PiiFinding } from './core/redact.js';
export { neutralizeBidi } from './core/bidi.js';
// Redis: `import { createRedisStores } from 'handover/redis'` (or openStores with a redis:// URL): the root never loads node-redis.
export type { RedisStores, RedisStoresOptions } from './store/redis/index.js';
export { SlaWatcher } from './handoff/sla-watcher.js';
export { installNativeAsync, nativeAsyncBodies } from './internals/native-async.js';
export { SimAdapter } from './channels/sim/sim-adapter.js';
// for the site's server: sign the customer token its pages hand to the web chat (docs/webchat.md, "Identify your logged-in customers")
export { signCustomerToken, CustomerTokens, type CustomerTokenClaims, type CustomerIdentity } from './channels/webchat/customer-token.js';
export { evaluate, estimateCost, type Decision, type CostEstimate } from './policy/evaluate.js';
export { SentimentScorer } from './signals/sentiment.js';
export { extractEntities } from './signals/entities.js';
export { valueAtRisk } from './signals/value.js';
export { StaticCustomerDirectory } from './core/static-customer-directory.js';
export { systemClock, ManualClock, type Clock } from './core/clock.js';
export { HandoverError, isHandoverError, ERROR_CODES, type ErrorCode } from './core/errors.js';
export { silentLogger, toLogger, type Logger, type LoggerLike, type LogFields, type LogLevel } from './core/ports/logger.js';
export { consoleLogger } from './core/console-logger.js';
export { createLogger, type LoggerOptions } from './server/pino-logger.js';
export { transition, initialState, isWithHuman, type HandoffState, type HandoffStatus, type HandoffCommand } from './core/handoff-state.js';
export * from './core/ids.js';
export type * from './core/conversation.js';
export type * from './core/events.js';
export type * from './core/ports/index.js';
