/**
 * The console-based {@link Logger}: the default of the parts that used to print on their own (the
 * HTTP server, web chat, WhatsApp) when no logger is passed. One line per event, `[component]
 * message {"field":…}`; debug and info on stdout, warn and error on stderr. `handover start` passes
 * its pino logger instead (src/server/pino-logger.ts); library code that must stay quiet uses
 * `silentLogger`.
 *
 * @example
 * const log = consoleLogger({ bindings: { component: 'webchat' }, level: 'warn' });
 * log.warn('socket failed', { code: 1006 }); // stderr: [webchat] socket failed {"code":1006}
 */
import { LOG_LEVELS, type LogFields, type Logger, type LogLevel } from './ports/logger.js';

/**
 * Options of {@link consoleLogger}.
 *
 * @example
 * consoleLogger({ level: 'info', stdout: process.stdout, stderr: process.stderr });
 */
export interface ConsoleLoggerOptions {
  /** Fields of every line; `component` becomes the `[component]` prefix. */
  readonly bindings?: LogFields;
  /** The least severe level written (default debug: everything). */
  readonly level?: LogLevel;
  readonly stdout?: { write(s: string): unknown };
  readonly stderr?: { write(s: string): unknown };
}

/**
 * A {@link Logger} writing plain lines to stdout (debug, info) and stderr (warn, error).
 *
 * @example
 * consoleLogger().child({ component: 'whatsapp-web' }).info('ready'); // stdout: [whatsapp-web] ready
 */
export function consoleLogger(opts: ConsoleLoggerOptions = {}): Logger {
  const min = LOG_LEVELS.indexOf(opts.level ?? 'debug');
  const bindings = opts.bindings ?? {};
  const write = (level: LogLevel) => (message: string, fields?: LogFields) => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    const { component, ...rest } = { ...bindings, ...fields };
    const extra = Object.keys(rest).length === 0 ? '' : ` ${safeJson(rest)}`;
    const line = `${component === undefined ? '' : `[${String(component)}] `}${message}${extra}\n`;
    const stream = level === 'warn' || level === 'error' ? (opts.stderr ?? process.stderr) : (opts.stdout ?? process.stdout);
    stream.write(line);
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (b) => consoleLogger({ ...opts, bindings: { ...bindings, ...b } }),
  };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (x instanceof Error ? { name: x.name, message: x.message } : typeof x === 'bigint' ? x.toString() : x));
  } catch {
    return '[unserializable]';
  }
}
