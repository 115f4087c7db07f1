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
 * - Virtual clock: `processShard` resolves once every batch it could form has been invoked to completion (success,
 *   discard or trim), with callbacks awaited in order; lanes take turns by their time cursors. A partial batch
 *   (fewer than BatchSize records) waits for more input or for `end`.
 * - System clock (live, the local runner): each lane of a shard runs as its own worker, so up to
 *   ParallelizationFactor invocations are in flight per shard and a lane's retry backoff holds no other lane. A
 *   partial batch is released by a timer when its batching window closes, with or without further calls.
 *   `processShard` resolves once every lane has fewer than BatchSize records queued (a lane retrying a failing
 *   batch may queue up to {@link BLOCKED_LANE_BUFFER} before reading pauses); with `end`, once every lane is done.
 *   {@link EventSourceMappingEngine.stop} lets the invocations in flight finish and starts no more.
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
import { assembleBatch, batchingWindowCloseMs, type BatchLimits, EMPTY_EVENT_BYTES } from './batch';
import { type Clock, isoSeconds, VirtualClock } from './clock';
import { buildFailureDelivery } from './destination';
import { InvalidEmulatorOptionError, InvalidRecordError, InvocationLimitError, ShardLineageError } from '../errors';
import { compileFilters, type RecordFilter } from './filters';
import { hashString, sequentialIds } from './ids';
import { jsonByteLength, recordByteBound } from './json-size';
import { type BatchState, type Entry, Lane } from './lane';
import { ShardSignal, StopSwitch } from './live';
import { emptyMetrics, recordIteratorAge } from './metrics';
import { defaultRetryBackoffMs, nextStep } from './policy';
import { describeError, readResponse, type ResponseReading } from './response';
import type { DiscardCondition, EmulatedContext, EmulatedEvent, EmulatorMetrics, EngineOptions, InvocationOutcome, LaneResume, ProcessShardOptions, StreamHandler } from './types';
import { validateConsumerConfig } from './validate';
import { checkResume, doneBeforeStop, laneResume, restoreLane } from './window-resume';
import { isOverLimit, markOverLimit, readWindowState, restartWindow } from './window-state';
import type { DynamoDBStreamRecord } from '../records/types';

const SIX_MB = 6 * 1024 * 1024;
const ONE_MB = 1024 * 1024;
/**
 * Live mode: records a lane whose batch is failing may hold queued while the other lanes go on; past it the shard's
 * reading pauses (the checkpoint cannot pass the failing record anyway, and memory stays bounded).
 */
export const BLOCKED_LANE_BUFFER = 10_000;

interface ShardState {
  readonly id: string;
  readonly lanes: Lane[];
  nextIndex: number;
  lastSeq: string | undefined;
  checkpoint: string | undefined;
  streamArn: string;
  ended: boolean;
  tail: Promise<void>;
  /** Live mode: the input is complete (flush partial batches and windows) and whether the shard was closed. */
  flushing: boolean;
  closed: boolean;
  readonly signal: ShardSignal;
  /** Tumbling windows: each lane's `doneThrough` from the previous run (see window-resume.ts). */
  readonly restoredThrough: readonly (string | undefined)[];
  /** Tumbling windows: each lane as it stood after its last step, when its state and its records agree. */
  readonly laneResumes: LaneResume[];
  windowsChanged: boolean;
}

export class EventSourceMappingEngine {
  /** Counters mirroring the mapping's CloudWatch metrics, across all shards. */
  public readonly metrics: EmulatorMetrics = emptyMetrics();
  private readonly shards = new Map<string, ShardState>();
  private readonly clock: Clock;
  private readonly filter: RecordFilter | undefined;
  private readonly limits: BatchLimits;
  private readonly ids: () => string;
  private readonly objectIds = sequentialIds(1);
  private readonly functionArn: string;
  private readonly backoff: (retry: number) => number;
  private readonly retentionMs: number;
  private readonly maxInvocations: number;
  /** The table's key attributes (partition key, and sort key when there is one): what names an item. */
  private readonly itemKey: readonly string[] | undefined;
  private invocationIndex = 0;
  private readonly stopSwitch = new StopSwitch();

