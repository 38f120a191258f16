/**
 * The `handover` command: `simulate`, `chat` (the terminal demo), `eval`, `erase`, `lint`, `start`,
 * `hash-password`. Run `handover help` for the list and `handover <command> --help` for a command.
 *
 * Every command's arguments are parsed strictly first (commands.ts, node:util parseArgs); only
 * then is its module loaded, so help and bad flags answer at once, without the engine, botbuilder,
 * Redis or the recogniser. Exit status: 0 ok, 1 a scenario failed, 2 bad input.
 *
 * @example
 * process.exitCode = await main(['lint', '--dir', '.']);
 */
import { isHandoverError } from '../core/errors.js';
import { commandHelp, commandSpec, overview, parseCommand, UsageError, type ParsedValues } from './commands.js';

/** A command's module, loaded on demand (require: bin/handover.cjs runs through tsx's CommonJS hook, and dist/ is CommonJS). */
function load<T>(module: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose
  return require(module) as T;
}

const str = (v: ParsedValues, name: string): string | undefined => (typeof v[name] === 'string' ? (v[name] as string) : undefined);
const bool = (v: ParsedValues, name: string): boolean => v[name] === true;

async function run(cmd: string, values: ParsedValues, positionals: readonly string[]): Promise<number> {
  switch (cmd) {
    case 'simulate': {
      const m = load<typeof import('./simulate-command.js')>('./simulate-command.js');
      const store = str(values, 'store');
      return m.simulateCommand(positionals, { check: bool(values, 'check'), ...(store === undefined ? {} : { store }) });
    }
    case 'lint':
      return load<typeof import('./lint.js')>('./lint.js').lint({ dir: str(values, 'dir') ?? '.' });
    case 'eval': {
      const [kind, ...files] = positionals;
      const report = str(values, 'report');
      return load<typeof import('./eval.js')>('./eval.js').runEval({ kind: kind!, files, report: report ?? null }, process.stdout, process.stderr);
    }
    case 'chat': {
      const customer = str(values, 'customer');
      const locale = str(values, 'locale');
      return load<typeof import('./chat.js')>('./chat.js').chat({ ...(customer === undefined ? {} : { customer }), ...(locale === undefined ? {} : { locale }) });
    }
    case 'start': {
      const port = str(values, 'port');
      const host = str(values, 'host');
      const demoCustomer = str(values, 'demo-customer');
      return load<typeof import('./start.js')>('./start.js').start({
        ...(port === undefined ? {} : { port: Number(port) }),
        ...(host === undefined ? {} : { host }),
        ...(demoCustomer === undefined ? {} : { demoCustomer }),
        whatsappWeb: bool(values, 'whatsapp-web'),
        whatsappCloud: bool(values, 'whatsapp-cloud'),
        allowVolatileRedis: bool(values, 'allow-volatile-redis'),
      });
    }
    case 'erase': {
      const store = str(values, 'store');
      const prefix = str(values, 'prefix');
      const by = str(values, 'by');
      return load<typeof import('./erase.js')>('./erase.js').eraseCommand(
        { customer: str(values, 'customer')!, force: bool(values, 'force'), ...(store === undefined ? {} : { store }), ...(prefix === undefined ? {} : { prefix }), ...(by === undefined ? {} : { by }) },
        process.stdout,
        process.stderr,
      );
    }
    case 'hash-password':
      return load<typeof import('./start.js')>('./start.js').hashPasswordCommand(process.stdin, process.stdout);
    default:
      // every command of commands.ts has a runner here: only a new command without one gets here
      throw new Error(`no runner for ${cmd}`);
  }
}

function fail(message: string): number {
  process.stderr.write(`handover: ${message}\n`);
  return 2;
}

/**
 * Runs `handover <argv…>`; resolves with the exit status.
 *
 * @example
 * await main(['help', 'start']); // prints start's flags, 0
 */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h') {
    process.stdout.write(overview());
    return cmd === undefined ? 2 : 0;
  }
  const spec = commandSpec(cmd);
  if (spec === undefined) return fail(`unknown command "${cmd}"\nRun "handover help" for the list of commands.`);
  let parsed;
  try {
    parsed = parseCommand(spec, rest);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`handover ${cmd}: ${e.message}\nRun "handover ${cmd} --help" for usage.\n`);
    return 2;
  }
  if (parsed.values['help'] === true) {
    process.stdout.write(commandHelp(spec));
    return 0;
  }
  if (cmd === 'help') {
    const topic = parsed.positionals[0];
    if (topic === undefined) {
      process.stdout.write(overview());
      return 0;
    }
    const about = commandSpec(topic);
    if (about === undefined) return fail(`unknown command "${topic}"\nRun "handover help" for the list of commands.`);
    process.stdout.write(commandHelp(about));
    return 0;
  }
  try {
    return await run(cmd, parsed.values, parsed.positionals);
  } catch (e) {
    if (isHandoverError(e)) return fail(`${e.code}: ${e.message}`);
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`handover: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
