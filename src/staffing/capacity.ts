/**
 * Can these agents do this work in this span? Work is per queue (contacts × average handling
 * time), agents bring their time in the span and may spend it on any of their queues (each
 * queue's share capped by its opening hours). An agent who works three queues is one person: her
 * half hour is booked once, not three times. The answer is a maximum flow
 * source → queue (work) → agent (queue's hours inside her shift) → sink (her shift), computed
 * with Edmonds–Karp on groups of identical agents (a group of n is one node with n times the
 * time; splitting its flow evenly gives each member a valid share, so the answer is exact).
 *
 * @example
 * const agents = [{ supplyMs: 1_800_000, edges: new Map([['support', 1_800_000], ['billing', 1_800_000]]) }];
 * fits(new Map([['support', 1_080_000], ['billing', 840_000]]), agents); // false: 32 minutes of work in 30
 */

/** One agent (or a group of identical agents) in a span: their time and what of it each queue may use. */
export interface SupplyNode {
  /** Milliseconds of work the agent (or group) can do in the span. */
  readonly supplyMs: number;
  /** Per queue, at most this many milliseconds of that time (the queue's hours inside the shift). */
  readonly edges: ReadonlyMap<string, number>;
}

/** How much of each queue's work the agents can do. */
export interface FlowResult {
  /** Work served, all queues. */
  readonly total: number;
  /** Work served per queue. */
  readonly served: ReadonlyMap<string, number>;
}

/** Rounding slack of the float arithmetic (a millisecond). */
const EPS = 1;

/**
 * The maximum work (ms) per queue that the agents can serve.
 *
 * @example
 * maxFlow(new Map([['sales', 3_600_000]]), [{ supplyMs: 1_800_000, edges: new Map([['sales', 1_800_000]]) }]).total; // 1_800_000
 */
export function maxFlow(demand: ReadonlyMap<string, number>, agents: readonly SupplyNode[]): FlowResult {
  const queues = [...demand.keys()].filter((q) => (demand.get(q) ?? 0) > 0);
  const served = new Map<string, number>(queues.map((q) => [q, 0]));
  if (queues.length === 0 || agents.length === 0) return { total: 0, served };
  // nodes: 0 source, 1..Q queues, Q+1..Q+A agents, Q+A+1 sink
  const Q = queues.length;
  const A = agents.length;
  const n = Q + A + 2;
  const sink = n - 1;
  const cap: Float64Array[] = Array.from({ length: n }, () => new Float64Array(n));
  const adj: number[][] = Array.from({ length: n }, () => []);
  const link = (u: number, v: number, c: number): void => {
    if (c <= 0) return;
    if (cap[u]![v] === 0 && cap[v]![u] === 0) {
      adj[u]!.push(v);
      adj[v]!.push(u);
    }
    cap[u]![v]! += c;
  };
  queues.forEach((q, i) => link(0, 1 + i, demand.get(q)!));
  agents.forEach((a, j) => {
    link(1 + Q + j, sink, a.supplyMs);
    queues.forEach((q, i) => link(1 + i, 1 + Q + j, Math.min(a.edges.get(q) ?? 0, a.supplyMs)));
  });
  let total = 0;
  const parent = new Int32Array(n);
  for (;;) {
    parent.fill(-1);
    parent[0] = 0;
    const queue = [0];
    for (let head = 0; head < queue.length && parent[sink] === -1; head++) {
      const u = queue[head]!;
      for (const v of adj[u]!) {
        if (parent[v] === -1 && cap[u]![v]! > EPS / 1000) {
          parent[v] = u;
          queue.push(v);
        }
      }
    }
    if (parent[sink] === -1) break;
    let push = Infinity;
    for (let v = sink; v !== 0; v = parent[v]!) push = Math.min(push, cap[parent[v]!]![v]!);
    for (let v = sink; v !== 0; v = parent[v]!) {
      const u = parent[v]!;
      cap[u]![v]! -= push;
      cap[v]![u]! += push;
    }
    total += push;
  }
  queues.forEach((q, i) => served.set(q, demand.get(q)! - cap[0]![1 + i]!));
  return { total, served };
}

/**
 * True when the agents can do all of this work in the span.
 *
 * @example
 * fits(new Map([['fraud', 1_200_000]]), [{ supplyMs: 1_800_000, edges: new Map([['fraud', 1_800_000]]) }]); // true
 */
export function fits(demand: ReadonlyMap<string, number>, agents: readonly SupplyNode[]): boolean {
  let want = 0;
  for (const d of demand.values()) want += Math.max(0, d);
  if (want <= 0) return true;
  return maxFlow(demand, agents).total >= want - EPS;
}

/**
 * The queues whose work is not all served (empty when everything fits).
 *
 * @example
 * shortQueues(new Map([['support', 3_600_000]]), oneAgentHalfHour); // ['support']
 */
export function shortQueues(demand: ReadonlyMap<string, number>, agents: readonly SupplyNode[]): string[] {
  const r = maxFlow(demand, agents);
  return [...demand].filter(([q, d]) => d > 0 && (r.served.get(q) ?? 0) < d - EPS).map(([q]) => q);
}

/**
 * Work maps added together.
 *
 * @example
 * addWork(new Map([['a', 1]]), new Map([['a', 2], ['b', 3]])); // Map { a: 3, b: 3 }
 */
export function addWork(...maps: ReadonlyMap<string, number>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of maps) for (const [k, v] of m) out.set(k, (out.get(k) ?? 0) + v);
  return out;
}
