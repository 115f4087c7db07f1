/**
 * The system-clock scheduler (the local runner): each lane of a shard runs as its own worker, so up to
 * ParallelizationFactor invocations are in flight per shard and a lane's retry backoff holds no other lane. A
 * partial batch is released by a timer when its batching window closes, with or without further calls.
 *
 * `run` resolves once every lane has fewer than BatchSize records queued (a lane retrying a failing batch may queue
 * up to {@link BLOCKED_LANE_BUFFER} before reading pauses); with `end`, once every lane is done. `stop` lets the
 * invocations in flight finish and starts no more. Every real wait goes through live.ts, so a stop can cut it short.
 */
import { setImmediate } from 'timers/promises';
import type { Clock } from './clock';
import type { MappingCore, Scheduler } from './core';
import type { Lane } from './lane';
import { ShardSignal, StopSwitch } from './live';
import type { ShardState } from './shard';
import { awaitSteps } from './steps';
import type { ProcessShardOptions } from './types';
import type { DynamoDBStreamRecord } from '../records/types';

/**
 * Records a lane whose batch is failing may hold queued while the other lanes go on; past it the shard's reading
 * pauses (the checkpoint cannot pass the failing record anyway, and memory stays bounded).
 */
export const BLOCKED_LANE_BUFFER = 10_000;

/** A lane's worker loop. */
interface Worker {
  readonly lane: Lane;
  /** Set and cleared synchronously by the loop itself, so records ingested find a worker to wake or none. */
  running: boolean;
  /** Cuts the worker's wait for a batching window short (new records, end of input, stop). */
  wake: (() => void) | undefined;
}

interface LiveShard {
  readonly shard: ShardState;
  readonly workers: readonly Worker[];
  readonly signal: ShardSignal;
  /** The input is complete: flush partial batches and windows. */
  flushing: boolean;
  /** The shard was closed by a split. */
  closed: boolean;
}

export class LiveScheduler implements Scheduler {
  private readonly stopSwitch = new StopSwitch();
  private readonly shards = new Map<ShardState, LiveShard>();

  constructor(private readonly core: MappingCore, private readonly clock: Clock) {}

  /** Hands the records to the lanes, wakes their workers and applies back-pressure (see the header). */
  public async run(shard: ShardState, records: readonly DynamoDBStreamRecord[], options: ProcessShardOptions): Promise<void> {
    const live = this.liveShard(shard);
    if (live.signal.failure !== undefined) throw live.signal.failure;
    this.core.intake.ingest(shard, records, this.clock.now());
    if (options.end === true) {
      live.flushing = true;
      live.closed = options.closed === true;
    }
    for (const worker of live.workers) this.startWorker(live, worker);
    const stopped = () => this.stopSwitch.stopped;
    if (options.end === true) {
      await live.signal.until(() => stopped() || live.workers.every((w) => !w.running));
    } else {
      await live.signal.until(() => stopped() || live.workers.every((w) => w.lane.queued < this.queueLimit(w.lane)));
    }
    // Filtered-out records at the tail still move the checkpoint.
    await awaitSteps(this.core.updateCheckpoint(shard));
    if (options.end === true && !stopped()) shard.ended = true;
  }

  /** Starts no more invocations, cuts retry backoffs and batching windows short, and waits for those in flight. */
  public async stop(): Promise<void> {
    this.stopSwitch.stop();
    for (const live of this.shards.values()) {
      for (const worker of live.workers) worker.wake?.();
      await live.signal.until(() => live.workers.every((w) => !w.running)).catch(() => undefined);
    }
  }

  private liveShard(shard: ShardState): LiveShard {
    let live = this.shards.get(shard);
    if (!live) {
      const workers = shard.lanes.map((lane) => ({ lane, running: false, wake: undefined }));
      live = { shard, workers, signal: new ShardSignal(), flushing: false, closed: false };
      this.shards.set(shard, live);
    }
    return live;
  }

  /** Back-pressure per lane: one batch queued behind the one in flight, more behind a failing batch. */
  private queueLimit(lane: Lane): number {
    const batchSize = this.core.config.batchSize;
    return lane.current !== undefined && lane.current.retries > 0 ? Math.max(BLOCKED_LANE_BUFFER, batchSize) : batchSize;
  }

  /** Starts the lane's worker, or wakes it if it waits for a batching window (more records may have come). */
  private startWorker(live: LiveShard, worker: Worker): void {
    if (worker.running) {
      worker.wake?.();
      return;
    }
    worker.running = true;
    this.work(live, worker)
      .catch((error: unknown) => {
        worker.running = false;
        live.signal.failure ??= error;
      })
      .finally(() => live.signal.notify());
  }

  /**
   * Invokes batch after batch while one is ready; waits (on a timer, or until woken) while a partial batch's window
   * or a tumbling window is open; stops when the lane has nothing, at stop() or on failure. `running` is cleared in
   * the same synchronous step that finds nothing to do, so records ingested right after always find either a
   * running worker to wake or none (and start one).
   */
  private async work(live: LiveShard, worker: Worker): Promise<void> {
    const { shard, signal } = live;
    const lane = worker.lane;
    for (;;) {
      if (this.stopSwitch.stopped || signal.failure !== undefined) break;
      if (!lane.current && lane.window !== undefined && lane.queued === 0 && !live.flushing) {
        // A poller hands a page over in slices, one processShard call each, whose hand-over is all promise callbacks:
        // let the slice it has already read arrive before a tumbling window is ended for lack of records. Without
        // this, whether a window closes between two slices of one page depends on how many ticks a step takes.
        await setImmediate();
      }
      const nowMs = this.clock.now();
      if (!lane.current) this.core.prepareBatch(shard, lane, live.flushing, live.closed, nowMs);
      if (!lane.current) {
        const wakeAtMs = this.core.releaseAtMs(lane);
        if (wakeAtMs === undefined) break;
        await this.stopSwitch.sleep(Math.max(5, wakeAtMs - nowMs), (cut) => (worker.wake = cut));
        worker.wake = undefined;
        continue;
      }
      lane.timeMs = Math.max(lane.timeMs, nowMs);
      signal.notify();
      const backoffMs = await awaitSteps(this.core.step(shard, lane));
      if (backoffMs !== undefined) await this.stopSwitch.sleep(backoffMs);
      // The next batching window begins when this invocation completes.
      lane.timeMs = Math.max(lane.timeMs, this.clock.now());
      await awaitSteps(this.core.afterStep(shard, lane));
      signal.notify();
    }
    worker.running = false;
  }
}
