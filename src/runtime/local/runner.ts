/**
 * The local runner: DynamoDB Local + the table from the definition + the stream polled shard by shard + the
 * event source mapping engine with the consumer's real configuration + the user's handler.
 *
 * ```ts
 * const runner = await startLocalRunner({ app, consumer: 'audit', handler, stateDir: '.local' });
 * // write items to runner.endpoint / runner.tableName ...
 * const summary = await runner.stop();   // or await runner.done with stopWhenIdleMs
 * ```
 * Everything that must survive a restart lives in `stateDir`: `ddb/` (DynamoDB Local's database, so the stream
 * survives), `checkpoints/<consumer>.json`, `failures/<consumer>.jsonl`.
 */
import { join, resolve } from 'path';
import type { ConsumerConfig, StreamAppConfig } from '../config';
import { CheckpointStore } from './checkpoint-store';
import { localClients } from './clients';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local';
import { UsageError } from './errors';
import { FailureFile, failureFilePath } from './failure-file';
import { freePort } from './ports';
import { type ProgressFigures, ProgressLine } from './progress';
import { RepeatedErrors } from './repeated-errors';
import { describeSeed, seedChanges } from './seed';
import { type PollerNotice, StreamPoller } from './stream-poller';
import { ensureTable } from './table';
import { SystemClock } from '../emulator/clock';
import { EventSourceMappingEngine } from '../emulator/engine';
import type { EmulatedContext, EmulatedEvent, EmulatorMetrics, StreamHandler } from '../emulator/types';

export interface LocalRunnerOptions {
  readonly app: StreamAppConfig;
  /** The consumer's `name`; may be omitted when the app has exactly one consumer. */
  readonly consumer?: string;
  readonly handler: StreamHandler;
  /** @default '.local' */
  readonly stateDir?: string;
  /** @default 'local-table' */
  readonly tableName?: string;
  /** Port for the DynamoDB Local the runner starts; 0 picks a free one. @default 8000 */
  readonly port?: number;
  /** Use this already running DynamoDB Local (or compatible endpoint) instead of starting one. */
  readonly endpoint?: string;
  /** Sample items to write once polling has started. @default 0 */
  readonly seed?: number;
  /** Stop by itself once nothing was read for this long and every record read is done. @default never */
  readonly stopWhenIdleMs?: number;
  /** Delay before retry n (1-based). @default the emulator's: 1 s doubling, capped at 60 s */
  readonly retryBackoffMs?: (retry: number) => number;
  /** Where the live progress line goes; false for none. @default process.stderr */
  readonly progress?: NodeJS.WriteStream | false;
  /** Notices (start, shards, failures); default: above the progress line on stderr. */
  readonly log?: (message: string) => void;
}

export interface LocalRunSummary {
  readonly reason: 'stopped' | 'idle' | 'error';
  readonly metrics: EmulatorMetrics;
  /** Records handed to the handler again because the previous run stopped uncleanly (at-least-once). */
  readonly redelivered: number;
  /** Over every run that shared this checkpoint file. */
  readonly redeliveredTotal: number;
  readonly failuresFile: string;
  readonly checkpointFile: string;
  readonly checkpoints: Readonly<Record<string, string | undefined>>;
}

export interface LocalRunner {
  readonly endpoint: string;
  readonly tableName: string;
  readonly streamArn: string;
  readonly consumer: ConsumerConfig;
  readonly metrics: EmulatorMetrics;
  /** Resolves when the runner has stopped (by {@link stop}, by idleness, or by an error, which rejects). */
  readonly done: Promise<LocalRunSummary>;
  /** Stops polling, lets the batch in flight finish, writes checkpoints, stops DynamoDB Local. */
  stop(): Promise<LocalRunSummary>;
}

export function selectConsumer(app: StreamAppConfig, name: string | undefined): ConsumerConfig {
  const names = app.consumers.map((c) => c.name);
  if (name === undefined) {
    if (app.consumers.length === 1) return app.consumers[0];
    throw new UsageError(`--consumer is required when the config has ${names.length} consumers (allowed: ${names.join(', ') || 'none'}): pass --consumer <name>`);
  }
  const found = app.consumers.find((c) => c.name === name);
  if (!found) throw new UsageError(`--consumer ${name} is not a consumer in the config (allowed: ${names.join(', ') || 'none'}): pass one of those names`);
  return found;
}

