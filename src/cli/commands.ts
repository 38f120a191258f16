/**
 * Every `handover` command's flags, usage and examples, and the one parser they all go through
 * (`node:util` parseArgs, strict): unknown flags and missing values are refused with exit status 2
 * and a one-line hint to use `--help`. This module imports nothing of the app, so
 * `handover help` and `handover <command> --help` answer without loading the engine, botbuilder,
 * Redis or the recogniser; main.ts loads a command's module only after its arguments parsed.
 *
 * @example
 * const parsed = parseCommand(commandSpec('lint')!, ['--dir', 'bot']);
 * // { values: { dir: 'bot' }, positionals: [] }
 */
import { parseArgs } from 'node:util';

/** One flag of a command. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** The value's placeholder in usage lines: `--customer ID`. */
  readonly value?: string;
  /** What the default is, in words (usage only; the command applies it). */
  readonly default?: string;
  readonly required?: boolean;
  readonly description: string;
}

/** One command: its synopsis, flags, positionals and examples. */
export interface CommandSpec {
  readonly name: string;
  /** What follows the flags in the synopsis, e.g. `FILE...`. */
  readonly operands?: string;
  /** At least this many positionals (default 0: none allowed unless `maxOperands` says so). */
  readonly minOperands?: number;
  readonly maxOperands?: number;
  /** The message when there are too few positionals. */
  readonly operandsMissing?: string;
  /** One or more sentences: what the command does. */
  readonly description: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  readonly examples: readonly string[];
  /** A check of the parsed values beyond their types: returns the problem, or undefined. */
  readonly check?: (values: ParsedValues) => string | undefined;
}

export type ParsedValues = Readonly<Record<string, string | boolean | undefined>>;

export interface ParsedCommand {
  readonly values: ParsedValues;
  readonly positionals: readonly string[];
}

