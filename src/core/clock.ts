/**
 * Time is injected so that `simulate`, tests and the stall rule never sleep.
 *
 * @example
 * const clock = new ManualClock(0); clock.advanceMs(90_000); clock.now(); // 90000
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to (simulate, tests). */
export class ManualClock implements Clock {
  constructor(private current = 0) {}
  now(): number {
    return this.current;
  }
  set(ms: number): void {
    this.current = ms;
  }
  advanceMs(ms: number): void {
    this.current += ms;
  }
}
