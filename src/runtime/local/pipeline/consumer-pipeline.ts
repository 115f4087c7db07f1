/**
 * One consumer's event source mapping in the local runner: its own checkpoint file, failure file, emulator engine
 * and stream poller, as AWS gives each mapping on a stream its own position and its own destination. Several
 * pipelines share one DynamoDB Local and one stream (see ../runner/runner.ts).
 */
import type { ProgressFigures } from './progress';
import { RepeatedErrors } from './repeated-errors';
import type { ConsumerConfig, StreamAppConfig } from '../../config';
import { type Clock, SystemClock } from '../../emulator/clock';
import { EventSourceMappingEngine } from '../../emulator/engine';
import type { EmulatorMetrics, StreamHandler } from '../../emulator/types';
import type { LocalClients } from '../database/clients';
import { CheckpointStore } from '../state/checkpoint-store';
import { FailureFile, failureFilePath } from '../state/failure-file';
import { describeOpenWindows, savedWindows } from '../state/open-windows';
import { RedeliveryCounter } from '../state/redelivery-counter';
import { type PollerNotice, StreamPoller } from '../stream/stream-poller';

export interface PipelineOptions {
  readonly app: StreamAppConfig;
  readonly consumer: ConsumerConfig;
  readonly handler: StreamHandler;
  readonly stateDir: string;
  readonly tableName: string;
  readonly streamArn: string;
  readonly clients: LocalClients;
  readonly retryBackoffMs?: (retry: number) => number;
  /** A wall clock; @default new SystemClock() */
  readonly clock?: Clock;
  readonly log: (message: string) => void;
}

export class ConsumerPipeline {
  public readonly consumer: ConsumerConfig;
  public readonly store: CheckpointStore;
  public readonly failures: FailureFile;
  public readonly engine: EventSourceMappingEngine;
  public readonly poller: StreamPoller;
  public readonly redelivery: RedeliveryCounter;
  public readonly redeliveredBefore: number;
  /** True when a checkpoint file for this stream was found. */
  public readonly resumed: boolean;
  private readonly log: (message: string) => void;

  constructor(options: PipelineOptions) {
    const { consumer, log } = options;
    this.consumer = consumer;
    this.log = log;
    this.store = new CheckpointStore(options.stateDir, consumer.name);
    const loaded = this.store.load(consumer.name, options.tableName, options.streamArn);
    this.resumed = loaded.resumed;
    if (loaded.replacedStream) log(`checkpoints were for stream ${loaded.replacedStream}, which no longer exists; starting from ${consumer.startingPosition}`);
    this.failures = new FailureFile(failureFilePath(options.stateDir, consumer.name));
    this.redelivery = new RedeliveryCounter(this.store);
    this.redeliveredBefore = this.store.current.totals.redelivered;
    const resuming = describeOpenWindows(this.store.current);
    if (resuming) log(`resuming ${resuming}, saved by the previous run`);
    this.engine = this.createEngine(options);
    this.poller = new StreamPoller({
      streams: options.clients.streams,
      streamArn: options.streamArn,
      store: this.store,
      sink: this.engine,
      startingPosition: consumer.startingPosition,
      sliceSize: consumer.batchSize * consumer.parallelizationFactor,
      onNotice: (n) => log(describeNotice(n)),
    });
  }

  public get metrics(): EmulatorMetrics {
    return this.engine.metrics;
  }

  public figures(): ProgressFigures {
    const m = this.engine.metrics;
    return {
      polled: m.polledEvents,
      invoked: m.invokedEvents,
      failed: m.failedInvokeEvents,
      filtered: m.filteredOutEvents,
      toDestination: this.failures.delivered,
      redelivered: this.redelivery.count,
      iteratorAgeMs: m.iteratorAgeMs,
    };
  }

  /** Writes the latest checkpoints and closes the files (after the poller has stopped). */
  public async close(options: { readonly clean?: boolean } = {}): Promise<void> {
    this.store.current.totals.redelivered = this.redeliveredBefore + this.redelivery.count;
    // Checkpoint writes are coalesced while running (see CheckpointStore); a stop always writes the latest.
    this.store.save();
    await this.store.close(options);
    const open = describeOpenWindows(this.store.current);
    if (open) this.log(`${open}: saved in ${this.store.path}; the window carries on at the next start and ends there`);
  }

  private createEngine(options: PipelineOptions): EventSourceMappingEngine {
    const { consumer, log } = options;
    const errors = new RepeatedErrors(log);
    return new EventSourceMappingEngine(consumer, errors.wrap(this.redelivery.wrap(options.handler)), {
      clock: options.clock ?? new SystemClock(),
      table: options.app.table,
      functionArn: `arn:aws:lambda:ddblocal:000000000000:function:${consumer.name}`,
      ...(options.retryBackoffMs ? { retryBackoffMs: options.retryBackoffMs } : {}),
      onInvocation: (inv) => {
        if (inv.verdict !== 'success') log(errors.invocationLine(inv));
      },
      onFailure: (f) => {
        const info = f.message.DDBStreamBatchInfo;
        const range = `${info.startSequenceNumber}..${info.endSequenceNumber}`;
        if (f.destination === 'NONE') {
          log(`dropped ${f.records.length} records ${range} (${f.condition}); failureDestination is NONE, so nothing is kept`);
          return;
        }
        this.failures.write(f);
        this.store.current.totals.failedBatches++;
        log(`sent ${f.records.length} records ${range} (${f.condition}) to ${this.failures.path}`);
      },
      resume: savedWindows(this.store.current),
      // In the same step as the onCheckpoint that follows, so the file never holds a checkpoint ahead of its windows.
      onWindows: (shardId, windows) => {
        this.store.shard(shardId).windows = windows;
        this.store.save();
      },
      // Called once the handler completed everything up to sequenceNumber: the in-memory checkpoint moves now and
      // the file follows within the store's interval, off the hot path (see CheckpointStore.save).
      onCheckpoint: (shardId, sequenceNumber) => {
        this.store.shard(shardId).sequenceNumber = sequenceNumber;
        this.store.current.totals.redelivered = this.redeliveredBefore + this.redelivery.count;
        this.store.save();
      },
    });
  }
}

function describeNotice(n: PollerNotice): string {
  switch (n.kind) {
    case 'shard-started':
      if (n.latest) {
        const where = n.latest.after === null ? 'the shard had no record then, so from its start' : `after ${n.latest.after}, the shard's last record then`;
        return `reading ${n.shardId} from LATEST as fixed at the consumer's first start (${n.latest.at}): ${where}`;
      }
      return `reading ${n.shardId} from ${'sequenceNumber' in n.position ? `after ${n.position.sequenceNumber}` : n.position.type}`;
    case 'shard-ended':
      return `${n.shardId} is closed and fully processed; its children may start`;
    case 'shard-skipped':
      return `skipping ${n.shardId}: ${n.reason}`;
    case 'trimmed':
      return `records of ${n.shardId} after ${n.after ?? 'the start'} were trimmed from the stream (older than 24 h) before they were read: they are lost; continuing at TRIM_HORIZON`;
  }
}
