/**
 * The SLA sweep, on a timer: every `policy.sla.checkEverySeconds` it asks the HandoffService to
 * escalate the queued handoffs past their deadline (and to bring back booked callbacks whose time
 * has come). Every process may run one: `escalateDue` commits each escalation with a
 * compare-and-set, so with N watchers on one Redis a breach is still escalated exactly once.
 *
 * @example
 * const watcher = new SlaWatcher({ service: app.service, manifest, onError: log.error });
 * watcher.start();
 * // … on shutdown:
 * await watcher.stop();
 */
import type { Manifest } from '../core/manifest.js';
import type { HandoffService } from './handoff-service.js';

/**
 * What the watcher needs from a timer, so tests drive it by hand and never sleep.
 *
 * @example
 * const timer: SlaTimer = { every: (ms, tick) => { const h = setInterval(tick, ms); return () => clearInterval(h); } };
 */
export interface SlaTimer {
  /** Calls `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
}

/**
 * `setInterval`, unref'd: the sweep alone never keeps a process alive (the server does).
 *
 * @example
 * const cancel = systemSlaTimer.every(5000, () => console.log('tick'));
 */
export const systemSlaTimer: SlaTimer = {
  every(ms, tick) {
    const handle = setInterval(tick, ms);
    handle.unref();
    return () => clearInterval(handle);
  },
};

/**
 * Options of `SlaWatcher`.
 *
 * @example
 * const opts: SlaWatcherOptions = { service: app.service, manifest, everyMs: 1000, onError: console.error };
 */
export interface SlaWatcherOptions {
  readonly service: Pick<HandoffService, 'escalateDue'>;
  /** `policy.sla.checkEverySeconds` sets the period. */
  readonly manifest: { readonly policy: { readonly sla: Pick<Manifest['policy']['sla'], 'checkEverySeconds'> } };
  /** Overrides the manifest's period (tests, benchmarks). */
  readonly everyMs?: number;
  /** Default: `systemSlaTimer` (setInterval). */
  readonly timer?: SlaTimer;
  /** Handoffs looked at per `escalateDue` call. Default 100. */
  readonly batchSize?: number;
  /** A sweep calls `escalateDue` again while it escalated a full batch, at most this many times. Default 10. */
  readonly maxBatchesPerSweep?: number;
  /** A failed sweep (store down, …) lands here; the next tick tries again. Default: ignore. */
  readonly onError?: (e: unknown) => void;
  /** After each sweep: how many handoffs it escalated (logs, metrics, tests). */
  readonly onSweep?: (escalated: number) => void;
}

/**
 * Runs `service.escalateDue()` on a timer. Never throws from a tick, never runs two sweeps at
 * once (a tick that comes while the previous sweep still runs is skipped), and drains a backlog
 * in batches rather than one batch per period.
 *
 * @example
 * const watcher = new SlaWatcher({ service: app.service, manifest });
 * watcher.start();
 * await watcher.sweep(); // also callable by hand (returns how many were escalated)
 * await watcher.stop();
 */
export class SlaWatcher {
  readonly everyMs: number;
  private readonly timer: SlaTimer;
  private readonly batchSize: number;
  private readonly maxBatches: number;
  private cancel: (() => void) | undefined;
  private current: Promise<number> | undefined;

  constructor(private readonly opts: SlaWatcherOptions) {
    this.everyMs = opts.everyMs ?? opts.manifest.policy.sla.checkEverySeconds * 1000;
    this.timer = opts.timer ?? systemSlaTimer;
    this.batchSize = opts.batchSize ?? 100;
    this.maxBatches = opts.maxBatchesPerSweep ?? 10;
  }

  /** True between `start()` and `stop()`. */
  get running(): boolean {
    return this.cancel !== undefined;
  }

  /** Starts ticking; calling it again while running does nothing. */
  start(): void {
    if (this.cancel !== undefined) return;
    this.cancel = this.timer.every(this.everyMs, () => {
      if (this.current !== undefined) return; // the previous sweep is still running: skip, do not pile up
      void this.sweep();
    });
  }

  /** Stops ticking and waits for a sweep in progress, so the stores can be closed after it. */
  async stop(): Promise<void> {
    this.cancel?.();
    this.cancel = undefined;
    await this.current;
  }

  /**
   * One sweep now: escalates what is due and returns how many handoffs it escalated (0 when it
   * failed; the error goes to `onError`). Joins the sweep in progress instead of starting another.
   */
  sweep(): Promise<number> {
    this.current ??= this.sweepNow().finally(() => {
      this.current = undefined;
    });
    return this.current;
  }

  private async sweepNow(): Promise<number> {
    let total = 0;
    try {
      for (let batch = 0; batch < this.maxBatches; batch++) {
        const n = await this.opts.service.escalateDue(this.batchSize);
        total += n;
        if (n < this.batchSize) break;
      }
    } catch (e) {
      this.report(e);
    }
    try {
      this.opts.onSweep?.(total);
    } catch (e) {
      this.report(e);
    }
    return total;
  }

  private report(e: unknown): void {
    try {
      this.opts.onError?.(e);
    } catch {
      // an error handler that throws must not turn a failed sweep into an unhandled rejection
    }
  }
}
