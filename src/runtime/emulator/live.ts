/**
 * The waiting parts of the live scheduler (live-scheduler.ts, a clock that is not virtual): each lane runs as its
 * own worker loop, so a lane waiting out a retry backoff or a batching window holds no other lane. These helpers
 * are the only places that wait: a wake-up list per shard for `processShard` callers, and timers that a stop can
 * cut short.
 */

/** Wakes whoever waits on a shard's lanes whenever one of them moves (took a batch, finished one, stopped). */
export class ShardSignal {
  /** The first error a worker hit; every later call for the shard rejects with it. */
  public failure: unknown;
  private waiters: (() => void)[] = [];

  public notify(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }

  /** Resolves at the next {@link notify}. */
  public next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Waits until `done()` holds, re-checking at each notify; rejects once a worker failed. */
  public async until(done: () => boolean): Promise<void> {
    for (;;) {
      if (this.failure !== undefined) throw this.failure;
      if (done()) return;
      await this.next();
    }
  }
}

/** Real waits that {@link StopSwitch.stop} ends early, so a stop does not sit out a 60 s retry backoff. */
export class StopSwitch {
  public stopped = false;
  private readonly cancels = new Set<() => void>();

  /** Resolves after `ms`, at `cut()` (returned through `onCut`), or at stop, whichever is first. */
  public sleep(ms: number, onCut?: (cut: () => void) => void): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.cancels.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, Math.max(0, ms));
      this.cancels.add(finish);
      onCut?.(finish);
    });
  }

  public stop(): void {
    this.stopped = true;
    for (const cancel of [...this.cancels]) cancel();
  }
}
