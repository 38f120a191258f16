/**
 * Benchmark: the Redis store scaled out over two processes (bench/redis-worker.ts, forked), both
 * running the sample bot behind HandoffMiddleware on one Redis and one prefix.
 *
 * - Serial: one conversation per process, one turn at a time: a turn's own cost on Redis.
 * - Saturated: 1,000 conversations (500 per process) each sending its next message as soon as the
 *   answer came: the most turns per second the pair can do; latency there is mostly queueing.
 * - Paced: the same 1,000 conversations with a think time between messages (a fixed offered load
 *   below saturation): the turn latency a customer sees. Two paces: 1–3 s between messages (a
 *   stress load, ~500 turns/s) and 5–15 s (people reading and typing, ~100 turns/s, with a
 *   hand-off every 250 ms). Turns are timed once the first messages have spread over one think time.
 * - Trigger to agent: during the paced run, process A hands a conversation off every 50 ms;
 *   process B (subscribed to `handoff.requested`, as an agent console is) reads the briefing.
 *   Measured from just before the triggering turn on A to the briefing in hand on B.
 * - Floor: what any Redis-backed turn costs here, a turn that makes only a calm turn's store calls
 *   (two round trips, no bot, no middleware). Serial: one such conversation per process right after
 *   the serial load. Paced: 50 probe conversations per process inside the load itself, at its pace,
 *   timed apart, so they see the same machine, Redis and queueing (ratio reported); and, right
 *   after the load, the same 1,000 conversations with store-only turns and nothing else running.
 * - Memory: MEMORY USAGE summed over the prefix's keys, divided by the conversations created.
 * The prefix is deleted afterwards. Workers run with Node's default flags; BENCH_WORKER_FLAGS adds
 * some (e.g. `--max-semi-space-size=64`), BENCH_THINK_MS changes the paced think time (default 2000).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { deleteKeysByPrefix } from '../src/store/redis/delete-keys.js';
import { RedisKeys } from '../src/store/redis/keys.js';
import type { RedisClient } from '../src/store/redis/redis-connection.js';
import { quantile, stats, type LatencyStats } from './middleware.js';
import type { LoadResult, WatchResult, WorkerReply, WorkerRequest } from './redis-worker.js';

/** Request types without the sequence number the IPC wrapper adds. */
type Ask = WorkerRequest extends infer R ? (R extends { seq: number } ? Omit<R, 'seq'> : never) : never;

