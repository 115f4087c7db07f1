/**
 * Redrive: for each failure message not yet redriven, get its records (the S3 payload, or re-read from the stream
 * by shard and sequence range), apply the consumer's filters as the mapping did, invoke the target once with them,
 * and mark the message done only if the target succeeded. A message that still fails stays pending.
 *
 * Which stream to re-read is told by the message's `streamArn`: region `ddblocal` is the local runner's DynamoDB
 * Local (started on the state dir unless an endpoint is given), any other region is AWS.
 */
import { randomUUID } from 'crypto';
import { join, resolve } from 'path';
// eslint-disable-next-line import/no-extraneous-dependencies -- generated repositories install the AWS SDK clients (the project type adds them)
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { ConsumerConfig } from '../config';
import type { PendingMessage } from './messages';
import { rereadBatch } from './reread';
import type { FailureSource } from './sources';
import type { RedriveTarget } from './targets';
import { compileFilters } from '../emulator/filters';
import { localClients } from '../local/clients';
import { type DynamoDbLocal, startDynamoDbLocal } from '../local/dynamodb-local';
import { LocalRunnerError } from '../local/errors';
import { freePort } from '../local/ports';
import type { DynamoDBStreamRecord } from '../records/types';

export interface RedriveOptions {
  readonly source: FailureSource;
  readonly target: RedriveTarget;
  readonly consumer: ConsumerConfig;
  /** Holds DynamoDB Local's database (`<stateDir>/ddb`) for messages from the local runner. @default '.local' */
  readonly stateDir?: string;
  /** A running DynamoDB Local to re-read local streams from, instead of starting one on the state dir. */
  readonly endpoint?: string;
  /** List, do not invoke or mark. */
  readonly dryRun?: boolean;
  readonly log?: (line: string) => void;
}

export interface RedriveItemReport {
  readonly id: string;
  readonly origin: string;
  readonly records: number;
  readonly status: 'redriven' | 'failed' | 'unavailable' | 'would-redrive';
  readonly detail?: string;
}

export interface RedriveReport {
  readonly items: readonly RedriveItemReport[];
  readonly alreadyDone: number;
  readonly redriven: number;
  readonly failed: number;
}

export async function redrive(options: RedriveOptions): Promise<RedriveReport> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const { pending, alreadyDone } = await options.source.list();
  const filter = compileFilters(options.consumer.filters);
  const items: RedriveItemReport[] = [];
  const streams = new StreamsClients(options);
  log(`${pending.length} message(s) to redrive from ${options.source.description}${alreadyDone > 0 ? `, ${alreadyDone} already redriven` : ''}`);
  try {
    for (const item of pending) {
      const info = item.message.DDBStreamBatchInfo;
      const range = `${info.startSequenceNumber}..${info.endSequenceNumber} of ${info.shardId}`;
      if (options.dryRun) {
        const how = item.message.payload ? 'records from the message payload' : `re-read ${info.batchSize} record(s) from ${info.streamArn}`;
        log(`would redrive ${range} (${item.message.requestContext.condition}, ${item.origin}): ${how}, invoke ${options.target.description}`);
        items.push({ id: item.id, origin: item.origin, records: info.batchSize, status: 'would-redrive' });
        continue;
      }
      items.push(await redriveOne(item, range, options.target, streams, filter, log));
    }
  } finally {
    await streams.close();
  }
  const redriven = items.filter((i) => i.status === 'redriven').length;
  return { items, alreadyDone, redriven, failed: items.length - redriven - items.filter((i) => i.status === 'would-redrive').length };
}

async function redriveOne(
  item: PendingMessage,
  range: string,
  target: RedriveTarget,
  streams: StreamsClients,
  filter: ((r: DynamoDBStreamRecord) => boolean) | undefined,
  log: (line: string) => void,
): Promise<RedriveItemReport> {
  const info = item.message.DDBStreamBatchInfo;
  let records: DynamoDBStreamRecord[];
  try {
    records = item.message.payload ? [...item.message.payload.Records] : await rereadBatch(await streams.forArn(info.streamArn), item.message);
  } catch (error) {
    if (!(error instanceof LocalRunnerError)) throw error;
    log(`cannot redrive ${range} (${item.origin}): ${error.message}`);
    return { id: item.id, origin: item.origin, records: 0, status: 'unavailable', detail: error.message };
  }
  // The mapping never invoked filtered-out records, so neither does redrive.
  if (filter) records = records.filter(filter);
  if (records.length !== info.batchSize) {
    log(`note: ${range} holds ${records.length} record(s) after filtering, the failed batch had ${info.batchSize} (parallelizationFactor interleaves other keys); redriving all ${records.length}`);
  }
  const outcome = await target.invoke(records, randomUUID(), info.shardId);
  if (!outcome.ok) {
    log(`still failing ${range} (${item.origin}): ${outcome.reason ?? 'unknown'}; the message stays pending`);
    return { id: item.id, origin: item.origin, records: records.length, status: 'failed', detail: outcome.reason };
  }
  await item.markDone();
  log(`redriven ${records.length} record(s) ${range} (${item.origin})`);
  return { id: item.id, origin: item.origin, records: records.length, status: 'redriven' };
}

/** One Streams client per place: DynamoDB Local (started lazily, once) or AWS per region. */
class StreamsClients {
  private local: { ddb?: DynamoDbLocal; client: DynamoDBStreamsClient; destroy(): void } | undefined;
  private readonly aws = new Map<string, DynamoDBStreamsClient>();

  constructor(private readonly options: RedriveOptions) {}

  public async forArn(streamArn: string): Promise<DynamoDBStreamsClient> {
    const region = streamArn.split(':')[3];
    if (region === 'ddblocal') {
      if (!this.local) {
        let ddb: DynamoDbLocal | undefined;
        if (!this.options.endpoint) {
          ddb = await startDynamoDbLocal({ dbPath: join(resolve(this.options.stateDir ?? '.local'), 'ddb'), port: await freePort() });
        }
        const clients = localClients(this.options.endpoint ?? ddb!.endpoint);
        this.local = { ...(ddb ? { ddb } : {}), client: clients.streams, destroy: () => clients.destroy() };
      }
      return this.local.client;
    }
    let client = this.aws.get(region);
    if (!client) {
      client = new DynamoDBStreamsClient({ region });
      this.aws.set(region, client);
    }
    return client;
  }

  public async close(): Promise<void> {
    for (const client of this.aws.values()) client.destroy();
    if (this.local) {
      this.local.destroy();
      await this.local.ddb?.stop();
    }
  }
}
