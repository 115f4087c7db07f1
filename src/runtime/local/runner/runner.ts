/**
 * The local runner: DynamoDB Local + the table from the definition + the stream polled shard by shard + the
 * event source mapping engine with the consumer's real configuration + the user's handler.
 *
 * ```ts
 * const runner = await startLocalRunner({ app, consumer: 'audit', handler, stateDir: '.local' });
 * // write items to runner.endpoint / runner.tableName ...
 * const summary = await runner.stop();   // or await runner.done with stopWhenIdleMs
 * ```
 * Several consumers run at once on the same stream, as AWS runs several mappings on one stream:
 * `startLocalRunners({ app, handlers: { audit, notify } })` starts one DynamoDB Local and one table, and gives each
 * consumer its own mapping (engine and poller), checkpoint file and failure file.
 *
 * Everything that must survive a restart lives in `stateDir`: `ddb/` (DynamoDB Local's database, so the stream
 * survives), `checkpoints/<consumer>.json`, `failures/<consumer>.jsonl`. The folder is locked while a runner uses it
 * (`runner.lock`, see ../state/state-lock.ts): a second runner on it refuses, naming the first.
 */
import { resolve } from 'path';
import { seedChanges } from './seed';
import { type ConsumerReach, describeReach, describeSeed, type ItemMap, putForSeed, type SeedChange, seedReach, type SeedSummary, summarizeChanges } from './seed-changes';
import { prepareSeedItems } from './seed-items';
import type { ConsumerConfig, StreamAppConfig } from '../../config';
import type { Clock } from '../../emulator/clock';
import type { EmulatorMetrics, StreamHandler } from '../../emulator/types';
import { DynamoDbLocalError, UsageError } from '../../errors';
import { LOCAL_IDEMPOTENCY_TABLE, releaseInterruptedLocks } from '../database/idempotency-store';
import { type LocalSession, openLocalSession } from '../database/session';
import { ensureTable, type LocalTable } from '../database/table';
import { ConsumerPipeline } from '../pipeline/consumer-pipeline';
import { type ProgressFigures, ProgressLine } from '../pipeline/progress';
import { prepareStateDir } from '../state/state-dir';

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
  /** Sample changes to write once polling has started, shaped by the table and each consumer's filters. @default 0 */
  readonly seed?: number;
  /**
   * The user's own items to write (put, in order) once polling has started, instead of `seed`: plain objects with the
   * table's keys (see ./seed-items.ts). Checked before anything starts: a bad item throws a SeedItemsError.
   */
  readonly seedItems?: readonly unknown[];
  /** Where `seedItems` came from, for error messages. @default 'seedItems' */
  readonly seedItemsSource?: string;
  /** Told what a seed wrote and how many of its changes each consumer receives, after its filters. */
  readonly onSeeded?: (seeded: SeedReport) => void;
  /** Stop by itself once nothing was read for this long and every record read is done. @default never */
  readonly stopWhenIdleMs?: number;
  /** Delay before retry n (1-based). @default the emulator's: 1 s doubling, capped at 60 s */
  readonly retryBackoffMs?: (retry: number) => number;
  /** The engine's clock; it must be a wall clock (not virtual), e.g. a SystemClock a test moves forward. @default new SystemClock() */
  readonly clock?: Clock;
  /** Where the live progress line goes; false for none. @default process.stderr */
  readonly progress?: NodeJS.WriteStream | false;
  /** Notices (start, shards, failures); default: above the progress line on stderr. */
  readonly log?: (message: string) => void;
}

export interface SeedReport {
  readonly summary: SeedSummary;
  readonly reach: readonly ConsumerReach[];
}

