/**
 * One handover node for the Redis benchmark, run in its own process by bench/redis.ts
 * (child_process.fork): the sample bot behind HandoffMiddleware on a SimAdapter, on the Redis store
 * under the benchmark's prefix, with a delivery listener on its own route. The parent drives it
 * over IPC: `load` (many concurrent conversations), `trigger` (hand-offs whose start it stamps),
 * `watch` (stamp when a briefing from another process arrives), `stop`.
 *
 * Times that cross processes are `performance.timeOrigin + performance.now()`: sub-millisecond
 * wall-clock time on the same machine, comparable between the two workers.
 */
// botbuilder loaded with native async functions, as `handover start` runs it (src/internals/native-async.ts)
import '../src/runtime/install-native-async.js';
import { readFileSync } from 'node:fs';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { createHandover } from '../src/app.js';
import { attachAgentDelivery } from '../src/bridge/agent-delivery.js';
import { SimAdapter } from '../src/channels/sim/sim-adapter.js';
import { readScenarios, type Scenario } from '../src/cli/scenario.js';
import { parseManifest } from '../src/config/load-config.js';
import type { CustomerProfile } from '../src/core/conversation.js';
import { StaticCustomerDirectory } from '../src/core/static-customer-directory.js';
import { conversationId, type ConversationId } from '../src/core/ids.js';
import { memoryKey } from '../src/handoff/conversation-memory.js';
import { createRedisStores } from '../src/store/redis/index.js';

/**
 * What the parent asks (bench/redis.ts adds `seq` and matches the reply by it).
 *
 * @example
 * child.send({ seq: 1, cmd: 'start', url: 'redis://127.0.0.1:6379', prefix: 'handover-bench:1', node: 'bench-1' } satisfies WorkerRequest);
 */
export type WorkerRequest =
  | { readonly seq: number; readonly cmd: 'start'; readonly url: string; readonly prefix: string; readonly node: string }
  | {
      readonly seq: number;
      readonly cmd: 'load';
      /** Concurrent conversations this process drives. */
      readonly conversations: number;
      readonly durationMs: number;
      /** Pause between one conversation's turns; 0 = closed loop (next turn as soon as the answer came). */
      readonly thinkMs: number;
      /** Stamp this many hand-offs, one every `triggerEveryMs`, while the load runs. */
      readonly triggers: number;
      readonly triggerEveryMs: number;
      /** Turns starting earlier than this after the load began are not timed (the ramp-up while first messages spread out). */
      readonly measureAfterMs?: number;
      /**
       * The floor: each turn makes only the store calls of a calm turn (the same two round trips, the
       * same keys and about the same bytes), with no bot and no middleware. What any Redis-backed turn
       * costs on this machine at this load; the real turn's latency minus this is the turn's own.
       */
      readonly floor?: boolean;
      /**
       * Probe conversations run beside the load, at its pace, each turn only a calm turn's store calls
       * (as `floor`), timed apart: what a turn with no work of its own waits for under this very load
       * (the machine, Redis, the other turns' CPU). Not counted in `conversations`.
       */
      readonly probes?: number;
    }
  | { readonly seq: number; readonly cmd: 'watch' }
  | { readonly seq: number; readonly cmd: 'collect' }
  | { readonly seq: number; readonly cmd: 'stop' };

/**
 * What a `load` returns.
 *
 * @example
 * const r = await worker.ask<LoadResult>({ cmd: 'load', conversations: 500, durationMs: 10_000, thinkMs: 0, triggers: 0, triggerEveryMs: 50 });
 * r.latenciesMs.length / r.wallMs * 1000; // turns per second
 */
export interface LoadResult {
  readonly latenciesMs: number[];
  /** The probes' turn latencies (see `probes`), empty without probes. */
  readonly probeLatenciesMs: number[];
  readonly wallMs: number;
  readonly conversations: number;
  readonly handoffs: number;
  /** Hand-off conversation id -> wall-clock ms just before its triggering turn started. */
  readonly triggeredAt: Record<string, number>;
  /** Young-generation collections (scavenges) during the load, and the turns one of them paused. */
  readonly gc: GcSummary;
}

/**
 * The scavenges seen during a load: how many, their pauses, and the share of turns slower than
 * 5 ms that overlapped one (a turn during a pause waits for it whatever the store does).
 *
 * @example
 * const { scavenges, pauseP50Ms, slowTurnsOverlappingGc } = result.gc;
 */
export interface GcSummary {
  readonly scavenges: number;
  readonly pauseP50Ms: number;
  readonly pauseMaxMs: number;
  readonly markCompacts: number;
  readonly slowTurns: number;
  readonly slowTurnsOverlappingGc: number;
}

/**
 * What `collect` returns on the watching process: id -> when the event came, when the briefing was read.
 *
 * @example
 * const { briefingAt } = await worker.ask<WatchResult>({ cmd: 'collect' });
 */