/** A forked worker with request/response over IPC. */
class Worker {
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private constructor(private readonly child: ChildProcess) {
    child.on('message', (r: WorkerReply) => {
      const w = this.waiting.get(r.seq);
      this.waiting.delete(r.seq);
      if (r.ok) w?.resolve(r.result);
      else w?.reject(new Error(r.error));
    });
    child.on('exit', (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`bench worker exited with ${code}`));
      this.waiting.clear();
    });
  }

  static spawn(): Worker {
    // stdout ignored: the bench prints its JSON there; the worker's diagnostics go to stderr
    const flags = (process.env.BENCH_WORKER_FLAGS ?? '').split(' ').filter((f) => f !== '');
    return new Worker(fork(join(__dirname, 'redis-worker.ts'), [], { execArgv: [...flags, '--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env: { ...process.env, DOTENV_CONFIG_QUIET: 'true' } }));
  }

  ask<T>(req: Ask): Promise<T> {
    const seq = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(seq, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ ...req, seq });
    });
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

const PER_PROCESS = 500;
/** Probe conversations beside each paced load, per process (a 10 % extra of store-only turns). */
const PROBES_PER_PROCESS = 50;
const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;

/**
 * The Redis scale-out section of `npm run bench`.
 *
 * @example
 * const figures = await benchRedis({ url: 'redis://127.0.0.1:6379' });
 */
export async function benchRedis(
  opts: { url?: string; warmMs?: number; serialMs?: number; saturatedMs?: number; pacedMs?: number; thinkMs?: number; humanMs?: number; humanThinkMs?: number; triggerEveryMs?: number } = {},
): Promise<Record<string, unknown>> {
  const url = opts.url ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const warmMs = opts.warmMs ?? 2_000;
  const serialMs = opts.serialMs ?? 3_000;
  const triggerEveryMs = opts.triggerEveryMs ?? 50;
  const saturatedMs = opts.saturatedMs ?? 10_000;
  const pacedMs = opts.pacedMs ?? 15_000;
  const thinkMs = opts.thinkMs ?? Number(process.env.BENCH_THINK_MS ?? 2_000);
  // people in a chat: a reply read and the next message typed, 5–15 s
  const humanThinkMs = opts.humanThinkMs ?? 10_000;
  const humanMs = opts.humanMs ?? 40_000;
  const section = 'Redis store, 2 processes × 500 concurrent conversations (sample bot)';
  const admin: RedisClient = createClient({ url, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  admin.on('error', () => {});
  try {
    await admin.connect();
  } catch (e) {
    const why = `no Redis answers at ${url} (${(e as Error).message}): start one with \`redis-server --daemonize yes\` or set REDIS_URL`;
    process.stderr.write(`bench: skipping the Redis section: ${why}\n`);
    return { section, skipped: why };
  }
  const prefix = `handover-bench:${process.pid}:${Date.now()}`;
  // Other work on the machine shows in the tails: the 1-minute load average is reported beside the figures.
  const loadBefore = loadavg()[0] ?? 0;
  const workers = [Worker.spawn(), Worker.spawn()] as const;
  const [a, b] = workers;
  try {
    await Promise.all(workers.map((w, i) => w.ask({ cmd: 'start', url, prefix, node: `bench-${i + 1}` })));
    const load = (w: Worker, durationMs: number, think: number, triggers = 0, conversations = PER_PROCESS, every = triggerEveryMs, floor = false) =>
      // paced loads are timed once the first messages have spread over one think time; they carry probes
      w.ask<LoadResult>({ cmd: 'load', conversations, durationMs, thinkMs: think, triggers, triggerEveryMs: every, measureAfterMs: think, floor, probes: think > 0 && !floor ? PROBES_PER_PROCESS : 0 });
    // the floor of a load: the same conversations at the same pace, each turn only a calm turn's store calls
    const floorOf = (durationMs: number, think: number, conversations = PER_PROCESS) => Promise.all(workers.map((w) => load(w, durationMs, think, 0, conversations, 0, true)));

    // warm-up: JIT, script cache, connections
    const warm = await Promise.all(workers.map((w) => w.ask<LoadResult>({ cmd: 'load', conversations: 50, durationMs: warmMs, thinkMs: 0, triggers: 0, triggerEveryMs: 0 })));

    // the floor: one conversation per process, one turn at a time (every turn's Redis round trips, no queueing)
    const serial = await Promise.all([load(a, serialMs, 0, 0, 1), load(b, serialMs, 0, 0, 1)]);
    const serialFloor = await floorOf(serialMs, 0, 1);

    const saturated = await Promise.all([load(a, saturatedMs, 0), load(b, saturatedMs, 0)]);

    await b.ask({ cmd: 'watch' });
    const paced = await Promise.all([load(a, pacedMs, thinkMs, Math.floor(pacedMs / triggerEveryMs)), load(b, pacedMs, thinkMs)]);
    // the last hand-offs' events may still be on their way: wait (at most 2 s) until each has its briefing
    let watched = await b.ask<WatchResult>({ cmd: 'collect' });
    for (const until = performance.now() + 2_000; performance.now() < until && Object.keys(paced[0].triggeredAt).some((id) => watched.briefingAt[id] === undefined); ) {
      await new Promise((r) => setTimeout(r, 50));
      watched = await b.ask<WatchResult>({ cmd: 'collect' });
    }
    // the floor alone: the same 1,000 conversations at the same pace, store-only turns, no bot running at all
    const pacedAlone = await floorOf(pacedMs, thinkMs);

    // the same 1,000 conversations at a person's pace, with a hand-off every 250 ms on process A
    const human = await Promise.all([load(a, humanMs, humanThinkMs, Math.floor(humanMs / 250), PER_PROCESS, 250), load(b, humanMs, humanThinkMs)]);
    const humanAlone = await floorOf(humanMs, humanThinkMs);

    const toEvent: number[] = [];
    const toBriefing: number[] = [];
    for (const [id, t0] of Object.entries(paced[0].triggeredAt)) {
      const e = watched.eventAt[id];
      const p = watched.briefingAt[id];
      if (e !== undefined) toEvent.push(e - t0);
      if (p !== undefined) toBriefing.push(p - t0);
    }
    const triggered = Object.keys(paced[0].triggeredAt).length;

    const conversations = [...warm, ...serial, ...saturated, ...paced, ...human, ...serialFloor, ...pacedAlone, ...humanAlone].reduce((n, r) => n + r.conversations, 0) + triggered + human.reduce((n, r) => n + Object.keys(r.triggeredAt).length, 0);
    const memory = await memoryUsage(admin, prefix);
    const turns = (rs: readonly LoadResult[]) => rs.reduce((n, r) => n + r.latenciesMs.length, 0);
    const merged = (rs: readonly LoadResult[]) => rs.flatMap((r) => r.latenciesMs);
    const wall = (rs: readonly LoadResult[]) => Math.max(...rs.map((r) => r.wallMs));
    const ratios = (r: LatencyStats, f: LatencyStats) => ({ p50: round(r.p50Ms / Math.max(1e-6, f.p50Ms), 2), p99: round(r.p99Ms / Math.max(1e-6, f.p99Ms), 2) });
    /** The serial load beside its floor (run right after it), and their ratios. */
    const withFloor = (real: readonly LoadResult[], floor: readonly LoadResult[]) => {
      const r = stats(merged(real), wall(real));
      const f = stats(merged(floor), wall(floor));
      return { ...r, floor: { what: 'one conversation per process, one turn at a time, each turn only the store calls of a calm turn (two round trips, no bot, no middleware)', ...f }, ratioToFloor: ratios(r, f) };
    };
    /** A paced load beside its probes (store-only turns run within it) and its floor alone (the same pace, nothing else running), with the ratios. */
    const withFloors = (real: readonly LoadResult[], alone: readonly LoadResult[]) => {
      const r = stats(merged(real), wall(real));
      const under = stats(real.flatMap((x) => x.probeLatenciesMs), wall(real));
      const by = stats(merged(alone), wall(alone));
      return {
        ...r,
        floor: { what: `${PROBES_PER_PROCESS} probe conversations per process inside this load, at its pace, each turn only the store calls of a calm turn: what a turn with no work of its own waits for under this load (the machine, Redis, the other turns' work)`, ...under },
        ratioToFloor: ratios(r, under),
        floorAlone: { what: 'right after, the same conversations at the same pace with store-only turns and nothing else running: the machine and Redis alone', ...by, gcPerProcess: alone.map((x) => x.gc) },
      };
    };
    const info = await admin.info('server');
    return {
      section,
      machine: {
        cpus: cpus().length,
        node: process.version,
        redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
        loadAverage1m: { before: round(loadBefore, 2), after: round(loadavg()[0] ?? 0, 2) },
      },
      serial: {
        what: 'one conversation per process, one turn at a time: the cost of a turn on Redis without any queueing',
        ...withFloor(serial, serialFloor),
        gcPerProcess: serial.map((r) => r.gc),
      },
      saturated: {
        what: 'closed loop: each conversation sends its next message as soon as the answer came (latency = mostly queueing behind the other 499)',
        ...stats(merged(saturated), wall(saturated)),
        turnsPerSecondPerProcess: saturated.map((r) => Math.round((r.latenciesMs.length / r.wallMs) * 1000)),
        unexpectedHandoffs: saturated.reduce((n, r) => n + r.handoffs, 0),
      },
      paced: {
        what: `each conversation waits ${thinkMs / 2}–${(thinkMs * 3) / 2} ms (mean ${thinkMs}) between messages; offered ≈ ${Math.round((2 * PER_PROCESS * 1000) / thinkMs)} turns/s`,
        ...withFloors(paced, pacedAlone),
        turnsMeasured: turns(paced),
        unexpectedHandoffs: paced.reduce((n, r) => n + r.handoffs, 0),
        gcPerProcess: paced.map((r) => r.gc),
      },
      pacedHuman: {
        what: `each conversation waits ${humanThinkMs / 2}–${(humanThinkMs * 3) / 2} ms (mean ${humanThinkMs}, a person reading and typing) between messages, a hand-off every 250 ms on process A; offered ≈ ${Math.round((2 * PER_PROCESS * 1000) / humanThinkMs)} turns/s`,
        ...withFloors(human, humanAlone),
        turnsMeasured: turns(human),
        unexpectedHandoffs: human.reduce((n, r) => n + r.handoffs, 0),
        gcPerProcess: human.map((r) => r.gc),
      },
      triggerToAgent: {
        what: 'from just before the triggering turn on process A to process B having the handoff.requested event / the briefing read from Redis',
        triggered,
        event: latency(toEvent),
        briefing: latency(toBriefing),
        missing: triggered - toBriefing.length,
      },
      redisMemory: { conversations, ...memory, bytesPerConversation: Math.round(memory.bytes / Math.max(1, conversations)) },
    };
  } finally {
    await Promise.allSettled(workers.map((w) => w.ask({ cmd: 'stop' })));
    for (const w of workers) w.kill();
    try {
      await deleteKeysByPrefix(admin, new RedisKeys(prefix));
    } finally {
      await admin.close();
    }
  }
}

function latency(samples: number[]): { count: number; p50Ms: number; p99Ms: number; maxMs: number } {
  const s = [...samples].sort((x, y) => x - y);
  const q = (p: number) => quantile(s, p);
  return { count: s.length, p50Ms: round(q(0.5)), p99Ms: round(q(0.99)), maxMs: round(s.at(-1) ?? 0) };
}

/** MEMORY USAGE of every key under the prefix, in total and by kind (the key's first segment). */
async function memoryUsage(admin: RedisClient, prefix: string): Promise<{ keys: number; bytes: number; bytesByKind: Record<string, number>; scanMs: number }> {
  const t0 = performance.now();
  const byKind: Record<string, number> = {};
  let keys = 0;
  let bytes = 0;
  for await (const batch of admin.scanIterator({ MATCH: new RedisKeys(prefix).pattern(), COUNT: 1000 })) {
    const sizes = await Promise.all(batch.map((k) => admin.memoryUsage(k)));
    batch.forEach((k, i) => {
      const n = sizes[i] ?? 0;
      const rest = k.slice(prefix.length + 1);
      const kind = rest.startsWith('doc:') ? `doc:${rest.slice(4).split(/[:/]/)[0]}` : (rest.split(/[:{]/)[0] ?? rest);
      byKind[kind] = (byKind[kind] ?? 0) + (n ?? 0);
      bytes += n ?? 0;
      keys++;
    });
  }
  return { keys, bytes, bytesByKind: byKind, scanMs: round(performance.now() - t0, 0) };
}
