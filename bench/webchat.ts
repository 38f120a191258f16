/**
 * Benchmark: 500 concurrent widget WebSocket connections on loopback against the real service
 * (`startService`: the sample bot behind the handoff middleware, memory store) in this process.
 * Latency is send → the bot's reply received (matched by `replyToId` to the echo of our message).
 *
 * Two phases on the same 500 connections:
 * - saturation: every connection sends its next message as soon as the reply arrives (no think
 *   time), so the figure is the most messages per second one process serves;
 * - steady: every connection sends one message every `paceMs` on average (random phase), an
 *   offered load well below saturation, which is what a busy support site looks like.
 *
 * The load generator runs in the same process and shares its CPU, so the figures are a floor.
 *
 * @example
 * const r = await benchWebchat({ connections: 500 });
 * r.saturation.messagesPerSecond; r.steady.p99Ms;
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { startService } from '../src/cli/start.js';
import type { ServerLog } from '../src/server/http-server.js';

type Json = Record<string, unknown>;

/** FAQ questions the bot answers in one turn without handing off. */
const QUESTIONS = ['what time do you open on saturday?', 'do you ship to canada', 'what is your return policy', 'what payment methods do you accept', 'where is your store located'];

/**
 * Options of {@link benchWebchat}.
 *
 * @example
 * await benchWebchat({ connections: 100, messagesPerConnection: 10, paceMs: 1000, steadyMs: 5000 });
 */
export interface WebchatBenchOptions {
  readonly connections?: number;
  /** Messages per connection in the saturation phase. */
  readonly messagesPerConnection?: number;
  /** Steady phase: mean gap between one connection's messages, and how long the phase lasts. */
  readonly paceMs?: number;
  readonly steadyMs?: number;
}

interface Phase {
  messages: number;
  messagesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

function phaseStats(samples: number[], wallMs: number): Phase {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
  const r = (n: number): number => Math.round(n * 100) / 100;
  return { messages: s.length, messagesPerSecond: Math.round((s.length / wallMs) * 1000), p50Ms: r(q(0.5)), p99Ms: r(q(0.99)), maxMs: r(s[s.length - 1] ?? 0) };
}

/** One customer on the widget protocol, one message in flight at a time. */
class BenchClient {
  private pending: { clientId: string; serverId?: string; sentAt: number; resolve: (ms: number) => void; reject: (e: Error) => void } | undefined;
  private seq = 0;
  private started: Promise<void>;
  private onStarted: () => void = () => {};

  private constructor(
    private readonly ws: WebSocket,
    private readonly n: number,
  ) {
    this.started = new Promise((resolve) => (this.onStarted = resolve));
    ws.on('message', (data) => this.onFrame(JSON.parse(data.toString()) as Json));
    ws.on('close', () => this.pending?.reject(new Error('socket closed')));
  }

  static async open(url: string, n: number): Promise<BenchClient> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const c = new BenchClient(ws, n);
    ws.send(JSON.stringify({ type: 'start', locale: 'en' }));
    await c.started;
    return c;
  }

  private onFrame(f: Json): void {
    if (f['type'] === 'session') this.onStarted();
    if (f['type'] !== 'activities' || !Array.isArray(f['activities'])) return;
    for (const a of f['activities'] as Json[]) {
      const from = a['from'] as Json | undefined;
      if (a['type'] !== 'message') continue;
      if (from?.['role'] === 'user') {
        const cd = a['channelData'] as Json | undefined;
        if (this.pending !== undefined && cd?.['clientActivityID'] === this.pending.clientId) this.pending.serverId = String(a['id']);
        continue;
      }
      if (this.pending === undefined) continue; // a greeting, if the bot sends one
      if (this.pending.serverId !== undefined && a['replyToId'] === this.pending.serverId) {
        const p = this.pending;
        this.pending = undefined;
        p.resolve(performance.now() - p.sentAt);
      }
    }
  }

  /** Sends one question; resolves with the milliseconds until the bot's reply arrived. */
  ask(): Promise<number> {
    const clientId = `b${this.n}-${this.seq++}`;
    const text = QUESTIONS[(this.n + this.seq) % QUESTIONS.length]!;
    return new Promise((resolve, reject) => {
      this.pending = { clientId, sentAt: performance.now(), resolve, reject };
      this.ws.send(JSON.stringify({ type: 'message', text, clientActivityId: clientId }));
    });
  }

  close(): void {
    this.ws.close();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs both phases; about 30 s with the defaults.
 *
 * @example
 * console.log(await benchWebchat());
 */
export async function benchWebchat(opts: WebchatBenchOptions = {}): Promise<Record<string, unknown>> {
  const connections = opts.connections ?? 500;
  const perConnection = opts.messagesPerConnection ?? 20;
  const paceMs = opts.paceMs ?? 2_000;
  const steadyMs = opts.steadyMs ?? 10_000;
  const errors: string[] = [];
  const log: ServerLog = { info: () => {}, error: (m, meta) => errors.push(`${m} ${JSON.stringify(meta ?? {})}`) };
  // every connection comes from 127.0.0.1: lift the per-IP limit on new conversations
  const svc = await startService({ port: 0, host: '127.0.0.1', store: 'memory', log, env: { ...process.env, REDIS_URL: '', HANDOVER_API_TOKENS: '', WEBCHAT_START_BURST: '1000000' } });
  const url = `ws://127.0.0.1:${svc.port}/webchat/ws`;
  const clients: BenchClient[] = [];
  try {
    const t0 = performance.now();
    for (let i = 0; i < connections; i += 50) {
      clients.push(...(await Promise.all(Array.from({ length: Math.min(50, connections - i) }, (_, j) => BenchClient.open(url, i + j)))));
    }
    const connectMs = performance.now() - t0;
    await Promise.all(clients.map((c) => c.ask())); // warm-up: one unmeasured round trip each

    // Saturation: closed loop, no think time.
    const sat: number[] = [];
    const s0 = performance.now();
    await Promise.all(
      clients.map(async (c) => {
        for (let k = 0; k < perConnection; k++) sat.push(await c.ask());
      }),
    );
    const saturation = phaseStats(sat, performance.now() - s0);

    // Steady: each connection asks every paceMs on average, starting at a random phase.
    const steady: number[] = [];
    const d0 = performance.now();
    await Promise.all(
      clients.map(async (c) => {
        await sleep(Math.random() * paceMs);
        while (performance.now() - d0 < steadyMs) {
          const started = performance.now();
          steady.push(await c.ask());
          const gap = paceMs * (0.5 + Math.random()) - (performance.now() - started);
          if (gap > 0) await sleep(gap);
        }
      }),
    );
    // Rate over the phase's window: a message is sent only inside it (the last replies land just after).
    const steadyStats = phaseStats(steady, steadyMs);

    return {
      section: `web chat: ${connections} widget WebSockets on loopback, real service (sample bot + handoff middleware, memory store), load generator in the same process`,
      connections,
      connectAllMs: Math.round(connectMs),
      saturation: { ...saturation, note: `closed loop, ${perConnection} messages per connection, no think time` },
      steady: { ...steadyStats, offeredPerSecond: Math.round((connections / paceMs) * 1000), note: `each connection asks every ${paceMs} ms on average for ${steadyMs / 1000} s` },
      serverErrors: errors.length,
    };
  } finally {
    for (const c of clients) c.close();
    await svc.close();
  }
}

// `npx tsx bench/webchat.ts` runs this section alone.
if (require.main === module) {
  benchWebchat().then(
    (r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`),
    (e: unknown) => {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