export interface WatchResult {
  readonly eventAt: Record<string, number>;
  readonly briefingAt: Record<string, number>;
}

/**
 * The worker's answer to one request.
 *
 * @example
 * child.on('message', (r: WorkerReply) => (r.ok ? resolve(r.result) : reject(new Error(r.error))));
 */
export type WorkerReply = { readonly seq: number; readonly ok: true; readonly result: unknown } | { readonly seq: number; readonly ok: false; readonly error: string };

const wallNow = (): number => performance.timeOrigin + performance.now();

/** Every GC pause of this process (start, duration, kind: 1 scavenge, 4 mark-compact), kept for the current load. */
const pauses: { start: number; duration: number; kind: number }[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) pauses.push({ start: e.startTime, duration: e.duration, kind: ((e as PerformanceEntry & { detail?: { kind?: number } }).detail)?.kind ?? 0 });
}).observe({ entryTypes: ['gc'] });

function summarizeGc(turns: readonly { start: number; ms: number }[]): GcSummary {
  const scavenges = pauses.filter((p) => p.kind === 1).map((p) => p.duration).sort((x, y) => x - y);
  const slow = turns.filter((t) => t.ms > 5);
  const overlapping = slow.filter((t) => pauses.some((p) => p.start < t.start + t.ms && p.start + p.duration > t.start)).length;
  const r = (n: number) => Math.round(n * 100) / 100;
  return {
    scavenges: scavenges.length,
    pauseP50Ms: r(scavenges[Math.floor(scavenges.length / 2)] ?? 0),
    pauseMaxMs: r(scavenges.at(-1) ?? 0),
    markCompacts: pauses.filter((p) => p.kind === 4).length,
    slowTurns: slow.length,
    slowTurnsOverlappingGc: overlapping,
  };
}
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const TRIGGER = 'trig';

const manifest = parseManifest(JSON.parse(readFileSync('manifest.json', 'utf8')));
const scenarios: Scenario[] = [...readScenarios('../shared/scenarios/acme-en.json'), ...readScenarios('test/scenarios/acme-more-en.json')];
/** Scenarios that stay with the bot: the load is bot turns, as in bench/middleware.ts. */
const calm = scenarios.filter((s) => s.expect?.handoff === null);
const customers: CustomerProfile[] = scenarios.map((s) => s.customer);

type Node = Awaited<ReturnType<typeof startNode>>;
let node: Node | undefined;
/** Each load gets fresh conversation ids: a reused id would carry the previous run's fallbacks. */
let phase = 0;
const eventAt: Record<string, number> = {};
const briefingAt: Record<string, number> = {};

async function startNode(url: string, prefix: string, name: string) {
  const stores = await createRedisStores({ url, prefix, onError: (e) => process.stderr.write(`bench worker ${name}: store error ${String(e)}\n`) });
  let handoffs = 0;
  const app = createHandover({
    manifest,
    stores,
    directory: new StaticCustomerDirectory(customers),
    route: () => name,
    onDecision: (d) => {
      if (d.handoff !== null) handoffs++;
    },
    onError: (e, where) => process.stderr.write(`bench worker ${name}: ${where}: ${String(e)}\n`),
  });
  // replies are not kept for the whole conversation (no real channel does): only the turn's
  const adapter = new SimAdapter('webchat', { keepSent: false });
  adapter.use(app.middleware);
  const stopDelivery = await attachAgentDelivery({ adapter, stores, route: name });
  return { name, stores, app, adapter, stopDelivery, handoffs: () => handoffs };
}

async function turn(n: Node, conversation: string, userId: string, text: string, locale: string): Promise<void> {
  await n.adapter.receive({ conversationId: conversation, userId, text, locale }, (ctx) => n.app.bot.run(ctx));
}

/** A real conversation memory (about 2 KB), read after the first real load: what a floor turn writes. */
let sampleMemory: unknown;
const BOT_STATE_SAMPLE = { router: { expecting: null, activeIntent: null, fallbacks: 0 }, dialogState: { dialogStack: [] } };

/**
 * A calm turn's store traffic and nothing else (see `floor`): batch 1 appends the customer's line
 * and reads ownership, memory and bot state; batch 2 writes bot state and memory (eTag
 * compare-and-set scripts) and appends the bot's line.
 */
async function floorTurn(n: Node, conversation: string, text: string): Promise<void> {
  const id: ConversationId = conversationId(`webchat:${conversation}`);
  const { documents, handoffs, transcripts } = n.stores;
  const botKey = `botstate:webchat/conversations/${conversation}/`;
  const at = Date.now();
  const [, , memory] = await Promise.all([
    transcripts.append(id, { at, from: 'customer', type: 'message', text }),
    handoffs.get(id),
    documents.read(memoryKey(id)),
    documents.read(botKey),
  ]);
  await Promise.all([
    documents.write(botKey, BOT_STATE_SAMPLE, '*'),
    transcripts.append(id, { at, from: 'bot', type: 'message', text: 'Thanks, that is noted.' }),
    documents.write(memoryKey(id), sampleMemory, memory?.eTag),
  ]);
}

