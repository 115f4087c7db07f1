/**
 * The mapping's core: what Lambda does with a shard's records, whichever clock drives it. Once intake.ts has put
 * the records into lanes, it assembles a lane's next batch, invokes the handler, settles the outcome (done,
 * bisect, split, retry, discard) and moves the checkpoint.
 *
 * It never waits and never decides when a lane runs: a scheduler does (engine.ts picks one by the clock). Its
 * methods that involve the handler or a callback are generators (steps.ts) that yield what they would wait for, so a
 * scheduler can await it or, with a synchronous handler on the virtual clock, run them without a promise.
 * The scheduler tells it how far time is known to have passed (`nowMs`: the wall clock, or -Infinity when only the
 * records tell time) and waits out the retry backoff that {@link MappingCore.step} returns. So one set of rules
 * serves both clocks, and the two clocks can only differ in when things run, not in what they do.
 */
import type { ConsumerConfig } from '../config';
import { assembleBatch, batchingWindowCloseMs, type BatchLimits } from './batch';
import { buildFailureDelivery } from './destination';
import { InvalidEmulatorOptionError, InvocationLimitError } from '../errors';
import { buildContext, buildEvent, envelopeBytes } from './event';
import { sequentialIds } from './ids';
import { ShardIntake } from './intake';
import type { BatchState, Entry, Lane } from './lane';
import { emptyMetrics, recordIteratorAge } from './metrics';
import { defaultRetryBackoffMs, nextStep } from './policy';
import { describeError, readResponse, type ResponseReading } from './response';
import type { ShardState } from './shard';
import type { Steps } from './steps';
import type { DiscardCondition, EmulatorMetrics, EngineOptions, InvocationOutcome, ProcessShardOptions, StreamHandler } from './types';
import { validateConsumerConfig } from './validate';
import { laneResume } from './window-resume';
import { isOverLimit, markOverLimit, readWindowState, restartWindow } from './window-state';
import type { DynamoDBStreamRecord } from '../records/types';
import { ageIsInfinite } from '../rules/consumer-rules';

const SIX_MB = 6 * 1024 * 1024;
const ONE_MB = 1024 * 1024;

/** How a scheduler runs the core: it owns the order and the waiting, the core owns everything else. */
export interface Scheduler {
  /** Runs the shard's records (already opened on the core) until the call's promise in the engine header holds. */
  run(shard: ShardState, records: readonly DynamoDBStreamRecord[], options: ProcessShardOptions): Promise<void>;
  /** Starts no more invocations; resolves once those in flight have finished. */
  stop(): Promise<void>;
}

export class MappingCore {
  /** Counters mirroring the mapping's CloudWatch metrics, across all shards. */
  public readonly metrics: EmulatorMetrics = emptyMetrics();
  /** Reads the stream: shards and their lineage, records into lanes. */
  public readonly intake: ShardIntake;
  private readonly limits: BatchLimits;
  private readonly ids: () => string;
  private readonly objectIds = sequentialIds(1);
  private readonly functionArn: string;
  private readonly backoff: (retry: number) => number;
  private readonly retentionMs: number;
  private readonly maxInvocations: number;
  private invocationIndex = 0;

  /** @param now where a new shard's lanes start their time cursors. */
  constructor(
    public readonly config: ConsumerConfig,
    private readonly handler: StreamHandler,
    private readonly options: EngineOptions,
    now: () => number,
  ) {
    validateConsumerConfig(config);
    if (typeof handler !== 'function') {
      throw new InvalidEmulatorOptionError(`handler must be a function (given ${typeof handler}): pass the consumer's exported handler`);
    }
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
    this.intake = new ShardIntake(config, options, now, this.metrics);
  }

