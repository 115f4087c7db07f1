/**
 * The virtual-clock scheduler: one call runs every batch it can form to completion, lanes taking turns by their
 * time cursors, so a trace is the same whatever the machine's speed and however the input was paged.
 *
 * There is no wall clock: time passes only as the records show it. A partial batch therefore waits for a record
 * past its batching window or for the end of the shard, and waits (retry backoff) cost nothing.
 */
import type { MappingCore, Scheduler } from './core';
import type { Lane } from './lane';
import type { ShardState } from './shard';
import { awaitSteps, type Steps } from './steps';
import type { ProcessShardOptions } from './types';
import type { DynamoDBStreamRecord } from '../records/types';

/** No time is known to have passed beyond what the records show. */
const NO_WALL_CLOCK = Number.NEGATIVE_INFINITY;

export class VirtualScheduler implements Scheduler {
  constructor(private readonly core: MappingCore) {}

  public run(shard: ShardState, records: readonly DynamoDBStreamRecord[], options: ProcessShardOptions): Promise<void> {
    return awaitSteps(this.steps(shard, records, options));
  }

  /** The whole call as steps (steps.ts): awaited by `run`, or run without a promise for a synchronous handler. */
  public *steps(shard: ShardState, records: readonly DynamoDBStreamRecord[], options: ProcessShardOptions): Steps<void> {
    this.core.intake.ingest(shard, records, NO_WALL_CLOCK);
    const flush = options.end === true;
    for (;;) {
      const lane = this.nextReadyLane(shard, flush, options.closed === true);
      if (!lane) break;
      // A retry's backoff is already on the lane's time cursor (the core added it): virtual waits cost nothing.
      yield* this.core.step(shard, lane);
      yield* this.core.afterStep(shard, lane);
    }
    // Filtered-out records at the tail still move the checkpoint.
    yield* this.core.updateCheckpoint(shard);
    if (flush) shard.ended = true;
  }

  /** Nothing runs between calls, so there is nothing to stop. */
  public async stop(): Promise<void> {}

  /** Makes sure lanes have a batch when one is ready; returns the ready lane earliest in time. */
  private nextReadyLane(shard: ShardState, flush: boolean, closed: boolean): Lane | undefined {
    let best: Lane | undefined;
    for (const lane of shard.lanes) {
      if (!lane.current) this.core.prepareBatch(shard, lane, flush, closed, NO_WALL_CLOCK);
      if (lane.current && (!best || lane.timeMs < best.timeMs)) best = lane;
    }
    return best;
  }
}