/** The channel's conversation id of slot k's run-th conversation in load number `load` (probes apart). */
const conversationName = (n: Node, load: number, k: number, run: number, probe = false): string => `${n.name}-${load}-${probe ? 'p' : ''}${k}-${run}`;

async function load(n: Node, req: Extract<WorkerRequest, { cmd: 'load' }>): Promise<LoadResult> {
  const timed: { start: number; ms: number }[] = [];
  const triggeredAt: Record<string, number> = {};
  pauses.length = 0;
  const handoffsBefore = n.handoffs();
  const run0 = ++phase;
  let conversations = 0;
  const start = performance.now();
  const end = start + req.durationMs;
  const measureFrom = start + (req.measureAfterMs ?? 0);
  const probeTimed: { start: number; ms: number }[] = [];
  const slot = async (k: number, probe = false): Promise<void> => {
    const floor = probe || req.floor === true;
    const sink = probe ? probeTimed : timed;
    // spread the first turns over one think time so the conversations do not move in lockstep
    if (req.thinkMs > 0) await sleep(Math.round(Math.random() * req.thinkMs));
    for (let run = 0; performance.now() < end; run++) {
      const s = calm[(k + run) % calm.length]!;
      const conversation = conversationName(n, run0, k, run, probe);
      if (!probe) conversations++;
      for (const t of s.turns) {
        if (performance.now() >= end) break;
        const t0 = performance.now();
        if (floor) await floorTurn(n, conversation, t.text);
        else await turn(n, conversation, s.customer.id, t.text, s.locale);
        if (t0 >= measureFrom) sink.push({ start: t0, ms: performance.now() - t0 });
        // (never past the end: the load stops on time)
        if (req.thinkMs > 0) await sleep(Math.round(Math.min(req.thinkMs * (0.5 + Math.random()), Math.max(0, end - performance.now()))));
      }
      n.adapter.clear(conversation);
    }
  };
  const triggers = async (): Promise<void> => {
    const customer = calm[0]!.customer.id;
    for (let i = 0; i < req.triggers && performance.now() < end; i++) {
      await sleep(req.triggerEveryMs);
      const conversation = `${TRIGGER}-${n.name}-${run0}-${i}`;
      await turn(n, conversation, customer, 'hi', 'en');
      const id = conversationId(`webchat:${conversation}`);
      triggeredAt[id] = wallNow();
      await turn(n, conversation, customer, 'I want to talk to a real person', 'en');
      n.adapter.clear(conversation);
    }
  };
  await Promise.all([...Array.from({ length: req.conversations }, (_, k) => slot(k)), ...Array.from({ length: req.probes ?? 0 }, (_, k) => slot(k, true)), triggers()]);
  if (sampleMemory === undefined && req.floor !== true) {
    sampleMemory = (await n.stores.documents.read(memoryKey(conversationId(`webchat:${conversationName(n, run0, 0, 0)}`))))?.value;
    if (sampleMemory === undefined) throw new Error('bench worker: no conversation memory to sample for the floor turns');
  }
  return {
    latenciesMs: timed.map((t) => t.ms),
    probeLatenciesMs: probeTimed.map((t) => t.ms),
    wallMs: performance.now() - measureFrom,
    conversations,
    handoffs: n.handoffs() - handoffsBefore - Object.keys(triggeredAt).length,
    triggeredAt,
    gc: summarizeGc(timed),
  };
}

function watch(n: Node): void {
  n.stores.events.subscribe(async (e) => {
    if (e.type !== 'handoff.requested' || !e.conversationId.startsWith(`webchat:${TRIGGER}-`)) return;
    eventAt[e.conversationId] = wallNow();
    // what an agent console does on the event: fetch the briefing
    await n.app.service.packet(e.conversationId);
    briefingAt[e.conversationId] = wallNow();
  });
}

async function handle(req: WorkerRequest): Promise<unknown> {
  switch (req.cmd) {
    case 'start':
      node = await startNode(req.url, req.prefix, req.node);
      return { pid: process.pid };
    case 'load':
      if (node === undefined) throw new Error('start first');
      return load(node, req);
    case 'watch':
      if (node === undefined) throw new Error('start first');
      watch(node);
      return null;
    case 'collect':
      return { eventAt, briefingAt } satisfies WatchResult;
    case 'stop':
      if (node !== undefined) {
        await node.stopDelivery();
        await node.stores.close();
      }
      node = undefined;
      setImmediate(() => process.disconnect?.());
      return null;
  }
}

process.on('message', (req: WorkerRequest) => {
  handle(req).then(
    (result) => process.send?.({ seq: req.seq, ok: true, result } satisfies WorkerReply),
    (e: unknown) => process.send?.({ seq: req.seq, ok: false, error: (e as Error).stack ?? String(e) } satisfies WorkerReply),
  );
});
