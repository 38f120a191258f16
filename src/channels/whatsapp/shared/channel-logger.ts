import type { Redactor } from '../../../core/redact.js';

/**
 * The few log calls the WhatsApp channels make. Injected so the app can route them to its own logger
 * and tests can assert on them; fields are structured so log lines stay greppable.
 *
 * @example
 * const logger: ChannelLogger = { info: (m, f) => console.log(m, f), warn: console.warn, error: console.error };
 */
export interface ChannelLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Default logger: one line per event on stderr/stdout, prefixed so operators can grep a channel.
 *
 * @example
 * const log = consoleChannelLogger('whatsapp-web'); log.info('ready');
 */
export function consoleChannelLogger(prefix: string): ChannelLogger {
  const fmt = (m: string, f?: Record<string, unknown>): string =>
    f === undefined ? `[${prefix}] ${m}` : `[${prefix}] ${m} ${JSON.stringify(f)}`;
  return {
    info: (m, f) => console.log(fmt(m, f)),
    warn: (m, f) => console.warn(fmt(m, f)),
    error: (m, f) => console.error(fmt(m, f)),
  };
}

/** A logger that drops everything (tests that do not care). @example new X({ logger: silentChannelLogger }) */
/**
 * `logger` with personal data masked in each message and its fields (README, "Personal data"):
 * a note that quotes a customer's or an agent's words is logged masked.
 *
 * @example
 * const log = maskedChannelLogger(consoleChannelLogger('whatsapp-cloud'), new Redactor());
 * log.info('delivery failed: "cpf 529.982.247-25"'); // [whatsapp-cloud] delivery failed: "cpf •••.•••.•••-25"
 */
export function maskedChannelLogger(logger: ChannelLogger, redactor: Redactor): ChannelLogger {
  return {
    info: (m, f) => logger.info(redactor.text(m), redactor.value(f)),
    warn: (m, f) => logger.warn(redactor.text(m), redactor.value(f)),
    error: (m, f) => logger.error(redactor.text(m), redactor.value(f)),
  };
}

export const silentChannelLogger: ChannelLogger = { info: () => {}, warn: () => {}, error: () => {} };
