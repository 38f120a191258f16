/**
 * A message flood against a running `handover start`, measured from outside: `victims` widget
 * customers (each from its own loopback address) send a line every `victimEveryMs` for the whole
 * run (after a warm-up that is not counted) and time each line to the bot's reply to it (`replyToId`); after a calm phase one flooder
 * socket (another address) sends `floodPerSecond` lines a second, reconnecting (resume) whenever the
 * server closes it. Victims' reply latencies are reported per phase (calm, flood).
 *
 * @example
 * const r = await runFlood(proc.ws, { calmMs: 3000, floodMs: 4000 });
 * r.flood.p99; r.flooder.refused;
 */
import { JsonSocket } from './webchat-clients.js';

type Json = Record<string, unknown>;

/** Options of {@link runFlood}. */
export interface FloodOptions {
  /** Victims' lines before the calm phase (the bot's first turns warm up), not counted. Default 1500. */
  readonly warmMs?: number;
  /** Total calm and flood time, split into `rounds` calm → flood windows (so background load hits both alike). */
  readonly calmMs: number;
  readonly floodMs: number;
  /** Default 1: one calm phase, then one flood. */
  readonly rounds?: number;
  readonly victims?: number;
  readonly victimEveryMs?: number;
  readonly floodPerSecond?: number;
  /** After the run, how long victims' outstanding lines may still be answered. */
  readonly settleMs?: number;
}

