/** A controllable clock for tests: services take `clock: () => Date`, so time never has to pass for real. */

/** A duration for {@link FakeClock.advance}: milliseconds, or named units that are added together. */
export type ClockAdvance = number | { ms?: number; seconds?: number; minutes?: number; hours?: number; days?: number };

/** 2030-01-01T00:00:00Z: whole seconds and a 30 s TOTP step boundary, so tests start from a clean step. */
export const DEFAULT_FAKE_CLOCK_START = new Date('2030-01-01T00:00:00.000Z');

function toMs(value: Date | number | string): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new TypeError(`FakeClock: not a valid time: ${String(value)}`);
  return ms;
}

/**
 * A clock that only moves when told to. `now()` returns a fresh `Date` each call, so callers
 * cannot move the clock by mutating what they were given.
 */
export class FakeClock {
  private current: number;

  /** Starts at `start` (a Date, epoch milliseconds or an ISO string); default {@link DEFAULT_FAKE_CLOCK_START}. */
  constructor(start: Date | number | string = DEFAULT_FAKE_CLOCK_START) {
    this.current = toMs(start);
  }

  /** The current fake time as a new `Date`. */
  now(): Date {
    return new Date(this.current);
  }

  /** The current fake time in epoch milliseconds. */
  nowMs(): number {
    return this.current;
  }

  /** A bound `() => Date`, ready for a `clock` option. */
  readonly clock = (): Date => this.now();

  /** Moves the clock forward (or back, for a negative amount) and returns the new time. */
  advance(by: ClockAdvance): Date {
    const ms =
      typeof by === 'number'
        ? by
        : (by.ms ?? 0) +
          (by.seconds ?? 0) * 1000 +
          (by.minutes ?? 0) * 60_000 +
          (by.hours ?? 0) * 3_600_000 +
          (by.days ?? 0) * 86_400_000;
    if (!Number.isFinite(ms)) throw new TypeError('FakeClock.advance needs a finite amount.');
    this.current += ms;
    return this.now();
  }

  /** Jumps to a moment (a Date, epoch milliseconds or an ISO string). */
  set(to: Date | number | string): void {
    this.current = toMs(to);
  }
}
