/**
 * The batch API: run a whole scenario through {@link EventSourceMappingEngine} and get the trace back.
 *
 * ```ts
 * const trace = await emulateEventSourceMapping({ records, config, handler });
 * trace.invocations[0].event.Records; trace.failures[0].message; trace.checkpoints; trace.metrics;
 * ```
 */
import type { ConsumerConfig } from '../config';
import { EventSourceMappingEngine } from './engine';
import { InvalidEmulatorOptionError, ShardLineageError } from '../errors';
import type { EmulatorMetrics, EngineOptions, FailureDelivery, InvocationTrace, ProcessShardOptions, StreamHandler, WindowResult } from './types';
import type { DynamoDBStreamRecord } from '../records/types';

export type RecordSource = Iterable<DynamoDBStreamRecord> | AsyncIterable<DynamoDBStreamRecord>;

export interface ShardInput {
  readonly shardId: string;
  /** Processed only after the parent, if the parent is among the inputs. */
  readonly parentShardId?: string;
  readonly records: RecordSource;
  /**
   * The shard was closed by a split: an open tumbling window ends early.
   * @default true when another input names it as parent
   */
  readonly closed?: boolean;
}

export interface EmulateOptions extends EngineOptions {
  readonly config: ConsumerConfig;
  readonly handler: StreamHandler;
  /** One shard's records; or use `shards`. */
  readonly records?: RecordSource;
  readonly shards?: readonly ShardInput[];
  /**
   * Keep every invocation (with its event) in the trace. Turn off to stream millions of records in bounded memory.
   * @default true
   */
  readonly keepInvocations?: boolean;
}

export interface EmulationTrace {
  readonly invocations: readonly InvocationTrace[];
  /** Every discard, in order; `destination` says where AWS would have delivered it. */
  readonly failures: readonly FailureDelivery[];
  /** Each tumbling window, in the order its final invocation succeeded (kept even without `keepInvocations`). */
  readonly windows: readonly WindowResult[];
  /** Final checkpoint per shard. */
  readonly checkpoints: Readonly<Record<string, string | undefined>>;
  readonly metrics: EmulatorMetrics;
  /** The order shards were processed in (parents before children). */
  readonly shardOrder: readonly string[];
}

/** The shard id used when `records` is given. */
export const DEFAULT_SHARD_ID = 'shardId-00000000000000000001-00000000';

export async function emulateEventSourceMapping(options: EmulateOptions): Promise<EmulationTrace> {
  const run = prepareRun(options);
  for (const shard of run.order) {
    let page: DynamoDBStreamRecord[] = [];
    for await (const record of shard.records) {
      page.push(record);
      if (page.length >= run.pageSize) {
        await run.engine.processShard(shard.shardId, page, { parentShardId: shard.parentShardId });
        page = [];
      }
    }
    await run.engine.processShard(shard.shardId, page, run.endOf(shard));
  }
  return run.trace();
}

/** The records of {@link EmulateSyncOptions}: iterables only, since nothing may be waited for. */
export interface SyncShardInput extends ShardInput {
  readonly records: Iterable<DynamoDBStreamRecord>;
}

export interface EmulateSyncOptions extends EmulateOptions {
  readonly records?: Iterable<DynamoDBStreamRecord>;
  readonly shards?: readonly SyncShardInput[];
  /** Must return synchronously: a promise is refused with an {@link InvalidEmulatorOptionError}. */
  readonly onFailure?: (failure: FailureDelivery) => void;
  /** Must return synchronously, as `onFailure`. */
  readonly onCheckpoint?: (shardId: string, sequenceNumber: string) => void;
}

/**
 * {@link emulateEventSourceMapping} without a promise, on the virtual clock, for a handler that returns its result
 * (not a promise): the same engine and rules, driven synchronously (steps.ts). For callers that cannot wait, such as
 * projen's synth drawing the README's picture of a poison record (src/runtime/explain).
 */