  /**
   * Gives the lane a current batch when one is ready: a bisected half or split rest first, then a tumbling window's
   * final invocation when the window is over, then the next batch off its queue.
   * @param flush no more records will come for the shard: release partial batches and end open windows.
   * @param closed the shard was closed by a split: an open tumbling window ends early.
   * @param nowMs time known to have passed: a batching or tumbling window closed by then needs no later record.
   */
  public prepareBatch(shard: ShardState, lane: Lane, flush: boolean, closed: boolean, nowMs: number): void {
    const pending = lane.pending.pop();
    if (pending) {
      lane.current = { entries: pending.entries, retries: pending.retries, invokeCount: 0 };
      return;
    }
    const tumblingMs = this.limits.tumblingMs;
    if (tumblingMs > 0 && lane.window) {
      const next = lane.peek();
      const nextWindowStarts = next !== undefined && Math.floor(next.arrivalMs / tumblingMs) * tumblingMs !== lane.window.startMs;
      const noMore = next === undefined && (flush || nowMs >= lane.window.endMs);
      if (nextWindowStarts || noMore) {
        const terminatedEarly = noMore && closed && lane.timeMs < lane.window.endMs;
        if (!terminatedEarly) lane.timeMs = Math.max(lane.timeMs, lane.window.endMs);
        lane.current = { entries: [], retries: 0, invokeCount: 0, finalWindow: { terminatedEarly } };
        return;
      }
    }
    const batch = assembleBatch(lane, this.limits, flush, nowMs, envelopeBytes(shard, lane, tumblingMs));
    if (!batch) return;
    lane.timeMs = Math.max(lane.timeMs, batch.atMs);
    if (tumblingMs > 0 && !lane.window) {
      const startMs = Math.floor(batch.entries[0].arrivalMs / tumblingMs) * tumblingMs;
      lane.window = { startMs, endMs: startMs + tumblingMs, state: {} };
    }
    lane.current = { entries: batch.entries, retries: 0, invokeCount: 0 };
  }

  /** When a lane with no batch gets one without further records: its partial batch's window closes, or its tumbling window ends. */
  public releaseAtMs(lane: Lane): number | undefined {
    let atMs = batchingWindowCloseMs(lane, this.limits);
    if (this.limits.tumblingMs > 0 && lane.window) atMs = Math.min(atMs ?? Infinity, lane.window.endMs);
    return atMs;
  }

  /**
   * One invocation of the lane's current batch (after age and retention discards), and its settlement.
   * @returns the backoff the lane must wait out before the retry, when the batch is retried.
   */
  public *step(shard: ShardState, lane: Lane): Steps<number | undefined> {
    const batch = lane.current!;
    if (!batch.finalWindow) {
      yield* this.discardExpired(shard, lane, batch);
      if (batch.entries.length === 0) {
        lane.current = undefined;
        return undefined;
      }
    }
    if (this.metrics.invocations >= this.maxInvocations) {
      throw new InvocationLimitError(
        `maxInvocations (${this.maxInvocations}) reached on shard ${JSON.stringify(shard.id)}: the retry policy (retryAttempts ${this.config.retryAttempts}, maxRecordAgeSeconds ${this.config.maxRecordAgeSeconds}) never lets the shard move on; bound them, or raise options.maxInvocations`,
      );
    }
    const { reading, requestId } = yield* this.invoke(shard, lane, batch);
    const backoffMs = yield* this.settle(shard, lane, batch, reading, requestId);
    // A retry keeps the batch (and the window's last good state); anything else lets an over-limit window end now.
    if (!batch.finalWindow && lane.current !== batch && isOverLimit(lane.window)) this.terminateWindowEarly(lane);
    return backoffMs;
  }

  /** After a step of the lane and its backoff: hands out the lane's windows, then moves the checkpoint. */
  public *afterStep(shard: ShardState, lane: Lane): Steps<void> {
    this.noteWindows(shard, lane);
    yield* this.updateCheckpoint(shard);
  }

  public *updateCheckpoint(shard: ShardState): Steps<void> {
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
    yield this.options.onCheckpoint?.(shard.id, checkpoint);
  }