export interface LocalRunnersOptions extends Omit<LocalRunnerOptions, 'consumer' | 'handler'> {
  /** The consumers to run at once, by name, each with its handler. */
  readonly handlers: Readonly<Record<string, StreamHandler>>;
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

export interface LocalRunners {
  readonly endpoint: string;
  readonly tableName: string;
  readonly streamArn: string;
  readonly consumers: readonly ConsumerConfig[];
  /** Live metrics per consumer name. */
  readonly metrics: Readonly<Record<string, EmulatorMetrics>>;
  /** One summary per consumer name, once every consumer has stopped. */
  readonly done: Promise<Readonly<Record<string, LocalRunSummary>>>;
  stop(): Promise<Readonly<Record<string, LocalRunSummary>>>;
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

/** Runs one consumer (see {@link startLocalRunners} for several at once). */
export async function startLocalRunner(options: LocalRunnerOptions): Promise<LocalRunner> {
  const consumer = selectConsumer(options.app, options.consumer);
  const runners = await startLocalRunners({ ...options, handlers: { [consumer.name]: options.handler } });
  const only = async (all: Promise<Readonly<Record<string, LocalRunSummary>>>) => (await all)[consumer.name];
  const done = only(runners.done);
  return {
    endpoint: runners.endpoint,
    tableName: runners.tableName,
    streamArn: runners.streamArn,
    consumer,
    metrics: runners.metrics[consumer.name],
    done,
    stop: () => only(runners.stop()),
  };
}

/** Runs every consumer named in `handlers` at once on one DynamoDB Local, one table and its stream. */
export async function startLocalRunners(options: LocalRunnersOptions): Promise<LocalRunners> {
  const consumers = Object.keys(options.handlers).map((name) => selectConsumer(options.app, name));
  if (consumers.length === 0) throw new UsageError('no consumer to run (given none): pass at least one consumer and its handler');
  if (options.clock?.virtual) throw new UsageError('clock must be a wall clock (given a virtual clock): the local runner polls a real stream; omit clock for a SystemClock');
  const stateDir = resolve(options.stateDir ?? '.local');
  const tableName = options.tableName ?? 'local-table';
  if (options.seed && options.seedItems) {
    throw new UsageError(`seed ${options.seed} and seedItems (${options.seedItemsSource ?? 'seedItems'}) were both given: pass one (a function exporting items gets the count)`);
  }
  // Checked before DynamoDB Local starts: a bad item writes nothing.
  const seedItems = options.seedItems ? prepareSeedItems(options.seedItems, options.app.table, options.seedItemsSource ?? 'seedItems') : undefined;
  const log = new RunnerLog(options.progress === undefined ? process.stderr : options.progress, options.log);
  prepareStateDir(stateDir);
  const session = await openLocalSession({
    stateDir,
    lock: { purpose: 'local', consumers: consumers.map((c) => c.name) },
    ...(options.endpoint ? { endpoint: options.endpoint } : { port: options.port ?? 8000 }),
    onNotice: log.log,
  });
  try {
    const table = await ensureTable(session.clients.dynamodb, tableName, options.app.table, stateDir);
    await session.prepareIdempotency(consumers);
    const pipelines = consumers.map(
      (consumer) =>
        new ConsumerPipeline({
          app: options.app,
          consumer,
          handler: options.handlers[consumer.name],
          stateDir,
          tableName,
          streamArn: table.streamArn,
          clients: session.clients,
          ...(options.retryBackoffMs ? { retryBackoffMs: options.retryBackoffMs } : {}),
          ...(options.clock ? { clock: options.clock } : {}),
          log: consumers.length > 1 ? (m) => log.log(`${consumer.name}: ${m}`) : log.log,
        }),
    );
    return await runPipelines({ options, log, pipelines, session, table, seedItems });
  } catch (error) {
    // once the pipelines run, finish() releases the session after they have closed; release() is idempotent
    await session.release();
    throw error;
  }
}

interface RunContext {
  readonly options: LocalRunnersOptions;
  readonly log: RunnerLog;
  readonly pipelines: readonly ConsumerPipeline[];
  /** Released (clients, DynamoDB Local, lock) after every pipeline has closed. */
  readonly session: LocalSession;
  readonly table: LocalTable;
  /** `seedItems`, checked and converted. */
  readonly seedItems?: readonly ItemMap[];
}

/** Starts polling, the progress line and the idle watch; stops them all together. */
async function runPipelines(run: RunContext): Promise<LocalRunners> {
  const { options, log, pipelines } = run;
  log.startProgress(() => sumFigures(pipelines.map((p) => p.figures())));
  await announce(run);
  let reason: LocalRunSummary['reason'] = 'stopped';
  const running = pipelines.map((p) => p.poller.run());
  // Idle time counts from when every poller holds its iterators and the seed items are written: a slow start is
  // not idleness (and stopping while seeding would stop DynamoDB Local under the seeding writes).
  let readyAt: number | undefined;
  const seeding = Boolean(options.seed) || run.seedItems !== undefined;
  if (!seeding) void Promise.all(pipelines.map((p) => p.poller.ready)).then(() => (readyAt = Date.now()));
  const idleTimer = options.stopWhenIdleMs === undefined ? undefined : setInterval(() => {
    const idleMs = (p: ConsumerPipeline) => Math.min(p.poller.idleMs, Date.now() - (readyAt ?? Date.now()));
    if (pipelines.every((p) => idleMs(p) >= options.stopWhenIdleMs! && p.poller.caughtUp)) {
      reason = 'idle';
      for (const p of pipelines) p.poller.stop();
    }
  }, 100);
  const finish = async (): Promise<Record<string, LocalRunSummary>> => {
    // One consumer's failure stops the others: they share DynamoDB Local, which is about to stop.
    let failure: unknown;
    await Promise.all(
      running.map((r) =>
        r.catch((error: unknown) => {
          failure ??= lostDynamoDbLocal(error, run.session.endpoint);
          reason = 'error';
          for (const p of pipelines) p.poller.stop();
        }),
      ),
    );
    if (idleTimer) clearInterval(idleTimer);
    log.stopProgress();
    for (const p of pipelines) {
      try {
        // a clean stop leaves no in-flight marks: nothing handed to the handler is left unfinished
        await p.close({ clean: failure === undefined });
      } catch (error) {
        failure ??= error;
        reason = 'error';
      }
    }
    await run.session.release();
    if (failure) throw failure;
    return Object.fromEntries(pipelines.map((p) => [p.consumer.name, summarize(p, reason, log)]));
  };
  const done = finish();
  await seedOnceReady(run, done);
  readyAt ??= seeding ? Date.now() : undefined;
  let stopped: Promise<Record<string, LocalRunSummary>> | undefined;
  return {
    endpoint: run.session.endpoint,
    tableName: run.table.tableName,
    streamArn: run.table.streamArn,
    consumers: pipelines.map((p) => p.consumer),
    metrics: Object.fromEntries(pipelines.map((p) => [p.consumer.name, p.metrics])),
    done,
    stop: () => {
      stopped ??= (pipelines.forEach((p) => p.poller.stop()), done);
      return stopped;
    },
  };
}

/** The start notices; after an unclean stop, also frees the idempotency locks of the records the stopped run was handling. */
async function announce(run: RunContext): Promise<void> {
  const { log, pipelines } = run;
  for (const p of pipelines) {
    log.log(
      `local: DynamoDB Local at ${run.session.endpoint}, table "${run.table.tableName}" (${run.table.created ? 'created' : 'existing'}), consumer "${p.consumer.name}", ${p.resumed ? `resuming from ${p.store.path}` : `starting at ${p.consumer.startingPosition}`}`,
    );
    if (p.consumer.idempotency) log.log(`${p.consumer.name}: idempotency on, completed records remembered in table "${LOCAL_IDEMPOTENCY_TABLE}" for ${p.consumer.idempotency.expirySeconds} s`);
    if (p.redelivery.pending > 0) log.log(`${p.consumer.name}: the previous run stopped uncleanly: records it may have handled after its last checkpoint run again (at-least-once)`);
  }
  if (pipelines.some((p) => p.consumer.idempotency && p.redelivery.pending > 0)) {
    const released = await releaseInterruptedLocks(run.session.clients.dynamodb);
    if (released > 0) log.log(`released ${released} idempotency lock${released === 1 ? '' : 's'} of records the stopped run was handling (its invocations ended with it)`);
  }
}

/**
 * Seeding waits for the iterators, so a LATEST consumer sees the seeded items too. The user's items are written once,
 * in order. Generated: `seed` changes in all; with several consumers each writes its share, shaped by its own filters
 * (the kinds of change it receives), so each has work. Then one line says what was written and how many of those
 * changes each consumer receives after its filters (every consumer sees every change, whoever it was shaped for).
 */
async function seedOnceReady(run: RunContext, done: Promise<unknown>): Promise<void> {
  const count = run.options.seed;
  if (!count && !run.seedItems) return;
  const { dynamodb } = run.session.clients;
  const { tableName, streamArn } = run.table;
  const table = run.options.app.table;
  try {
    // A poller that fails before it is ready (DescribeStream, fixing the starting position) is never ready: the run
    // ends instead, and `done` reports why. Waiting for ready alone would hang the start.
    const ready = Promise.all(run.pipelines.map((p) => p.poller.ready)).then(() => true);
    const ended = done.then(() => false, () => false);
    if (!(await Promise.race([ready, ended]))) return;
    const changes: SeedChange[] = [];
    let unchanged = 0;
    if (run.seedItems) {
      for (const item of run.seedItems) {
        const made = await putForSeed(dynamodb, tableName, table, item);
        if (made) changes.push(made);
        else unchanged++;
      }
    } else {
      for (const [i, p] of run.pipelines.entries()) {
        const share = Math.floor(count! / run.pipelines.length) + (i < count! % run.pipelines.length ? 1 : 0);
        if (share === 0) continue;
        const seeded = await seedChanges(dynamodb, tableName, table, p.consumer, share);
        changes.push(...seeded.changes);
        unchanged += seeded.unchanged ?? 0;
      }
    }
    const summary = summarizeChanges(changes, unchanged > 0 ? { unchanged } : {});
    const reach = seedReach(changes, table, run.pipelines.map((p) => p.consumer), streamArn);
    run.log.log(`seeded ${describeSeed(summary)} into "${tableName}": ${describeReach(reach)}`);
    run.options.onSeeded?.({ summary, reach });
  } catch (error) {
    // Polling has started: stop it (finish() then closes the stores and DynamoDB Local) before reporting,
    // or the process would go on polling with nobody to stop it.
    for (const p of run.pipelines) p.poller.stop();
    await done.catch(() => undefined);
    throw error;
  }
}

/** DynamoDB Local went away under the runner (stopped from outside, crashed): say so, instead of "a bug". */
function lostDynamoDbLocal(error: unknown, endpoint: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== 'ECONNREFUSED' && code !== 'ECONNRESET') return error;
  return new DynamoDbLocalError(
    `DynamoDB at ${endpoint} stopped answering (${code}) while the runner used it: it was stopped from outside or it crashed. Checkpoints up to the last completed batch are saved: run the command again to resume`,
  );
}

function summarize(p: ConsumerPipeline, reason: LocalRunSummary['reason'], log: RunnerLog): LocalRunSummary {
  if (p.redelivery.count > 0) log.log(`${p.consumer.name}: redelivered ${p.redelivery.count} records after the previous unclean stop (duplicates, at-least-once)`);
  return {
    reason,
    metrics: { ...p.metrics },
    redelivered: p.redelivery.count,
    redeliveredTotal: p.redeliveredBefore + p.redelivery.count,
    failuresFile: p.failures.path,
    checkpointFile: p.store.path,
    checkpoints: Object.fromEntries(Object.entries(p.store.current.shards).map(([id, s]) => [id, s.sequenceNumber])),
  };
}

function sumFigures(all: readonly ProgressFigures[]): ProgressFigures {
  const sum = (pick: (f: ProgressFigures) => number) => all.reduce((total, f) => total + pick(f), 0);
  return {
    polled: sum((f) => f.polled),
    invoked: sum((f) => f.invoked),
    failed: sum((f) => f.failed),
    filtered: sum((f) => f.filtered),
    toDestination: sum((f) => f.toDestination),
    redelivered: sum((f) => f.redelivered),
    // The consumer furthest behind tells how stale the slowest mapping is.
    iteratorAgeMs: Math.max(...all.map((f) => f.iteratorAgeMs)),
  };
}

/** Notices above the live progress line (or wherever `log` sends them). */
class RunnerLog {
  private progress: ProgressLine | undefined;

  constructor(
    private readonly stream: NodeJS.WriteStream | false,
    private readonly custom: ((message: string) => void) | undefined,
  ) {}

  public readonly log = (message: string): void => {
    if (this.custom) this.custom(message);
    else if (this.progress) this.progress.log(message);
    else process.stderr.write(`${message}\n`);
  };

  public startProgress(read: () => ProgressFigures): void {
    if (!this.stream) return;
    this.progress = new ProgressLine({ stream: this.stream, read });
    this.progress.start();
  }

  public stopProgress(): void {
    this.progress?.stop();
  }
}