  constructor(
    public readonly config: ConsumerConfig,
    private readonly handler: StreamHandler,
    private readonly options: EngineOptions = {},
  ) {
    validateConsumerConfig(config);
    if (typeof handler !== 'function') {
      throw new InvalidEmulatorOptionError(`handler must be a function (given ${typeof handler}): pass the consumer's exported handler`);
    }
    const clock = options.clock ?? new VirtualClock(0);
    // Live waits (retry backoff) go through the stop switch, so stop() cuts them short.
    this.clock = clock.virtual ? clock : { virtual: false, now: () => clock.now(), sleep: (ms) => this.stopSwitch.sleep(ms) };
    this.filter = compileFilters(config.filters);
    this.limits = {
      batchSize: config.batchSize,
      windowMs: config.maxBatchingWindowSeconds * 1000,
      payloadLimitBytes: options.payloadLimitBytes ?? SIX_MB,
      tumblingMs: config.tumblingWindowSeconds * 1000,
    };
    this.ids = options.requestIdGenerator ?? sequentialIds();
    this.functionArn = options.functionArn ?? `arn:aws:lambda:us-east-1:123456789012:function:${config.name}`;
    this.backoff = options.retryBackoffMs ?? defaultRetryBackoffMs;
    this.retentionMs = (options.streamRetentionHours ?? 24) * 3_600_000;
    this.maxInvocations = options.maxInvocations ?? 1_000_000;
    const table = options.table;
    this.itemKey = table && [table.partitionKey.name, ...(table.sortKey ? [table.sortKey.name] : [])];
    if (config.parallelizationFactor > 1 && this.itemKey === undefined) {
      throw new InvalidEmulatorOptionError(
        `options.table is required when parallelizationFactor is ${config.parallelizationFactor} (allowed without it: 1): pass the TableConfig so records can be assigned to lanes by item key`,
      );
    }
  }

  /** Feeds records of one shard, in shard order, and runs every batch that is ready. See the file header. */
  public async processShard(shardId: string, records: readonly DynamoDBStreamRecord[], options: ProcessShardOptions = {}): Promise<void> {
    const shard = this.openShard(shardId, options.parentShardId);
    const run = shard.tail.then(() => (this.clock.virtual ? this.run(shard, records, options) : this.runLive(shard, records, options)));
    shard.tail = run.catch(() => undefined);
    return run;
  }

  /**
   * Live mode: starts no more invocations, cuts retry backoffs and batching windows short, and resolves once the
   * invocations in flight have finished (their checkpoints written). Records not done stay after the checkpoint.
   */
  public async stop(): Promise<void> {
    this.stopSwitch.stop();
    for (const shard of this.shards.values()) {
      for (const lane of shard.lanes) lane.wake?.();
      await shard.signal.until(() => shard.lanes.every((l) => !l.running)).catch(() => undefined);
    }
  }

  /** The shard's checkpoint (last SequenceNumber done), undefined before the first record is done. */
  public checkpoint(shardId: string): string | undefined {
    return this.shards.get(shardId)?.checkpoint;
  }

  /** Every shard's checkpoint. */
  public checkpoints(): Record<string, string | undefined> {
    const out: Record<string, string | undefined> = {};
    for (const [id, s] of this.shards) out[id] = s.checkpoint;
    return out;
  }

  /** True once `processShard(..., { end: true })` has completed for the shard. */
  public isEnded(shardId: string): boolean {
    return this.shards.get(shardId)?.ended === true;
  }

  private openShard(shardId: string, parentShardId: string | undefined): ShardState {
    const existing = this.shards.get(shardId);
    if (existing) {
      if (existing.ended) throw new ShardLineageError(`shardId ${JSON.stringify(shardId)} was already ended: feed each shard once up to { end: true }`);
      return existing;
    }
    let startMs = this.clock.now();
    if (parentShardId !== undefined) {
      const parent = this.shards.get(parentShardId);
      if (parent && !parent.ended) {
        throw new ShardLineageError(
          `shard ${JSON.stringify(shardId)} was fed before its parent ${JSON.stringify(parentShardId)} ended: Lambda reads a parent shard to its end before its children; call processShard(parent, records, { end: true }) first`,
        );
      }
      if (parent) startMs = Math.max(startMs, ...parent.lanes.map((l) => l.timeMs));
    }
    const lanes: Lane[] = [];
    for (let i = 0; i < this.config.parallelizationFactor; i++) lanes.push(new Lane(i, startMs));
    const resume = this.limits.tumblingMs > 0 ? this.options.resume?.[shardId] : undefined;
    if (resume) {
      checkResume(shardId, resume, lanes.length);
      resume.lanes.forEach((saved, i) => restoreLane(lanes[i], saved));
    }
    const shard: ShardState = {
      id: shardId,
      lanes,
      nextIndex: 0,
      lastSeq: undefined,
      checkpoint: undefined,
      streamArn: '',
      ended: false,
      tail: Promise.resolve(),
      flushing: false,
      closed: false,
      signal: new ShardSignal(),
      restoredThrough: lanes.map((_, i) => resume?.lanes[i].doneThrough),
      laneResumes: lanes.map((_, i) => resume?.lanes[i] ?? {}),
      windowsChanged: false,
    };
    this.shards.set(shardId, shard);
    return shard;
  }