/** Bad arguments: the command prints the message and the `--help` hint, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const HELP_FLAG: FlagSpec = { type: 'boolean', short: 'h', description: 'Print this help.' };

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'simulate',
    operands: 'FILE...',
    minOperands: 1,
    maxOperands: Infinity,
    operandsMissing: 'simulate needs at least one scenario file',
    description:
      'Run scenario files through the real middleware and dialogs (virtual clock). Prints JSON lines; with --check, PASS/FAIL per scenario and "N passed, N failed". Format: README "Scenario files"; JSON Schema: schemas/scenario.schema.json.',
    flags: {
      check: { type: 'boolean', description: 'Compare each scenario with its expect: PASS/FAIL lines and a count; exit 1 when one fails.' },
      store: { type: 'string', value: 'memory|redis://HOST:PORT', default: 'REDIS_URL, else memory', description: 'The store the scenarios run on.' },
    },
    examples: ['handover simulate test/scenarios/*.json --check'],
  },
  {
    name: 'chat',
    description:
      'Talk to the sample bot in the terminal (in-memory store). When it hands off, play the agent: /accept, /say TEXT, /transfer QUEUE, /resolve, /return [field=value …] [note], /queue, /metrics, /help; /quit ends.',
    flags: {
      customer: { type: 'string', value: 'ID', default: 'c-1001, Dana Reyes', description: 'An id of data/customers.json; any other id is an anonymous visitor.' },
      locale: { type: 'string', value: 'en|pt-BR|es', default: 'detected from the text', description: "The customer's language." },
    },
    examples: ['handover chat --customer c-1001', "printf 'hi\\n/quit\\n' | handover chat --locale es"],
  },
  {
    name: 'eval',
    operands: 'nlu|sentiment|scenarios FILE...',
    minOperands: 2,
    maxOperands: Infinity,
    operandsMissing: 'eval needs nlu, sentiment or scenarios and at least one file',
    description:
      'Measure understanding and decisions on labelled files (docs/understanding.md, "How the bot understands customers"). nlu: recognise labelled messages ({ text, locale, intent|null }) as a first turn: a JSON line per message, summaries per locale and for all. sentiment: score graded messages ({ text, locale, grade: none|mild|strong }): precision and recall of the anger trigger per locale. scenarios: run scenarios, compare with expect, price them with the manifest\'s cost model, beside a baseline that hands off only on the 3rd fallback.',
    flags: {
      report: { type: 'string', value: 'DIR', default: 'none', description: 'nlu and scenarios: also write DIR/index.html (opens without network).' },
    },
    examples: ['handover eval nlu test/nlu/*.json --report out/', 'handover eval sentiment test/sentiment/*.json', 'handover eval scenarios test/scenarios/*.json --report out/scenarios/'],
    check: undefined,
  },
  {
    name: 'erase',
    description:
      "Erase everything stored for one customer (transcripts, memory, bot state, web chat history, briefings, callbacks, WhatsApp data) on the deployment's Redis and print what went per class (JSON). Audited (who, when, counts). The memory store: DELETE /api/customers/{id} on the running service.",
    flags: {
      customer: { type: 'string', value: 'ID', required: true, description: 'The customer whose data goes.' },
      store: { type: 'string', value: 'redis://HOST:PORT', default: 'REDIS_URL', description: "The deployment's Redis." },
      prefix: { type: 'string', value: 'P', default: 'handover', description: 'The key prefix of the deployment (REDIS_PREFIX of handover start).' },
      force: { type: 'boolean', description: 'Also erase an open handoff (waiting, with an agent, booked).' },
      by: { type: 'string', value: 'NAME', default: 'your user name', description: 'Who erases, for the audit line (recorded as cli:NAME).' },
    },
    examples: ['handover erase --customer c-1001 --store redis://127.0.0.1:6379 --prefix handover'],
  },
  {
    name: 'lint',
    description:
      'Check manifest.json, dialogs/, locales/: schemas, queues, text keys and every {placeholder}. Lists every problem of every file (file, JSON path, the bad value, the valid ones); exit 2 if any.',
    flags: {
      dir: { type: 'string', value: 'DIR', default: 'the current directory', description: 'The folder holding manifest.json, dialogs/ and locales/.' },
    },
    examples: ['handover lint', 'handover lint --dir ../my-bot'],
  },
  {
    name: 'start',
    description:
      'Run the service: web chat (demo page, widget, Direct Line), the agent console (/agent), its HTTP API (/api, OpenAPI at /api/openapi.json) and webhooks. Stops cleanly on Ctrl+C / SIGTERM. With REDIS_URL it refuses a Redis without persistence or with an evicting maxmemory-policy, unless --allow-volatile-redis. Logs: JSON lines unless stdout is a terminal (LOG_FORMAT=json|pretty), LOG_LEVEL=debug|info|warn|error.',
    flags: {
      port: { type: 'string', value: 'N', default: 'PORT, else 3978', description: 'The TCP port (0 picks a free one).' },
      host: { type: 'string', value: 'H', default: 'all interfaces', description: 'The interface to bind, e.g. 127.0.0.1.' },
      'whatsapp-web': { type: 'boolean', description: 'Run the WhatsApp Web channel (manifest.json whatsapp.web).' },
      'whatsapp-cloud': { type: 'boolean', description: 'Serve the WhatsApp Cloud API webhook (manifest.json whatsapp.cloud).' },
      'allow-volatile-redis': { type: 'boolean', default: 'HANDOVER_ALLOW_VOLATILE_REDIS', description: 'Start on a Redis that can lose data, with a loud warning.' },
      'demo-customer': { type: 'string', value: 'ID', default: 'WEBCHAT_DEMO_CUSTOMER, else none', description: 'Demo only: the demo page signs in as this customer of data/customers.json.' },
    },
    examples: ['handover start --port 8080', 'REDIS_URL=redis://127.0.0.1:6379 handover start --whatsapp-cloud', 'handover start --demo-customer c-1001'],
    check: (v) => {
      if (v['port'] !== undefined) {
        const n = Number(v['port']);
        if (v['port'] === '' || !Number.isInteger(n) || n < 0 || n > 65535) return '--port needs a TCP port number';
      }
      if (v['host'] === '') return '--host needs an interface, e.g. 127.0.0.1';
      if (v['demo-customer'] === '') return '--demo-customer needs a customer id of data/customers.json, e.g. c-1001';
      return undefined;
    },
  },
  {
    name: 'hash-password',
    description: "Read a password from stdin (typed without echo on a terminal), print its scrypt hash for manifest.json (console.agents[].passwordHash).",
    flags: {},
    examples: ["printf 'correct horse battery staple\\n' | handover hash-password"],
  },
  {
    name: 'help',
    operands: '[COMMAND]',
    maxOperands: 1,
    description: 'Print the list of commands, or the help of one command (same as handover COMMAND --help).',
    flags: {},
    examples: ['handover help start'],
  },
];

/**
 * The spec of a command, or undefined.
 *
 * @example
 * commandSpec('erase')?.flags.customer.required; // true
 */
export function commandSpec(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

const flagWord = (name: string, f: FlagSpec): string => `--${name}${f.value === undefined ? '' : ` ${f.value}`}`;

/**
 * `chat [--customer ID] [--locale en|pt-BR|es]`: the command's synopsis.
 *
 * @example
 * synopsis(commandSpec('lint')!); // 'lint [--dir DIR]'
 */
export function synopsis(spec: CommandSpec): string {
  const flags = Object.entries(spec.flags).map(([n, f]) => (f.required === true ? flagWord(n, f) : `[${flagWord(n, f)}]`));
  return [spec.name, ...(spec.operands === undefined ? [] : [spec.operands]), ...flags].join(' ');
}

function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.map((l) => indent + l).join('\n');
}

/**
 * `handover <command> --help`: synopsis, description, every flag with its default, examples.
 *
 * @example
 * process.stdout.write(commandHelp(commandSpec('lint')!));
 */