export async function startLocalRunner(options: LocalRunnerOptions): Promise<LocalRunner> {
  const consumer = selectConsumer(options.app, options.consumer);
  const stateDir = resolve(options.stateDir ?? '.local');
  const tableName = options.tableName ?? 'local-table';
  const progressStream = options.progress === undefined ? process.stderr : options.progress;
  let progress: ProgressLine | undefined;
  const log = options.log ?? ((m: string) => (progress ? progress.log(m) : process.stderr.write(`${m}\n`)));

  let ddb: DynamoDbLocal | undefined;
  if (!options.endpoint) {
    const port = options.port === 0 ? await freePort() : options.port ?? 8000;
    ddb = await startDynamoDbLocal({ dbPath: join(stateDir, 'ddb'), port });
  }
  const endpoint = options.endpoint ?? ddb!.endpoint;
  const clients = localClients(endpoint);
  try {
    const table = await ensureTable(clients.dynamodb, tableName, options.app.table, stateDir);
    const store = new CheckpointStore(stateDir, consumer.name);
    const loaded = store.load(consumer.name, tableName, table.streamArn);
    if (loaded.replacedStream) log(`checkpoints were for stream ${loaded.replacedStream}, which no longer exists; starting from ${consumer.startingPosition}`);
    const failures = new FailureFile(failureFilePath(stateDir, consumer.name));
    const redelivery = new RedeliveryCounter(store);
    const redeliveredBefore = store.current.totals.redelivered;

    const errors = new RepeatedErrors(log);
    const engine = new EventSourceMappingEngine(consumer, errors.wrap(redelivery.wrap(options.handler)), {
      clock: new SystemClock(),
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
        failures.write(f);
        store.current.totals.failedBatches++;
        log(`sent ${f.records.length} records ${range} (${f.condition}) to ${failures.path}`);
      },
      // Called once the handler completed everything up to sequenceNumber: the in-memory checkpoint moves now and
      // the file follows within the store's interval, off the hot path (see CheckpointStore.save).
      onCheckpoint: (shardId, sequenceNumber) => {
        store.shard(shardId).sequenceNumber = sequenceNumber;
        store.current.totals.redelivered = redeliveredBefore + redelivery.count;
        store.save();
      },
    });

    const poller = new StreamPoller({
      streams: clients.streams,
      streamArn: table.streamArn,
      store,
      sink: engine,
      startingPosition: consumer.startingPosition,
      firstRun: !loaded.resumed,
      sliceSize: consumer.batchSize * consumer.parallelizationFactor,
      onNotice: (n) => log(describeNotice(n)),
    });

    const figures = (): ProgressFigures => ({
      polled: engine.metrics.polledEvents,
      invoked: engine.metrics.invokedEvents,
      failed: engine.metrics.failedInvokeEvents,
      filtered: engine.metrics.filteredOutEvents,
      toDestination: failures.delivered,
      redelivered: redelivery.count,
      iteratorAgeMs: engine.metrics.iteratorAgeMs,
    });
    if (progressStream) {
      progress = new ProgressLine({ stream: progressStream, read: figures });
    }
    log(
      `local: DynamoDB Local at ${endpoint}, table "${tableName}" (${table.created ? 'created' : 'existing'}), consumer "${consumer.name}", ${loaded.resumed ? `resuming from ${store.path}` : `starting at ${consumer.startingPosition}`}`,
    );
    if (redelivery.pending > 0) log('the previous run stopped uncleanly: records it may have handled after its last checkpoint run again (at-least-once)');

    let reason: LocalRunSummary['reason'] = 'stopped';
    const running = poller.run();
    progress?.start();
    let idleTimer: NodeJS.Timeout | undefined;
    // not idle while --seed writes, nor until idleMs after it (a slow seed must not find DynamoDB Local stopped)
    let seeding = (options.seed ?? 0) > 0;
    let seededAt = 0;
    if (options.stopWhenIdleMs !== undefined) {
      const idleMs = options.stopWhenIdleMs;
      idleTimer = setInterval(() => {
        if (!seeding && Date.now() - seededAt >= idleMs && poller.idleMs >= idleMs && poller.caughtUp) {
          reason = 'idle';
          poller.stop();
        }
      }, 100);
    }
    let stopped: Promise<LocalRunSummary> | undefined;
    const finish = async (): Promise<LocalRunSummary> => {
      let failure: unknown;
      try {
        await running;
      } catch (error) {
        failure = error;
        reason = 'error';
      }
      if (idleTimer) clearInterval(idleTimer);
      progress?.stop();
      store.current.totals.redelivered = redeliveredBefore + redelivery.count;
      // Checkpoint writes are coalesced while running (see CheckpointStore); a stop always writes the latest.
      try {
        store.save();
        // a clean stop leaves no in-flight marks: nothing handed to the handler is left unfinished
        await store.close({ clean: failure === undefined });
      } catch (error) {
        failure ??= error;
        reason = 'error';
      }
      clients.destroy();
      await ddb?.stop();
      if (failure) throw failure;
      if (redelivery.count > 0) log(`redelivered ${redelivery.count} records after the previous unclean stop (duplicates, at-least-once)`);
      return {
        reason,
        metrics: { ...engine.metrics },
        redelivered: redelivery.count,
        redeliveredTotal: redeliveredBefore + redelivery.count,
        failuresFile: failures.path,
        checkpointFile: store.path,
        checkpoints: Object.fromEntries(Object.entries(store.current.shards).map(([id, s]) => [id, s.sequenceNumber])),
      };
    };
    const done = finish();
    // Seeding waits for the iterators, so a LATEST consumer sees the seeded items too.
    if (options.seed) {
      try {
        await poller.ready;
        const seeded = await seedChanges(clients.dynamodb, tableName, options.app.table, consumer, options.seed);
        log(`seeded ${describeSeed(seeded)} into "${tableName}"`);
        seededAt = Date.now();
        seeding = false;
      } catch (error) {
        // Polling has started: stop it (finish() then closes the store and DynamoDB Local) before reporting,
        // or the process would go on polling with nobody to stop it.
        seeding = false;
        poller.stop();
        await done.catch(() => undefined);
        throw error;
      }
    }
    return {
      endpoint,
      tableName,
      streamArn: table.streamArn,
      consumer,
      metrics: engine.metrics,
      done,
      stop: () => {
        stopped ??= (poller.stop(), done);
        return stopped;
      },
    };
  } catch (error) {
    clients.destroy();
    await ddb?.stop();
    throw error;
  }
}