  private async run(shard: ShardState, records: readonly DynamoDBStreamRecord[], options: ProcessShardOptions): Promise<void> {
    // A disabled mapping reads nothing: records stay in the stream, the checkpoint does not move.
    if (!this.config.enabled) return;
    for (const r of records) this.ingest(shard, r, undefined);
    const flush = options.end === true;
    for (;;) {
      const lane = this.nextReadyLane(shard, flush, options.closed === true);
      if (!lane) break;
      await this.step(shard, lane);
      this.noteWindows(shard, lane);
      await this.updateCheckpoint(shard);
    }
    // Filtered-out records at the tail still move the checkpoint.
    await this.updateCheckpoint(shard);
    if (flush) shard.ended = true;
  }

  /** Live mode: hands the records to the lanes, wakes their workers and applies back-pressure (see the header). */
  private async runLive(shard: ShardState, records: readonly DynamoDBStreamRecord[], options: ProcessShardOptions): Promise<void> {
    if (!this.config.enabled) return;
    if (shard.signal.failure !== undefined) throw shard.signal.failure;
    const nowMs = this.clock.now();
    for (const r of records) this.ingest(shard, r, nowMs);
    if (options.end === true) {
      shard.flushing = true;
      shard.closed = options.closed === true;
    }
    for (const lane of shard.lanes) this.startWorker(shard, lane);
    const stopped = () => this.stopSwitch.stopped;
    if (options.end === true) {
      await shard.signal.until(() => stopped() || shard.lanes.every((l) => !l.running));
    } else {
      await shard.signal.until(() => stopped() || shard.lanes.every((l) => l.queued < this.queueLimit(l)));
    }
    // Filtered-out records at the tail still move the checkpoint.
    await this.updateCheckpoint(shard);
    if (options.end === true && !stopped()) shard.ended = true;
  }

  /** Back-pressure per lane: one batch queued behind the one in flight, more behind a failing batch. */
  private queueLimit(lane: Lane): number {
    return lane.current !== undefined && lane.current.retries > 0 ? Math.max(BLOCKED_LANE_BUFFER, this.config.batchSize) : this.config.batchSize;
  }

  /** Starts the lane's worker, or wakes it if it waits for a batching window (more records may have come). */
  private startWorker(shard: ShardState, lane: Lane): void {
    if (lane.running) {
      lane.wake?.();
      return;
    }
    lane.running = true;
    this.laneWorker(shard, lane)
      .catch((error: unknown) => {
        lane.running = false;
        shard.signal.failure ??= error;
      })
      .finally(() => shard.signal.notify());
  }

  /**
   * One lane in live mode: invoke batch after batch while one is ready; wait (on a timer, or until woken) while a
   * partial batch's window or a tumbling window is open; stop when the lane has nothing, at stop() or on failure.
   * `lane.running` is cleared in the same synchronous step that finds nothing to do, so records ingested right
   * after always find either a running worker to wake or none (and start one).
   */
  private async laneWorker(shard: ShardState, lane: Lane): Promise<void> {
    for (;;) {
      if (this.stopSwitch.stopped || shard.signal.failure !== undefined) break;
      const nowMs = this.clock.now();
      if (!lane.current) this.prepareBatch(shard, lane, shard.flushing, shard.closed, nowMs);
      if (!lane.current) {
        const wakeAtMs = this.nextWakeMs(lane);
        if (wakeAtMs === undefined) break;
        await this.stopSwitch.sleep(Math.max(5, wakeAtMs - nowMs), (cut) => (lane.wake = cut));
        lane.wake = undefined;
        continue;
      }
      lane.timeMs = Math.max(lane.timeMs, nowMs);
      shard.signal.notify();
      await this.step(shard, lane);
      // The next batching window begins when this invocation completes.
      lane.timeMs = Math.max(lane.timeMs, this.clock.now());
      this.noteWindows(shard, lane);
      await this.updateCheckpoint(shard);
      shard.signal.notify();
    }
    lane.running = false;
  }