  /** Calls the handler once with the batch, counts and traces the call, and reads its response. */
  private *invoke(shard: ShardState, lane: Lane, batch: BatchState): Steps<{ reading: ResponseReading; requestId: string }> {
    const records = batch.entries.map((e) => e.record);
    const requestId = this.ids();
    batch.invokeCount++;
    const atMs = lane.timeMs;
    const event = buildEvent(shard, lane, batch, records, this.limits.tumblingMs);
    const attempt = batch.invokeCount;
    const context = buildContext(this.config, this.functionArn, { requestId, nowMs: atMs, shardId: shard.id, lane: lane.id, attempt });
    this.metrics.invocations++;
    this.metrics.invokedEvents += records.length;
    if (records.length > 0) recordIteratorAge(this.metrics, atMs - batch.entries[batch.entries.length - 1].arrivalMs);

    let outcome: InvocationOutcome;
    try {
      outcome = { kind: 'returned', value: yield this.handler(event, context) };
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
    return { reading, requestId };
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

  /** "If it exceeds that size, Lambda terminates the window early" (services-ddb-windows): its final invocation
   * runs next; the records after it continue the same window with a fresh state (see finishBatch). */
  private terminateWindowEarly(lane: Lane): void {
    if (lane.current) lane.pending.push({ entries: lane.current.entries, retries: lane.current.retries });
    lane.current = { entries: [], retries: 0, invokeCount: 0, finalWindow: { terminatedEarly: true } };
  }

  /** Applies the retry policy's next step to the lane; returns the backoff when the batch is retried. */
  private *settle(shard: ShardState, lane: Lane, batch: BatchState, reading: ResponseReading, requestId: string): Steps<number | undefined> {
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
        return undefined;
      case 'bisect': {
        // Only single records consume retries, so a bisected batch has none spent: the halves start at 0 too.
        const mid = Math.ceil(entries.length / 2);
        lane.pending.push({ entries: entries.slice(mid), retries: batch.retries });
        lane.current = { entries: entries.slice(0, mid), retries: batch.retries, invokeCount: 0 };
        return undefined;
      }
      case 'checkpoint':
        lane.current = { entries: entries.slice(step.from), retries: 0, invokeCount: 0 };
        return undefined;
      case 'split': {
        const retries = step.from > 0 ? 0 : batch.retries;
        if (step.to < entries.length - 1) lane.pending.push({ entries: entries.slice(step.to + 1), retries: 0 });
        lane.current = { entries: entries.slice(step.from, step.to + 1), retries, invokeCount: 0 };
        return undefined;
      }
      case 'retry': {
        batch.entries = entries.slice(step.from);
        batch.retries += 1;
        const delay = this.backoff(batch.retries);
        lane.timeMs += delay;
        return delay;
      }
      case 'discard': {
        const discarded = entries.slice(step.from, step.to + 1);
        if (discarded.length > 0) yield* this.discard(shard, lane, discarded, 'RetryAttemptsExhausted', batch, requestId);
        const rest = entries.slice(step.to + 1);
        if (rest.length > 0) {
          lane.current = { entries: rest, retries: 0, invokeCount: 0 };
        } else {
          this.finishBatch(lane, batch);
        }
        return undefined;
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
  private *discardExpired(shard: ShardState, lane: Lane, batch: BatchState): Steps<void> {
    const now = lane.timeMs;
    let trimmed = 0;
    while (trimmed < batch.entries.length && now - batch.entries[trimmed].arrivalMs > this.retentionMs) trimmed++;
    if (trimmed > 0) {
      this.metrics.trimmedEvents += trimmed;
      batch.entries = batch.entries.slice(trimmed);
    }
    const maxAge = this.config.maxRecordAgeSeconds;
    if (ageIsInfinite(this.config)) return;
    let expired = 0;
    while (expired < batch.entries.length && now - batch.entries[expired].arrivalMs > maxAge * 1000) expired++;
    if (expired === 0) return;
    const discarded = batch.entries.slice(0, expired);
    batch.entries = batch.entries.slice(expired);
    yield* this.discard(shard, lane, discarded, 'RecordAgeExceeded', batch, this.ids());
  }

  private *discard(
    shard: ShardState,
    lane: Lane,
    entries: readonly Entry[],
    condition: DiscardCondition,
    batch: BatchState,
    requestId: string,
  ): Steps<void> {
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
    yield this.options.onFailure?.(delivery);
    // DroppedEventCount "excludes events that you send to an on-failure destination" (monitoring-metrics-types):
    // a discard is either dropped or delivered, never both. Counted once delivered, as AWS counts events "sent".
    if (destination === 'NONE') this.metrics.droppedEvents += entries.length;
    else this.metrics.deliveredToDestinationEvents += entries.length;
  }

  /** Its windows as a restart needs them (the step may have changed them). */
  private noteWindows(shard: ShardState, lane: Lane): void {
    if (this.limits.tumblingMs === 0) return;
    shard.laneResumes[lane.id] = laneResume(lane, shard.lastSeq, shard.restoredThrough[lane.id]);
    shard.windowsChanged = true;
  }
}
