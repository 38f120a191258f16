/**
 * The one logging port of handover. Every part that logs (the server, web chat, WhatsApp, the agent
 * console, webhooks, the middleware's error hook) takes a {@link Logger} — or anything shaped like
 * one, {@link LoggerLike} — and the composition root (`handover start`, or your app) decides where
 * lines go. The implementation behind `handover start` is pino (src/server/pino-logger.ts): JSON
 * lines in production, readable lines in a terminal, `LOG_LEVEL`, secrets redacted.
 *
 * Fields must be JSON-safe. Never put message text, tokens or passwords in a message or a field on
 * purpose; the pino logger redacts the usual secret fields anyway (see `REDACTED_PATHS`).
 *
 * @example
 * function work(log: Logger) {
 *   const l = log.child({ component: 'webchat' });
 *   l.info('socket opened', { conversation: 'c1' });
 * }
 */
export type LogFields = Record<string, unknown>;

/** The levels, least to most severe. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * A structured logger: a message and optional fields per line, and children that add fields
 * (bindings) to every line they write.
 *
 * @example
 * const log: Logger = silentLogger;
 * log.child({ channel: 'whatsapp-cloud' }).warn('delivery failed', { status: 429 });
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that writes `bindings` into every line, besides its own fields. */
  child(bindings: LogFields): Logger;
}

/**
 * What options accept as a logger: at least `info` and `error` (the shape the older `ServerLog`,
 * `WebChatLogger` and `ChannelLogger` had); `warn`, `debug` and `child` are optional. A pino (or
 * any `logger.info(fields, message)`-style) logger is recognised and called the pino way. Turn it
 * into a full {@link Logger} with {@link toLogger}.
 *
 * @example
 * const mine: LoggerLike = { info: () => {}, error: (m, f) => process.stderr.write(`${m} ${JSON.stringify(f)}\n`) };
 */
export interface LoggerLike {
  info(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  warn?(message: string, fields?: LogFields): void;
  debug?(message: string, fields?: LogFields): void;
  child?(bindings: LogFields): LoggerLike;
}

const noop = (): void => {};

/**
 * A logger that drops everything: the default of the library parts (createHandover, the middleware),
 * so embedding handover prints nothing unless you pass a logger.
 *
 * @example
 * createWebChatChannel({ logic, log: silentLogger });
 */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop, child: () => silentLogger };

/**
 * pino and its kin take `(fields, message)`: an object with `bindings()` and a `levels` table is
 * one of them (pino's own `Logger` type is not imported: core imports no library).
 */
function isPinoStyle(log: object): boolean {
  const l = log as { bindings?: unknown; levels?: unknown };
  return typeof l.bindings === 'function' && typeof l.levels === 'object' && l.levels !== null;
}

/**
 * The full {@link Logger} for what a caller passed: returned as is when it already is one; pino
 * loggers are called `(fields, message)`; a missing `warn` writes to `error`, a missing `debug`
 * drops, a missing `child` adds its bindings to each line's fields.
 *
 * @example
 * const log = toLogger({ info: console.log, error: console.error });
 * log.child({ component: 'sla' }).warn('late', { conversation: 'c1' }); // console.error('late', { component: 'sla', conversation: 'c1' })
 */
export function toLogger(log: LoggerLike | undefined, fallback: Logger = silentLogger): Logger {
  if (log === undefined) return fallback;
  if (isPinoStyle(log)) return fromPinoStyle(log as unknown as PinoStyle);
  if (isFullLogger(log)) return log;
  return withBindings(log, {});
}

function isFullLogger(log: LoggerLike): log is Logger {
  return typeof log.debug === 'function' && typeof log.warn === 'function' && typeof log.child === 'function';
}

function withBindings(log: LoggerLike, bindings: LogFields): Logger {
  const none = Object.keys(bindings).length === 0;
  const merge = (f?: LogFields): LogFields | undefined => (none ? f : { ...bindings, ...f });
  const warn = log.warn?.bind(log) ?? log.error.bind(log);
  return {
    debug: (m: string, f?: LogFields) => log.debug?.(m, merge(f)),
    info: (m: string, f?: LogFields) => log.info(m, merge(f)),
    warn: (m: string, f?: LogFields) => warn(m, merge(f)),
    error: (m: string, f?: LogFields) => log.error(m, merge(f)),
    child: (b: LogFields) => (typeof log.child === 'function' ? withBindings(log.child(b), bindings) : withBindings(log, { ...bindings, ...b })),
  };
}

interface PinoStyle {
  debug(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
  child(bindings: LogFields): PinoStyle;
}

function fromPinoStyle(p: PinoStyle): Logger {
  const call = (level: LogLevel) => (m: string, f?: LogFields) => p[level](f ?? {}, m);
  return { debug: call('debug'), info: call('info'), warn: call('warn'), error: call('error'), child: (b: LogFields) => fromPinoStyle(p.child(b)) };
}

/**
 * `log` with every message and field passed through `mask` (personal data masking, README "Personal
 * data"), children included.
 *
 * @example
 * const masked = maskLogger(log, { text: (t) => redactor.text(t), value: (v) => redactor.value(v) });
 */
export function maskLogger(log: Logger, mask: { text(t: string): string; value<T>(v: T): T }): Logger {
  const wrap = (level: LogLevel) => (m: string, f?: LogFields) => log[level](mask.text(m), f === undefined ? undefined : mask.value(f));
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error'), child: (b: LogFields) => maskLogger(log.child(mask.value(b)), mask) };
}
