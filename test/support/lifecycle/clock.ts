import { DAY_MS } from "../../../src/util/time";

/**
 * The simulated clock: one Date the program, the tenant and the engine all read, moved by the
 * test. `Date` itself is faked too (jest modern timers, Date only), so code that calls
 * `new Date()` (the program entry, the tenant's creation times) sees the simulated day.
 */
export { DAY_MS };

export class SimClock {
  private current: number;

  /** @param drivesDate also move the faked `Date` (after fakeDateOnly()). */
  constructor(
    start: Date,
    private readonly drivesDate = false,
  ) {
    this.current = start.getTime();
    this.apply();
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Whole UTC days since the epoch. */
  day(): number {
    return Math.floor(this.current / DAY_MS);
  }

  advanceDays(days: number): void {
    this.current += days * DAY_MS;
    this.apply();
  }

  private apply(): void {
    if (this.drivesDate) jest.setSystemTime(this.current);
  }
}

/** Fakes Date only: the Pulumi runtime's timers and promises run as usual. */
export function fakeDateOnly(start: Date): void {
  jest.useFakeTimers({
    now: start,
    doNotFake: [
      "hrtime",
      "nextTick",
      "performance",
      "queueMicrotask",
      "requestAnimationFrame",
      "cancelAnimationFrame",
      "requestIdleCallback",
      "cancelIdleCallback",
      "setImmediate",
      "clearImmediate",
      "setInterval",
      "clearInterval",
      "setTimeout",
      "clearTimeout",
    ],
  });
}