  /** When a waiting lane must look again: its partial batch's window closes, or its tumbling window ends. */
  private nextWakeMs(lane: Lane): number | undefined {
    let wakeAtMs = batchingWindowCloseMs(lane, this.limits);
    if (this.limits.tumblingMs > 0 && lane.window) wakeAtMs = Math.min(wakeAtMs ?? Infinity, lane.window.endMs);
    return wakeAtMs;
  }

  private ingest(shard: ShardState, record: DynamoDBStreamRecord, liveNowMs: number | undefined): void {
    const data = record?.dynamodb;
    const seq = data?.SequenceNumber;
    if (typeof seq !== 'string' || typeof data.ApproximateCreationDateTime !== 'number') {
      throw new InvalidRecordError(
        `record ${shard.nextIndex} of shard ${JSON.stringify(shard.id)} lacks dynamodb.SequenceNumber (string) or dynamodb.ApproximateCreationDateTime (epoch seconds): build records with the fixtures or convert GetRecords output to the Lambda event shape first`,
      );
    }
    if (shard.streamArn === '') shard.streamArn = record.eventSourceARN ?? '';
    const arrivalMs = data.ApproximateCreationDateTime * 1000;
    const prevSeq = shard.lastSeq;
    const index = shard.nextIndex++;
    shard.lastSeq = seq;
    if (this.config.startingPosition === 'LATEST' && this.options.mappingCreatedAtMs !== undefined && arrivalMs < this.options.mappingCreatedAtMs) {
      return;
    }
    const lane = shard.lanes.length === 1 ? shard.lanes[0] : shard.lanes[this.laneOf(record)];
    // Read again after a restart, but already in the lane's saved window state (or in a window closed since):
    // handing it over would count it twice. Not polled again either, so the runs add up to one run's figures.
    if (doneBeforeStop(shard.restoredThrough[lane.id], seq)) return;
    this.metrics.polledEvents++;
    if (this.filter && !this.filter(record)) {
      this.metrics.filteredOutEvents++;
      return;
    }
    const readyMs = liveNowMs === undefined ? arrivalMs : Math.max(arrivalMs, liveNowMs);
    lane.enqueue({ record, index, prevSeq, arrivalMs, readyMs, boundBytes: recordByteBound(record) });
  }

  /**
   * with-ddb: "When you increase the number of concurrent batches per shard, Lambda still ensures in-order
   * processing at the item (partition and sort key) level." So lanes go by item, not by partition key: two items of
   * one partition key may be processed out of order, as on AWS.
   */
  private laneOf(record: DynamoDBStreamRecord): number {
    const keys = record.dynamodb.Keys;
    const text = this.itemKey!.map((name) => {
      const value = keys?.[name];
      return value === undefined ? '' : value.S ?? value.N ?? value.B ?? JSON.stringify(value);
    }).join('\u0000');
    return hashString(text) % this.config.parallelizationFactor;
  }

  /** Virtual clock: makes sure lanes have a batch when one is ready; returns the ready lane earliest in time. */
  private nextReadyLane(shard: ShardState, flush: boolean, closed: boolean): Lane | undefined {
    let best: Lane | undefined;
    for (const lane of shard.lanes) {
      if (!lane.current) this.prepareBatch(shard, lane, flush, closed, undefined);
      if (lane.current && (!best || lane.timeMs < best.timeMs)) best = lane;
    }
    return best;
  }