export function commandHelp(spec: CommandSpec): string {
  const rows = [...Object.entries(spec.flags), ['help', HELP_FLAG] as const].map(([n, f]) => {
    const left = `${f.short === undefined ? '    ' : `-${f.short}, `}${flagWord(n, f)}`;
    const right = `${f.description}${f.required === true ? ' Required.' : ''}${f.default === undefined ? '' : ` (default: ${f.default})`}`;
    return { left, right };
  });
  const col = Math.min(32, Math.max(...rows.map((r) => r.left.length)) + 2);
  const options = rows.map((r) => `  ${r.left.padEnd(col)}${wrap(r.right, 96 - col, ' '.repeat(col + 2)).trimStart()}`);
  return [
    `Usage: handover ${synopsis(spec)}`,
    '',
    wrap(spec.description, 96, ''),
    '',
    'Options:',
    ...options,
    '',
    spec.examples.length === 1 ? 'Example:' : 'Examples:',
    ...spec.examples.map((e) => `  ${e}`),
    '',
  ].join('\n');
}

/**
 * `handover help`: every command's synopsis and what it does, the environment, the exit statuses.
 *
 * @example
 * process.stdout.write(overview());
 */
export function overview(): string {
  const commands = COMMANDS.map((c) => {
    const first = c.description.split(/(?<=\.) /)[0]!;
    return `  ${synopsis(c)}\n${wrap(first, 75, '                     ')}`;
  });
  return `Usage: handover <command> [options]

Commands:
${commands.join('\n')}

Run "handover <command> --help" (or "handover help <command>") for a command's flags, defaults and examples.

Environment: REDIS_URL (switches the store to Redis), PORT (default 3978),
  HANDOVER_API_TOKENS="name:token,…" (bearer tokens for the HTTP API), WEBCHAT_SECRET (token
  secret shared by every process), PUBLIC_BASE_URL (https://… behind a proxy: secure cookies),
  HANDOVER_ALLOW_VOLATILE_REDIS=1 (same as --allow-volatile-redis), WEBCHAT_CUSTOMER_SECRET
  (verifies the site's signed customer tokens, docs/webchat.md), WEBCHAT_ANONYMOUS=off (signed-in
  customers only), WEBCHAT_DEMO_CUSTOMER (same as --demo-customer), LOG_LEVEL (debug, info, warn,
  error, silent; default info), LOG_FORMAT (json or pretty; default json unless stdout is a
  terminal, json when NODE_ENV=production).
Exit status: 0 ok, 1 a scenario failed, 2 bad input.
`;
}

/**
 * Parses a command's arguments strictly. `--help`/`-h` gives `{ values: { help: true } }` whatever
 * else is there (checks skipped). Throws {@link UsageError} for an unknown flag, a missing value, a
 * value given to a boolean flag, a missing required flag, too few or too many operands, or what
 * `spec.check` refuses.
 *
 * @example
 * parseCommand(commandSpec('start')!, ['--port', '8080']); // { values: { port: '8080' }, positionals: [] }
 * parseCommand(commandSpec('start')!, ['--bogus']);        // throws UsageError('unknown option --bogus')
 */
export function parseCommand(spec: CommandSpec, args: readonly string[]): ParsedCommand {
  if (args.includes('--help') || args.includes('-h')) {
    const before = args.slice(0, args.indexOf('--') < 0 ? undefined : args.indexOf('--'));
    if (before.includes('--help') || before.includes('-h')) return { values: { help: true }, positionals: [] };
  }
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [n, f] of Object.entries(spec.flags)) options[n] = { type: f.type, ...(f.short === undefined ? {} : { short: f.short }) };
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true }) as typeof parsed;
  } catch (e) {
    throw new UsageError(explain(e, spec));
  }
  const max = spec.maxOperands ?? 0;
  const min = spec.minOperands ?? 0;
  if (parsed.positionals.length > max) {
    const extra = parsed.positionals[max]!;
    throw new UsageError(max === 0 ? `unexpected argument ${JSON.stringify(extra)}: ${spec.name} takes only flags` : `unexpected argument ${JSON.stringify(extra)}`);
  }
  if (parsed.positionals.length < min) throw new UsageError(spec.operandsMissing ?? `${spec.name} needs ${spec.operands ?? 'more arguments'}`);
  for (const [n, f] of Object.entries(spec.flags)) if (f.required === true && parsed.values[n] === undefined) throw new UsageError(`${flagWord(n, f)} is required`);
  const problem = spec.check?.(parsed.values);
  if (problem !== undefined) throw new UsageError(problem);
  return { values: parsed.values, positionals: parsed.positionals };
}

/** parseArgs' errors in the words of the rest of the CLI: `unknown option --x`, `--store needs a value: …`. */
function explain(e: unknown, spec: CommandSpec): string {
  const code = (e as { code?: string }).code;
  const message = e instanceof Error ? e.message : String(e);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = /'([^']+)'/.exec(message)?.[1] ?? message;
    return `unknown option ${flag.startsWith('-') ? flag : `-${flag}`}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = /'--([\w-]+)/.exec(message)?.[1];
    const f = name === undefined ? undefined : spec.flags[name];
    if (f !== undefined && f.type === 'string') return `--${name} needs a value${f.value === undefined ? '' : `: ${f.value}`}`;
    if (f !== undefined) return `--${name} takes no value`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return message;
  return message;
}