/** Reply latencies (ms) of one phase. */
export interface PhaseStats {
  readonly lines: number;
  readonly answered: number;
  /** Lines the server refused (error frames) — a victim should have none. */
  readonly refused: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** What {@link runFlood} measured. */
export interface FloodResult {
  readonly calm: PhaseStats;
  readonly flood: PhaseStats;
  readonly flooder: { readonly sent: number; readonly acked: number; readonly refused: number; readonly closed1008: number; readonly otherCloses: number; readonly reconnectsRefused: number };
}

/**
 * The flood's manifest: bursts off for web chat (a reply at once, not after a 3 s window) and
 * per-connection / per-conversation buckets of 20 then 300 a minute, so a victim's line every
 * 300 ms stays inside them.
 */
export function floodManifest(m: Json): Json {
  const bursts = m['bursts'] as { windowSeconds: Json };
  return {
    ...m,
    bursts: { ...bursts, windowSeconds: { ...bursts.windowSeconds, webchat: 0 } },
    limits: { messages: { perConnection: { burst: 20, perMinute: 300 }, perConversation: { burst: 20, perMinute: 300 } } },
  };
}

const victimLines = ['hi', 'what are your opening hours?', 'thanks'];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Line {
  readonly sentAt: number;
  readonly phase: 'warm' | 'calm' | 'flood';
  activityId?: string;
  repliedAfterMs?: number;
  refused?: boolean;
}

async function startCustomer(ws: string, localAddress: string): Promise<{ socket: JsonSocket; conversationId: string; token: string }> {
  const socket = await JsonSocket.open(`${ws}/webchat/ws`, {}, localAddress);
  socket.send({ type: 'start', locale: 'en' });
  const session = await socket.waitFor((f) => f['type'] === 'session' || f['type'] === 'error');
  if (session['type'] !== 'session') throw new Error(`start refused: ${JSON.stringify(session)}`);
  // the history frame follows the session: the conversation is live after it
  await socket.waitFor((f) => Array.isArray(f['activities']));
  return { socket, conversationId: String(session['conversationId']), token: String(session['token']) };
}

/** Runs the calm phase, then the flood, and measures. */
export async function runFlood(ws: string, opts: FloodOptions): Promise<FloodResult> {
  const victims = opts.victims ?? 20;
  const everyMs = opts.victimEveryMs ?? 300;
  const floodPerSecond = opts.floodPerSecond ?? 1000;
  let phase: 'warm' | 'calm' | 'flood' = 'warm';
  let running = true;
  const lines: Line[] = [];

  const customers = await Promise.all(Array.from({ length: victims }, (_, i) => startCustomer(ws, `127.0.0.${10 + i}`)));
  const victimLoops = customers.map(async ({ socket }, v) => {
    const byClientId = new Map<string, Line>();
    const byActivityId = new Map<string, Line>();
    socket.ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as Json;
      if (f['type'] === 'ack') {
        const line = byClientId.get(String(f['clientActivityId']));
        if (line !== undefined) {
          line.activityId = String(f['id']);
          byActivityId.set(line.activityId, line);
        }
      } else if (f['type'] === 'error' && typeof f['clientActivityId'] === 'string') {
        const line = byClientId.get(f['clientActivityId']);
        if (line !== undefined) line.refused = true;
      } else if (Array.isArray(f['activities'])) {
        for (const a of f['activities'] as Json[]) {
          const from = a['from'] as Json | undefined;
          if (from?.['role'] === 'user' || a['type'] !== 'message' || typeof a['replyToId'] !== 'string') continue;
          const line = byActivityId.get(a['replyToId']);
          if (line !== undefined && line.repliedAfterMs === undefined) line.repliedAfterMs = Date.now() - line.sentAt;
        }
      }
    });
    // spread the victims over the period
    await sleep((everyMs * v) / victims);
    for (let n = 0; running; n++) {
      const id = `v${v}_${n}`;
      const line: Line = { sentAt: Date.now(), phase };
      byClientId.set(id, line);
      lines.push(line);
      socket.send({ type: 'message', text: victimLines[n % victimLines.length], clientActivityId: id });
      await sleep(everyMs);
    }
  });

  await sleep(opts.warmMs ?? 1500);
  const rounds = opts.rounds ?? 1;
  phase = 'calm';
  await sleep(opts.calmMs / rounds);
  phase = 'flood';
  let floodOver = false;
  // the later windows: flood, calm, flood, … (the flooder keeps its socket and only stops sending while calm)
  const schedule = (async () => {
    for (let r = 0; r < rounds; r++) {
      await sleep(opts.floodMs / rounds);
      if (r === rounds - 1) break;
      phase = 'calm';
      await sleep(opts.calmMs / rounds);
      phase = 'flood';
    }
    floodOver = true;
  })();
  const flooder = { sent: 0, acked: 0, refused: 0, closed1008: 0, otherCloses: 0, reconnectsRefused: 0 };
  const flooding = (async () => {
    let session = await startCustomer(ws, '127.0.0.200');
    const watch = (s: JsonSocket): Promise<number> =>
      new Promise((resolve) => {
        s.ws.on('message', (data) => {
          const f = JSON.parse(data.toString()) as Json;
          if (f['type'] === 'ack') flooder.acked++;
          else if (f['type'] === 'error' && f['code'] === 'HANDOVER_ERR_TOO_MANY_REQUESTS') flooder.refused++;
        });
        s.ws.once('close', (code) => resolve(code));
      });
    let closed = watch(session.socket);
    let open = true;
    void closed.then(() => (open = false));
    let n = 0;
    // 10 frames every 10 ms
    while (!floodOver) {
      if (phase !== 'flood') {
        await sleep(10);
        continue;
      }
      if (!open) {
        const code = await closed;
        if (code === 1008) flooder.closed1008++;
        else flooder.otherCloses++;
        // a flooder comes straight back on the same conversation
        try {
          const s = await JsonSocket.open(`${ws}/webchat/ws`, {}, '127.0.0.200');
          s.send({ type: 'resume', conversationId: session.conversationId, token: session.token });
          const hello = await s.waitFor((f) => f['type'] === 'session' || f['type'] === 'error');
          if (hello['type'] !== 'session') {
            flooder.reconnectsRefused++;
            await s.close();
            await sleep(100);
            continue;
          }
          session = { socket: s, conversationId: session.conversationId, token: String(hello['token']) };
          closed = watch(s);
          open = true;
          void closed.then(() => (open = false));
        } catch {
          flooder.reconnectsRefused++;
          await sleep(100);
          continue;
        }
      }
      const batch = Math.max(1, Math.round(floodPerSecond / 100));
      for (let i = 0; i < batch && open; i++) {
        // questions the bot answers every time (nonsense would be handed off after 3 fallbacks and cost no bot turn)
        session.socket.send({ type: 'message', text: victimLines[n % victimLines.length], clientActivityId: `f${n}` });
        n++;
        flooder.sent++;
      }
      await sleep(10);
    }
    if (open) {
      await session.socket.close();
      await closed.catch(() => undefined);
    }
  })();
  await Promise.all([flooding, schedule]);
  running = false;
  await Promise.all(victimLoops);
  await sleep(opts.settleMs ?? 3000);
  await Promise.all(customers.map((c) => c.socket.close()));

  const stats = (p: 'calm' | 'flood'): PhaseStats => {
    const mine = lines.filter((l) => l.phase === p);
    const answered = mine.filter((l) => l.repliedAfterMs !== undefined).map((l) => l.repliedAfterMs!);
    // an unanswered line counts as slower than any answered one
    const all = [...answered, ...Array<number>(mine.length - answered.length).fill(Infinity)].sort((a, b) => a - b);
    return {
      lines: mine.length,
      answered: answered.length,
      refused: mine.filter((l) => l.refused === true).length,
      p50: percentile(all, 50),
      p99: percentile(all, 99),
      max: all[all.length - 1] ?? NaN,
    };
  };
  return { calm: stats('calm'), flood: stats('flood'), flooder };
}

/** One line of figures for a test's output or a benchmark. */
export function describeFlood(r: FloodResult): string {
  const phase = (name: string, s: PhaseStats): string => `${name}: ${s.answered}/${s.lines} answered (${s.refused} refused), p50 ${s.p50} ms, p99 ${s.p99} ms, max ${s.max} ms`;
  const f = r.flooder;
  return `${phase('calm', r.calm)}; ${phase('flood', r.flood)}; flooder sent ${f.sent}, ${f.acked} accepted, ${f.refused} refused, closed with 1008 ${f.closed1008}× (other closes ${f.otherCloses}, reconnects refused ${f.reconnectsRefused})`;
}