  private prepareBatch(shard: ShardState, lane: Lane, flush: boolean, closed: boolean, live: number | undefined): void {
    const pending = lane.pending.pop();
    if (pending) {
      lane.current = { entries: pending.entries, retries: pending.retries, invokeCount: 0 };
      return;
    }
    const tumblingMs = this.limits.tumblingMs;
    if (tumblingMs > 0 && lane.window) {
      const next = lane.peek();
      const nextWindowStarts = next !== undefined && Math.floor(next.arrivalMs / tumblingMs) * tumblingMs !== lane.window.startMs;
      const noMore = next === undefined && (flush || (live !== undefined && live >= lane.window.endMs));
      if (nextWindowStarts || noMore) {
        const terminatedEarly = noMore && closed && lane.timeMs < lane.window.endMs;
        if (!terminatedEarly) lane.timeMs = Math.max(lane.timeMs, lane.window.endMs);
        lane.current = { entries: [], retries: 0, invokeCount: 0, finalWindow: { terminatedEarly } };
        return;
      }
    }
    const batch = assembleBatch(lane, this.limits, flush, live, this.envelopeBytes(shard, lane));
    if (!batch) return;
    lane.timeMs = Math.max(lane.timeMs, batch.atMs);
    if (tumblingMs > 0 && !lane.window) {
      const startMs = Math.floor(batch.entries[0].arrivalMs / tumblingMs) * tumblingMs;
      lane.window = { startMs, endMs: startMs + tumblingMs, state: {} };
    }
    lane.current = { entries: batch.entries, retries: 0, invokeCount: 0 };
  }

  /** One invocation of the lane's current batch (after age and retention discards), and what follows from it. */
  private async step(shard: ShardState, lane: Lane): Promise<void> {
    const batch = lane.current!;
    if (!batch.finalWindow) {
      await this.discardExpired(shard, lane, batch);
      if (batch.entries.length === 0) {
        lane.current = undefined;
        return;
      }
    }
    if (this.metrics.invocations >= this.maxInvocations) {
      throw new InvocationLimitError(
        `maxInvocations (${this.maxInvocations}) reached on shard ${JSON.stringify(shard.id)}: the retry policy (retryAttempts ${this.config.retryAttempts}, maxRecordAgeSeconds ${this.config.maxRecordAgeSeconds}) never lets the shard move on; bound them, or raise options.maxInvocations`,
      );
    }
    const records = batch.entries.map((e) => e.record);
    const requestId = this.ids();
    batch.invokeCount++;
    const atMs = lane.timeMs;
    const event = this.buildEvent(shard, lane, batch, records);
    const context = this.buildContext(requestId, atMs, shard.id, lane.id, batch.invokeCount);
    this.metrics.invocations++;
    this.metrics.invokedEvents += records.length;
    if (records.length > 0) recordIteratorAge(this.metrics, atMs - batch.entries[batch.entries.length - 1].arrivalMs);

    let outcome: InvocationOutcome;
    try {
      outcome = { kind: 'returned', value: await this.handler(event, context) };
    } catch (error) {
      outcome = { kind: 'threw', error };
    }
    lane.timeMs += this.options.invocationDurationMs ?? 0;

    const reading = this.read(outcome, records, lane);
    if (reading.kind !== 'success') {
      this.metrics.failedInvocations++;
      this.metrics.failedInvokeEvents += records.length;
    }
    // "Unhandled" only when the function threw; an unreadable response is a returned function (AWS-recorded).
    batch.lastFunctionError = outcome.kind === 'threw' ? 'Unhandled' : null;
    this.options.onInvocation?.({
      index: this.invocationIndex++,
      requestId,
      shardId: shard.id,
      lane: lane.id,
      atMs,
      attempt: batch.invokeCount,
      event,
      outcome,
      verdict: reading.kind === 'partial' ? 'partial-failure' : reading.kind,
      ...(reading.kind === 'failure' ? { reason: reading.reason } : {}),
    });
    await this.apply(shard, lane, batch, reading, requestId);
  }

  private read(outcome: InvocationOutcome, records: readonly DynamoDBStreamRecord[], lane: Lane): ResponseReading {
    if (outcome.kind === 'threw') return { kind: 'failure', reason: describeError(outcome.error) };
    const reading = readResponse(outcome.value, records, this.config.reportBatchItemFailures);
    if (this.limits.tumblingMs === 0 || !lane.window) return reading;
    const window = readWindowState(outcome.value);
    if (window.kind === 'missing') {
      return { kind: 'failure', reason: 'the response has no state property, which a tumbling window requires (services-ddb-windows)' };
    }
    if (reading.kind !== 'failure') {
      lane.window.state = window.state;
      // 1 MB of the state's JSON in UTF-8 bytes (see window-state.ts).
      if (window.bytes > ONE_MB && !lane.current?.finalWindow) markOverLimit(lane.window);
    }
    return reading;
  }

