/**
 * Redrive: for each failure message not yet redriven, get its records (the S3 payload, or re-read from the stream
 * by shard and sequence range), apply the consumer's filters as the mapping did, invoke the target once with them,
 * and mark the message done right after the target succeeded. A message that still fails stays pending; one that
 * is not an on-failure record, or whose records cannot be had, is reported with its origin and reason and left in
 * its source: each is about that message alone, so the run goes on with the next. Only an error of redrive's own
 * code (not a {@link LocalRunnerError}) ends the run. A dry run reads every message and its records the same way,
 * so it reports the same messages as bad. Sources hand out messages a page at a time (sources.ts).
 *
 * Which stream to re-read is told by the message's `streamArn`: region `ddblocal` is the local runner's DynamoDB
 * Local (the running runner's, when one holds the state folder; otherwise one started on it), any other region is
 * AWS.
 *
 * A tumbling-window consumer is refused up front (see {@link windowRefusal}) unless the target is a handler of
 * plain `{ Records }` events.
 */
import { randomUUID } from 'crypto';
// eslint-disable-next-line import/no-extraneous-dependencies -- generated repositories install the AWS SDK clients (the project type adds them)
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { ConsumerConfig } from '../config';
import type { MarkOutcome, PendingMessage } from './messages';
import { payloadRecords } from './payload';
import { rereadBatch } from './reread';
import type { FailureSource, UnreadableMessage } from './sources';
import type { RedriveTarget } from './targets';
import { compileFilters } from '../emulator/filters';
import { LocalRunnerError, RedriveError } from '../errors';
import { type LocalSession, openLocalSession } from '../local/database/session';
import { LOCAL_REGION } from '../local/local-endpoint';
import { describeConsumers } from '../local/state/state-lock';
import type { DynamoDBStreamRecord } from '../records/types';

export interface RedriveOptions {
  readonly source: FailureSource;
  readonly target: RedriveTarget;
  readonly consumer: ConsumerConfig;
  /** Holds DynamoDB Local's database (`<stateDir>/ddb`) for messages from the local runner. @default '.local' */
  readonly stateDir?: string;
  /** A running DynamoDB Local to re-read local streams from, instead of starting one on the state dir. */
  readonly endpoint?: string;
  /** Read each message and its records as a run does, but do not invoke or mark. */
  readonly dryRun?: boolean;
  /**
   * The target handles plain `{ Records }` events. Needed to redrive a tumbling-window consumer, whose own handler
   * needs the window state that a failure message does not carry.
   */
  readonly plainHandler?: boolean;
  readonly log?: (line: string) => void;
}

export interface RedriveItemReport {
  readonly id: string;
  readonly origin: string;
  readonly records: number;
  /** `unmarked`: the target succeeded but the source refused the mark (an SQS delete): the message is still there. */
  readonly status: 'redriven' | 'failed' | 'unavailable' | 'unreadable' | 'unmarked' | 'would-redrive';
  readonly detail?: string;
  /** Sequence numbers of the records idempotency skipped as already completed: the handler did not see them. */
  readonly skipped?: readonly string[];
}

export interface RedriveReport {
  readonly items: readonly RedriveItemReport[];
  readonly alreadyDone: number;
  readonly redriven: number;
  /** Still failing, records unavailable (or, in a dry run, would be), or not marked done: pending, left in the source. */
  readonly failed: number;
  /** Not on-failure records: reported, skipped, left in the source. */
  readonly unreadable: number;
  /** Redriven, but the SQS receipt handle had gone stale, so the delete waits for the message to come back. */
  readonly stale: number;
  readonly pages: number;
  /** Sequence numbers of the records idempotency skipped in redriven batches, in redrive order. */
  readonly idempotencySkipped: readonly string[];
}

/** The one-line reason a tumbling-window consumer cannot be redriven into its own handler, with the alternative. */
export function windowRefusal(consumer: ConsumerConfig): string {
  return (
    `consumer "${consumer.name}" aggregates tumbling windows (tumblingWindowSeconds ${consumer.tumblingWindowSeconds}), and a failure message carries its records but not the window's state, ` +
    'so its window handler cannot be re-invoked with a true aggregate; nothing was read or changed: ' +
    'pass --handler <file#export> with a handler of plain { Records } events to reprocess the records on their own'
  );
}

