/**
 * EventSourceMappingEngine: Lambda's event source mapping for one consumer, driven record by record.
 *
 * ```ts
 * const engine = new EventSourceMappingEngine(config, handler, {
 *   clock: new SystemClock(),                           // VirtualClock (default) for tests
 *   table,                                              // needed when parallelizationFactor > 1
 *   onInvocation: (inv) => log(inv),                    // every invocation, its event and outcome
 *   onFailure: async (f) => append(f.body),             // discards, in AWS's on-failure message shape
 *   onCheckpoint: async (shardId, seq) => save(shardId, seq),
 * });
 * await engine.processShard(shardId, page, { parentShardId });  // feed records in shard order, page by page
 * await engine.processShard(shardId, [], {});                    // live: releases batches whose window elapsed
 * await engine.processShard(shardId, [], { end: true, closed }); // end of shard: flush, close tumbling windows
 * engine.checkpoint(shardId); engine.metrics;
 * ```
 *
 * The rules live in the core (core.ts, with intake.ts reading the stream); the clock picks the scheduler that
 * drives it, and so when `processShard` resolves:
 * - Virtual clock (virtual-scheduler.ts): `processShard` resolves once every batch it could form has been invoked to
 *   completion (success, discard or trim), with callbacks awaited in order; lanes take turns by their time cursors.
 *   A partial batch (fewer than BatchSize records) waits for more input or for `end`.
 * - System clock (live-scheduler.ts, the local runner): each lane of a shard runs as its own worker, so up to
 *   ParallelizationFactor invocations are in flight per shard and a lane's retry backoff holds no other lane. A
 *   partial batch is released by a timer when its batching window closes, with or without further calls.
 *   `processShard` resolves once every lane has fewer than BatchSize records queued (a lane retrying a failing
 *   batch may queue up to {@link BLOCKED_LANE_BUFFER} before reading pauses); with `end`, once every lane is done.
 *   {@link EventSourceMappingEngine.stop} lets the invocations in flight finish and starts no more.
 *
 * Whichever clock:
 * - Calls for one shard are serialized; different shards may run concurrently.
 * - Lineage: a shard given a `parentShardId` that this engine has seen must come after that parent's `end`;
 *   otherwise {@link ShardLineageError}. Child shards start at their parent's end time.
 * - The checkpoint is the SequenceNumber of the last record such that it and every record before it in the shard
 *   are done (invoked successfully, filtered out, discarded or trimmed).
 * - Tumbling windows survive a stop: `onWindows` hands out each shard's open windows, and `resume` takes them back
 *   in a new engine, which then carries their states on and skips the records they already hold (window-resume.ts).
 * - Handler errors never escape: they are outcomes in the trace. Only misuse throws an {@link EmulatorError}.
 */
import type { ConsumerConfig } from '../config';
import { VirtualClock } from './clock';
import { MappingCore, type Scheduler } from './core';
import { InvalidEmulatorOptionError } from '../errors';
import { LiveScheduler } from './live-scheduler';
import { runSteps } from './steps';
import type { EmulatorMetrics, EngineOptions, ProcessShardOptions, StreamHandler } from './types';
import { VirtualScheduler } from './virtual-scheduler';
import type { DynamoDBStreamRecord } from '../records/types';

export { BLOCKED_LANE_BUFFER } from './live-scheduler';

export class EventSourceMappingEngine {
  /** Counters mirroring the mapping's CloudWatch metrics, across all shards. */
  public readonly metrics: EmulatorMetrics;
  private readonly core: MappingCore;
  private readonly scheduler: Scheduler;
  /** The scheduler when the clock is virtual: it alone can run a call without a promise. */
  private readonly virtual?: VirtualScheduler;
  /** Each shard's last call: the next one starts after it, whatever became of it. */
  private readonly tails = new Map<string, Promise<void>>();

  constructor(
    public readonly config: ConsumerConfig,
    handler: StreamHandler,
    options: EngineOptions = {},
  ) {
    const clock = options.clock ?? new VirtualClock(0);
    this.core = new MappingCore(config, handler, options, () => clock.now());
    this.metrics = this.core.metrics;
    this.virtual = clock.virtual ? new VirtualScheduler(this.core) : undefined;
    this.scheduler = this.virtual ?? new LiveScheduler(this.core, clock);
  }

  /** Feeds records of one shard, in shard order, and runs every batch that is ready. See the file header. */
  public async processShard(shardId: string, records: readonly DynamoDBStreamRecord[], options: ProcessShardOptions = {}): Promise<void> {
    const shard = this.core.intake.openShard(shardId, options.parentShardId);
    // A disabled mapping reads nothing: records stay in the stream, the checkpoint does not move.
    const tail = this.tails.get(shardId) ?? Promise.resolve();
    const run = tail.then(() => (this.config.enabled ? this.scheduler.run(shard, records, options) : undefined));
    this.tails.set(shardId, run.catch(() => undefined));
    return run;
  }

  /**
   * {@link processShard} without a promise, for a synchronous handler and synchronous callbacks on the virtual clock:
   * the same rules (steps.ts), run to the same point before it returns. An async handler or callback is refused with
   * an {@link InvalidEmulatorOptionError}. Do not mix it with `processShard` calls still pending for the shard.
   */
  public processShardSync(shardId: string, records: readonly DynamoDBStreamRecord[], options: ProcessShardOptions = {}): void {
    if (!this.virtual) {
      throw new InvalidEmulatorOptionError('processShardSync needs the virtual clock (a live clock waits in real time): use processShard, or a VirtualClock');
    }
    const shard = this.core.intake.openShard(shardId, options.parentShardId);
    // A disabled mapping reads nothing: records stay in the stream, the checkpoint does not move.
    if (this.config.enabled) runSteps(this.virtual.steps(shard, records, options));
  }

  /**
   * Live mode: starts no more invocations, cuts retry backoffs and batching windows short, and resolves once the
   * invocations in flight have finished (their checkpoints written). Records not done stay after the checkpoint.
   */
  public async stop(): Promise<void> {
    return this.scheduler.stop();
  }

  /** The shard's checkpoint (last SequenceNumber done), undefined before the first record is done. */
  public checkpoint(shardId: string): string | undefined {
    return this.core.intake.shards.get(shardId)?.checkpoint;
  }

  /** Every shard's checkpoint. */
  public checkpoints(): Record<string, string | undefined> {
    const out: Record<string, string | undefined> = {};
    for (const [id, s] of this.core.intake.shards) out[id] = s.checkpoint;
    return out;
  }

  /** True once `processShard(..., { end: true })` has completed for the shard. */
  public isEnded(shardId: string): boolean {
    return this.core.intake.shards.get(shardId)?.ended === true;
  }
}
