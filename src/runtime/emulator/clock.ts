/**
 * Time for the emulator. Each shard (and each parallelization lane) keeps its own time cursor, advanced by batching
 * windows, invocation durations and retry backoff; the clock only provides the starting point and decides whether
 * waits are real.
 *
 * - {@link VirtualClock}: waits cost nothing; a scenario with 24 hours of retries runs in milliseconds and gives the
 *   same trace every run. A partial batch is held until more records arrive or the shard ends, so the result does
 *   not depend on how the input was chunked.
 * - {@link SystemClock}: waits are real `setTimeout`s and a partial batch is released when its batching window has
 *   elapsed on the wall clock. The local runner uses it.
 */
export interface Clock {
  /** True when waits cost no real time. */
  readonly virtual: boolean;
  /** Current time in epoch milliseconds. */
  now(): number;
  /** Resolves after `ms` (immediately for a virtual clock). */
  sleep(ms: number): Promise<void>;
}

export class VirtualClock implements Clock {
  public readonly virtual = true;
  private current: number;

  /** @param startMs epoch milliseconds; shards start at the later of this and their first record's arrival. */
  constructor(startMs = 0) {
    this.current = startMs;
  }

  public now(): number {
    return this.current;
  }

  /** Moves the starting point for shards opened later; lanes already running keep their own cursor. */
  public advance(ms: number): void {
    this.current += ms;
  }

  public sleep(_ms: number): Promise<void> {
    return Promise.resolve();
  }
}

export class SystemClock implements Clock {
  public readonly virtual = false;

  public now(): number {
    return Date.now();
  }

  public sleep(ms: number): Promise<void> {
    return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
  }
}

/** ISO 8601 with milliseconds, as in the destination message's `timestamp`. */
export function isoMillis(ms: number): string {
  return new Date(ms).toISOString();
}

/** ISO 8601 to the second, as in `approximateArrivalOfFirstRecord`. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