function describeNotice(n: PollerNotice): string {
  switch (n.kind) {
    case 'shard-started':
      return `reading ${n.shardId} from ${'sequenceNumber' in n.position ? `after ${n.position.sequenceNumber}` : n.position.type}`;
    case 'shard-ended':
      return `${n.shardId} is closed and fully processed; its children may start`;
    case 'shard-skipped':
      return `skipping ${n.shardId}: ${n.reason}`;
    case 'trimmed':
      return `records of ${n.shardId} after ${n.after ?? 'the start'} were trimmed from the stream (older than 24 h) before they were read: they are lost; continuing at TRIM_HORIZON`;
  }
}

/**
 * Counts redeliveries after an unclean stop: before each invocation the highest sequence number handed to the
 * handler is noted per shard; on the next start, records at or below that mark are ones the killed run may
 * already have handled.
 */
class RedeliveryCounter {
  public count = 0;
  private readonly marks: Record<string, string>;
  private readonly through: Map<string, bigint>;
  private readonly seen = new Set<string>();

  constructor(private readonly store: CheckpointStore) {
    this.marks = store.readInflight();
    this.through = new Map();
    for (const [shardId, mark] of Object.entries(this.marks)) {
      const checkpoint = store.current.shards[shardId]?.sequenceNumber;
      if (checkpoint === undefined || BigInt(mark) > BigInt(checkpoint)) this.through.set(shardId, BigInt(mark));
    }
  }

  /** Shards with records that will be redelivered. */
  public get pending(): number {
    return this.through.size;
  }

  public wrap(handler: StreamHandler): StreamHandler {
    return (event: EmulatedEvent, context: EmulatedContext) => {
      const records = event.Records;
      if (records.length > 0) {
        const shardId = context.emulator.shardId;
        const last = records[records.length - 1].dynamodb.SequenceNumber;
        const mark = this.marks[shardId];
        if (mark === undefined || BigInt(last) > BigInt(mark)) {
          this.marks[shardId] = last;
          this.store.writeInflight(this.marks);
        }
        const through = this.through.get(shardId);
        if (through !== undefined) {
          for (const r of records) {
            const seq = r.dynamodb.SequenceNumber;
            if (BigInt(seq) <= through && !this.seen.has(seq)) {
              this.seen.add(seq);
              this.count++;
            }
          }
        }
      }
      return handler(event, context);
    };
  }
}
