/**
 * Benchmark: the sample bot with and without HandoffMiddleware, on the memory store, in one run.
 * 10,000 customer turns each, from the scripted scenarios that stay with the bot (so both sides do
 * the same bot work), interleaved in blocks to cancel drift; plus the cost of handoff turns.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createHandover } from '../src/app.js';
import { ManualClock } from '../src/core/clock.js';
import { StaticCustomerDirectory } from '../src/core/static-customer-directory.js';
import type { CustomerProfile } from '../src/core/conversation.js';
import { parseManifest } from '../src/config/load-config.js';
import { SimAdapter } from '../src/channels/sim/sim-adapter.js';
import { createMemoryStores } from '../src/store/memory/index.js';
import { readScenarios, type Scenario } from '../src/cli/scenario.js';
import type { Middleware, TurnContext } from 'botbuilder';

/** Times the wrapped middleware's own work per turn: onTurn minus the time spent inside next(). */
class OwnTime implements Middleware {
  readonly samples: number[] = [];
  constructor(private readonly inner: Middleware) {}
  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    let inside = 0;
    const t0 = performance.now();
    await this.inner.onTurn(context, async () => {
      const a = performance.now();
      await next();
      inside += performance.now() - a;
    });
    this.samples.push(performance.now() - t0 - inside);
  }
}

export interface LatencyStats {
  turns: number;
  turnsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
}

/**
 * The p-quantile of ascending samples (the sample at rank ⌊p·n⌋, the last for p = 1; 0 for none).
 *
 * @example
 * quantile([1, 2, 3, 4], 0.5); // 3
 */
export function quantile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

export function stats(samples: number[], wallMs: number): LatencyStats {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => quantile(s, p);
  return {
    turns: s.length,
    turnsPerSecond: Math.round((s.length / wallMs) * 1000),
    p50Ms: round(q(0.5)),
    p99Ms: round(q(0.99)),
    meanMs: round(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)),
  };
}
const round = (n: number) => Math.round(n * 1000) / 1000;

export async function benchMiddleware(turnsPerSide = 10_000): Promise<Record<string, unknown>> {
  const manifest = parseManifest(JSON.parse(readFileSync('manifest.json', 'utf8')));
  const scenarios: Scenario[] = [...readScenarios('../shared/scenarios/acme-en.json'), ...readScenarios('test/scenarios/acme-more-en.json')];
  const calm = scenarios.filter((s) => s.expect?.handoff === null);
  const handing = scenarios.filter((s) => s.expect?.handoff !== null && s.expect !== undefined);
  const customers: CustomerProfile[] = scenarios.map((s) => s.customer);
  const directory = new StaticCustomerDirectory(customers);

  const own: OwnTime[] = [];
  const make = (withMiddleware: boolean) => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5));
    const app = createHandover({ manifest, stores: createMemoryStores(), directory, clock });
    const adapter = new SimAdapter('webchat', { keepSent: false });
    if (withMiddleware) {
      const timed = new OwnTime(app.middleware);
      own.push(timed);
      adapter.use(timed);
    }
    let conv = 0;
    /** Run one whole scenario; returns per-turn latencies (ms). */
    return async (s: Scenario): Promise<number[]> => {
      const id = `b-${++conv}`;
      const out: number[] = [];
      for (const t of s.turns) {
        clock.advanceMs(t.at * 1000);
        const t0 = performance.now();
        await adapter.receive({ conversationId: id, userId: s.customer.id, text: t.text, locale: s.locale }, (ctx) => app.bot.run(ctx));
        out.push(performance.now() - t0);
      }
      adapter.clear(id);
      return out;
    };
  };
  const bare = make(false);
  const wrapped = make(true);
  const ownTime = own[0]!;
  // warm-up: JIT, classifier caches
  for (let i = 0; i < 200; i++) {
    await bare(calm[i % calm.length]!);
    await wrapped(calm[i % calm.length]!);
  }
  ownTime.samples.length = 0; // drop the warm-up
  const a: number[] = [];
  const b: number[] = [];
  let wallA = 0;
  let wallB = 0;
  let i = 0;
  while (a.length < turnsPerSide || b.length < turnsPerSide) {
    const s = calm[i++ % calm.length]!;
    // alternate which side goes first to cancel ordering effects
    const order = i % 2 === 0 ? ([[bare, a, 'a'], [wrapped, b, 'b']] as const) : ([[wrapped, b, 'b'], [bare, a, 'a']] as const);
    for (const [run, into, side] of order) {
      if (into.length >= turnsPerSide) continue;
      const t0 = performance.now();
      into.push(...(await run(s)));
      if (side === 'a') wallA += performance.now() - t0;
      else wallB += performance.now() - t0;
    }
  }
  const without = stats(a.slice(0, turnsPerSide), wallA);
  const withMw = stats(b.slice(0, turnsPerSide), wallB);
  // handoff turns: the turn that decides, builds the briefing and queues (with middleware only)
  const handoffTurns: number[] = [];
  const wrappedH = make(true);
  for (let k = 0; k < 300; k++) {
    const s = handing[k % handing.length]!;
    const lat = await wrappedH(s);
    const at = (s.expect?.handoff?.turn ?? 1) - 1;
    if (lat[at] !== undefined) handoffTurns.push(lat[at]);
  }
  return {
    section: 'middleware (memory store, sample bot)',
    without,
    with: withMw,
    ratio: {
      turnsPerSecond: round(withMw.turnsPerSecond / without.turnsPerSecond),
      p50: round(withMw.p50Ms / without.p50Ms),
      p99: round(withMw.p99Ms / without.p99Ms),
    },
    // the middleware's own time per turn, measured inside the turn (onTurn minus next()): the
    // figure the 0.5 ms p99 target is about; the differences of the end-to-end percentiles above
    // also carry garbage-collection pauses that either side can trigger for the other
    middlewareOwnTimeMs: stats(ownTime.samples.slice(0, turnsPerSide), ownTime.samples.slice(0, turnsPerSide).reduce((x, y) => x + y, 0)),
    endToEndDifferenceMs: { p50: round(withMw.p50Ms - without.p50Ms), p99: round(withMw.p99Ms - without.p99Ms), mean: round(withMw.meanMs - without.meanMs) },
    handoffTurn: stats(handoffTurns, handoffTurns.reduce((x, y) => x + y, 0)),
  };
}