export async function redrive(options: RedriveOptions): Promise<RedriveReport> {
  if (options.consumer.tumblingWindowSeconds > 0 && !options.plainHandler) throw new RedriveError(windowRefusal(options.consumer));
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const filter = compileFilters(options.consumer.filters);
  const items: RedriveItemReport[] = [];
  const streams = new StreamsClients(options, log);
  let alreadyDone = 0;
  let stale = 0;
  let pages = 0;
  try {
    for await (const page of options.source.pages()) {
      pages++;
      if (page.pending.length + page.alreadyDone + page.unreadable.length > 0) {
        log(`page ${pages} of ${options.source.description}: ${page.pending.length} to redrive, ${page.alreadyDone} already redriven, ${page.unreadable.length} unreadable`);
      }
      alreadyDone += page.alreadyDone;
      for (const bad of page.unreadable) items.push(reportUnreadable(bad, log));
      for (const item of page.pending) {
        // The dry run reads each message's records as the real run does, so it finds the same bad messages.
        const read = await readRecords(item, streams, filter, log);
        const report = 'unavailable' in read
          ? read.unavailable
          : options.dryRun
            ? describeDryRun(item, read.records, options.target, log)
            : await redriveRecords(item, read.records, options.target, streams, log);
        if (report.detail === STALE_NOTE) stale++;
        items.push(report);
      }
    }
  } finally {
    await options.source.close?.();
    await streams.close();
  }
  const count = (status: RedriveItemReport['status']) => items.filter((i) => i.status === status).length;
  return {
    items,
    alreadyDone,
    redriven: count('redriven'),
    failed: count('failed') + count('unavailable') + count('unmarked'),
    unreadable: count('unreadable'),
    stale,
    pages,
    idempotencySkipped: items.flatMap((i) => (i.status === 'redriven' ? i.skipped ?? [] : [])),
  };
}

const STALE_NOTE = 'its SQS receipt handle had gone stale: deleted when it comes back, not redriven again';

function reportUnreadable(bad: UnreadableMessage, log: (line: string) => void): RedriveItemReport {
  // The reason starts with the origin (see parseFailureMessage).
  log(`skipped ${bad.reason.startsWith(bad.origin) ? bad.reason : `${bad.origin}: ${bad.reason}`}; it is left where it is`);
  return { id: bad.origin, origin: bad.origin, records: 0, status: 'unreadable', detail: bad.reason };
}

function describeDryRun(
  item: PendingMessage,
  records: readonly DynamoDBStreamRecord[],
  target: RedriveTarget,
  log: (line: string) => void,
): RedriveItemReport {
  const info = item.message.DDBStreamBatchInfo;
  const how = item.message.payload !== undefined ? `${records.length} record(s) from the message payload` : `re-read ${records.length} record(s) from ${info.streamArn}`;
  log(`would redrive ${rangeOf(item)} (${item.message.requestContext.condition}, ${item.origin}): ${how}, invoke ${target.description}`);
  return { id: item.id, origin: item.origin, records: records.length, status: 'would-redrive' };
}

function rangeOf(item: PendingMessage): string {
  const info = item.message.DDBStreamBatchInfo;
  return `${info.startSequenceNumber}..${info.endSequenceNumber} of ${info.shardId}`;
}

/**
 * The records to hand to the target: the payload's, or re-read from the stream, then filtered as the mapping did;
 * or, when they cannot be had (trimmed, shard gone, the Streams API refused), the report that leaves the message in
 * its source. Errors that are not a {@link LocalRunnerError} are bugs of redrive and end the run.
 */
async function readRecords(
  item: PendingMessage,
  streams: StreamsClients,
  filter: ((r: DynamoDBStreamRecord) => boolean) | undefined,
  log: (line: string) => void,
): Promise<{ readonly records: DynamoDBStreamRecord[] } | { readonly unavailable: RedriveItemReport }> {
  const info = item.message.DDBStreamBatchInfo;
  const range = rangeOf(item);
  let records: DynamoDBStreamRecord[];
  try {
    records = payloadRecords(item.message) ?? (await rereadBatch(await streams.forArn(info.streamArn), item.message));
  } catch (error) {
    if (!(error instanceof LocalRunnerError)) throw error;
    log(`cannot redrive ${range} (${item.origin}): ${error.message}; it is left where it is`);
    return { unavailable: { id: item.id, origin: item.origin, records: 0, status: 'unavailable', detail: error.message } };
  }
  // The mapping never invoked filtered-out records, so neither does redrive.
  if (filter) records = records.filter(filter);
  if (records.length !== info.batchSize) {
    log(`note: ${range} holds ${records.length} record(s) after filtering, the failed batch had ${info.batchSize} (parallelizationFactor interleaves other keys); redriving all ${records.length}`);
  }
  return { records };
}

