// Runs the middleware section in a child process (so it can use different V8 flags) and prints
// its JSON result on stdout.
// botbuilder loaded with native async functions, as `handover start` runs it (src/internals/native-async.ts)
import '../src/runtime/install-native-async.js';
import { benchMiddleware } from './middleware.js';

benchMiddleware(Number(process.env.BENCH_TURNS ?? 10_000)).then(
  (r) => process.stdout.write(JSON.stringify(r)),
  (e: unknown) => {
    process.stderr.write(String((e as Error).stack ?? e));
    process.exitCode = 1;
  },
);