  private async apply(shard: ShardState, lane: Lane, batch: BatchState, reading: ResponseReading, requestId: string): Promise<void> {
    await this.settle(shard, lane, batch, reading, requestId);
    // A retry keeps the batch (and the window's last good state); anything else lets an over-limit window end now.
    if (!batch.finalWindow && lane.current !== batch && isOverLimit(lane.window)) this.terminateWindowEarly(lane);
  }

  /** "If it exceeds that size, Lambda terminates the window early" (services-ddb-windows): its final invocation
   * runs next; the records after it continue the same window with a fresh state (see finishBatch). */
  private terminateWindowEarly(lane: Lane): void {
    if (lane.current) lane.pending.push({ entries: lane.current.entries, retries: lane.current.retries });
    lane.current = { entries: [], retries: 0, invokeCount: 0, finalWindow: { terminatedEarly: true } };
  }

  private async settle(shard: ShardState, lane: Lane, batch: BatchState, reading: ResponseReading, requestId: string): Promise<void> {
    const step = nextStep({
      reading,
      batchLength: batch.entries.length,
      retriesUsed: batch.retries,
      retryAttempts: this.config.retryAttempts,
      bisect: this.config.bisectBatchOnError,
    });
    const entries = batch.entries;
    switch (step.kind) {
      case 'done':
        this.finishBatch(lane, batch);
        return;
      case 'bisect': {
        // Only single records consume retries, so a bisected batch has none spent: the halves start at 0 too.
        const mid = Math.ceil(entries.length / 2);
        lane.pending.push({ entries: entries.slice(mid), retries: batch.retries });
        lane.current = { entries: entries.slice(0, mid), retries: batch.retries, invokeCount: 0 };
        return;
      }
      case 'checkpoint':
        lane.current = { entries: entries.slice(step.from), retries: 0, invokeCount: 0 };
        return;
      case 'split': {
        const retries = step.from > 0 ? 0 : batch.retries;
        if (step.to < entries.length - 1) lane.pending.push({ entries: entries.slice(step.to + 1), retries: 0 });
        lane.current = { entries: entries.slice(step.from, step.to + 1), retries, invokeCount: 0 };
        return;
      }
      case 'retry': {
        batch.entries = entries.slice(step.from);
        batch.retries += 1;
        const delay = this.backoff(batch.retries);
        lane.timeMs += delay;
        await this.clock.sleep(delay);
        return;
      }
      case 'discard': {
        const discarded = entries.slice(step.from, step.to + 1);
        if (discarded.length > 0) await this.discard(shard, lane, discarded, 'RetryAttemptsExhausted', batch, requestId);
        const rest = entries.slice(step.to + 1);
        if (rest.length > 0) {
          lane.current = { entries: rest, retries: 0, invokeCount: 0 };
        } else {
          this.finishBatch(lane, batch);
        }
        return;
      }
    }
  }

  private finishBatch(lane: Lane, batch: BatchState): void {
    lane.current = undefined;
    if (!batch.finalWindow) return;
    if (isOverLimit(lane.window)) restartWindow(lane.window!);
    else lane.window = undefined;
  }

  /** Trims records past the stream's retention, then discards records past MaximumRecordAgeInSeconds. */
  private async discardExpired(shard: ShardState, lane: Lane, batch: BatchState): Promise<void> {
    const now = lane.timeMs;
    let trimmed = 0;
    while (trimmed < batch.entries.length && now - batch.entries[trimmed].arrivalMs > this.retentionMs) trimmed++;
    if (trimmed > 0) {
      this.metrics.trimmedEvents += trimmed;
      batch.entries = batch.entries.slice(trimmed);
    }
    const maxAge = this.config.maxRecordAgeSeconds;
    if (maxAge === -1) return;
    let expired = 0;
    while (expired < batch.entries.length && now - batch.entries[expired].arrivalMs > maxAge * 1000) expired++;
    if (expired === 0) return;
    const discarded = batch.entries.slice(0, expired);
    batch.entries = batch.entries.slice(expired);
    await this.discard(shard, lane, discarded, 'RecordAgeExceeded', batch, this.ids());
  }

