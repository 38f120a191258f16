import type { Redactor } from '../../../core/redact.js';
import { consoleLogger } from '../../../core/console-logger.js';
import { maskLogger, silentLogger, toLogger, type Logger, type LoggerLike } from '../../../core/ports/logger.js';

/**
 * What the WhatsApp channels log to: the {@link Logger} port of core (issue 18: one logger), of
 * which they need `info`, `warn` and `error` (`debug` and `child` optional). Injected so the app
 * can route them to its own logger and tests can assert on them; fields are structured so log
 * lines stay greppable.
 *
 * @example
 * const logger: ChannelLogger = { info: () => {}, warn: (m, f) => lines.push(m), error: (m, f) => lines.push(m) };
 */
export type ChannelLogger = LoggerLike & Pick<Logger, 'warn'>;

/**
 * Default logger: one line per event on stdout (info) or stderr (warn, error), `[prefix]` first so
 * operators can grep a channel.
 *
 * @example
 * const log = consoleChannelLogger('whatsapp-web'); log.info('ready');
 */
export function consoleChannelLogger(prefix: string): Logger {
  return consoleLogger({ bindings: { component: prefix } });
}

/**
 * `logger` with personal data masked in each message and its fields (docs/operations.md, "Personal data"):
 * a note that quotes a customer's or an agent's words is logged masked.
 *
 * @example
 * const log = maskedChannelLogger(consoleChannelLogger('whatsapp-cloud'), new Redactor());
 * log.info('delivery failed: "cpf 529.982.247-25"'); // [whatsapp-cloud] delivery failed: "cpf •••.•••.•••-25"
 */
export function maskedChannelLogger(logger: ChannelLogger, redactor: Redactor): Logger {
  return maskLogger(toLogger(logger), redactor);
}

/** A logger that drops everything (tests that do not care). @example new X({ logger: silentChannelLogger }) */
export const silentChannelLogger: Logger = silentLogger;