export function emulateEventSourceMappingSync(options: EmulateSyncOptions): EmulationTrace {
  if (options.clock !== undefined && !options.clock.virtual) {
    throw new InvalidEmulatorOptionError('emulateEventSourceMappingSync needs the virtual clock (given a live one): pass a VirtualClock, or use emulateEventSourceMapping');
  }
  const run = prepareRun(options);
  for (const shard of run.order as readonly SyncShardInput[]) {
    let page: DynamoDBStreamRecord[] = [];
    for (const record of shard.records) {
      page.push(record);
      if (page.length >= run.pageSize) {
        run.engine.processShardSync(shard.shardId, page, { parentShardId: shard.parentShardId });
        page = [];
      }
    }
    run.engine.processShardSync(shard.shardId, page, run.endOf(shard));
  }
  return run.trace();
}

/** What both drivers share: the engine with the trace's collectors, the shards in lineage order, the page size. */
function prepareRun(options: EmulateOptions) {
  const { config, handler, records, shards, keepInvocations = true, ...engineOptions } = options;
  if ((records === undefined) === (shards === undefined)) {
    throw new InvalidEmulatorOptionError('pass exactly one of records (one shard) or shards (several, with lineage) (given ' +
      `${records === undefined ? 'neither' : 'both'})`);
  }
  const inputs: readonly ShardInput[] = shards ?? [{ shardId: DEFAULT_SHARD_ID, records: records! }];
  const invocations: InvocationTrace[] = [];
  const failures: FailureDelivery[] = [];
  const windows: WindowResult[] = [];
  const engine = new EventSourceMappingEngine(config, handler, {
    ...engineOptions,
    onInvocation: (inv) => {
      if (keepInvocations) invocations.push(inv);
      const window = windowResult(inv);
      if (window) windows.push(window);
      engineOptions.onInvocation?.(inv);
    },
    // Returns the caller's result unawaited: the engine awaits it, or the synchronous driver refuses a promise.
    onFailure: (f) => {
      failures.push(f);
      return engineOptions.onFailure?.(f);
    },
  });
  const order = lineageOrder(inputs);
  const parents = new Set(inputs.map((s) => s.parentShardId).filter((p): p is string => p !== undefined));
  return {
    engine,
    order,
    // Pages of this size keep memory at one page plus a batch per lane, whatever the input size.
    pageSize: Math.max(1000, config.batchSize * config.parallelizationFactor),
    endOf: (shard: ShardInput): ProcessShardOptions => ({
      parentShardId: shard.parentShardId,
      end: true,
      closed: shard.closed ?? parents.has(shard.shardId),
    }),
    trace: (): EmulationTrace => ({
      invocations,
      failures,
      windows,
      checkpoints: engine.checkpoints(),
      metrics: engine.metrics,
      shardOrder: order.map((s) => s.shardId),
    }),
  };
}

/** The window an invocation closed: its final invocation, once it succeeded. */
function windowResult(inv: InvocationTrace): WindowResult | undefined {
  const { window, state, isFinalInvokeForWindow, isWindowTerminatedEarly } = inv.event;
  if (!window || !isFinalInvokeForWindow || inv.verdict !== 'success') return undefined;
  return { shardId: inv.shardId, start: window.start, end: window.end, state: state ?? {}, terminatedEarly: isWindowTerminatedEarly === true };
}

/** Parents before children; otherwise input order. */
function lineageOrder(inputs: readonly ShardInput[]): ShardInput[] {
  const ids = new Set(inputs.map((s) => s.shardId));
  const done = new Set<string>();
  const order: ShardInput[] = [];
  const remaining = [...inputs];
  while (remaining.length > 0) {
    const i = remaining.findIndex((s) => s.parentShardId === undefined || !ids.has(s.parentShardId) || done.has(s.parentShardId));
    if (i < 0) {
      throw new ShardLineageError(`shards ${remaining.map((s) => s.shardId).join(', ')} form a parentShardId cycle: each shard's parent must be an earlier shard`);
    }
    const [next] = remaining.splice(i, 1);
    done.add(next.shardId);
    order.push(next);
  }
  return order;
}
