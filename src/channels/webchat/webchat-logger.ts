/**
 * The narrow logging surface the web chat channel needs; the app passes its own logger.
 * Meta values must be JSON-safe and never contain tokens or message text.
 *
 * @example
 * const log: WebChatLogger = { info: () => {}, warn: console.warn, error: console.error };
 */
export interface WebChatLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

/**
 * Default: quiet on info, warnings and errors to stderr.
 *
 * @example
 * createWebChatChannel({ logic, log: consoleWebChatLogger });
 */
export const consoleWebChatLogger: WebChatLogger = {
  info: () => {},
  warn: (m, meta) => console.warn(`[webchat] ${m}`, meta ?? ''),
  error: (m, meta) => console.error(`[webchat] ${m}`, meta ?? ''),
};
