/**
 * Contact-centre metrics, per day: containment, overflow, cost per resolution and satisfaction
 * after transfer.
 *
 * Counting happens where a thing happens — the middleware for turns and handoffs, the
 * HandoffService for transitions — never from the broadcast event bus (every process hears every
 * event: counting there would multiply by the number of processes). Counts stay in the process
 * (`MetricsRecorder`, no store write per turn) and are merged into
 * one document per day with a compare-and-set on `flush()`, so many processes add up correctly.
 * `readMetrics` turns the counts into the figures:
 *   containment         = conversations never handed off ÷ conversations
 *   overflow            = handoffs requested when the queue's expected wait exceeded its SLA ÷ handoffs
 *   cost per resolution = (bot turns × botTurnUsd + human contacts × humanContactUsd)
 *                         ÷ (contained conversations + handoffs resolved by an agent)
 *   satisfaction        = mean 1–5 answer after an agent resolved, and how many answered
 *
 * @example
 * const metrics = new MetricsRecorder(stores.documents, clock); // counted where things happen
 * metrics.count({ botTurns: 1 });
 * await metrics.flush(); const today = await readMetrics(stores.documents, manifest, clock.now());
 */
import type { Manifest } from '../core/manifest.js';
import type { Clock } from '../core/clock.js';
import type { DocumentStore } from '../core/ports/document-store.js';

/** The raw counts of a day. */
export interface MetricCounts {
  conversations: number;
  conversationsHandedOff: number;
  botTurns: number;
  handoffs: number;
  handoffsOverflowed: number;
  humanContacts: number;
  resolvedByAgent: number;
  returnedToBot: number;
  slaEscalations: number;
  callbacksBooked: number;
  csatResponses: number;
  csatTotal: number;
  byReason: Record<string, number>;
}

/**
 * What a count was about, for observers that break counts down (Prometheus labels, histograms);
 * the day's document keeps only the counts.
 */
export interface CountLabels {
  readonly queue?: string;
  readonly reason?: string;
  readonly channel?: string;
  /** From the handoff request to an agent's accept (an accept's count). */
  readonly waitMs?: number;
  /** Wall time of the customer's turn through the middleware and the bot (a bot turn's count). */
  readonly turnMs?: number;
}

/** Hears every count as it is made, in this process. */
export type CountListener = (counts: Partial<MetricCounts>, labels: CountLabels) => void;

/** A day's figures (null where the denominator is zero). */
export interface MetricsReport {
  readonly day: string;
  readonly counts: MetricCounts;
  readonly containmentRate: number | null;
  readonly overflowRate: number | null;
  readonly costPerResolutionUsd: number | null;
  readonly satisfactionAfterTransfer: { readonly mean: number | null; readonly responses: number };
}

/** All counts at zero. @example emptyCounts().handoffs // 0 */
export function emptyCounts(): MetricCounts {
  return {
    conversations: 0,
    conversationsHandedOff: 0,
    botTurns: 0,
    handoffs: 0,
    handoffsOverflowed: 0,
    humanContacts: 0,
    resolvedByAgent: 0,
    returnedToBot: 0,
    slaEscalations: 0,
    callbacksBooked: 0,
    csatResponses: 0,
    csatTotal: 0,
    byReason: {},
  };
}

/** UTC day of an instant, the metrics document's key. */
export const dayOf = (at: number): string => new Date(at).toISOString().slice(0, 10);
const key = (day: string) => `metrics:${day}`;
const DAY_MS = 86_400_000;

function add(into: MetricCounts, d: Partial<MetricCounts>): void {
  for (const [k, v] of Object.entries(d) as [keyof MetricCounts, unknown][]) {
    if (k === 'byReason') {
      for (const [r, n] of Object.entries(v as Record<string, number>)) into.byReason[r] = (into.byReason[r] ?? 0) + n;
    } else (into[k] as number) += v as number;
  }
}

/**
 * Counts in this process, merged into the store on flush.
 *
 * @example
 * const m = new MetricsRecorder(stores.documents, clock); m.count({ botTurns: 1 }); await m.flush();
 */
export class MetricsRecorder {
  private pending = new Map<string, MetricCounts>();
  private lastDayNumber = Number.NaN;
  private lastDay = '';
  private readonly listeners = new Set<CountListener>();

  constructor(
    private readonly docs: DocumentStore,
    private readonly clock: Clock,
  ) {}

  /**
   * Hear every count from now on (with its labels); returns the function that stops it. A
   * listener that throws is ignored: counting never breaks a turn.
   *
   * @example
   * const off = metrics.observe((c, l) => { if (c.handoffs) handoffs.inc({ queue: l.queue }); });
   */
  observe(listener: CountListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Count something now (kept in this process until `flush`); `labels` go to observers only. */
  count(d: Partial<MetricCounts>, labels: CountLabels = {}): void {
    for (const l of this.listeners) {
      try {
        l(d, labels);
      } catch {
        // an observer's failure is its own
      }
    }
    const now = this.clock.now();
    // several counts a turn: the day's key is formatted once per UTC day, not per count
    const dayNumber = Math.floor(now / DAY_MS);
    if (dayNumber !== this.lastDayNumber) {
      this.lastDayNumber = dayNumber;
      this.lastDay = dayOf(now);
    }
    const day = this.lastDay;
    let c = this.pending.get(day);
    if (c === undefined) this.pending.set(day, (c = emptyCounts()));
    add(c, d);
  }

  /** Flush every `intervalMs` (unref'd: it never keeps a process alive); returns a stop function. */
  startFlushing(intervalMs: number, onError: (e: unknown) => void = () => {}): () => void {
    const t = setInterval(() => void this.flush().catch(onError), intervalMs);
    t.unref();
    return () => clearInterval(t);
  }

  /** Merge this process's counts into the store (compare-and-set, retried). */
  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    for (const [day, counts] of batch) {
      for (let attempt = 0; ; attempt++) {
        const doc = await this.docs.read<MetricCounts>(key(day));
        const merged = { ...emptyCounts(), ...doc?.value, byReason: { ...doc?.value.byReason } };
        add(merged, counts);
        const r = doc === undefined ? await this.docs.create(key(day), merged) : await this.docs.write(key(day), merged, doc.eTag);
        if (r.ok) break;
        if (attempt >= 20) {
          // keep them for the next flush rather than lose them
          const again = this.pending.get(day) ?? emptyCounts();
          add(again, counts);
          this.pending.set(day, again);
          break;
        }
      }
    }
  }
}

/** The day's figures (counts already flushed by every process). */
export async function readMetrics(docs: DocumentStore, manifest: Manifest, at: number): Promise<MetricsReport> {
  const day = dayOf(at);
  const counts = { ...emptyCounts(), ...(await docs.read<MetricCounts>(key(day)))?.value };
  const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10_000) / 10_000);
  const contained = counts.conversations - counts.conversationsHandedOff;
  const cost = counts.botTurns * manifest.policy.cost.botTurnUsd + counts.humanContacts * manifest.policy.cost.humanContactUsd;
  const resolutions = contained + counts.resolvedByAgent;
  return {
    day,
    counts,
    containmentRate: ratio(contained, counts.conversations),
    overflowRate: ratio(counts.handoffsOverflowed, counts.handoffs),
    costPerResolutionUsd: resolutions === 0 ? null : Math.round((cost / resolutions) * 100) / 100,
    satisfactionAfterTransfer: { mean: counts.csatResponses === 0 ? null : Math.round((counts.csatTotal / counts.csatResponses) * 100) / 100, responses: counts.csatResponses },
  };
}