  private async discard(
    shard: ShardState,
    lane: Lane,
    entries: readonly Entry[],
    condition: DiscardCondition,
    batch: BatchState,
    requestId: string,
  ): Promise<void> {
    const destination = this.config.failureDestination;
    const invoked = batch.invokeCount > 0;
    const functionError = invoked ? batch.lastFunctionError ?? null : this.options.responseContextWithoutInvocation ? null : undefined;
    const delivery = buildFailureDelivery({
      shardId: shard.id,
      streamArn: shard.streamArn,
      functionArn: this.functionArn,
      requestId,
      condition,
      approximateInvokeCount: batch.invokeCount,
      ...(functionError === undefined ? {} : { functionError }),
      atMs: lane.timeMs,
      records: entries.map((e) => e.record),
      destination,
      mappingUuid: this.options.mappingUuid ?? '00000000-0000-4000-8000-00000000e5a0',
      objectId: this.objectIds(),
    });
    await this.options.onFailure?.(delivery);
    // DroppedEventCount "excludes events that you send to an on-failure destination" (monitoring-metrics-types):
    // a discard is either dropped or delivered, never both. Counted once delivered, as AWS counts events "sent".
    if (destination === 'NONE') this.metrics.droppedEvents += entries.length;
    else this.metrics.deliveredToDestinationEvents += entries.length;
  }

  /**
   * The JSON size of the lane's next event without its records: `{"Records":[]}`, plus, with a tumbling window, the
   * window's fields and its state as it stands (up to 1 MB), which travel in the same payload.
   */
  private envelopeBytes(shard: ShardState, lane: Lane): number {
    if (this.limits.tumblingMs === 0) return EMPTY_EVENT_BYTES;
    // A window's bounds are ISO strings of one length, whichever window it is.
    const startMs = lane.window?.startMs ?? 0;
    return jsonByteLength({
      Records: [],
      window: { start: isoSeconds(startMs), end: isoSeconds(startMs + this.limits.tumblingMs) },
      state: lane.window?.state ?? {},
      shardId: shard.id,
      eventSourceARN: shard.streamArn,
      isFinalInvokeForWindow: false,
      isWindowTerminatedEarly: false,
    });
  }

  private buildEvent(shard: ShardState, lane: Lane, batch: BatchState, records: readonly DynamoDBStreamRecord[]): EmulatedEvent {
    if (this.limits.tumblingMs === 0 || !lane.window) return { Records: records };
    return {
      Records: records,
      window: { start: isoSeconds(lane.window.startMs), end: isoSeconds(lane.window.endMs) },
      state: lane.window.state as Record<string, unknown>,
      shardId: shard.id,
      eventSourceARN: shard.streamArn,
      isFinalInvokeForWindow: batch.finalWindow !== undefined,
      isWindowTerminatedEarly: batch.finalWindow?.terminatedEarly === true,
    };
  }

  private buildContext(requestId: string, nowMs: number, shardId: string, lane: number, attempt: number): EmulatedContext {
    const timeoutMs = this.config.function.timeoutSeconds * 1000;
    return {
      awsRequestId: requestId,
      functionName: this.config.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: this.functionArn,
      memoryLimitInMB: String(this.config.function.memorySize),
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => timeoutMs,
      emulator: { nowMs, shardId, lane, attempt },
    };
  }

  /** After a step of the lane: its windows as a restart needs them (the step may have changed them). */
  private noteWindows(shard: ShardState, lane: Lane): void {
    if (this.limits.tumblingMs === 0) return;
    shard.laneResumes[lane.id] = laneResume(lane, shard.lastSeq, shard.restoredThrough[lane.id]);
    shard.windowsChanged = true;
  }

  private async updateCheckpoint(shard: ShardState): Promise<void> {
    // Before the checkpoint, in the same synchronous step: a saved checkpoint is never ahead of the saved windows.
    if (shard.windowsChanged) {
      shard.windowsChanged = false;
      this.options.onWindows?.(shard.id, { lanes: [...shard.laneResumes] });
    }
    let earliest: Entry | undefined;
    for (const lane of shard.lanes) {
      const e = lane.earliestUnfinished();
      if (e && (!earliest || e.index < earliest.index)) earliest = e;
    }
    const checkpoint = earliest ? earliest.prevSeq : shard.lastSeq;
    if (checkpoint === undefined || checkpoint === shard.checkpoint) return;
    shard.checkpoint = checkpoint;
    await this.options.onCheckpoint?.(shard.id, checkpoint);
  }
}
