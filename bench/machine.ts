/**
 * Benchmark section "machine": how punctual this machine is with nothing of ours running. A 1 ms
 * interval timer in this otherwise idle process records the gap between its ticks for a few
 * seconds; a gap well over 1 ms is time the process was not run (the host, the kernel, other
 * tenants). Every latency tail in the other sections sits on top of this one.
 */
import { performance } from 'node:perf_hooks';
import { quantile } from './middleware.js';

/**
 * Tick gaps of an idle 1 ms timer: p50, p99, p99.9, max, and how many exceeded 5 ms.
 *
 * @example
 * const { p999Ms, over5ms } = await benchMachine(10_000);
 */
export async function benchMachine(durationMs = 10_000): Promise<Record<string, unknown>> {
  const gaps: number[] = [];
  await new Promise<void>((resolve) => {
    let last = performance.now();
    const end = last + durationMs;
    const tick = setInterval(() => {
      const now = performance.now();
      gaps.push(now - last);
      last = now;
      if (now >= end) {
        clearInterval(tick);
        resolve();
      }
    }, 1);
  });
  gaps.sort((a, b) => a - b);
  const q = (p: number) => Math.round(quantile(gaps, p) * 1000) / 1000;
  const stalls = gaps.filter((g) => g > 5);
  return {
    section: 'machine: an idle 1 ms timer (nothing of ours running)',
    durationMs,
    ticks: gaps.length,
    p50Ms: q(0.5),
    p99Ms: q(0.99),
    p999Ms: q(0.999),
    maxMs: q(1),
    over5ms: stalls.length,
    stalledMsPerSecond: Math.round((stalls.reduce((a, g) => a + g, 0) / (durationMs / 1000)) * 100) / 100,
  };
}
