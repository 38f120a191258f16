/**
 * How the channels wait. Injected so tests can record the requested delays (backoff, pacing,
 * Retry-After) and resolve at once, instead of sleeping and asserting on elapsed time.
 * A sleep resolves early (never rejects) when `signal` aborts, so stop() never waits out a backoff.
 *
 * @example
 * const sleep: Sleep = (ms, signal) => realSleep(ms, signal);
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * The real timer-based sleep; `unref`'d so a pending backoff never keeps the process alive.
 *
 * @example
 * await realSleep(1000);
 */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted === true || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    timer.unref?.();
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
