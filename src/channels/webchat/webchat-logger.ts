import { consoleLogger } from '../../core/console-logger.js';
import type { Logger, LoggerLike } from '../../core/ports/logger.js';

/**
 * What the web chat channel logs to: the {@link Logger} port of core (issue 18: one logger), of
 * which it needs `info`, `warn` and `error`; `debug` and `child` are optional so a plain
 * three-method object still fits. Meta values must be JSON-safe and never contain tokens or
 * message text.
 *
 * @example
 * const log: WebChatLogger = { info: () => {}, warn: (m) => process.stderr.write(`${m}\n`), error: (m) => process.stderr.write(`${m}\n`) };
 */
export type WebChatLogger = LoggerLike & Pick<Logger, 'warn'>;

/**
 * Default: quiet on info, warnings and errors to stderr, `[webchat]` first.
 *
 * @example
 * createWebChatChannel({ logic, log: consoleWebChatLogger });
 */
export const consoleWebChatLogger: Logger = consoleLogger({ bindings: { component: 'webchat' }, level: 'warn' });