async function redriveRecords(
  item: PendingMessage,
  records: readonly DynamoDBStreamRecord[],
  target: RedriveTarget,
  streams: StreamsClients,
  log: (line: string) => void,
): Promise<RedriveItemReport> {
  const info = item.message.DDBStreamBatchInfo;
  const range = rangeOf(item);
  if (target.local) await streams.prepareIdempotency(target.consumer);
  const outcome = await target.invoke(records, randomUUID(), info.shardId);
  if (!outcome.ok) {
    log(`still failing ${range} (${item.origin}): ${outcome.reason ?? 'unknown'}; the message stays pending`);
    return { id: item.id, origin: item.origin, records: records.length, status: 'failed', detail: outcome.reason };
  }
  const skipped = outcome.skipped ?? [];
  const done = { id: item.id, origin: item.origin, records: records.length, status: 'redriven' as const, ...(skipped.length > 0 ? { skipped } : {}) };
  const what = `${records.length} record(s) ${range} (${item.origin})${skippedInWords(records.length, skipped)}`;
  let marked: MarkOutcome;
  try {
    marked = await item.markDone();
  } catch (error) {
    // The source refused the delete or the note (an SQS permission, a queue gone): the message is still there.
    if (!(error instanceof LocalRunnerError)) throw error;
    const detail = `the message could not be marked done (${error.message}); it stays in the source, and a later run redrives it again`;
    log(`redriven ${what}, but ${detail}`);
    return { ...done, status: 'unmarked', detail };
  }
  if (marked === 'stale') {
    log(`redriven ${what}, but ${STALE_NOTE}`);
    return { ...done, detail: STALE_NOTE };
  }
  log(`redriven ${what}`);
  return done;
}

/** How many records the handler saw, when idempotency skipped some: "redriven" alone would claim it saw them all. */
function skippedInWords(records: number, skipped: readonly string[]): string {
  if (skipped.length === 0) return '';
  const seen = records - skipped.length;
  return `: the handler saw ${seen === 0 ? 'none' : seen}; idempotency skipped ${skipped.length} as already completed (sequence numbers ${skipped.join(', ')})`;
}

/**
 * One Streams client per place: DynamoDB Local (a local session opened lazily, once) or AWS per region. The local
 * one is the DynamoDB Local of a runner that holds the state folder, if one does: starting another on the same
 * database would fight it. Otherwise redrive takes the folder's lock itself while its own DynamoDB Local runs.
 */
class StreamsClients {
  private local: LocalSession | undefined;
  private readonly aws = new Map<string, DynamoDBStreamsClient>();

  constructor(
    private readonly options: RedriveOptions,
    private readonly log: (line: string) => void,
  ) {}

  public async forArn(streamArn: string): Promise<DynamoDBStreamsClient> {
    const region = streamArn.split(':')[3];
    if (region === LOCAL_REGION) return (await this.openLocal()).clients.streams;
    let client = this.aws.get(region);
    if (!client) {
      client = new DynamoDBStreamsClient({ region });
      this.aws.set(region, client);
    }
    return client;
  }

  /**
   * A local handler with `idempotency` on remembers completed records where `npx projen local` does: the table in
   * the state folder's DynamoDB Local, so a record the runner completed is not run again by redrive.
   */
  public async prepareIdempotency(consumer: ConsumerConfig): Promise<void> {
    if (!consumer.idempotency) return;
    await (await this.openLocal()).prepareIdempotency([consumer]);
  }

  public async close(): Promise<void> {
    for (const client of this.aws.values()) client.destroy();
    await this.local?.release();
  }

  /** Opened on first use; a failed attempt (e.g. a runner still starting on the folder) is tried again for the next message. */
  private async openLocal(): Promise<LocalSession> {
    if (this.local) return this.local;
    const stateDir = this.options.stateDir ?? '.local';
    this.local = await openLocalSession(
      this.options.endpoint
        ? { stateDir, endpoint: this.options.endpoint }
        : { stateDir, lock: { purpose: 'redrive', consumers: [this.options.consumer.name] }, port: 0, joinLiveHolder: true, onNotice: this.log },
    );
    const holder = this.local.joined;
    if (holder) this.log(`reading the local stream from the DynamoDB Local of the running runner (pid ${holder.pid}, ${describeConsumers(holder)}) at ${holder.endpoint}`);
    return this.local;
  }
}
