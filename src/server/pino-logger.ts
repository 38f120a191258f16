/**
 * The logger of `handover start` (and of any app that wants the same): pino behind the
 * {@link Logger} port of core. JSON lines when stdout is not a terminal, when NODE_ENV=production
 * or when LOG_FORMAT=json; readable lines (`12:04:05 WARN  [webchat] message key=value`) in a
 * terminal or with LOG_FORMAT=pretty. LOG_LEVEL picks the least severe level written (debug, info,
 * warn, error; silent writes nothing; default info). debug and info go to stdout, warn and error to
 * stderr. Secret fields (tokens, passwords, secrets, authorization headers, cookies, API keys — see
 * {@link REDACTED_KEYS}) are replaced by `[redacted]` at any depth up to three levels.
 *
 * @example
 * const log = createLogger({ env: process.env });
 * log.child({ component: 'webchat' }).warn('socket failed', { conversation: 'c1', token: 'abc' });
 * // {"level":"warn","time":"2026-12-03T10:20:01.123Z","component":"webchat","conversation":"c1","token":"[redacted]","msg":"socket failed"}
 */
import { pino, multistream, type DestinationStream } from 'pino';
import { HandoverError } from '../core/errors.js';
import { toLogger, type LogFields, type Logger, type LogLevel } from '../core/ports/logger.js';

/** Field names whose values never reach a log line (matched at the top level and up to three levels down). */
export const REDACTED_KEYS = [
  'password',
  'passwordHash',
  'secret',
  'clientSecret',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'authorization',
  'Authorization',
  'cookie',
  'Cookie',
  'set-cookie',
  'x-hub-signature-256',
] as const;

/** The pino redact paths for {@link REDACTED_KEYS}: `key`, `*.key`, `*.*.key`, `*.*.*.key`. */
export const REDACTED_PATHS: readonly string[] = REDACTED_KEYS.flatMap((k) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : `["${k}"]`;
  const dot = key.startsWith('[') ? '' : '.';
  return [key, `*${dot}${key}`, `*.*${dot}${key}`, `*.*.*${dot}${key}`];
});

export type LogFormat = 'json' | 'pretty';

/**
 * Options of {@link createLogger}; each has a default read from `env`.
 *
 * @example
 * createLogger({ format: 'pretty', level: 'debug', stdout: process.stderr });
 */
export interface LoggerOptions {
  /** Where LOG_LEVEL, LOG_FORMAT and NODE_ENV are read (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Default: LOG_LEVEL, else info. */
  readonly level?: LogLevel | 'silent';
  /** Default: LOG_FORMAT; else json when NODE_ENV=production or stdout is not a terminal; else pretty. */
  readonly format?: LogFormat;
  /** Where debug and info lines go (default process.stdout). */
  readonly stdout?: { write(s: string): unknown; isTTY?: boolean };
  /** Where warn and error lines go (default process.stderr). */
  readonly stderr?: { write(s: string): unknown };
  /** Fields on every line (default none; pino's pid and hostname are left out). */
  readonly base?: LogFields;
  /** The clock of pretty lines' times (tests). */
  readonly now?: () => Date;
}

const LEVELS: readonly string[] = ['debug', 'info', 'warn', 'error', 'silent'];

/**
 * The level from LOG_LEVEL (case ignored; `warning` is warn); unset or empty is info; anything
 * else is HANDOVER_ERR_CONFIG_INVALID.
 *
 * @example
 * logLevelFromEnv({ LOG_LEVEL: 'DEBUG' }); // 'debug'
 */
export function logLevelFromEnv(env: NodeJS.ProcessEnv): LogLevel | 'silent' {
  const raw = (env['LOG_LEVEL'] ?? '').trim().toLowerCase();
  if (raw === '') return 'info';
  const level = raw === 'warning' ? 'warn' : raw;
  if (!LEVELS.includes(level)) throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `environment is invalid: LOG_LEVEL is "${env['LOG_LEVEL']}": use ${LEVELS.join(', ')}`);
  return level as LogLevel | 'silent';
}

/**
 * The format from LOG_FORMAT (json or pretty), else json in production (NODE_ENV=production) or
 * when the output is not a terminal, else pretty.
 *
 * @example
 * logFormatFromEnv({ NODE_ENV: 'production' }, true); // 'json'
 */
export function logFormatFromEnv(env: NodeJS.ProcessEnv, isTTY: boolean): LogFormat {
  const raw = (env['LOG_FORMAT'] ?? '').trim().toLowerCase();
  if (raw === 'json' || raw === 'pretty') return raw;
  if (raw !== '') throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `environment is invalid: LOG_FORMAT is "${env['LOG_FORMAT']}": use json or pretty`);
  if ((env['NODE_ENV'] ?? '').trim() === 'production') return 'json';
  return isTTY ? 'pretty' : 'json';
}

/**
 * The pino-backed {@link Logger}. Throws HANDOVER_ERR_CONFIG_INVALID for a bad LOG_LEVEL or LOG_FORMAT.
 *
 * @example
 * const log = createLogger({ env: { LOG_LEVEL: 'debug', LOG_FORMAT: 'json' } });
 * log.debug('turn', { conversation: 'c1' });
 */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const env = opts.env ?? process.env;
  const out = opts.stdout ?? process.stdout;
  const err = opts.stderr ?? process.stderr;
  const level = opts.level ?? logLevelFromEnv(env);
  const format = opts.format ?? logFormatFromEnv(env, out.isTTY === true);
  const dest = (s: { write(s: string): unknown }): DestinationStream => (format === 'json' ? { write: (line) => void s.write(line) } : prettyStream(s, opts.now ?? (() => new Date())));
  const streams = multistream(
    [
      { level: 'debug', stream: dest(out) },
      { level: 'warn', stream: dest(err) },
    ],
    { dedupe: true },
  );
  const p = pino(
    {
      level,
      base: opts.base ?? null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    },
    streams,
  );
  return toLogger(p);
}

/** Lines of pino JSON turned into `HH:MM:SS LEVEL [component] message key=value …`. */
function prettyStream(s: { write(s: string): unknown }, now: () => Date): DestinationStream {
  return { write: (line: string) => void s.write(prettyLine(line, now)) };
}

/**
 * One pino JSON line as a readable line (exported for tests).
 *
 * @example
 * prettyLine('{"level":"warn","time":"2026-12-03T10:20:01.000Z","component":"webchat","msg":"closed","code":1006}\n');
 * // '10:20:01 WARN  [webchat] closed code=1006\n'
 */
export function prettyLine(line: string, now: () => Date = () => new Date()): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { level, time, msg, component, ...rest } = o;
  const at = typeof time === 'string' ? new Date(time) : now();
  const hms = Number.isNaN(at.getTime()) ? String(time) : at.toTimeString().slice(0, 8);
  const label = String(level ?? 'info').toUpperCase().padEnd(5);
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' && /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v)}`);
  const head = component === undefined ? '' : `[${String(component)}] `;
  return `${hms} ${label} ${head}${String(msg ?? '')}${fields.length === 0 ? '' : ` ${fields.join(' ')}`}\n`;
}

