/**
 * Local runner throughput against a real DynamoDB Local (budget: at least 0.9x the items per second of a
 * bare GetRecords loop; the Node process under 250 MB RSS, DynamoDB Local's JVM reported separately).
 *
 * 1. End to end: items written with BatchWriteItem while the runner runs; items/s from the first write to the
 *    handler seeing the last item (DynamoDB Local's write speed bounds this).
 * 2. Read side, same stream, same run: a bare GetRecords loop from TRIM_HORIZON and the runner with a fresh
 *    checkpoint from TRIM_HORIZON (no-op handler, batch size 100), both reading the N records, BENCH_READ_REPS times
 *    (9 by default) in alternating order; medians and the median of the paired ratios are printed. One pass over a
 *    few thousand records takes well under a second, so a single pair swings by +-30 % on a shared machine.
 *    Both sides are timed the same way: from their first GetShardIterator (seen by a hook on the Streams client's
 *    `send`, which both use) to the last record read (bare loop) or handed to the handler (runner). So neither
 *    side's set-up before it starts reading (the bare loop's DescribeStream; the runner's table check, checkpoint
 *    load and DescribeStream) is counted, and neither side's reading is left out.
 *
 * Run: npx ts-node --transpile-only bench/local-runner.bench.ts   (BENCH_ITEMS=20000 by default)
 */
import { readFileSync } from 'fs';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import type { ConsumerConfig, TableConfig } from '../src/runtime/config';
import { freePort, localClients, seedItems, startDynamoDbLocal, startLocalRunner } from '../src/runtime/local';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 20_000);
const READ_REPS = Number(process.env.BENCH_READ_REPS ?? 9);

const table: TableConfig = {
  partitionKey: { name: 'orderId', type: 'S' },
  attributes: [{ name: 'status', type: 'S' }, { name: 'total', type: 'N' }],
  streamViewType: 'NEW_AND_OLD_IMAGES',
};
const consumer: ConsumerConfig = {
  name: 'bench', batchSize: 100, maxBatchingWindowSeconds: 0, startingPosition: 'TRIM_HORIZON', retryAttempts: 5,
  maxRecordAgeSeconds: 3600, bisectBatchOnError: true, reportBatchItemFailures: true, parallelizationFactor: 1, tumblingWindowSeconds: 0,
  filters: [], failureDestination: 'SQS', enabled: true, eventCountMetrics: true,
  function: { memorySize: 256, timeoutSeconds: 30, architecture: 'arm64', runtime: 'nodejs24.x', environment: {}, logRetentionDays: 30 },
};

/**
 * When the current pass sent its first GetShardIterator: the common starting line for both sides. A hook on the
 * client's prototype sees the runner's own client too (it is created inside startLocalRunner).
 */
let firstIteratorAt: bigint | undefined;
const originalSend = DynamoDBStreamsClient.prototype.send;
DynamoDBStreamsClient.prototype.send = function timedSend(this: DynamoDBStreamsClient, ...args: Parameters<typeof originalSend>) {
  if (args[0] instanceof GetShardIteratorCommand && firstIteratorAt === undefined) firstIteratorAt = process.hrtime.bigint();
  return (originalSend as (...a: unknown[]) => unknown).apply(this, args);
} as typeof originalSend;

function secondsSinceFirstIterator(): number {
  if (firstIteratorAt === undefined) throw new Error('no GetShardIterator was sent');
  return Number(process.hrtime.bigint() - firstIteratorAt) / 1e9;
}

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

async function runnerUntil(endpoint: string, stateDir: string, count: number, write?: () => Promise<void>): Promise<number> {
  let seen = 0;
  let seconds = 0;
  firstIteratorAt = undefined;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const runner = await startLocalRunner({
    app: { table, consumers: [consumer] },
    handler: (event) => {
      seen += event.Records.length;
      if (seen >= count && seconds === 0) {
        seconds = secondsSinceFirstIterator();
        resolveDone();
      }
    },
    stateDir,
    endpoint,
    tableName: 'bench',
    progress: false,
    log: () => undefined,
  });
  const start = process.hrtime.bigint();
  if (write) await write();
  await done;
  // End to end (with writes) counts from the first write; the read side from the first GetShardIterator.
  if (write) seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await runner.stop();
  return seconds;
}

async function bareLoop(endpoint: string, streamArn: string, count: number): Promise<number> {
  const { streams, destroy } = localClients(endpoint);
  firstIteratorAt = undefined;
  const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!.Shards!;
  let read = 0;
  for (const shard of shards) {
    let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    while (iterator && read < count) {
      const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      read += out.Records?.length ?? 0;
      if ((out.Records?.length ?? 0) === 0) break;
      iterator = out.NextShardIterator;
    }
  }
  const seconds = secondsSinceFirstIterator();
  destroy();
  if (read < count) throw new Error(`bare loop read ${read} of ${count} records`);
  return seconds;
}

function jvmRssMb(pid: number): string {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return `${Math.round(kb / 1024)} MB`;
  } catch {
    return 'n/a';
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-local-'));
  const ddb = await startDynamoDbLocal({ dbPath: join(dir, 'ddb'), port: await freePort() });
  try {
    const { dynamodb, destroy } = localClients(ddb.endpoint);
    let streamArn = '';
    const e2e = await runnerUntil(ddb.endpoint, join(dir, 'run1'), ITEMS, async () => {
      await seedItems(dynamodb, 'bench', table, ITEMS);
    });
    streamArn = JSON.parse(readFileSync(join(dir, 'run1', 'checkpoints', 'bench.json'), 'utf8')).streamArn;
    destroy();
    const rate = (s: number) => Math.round(ITEMS / s).toLocaleString('en-US');
    console.log(`end to end (write -> handler): ${ITEMS} items in ${e2e.toFixed(2)} s = ${rate(e2e)} items/s`);

    const bare: number[] = [];
    const runner: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < READ_REPS; i++) {
      // Alternating which goes first cancels DynamoDB Local's warm-up and caching in favour of the second one.
      const stateDir = join(dir, `run${i + 2}`);
      const b = i % 2 === 0 ? await bareLoop(ddb.endpoint, streamArn, ITEMS) : 0;
      const r = await runnerUntil(ddb.endpoint, stateDir, ITEMS);
      const b2 = i % 2 === 0 ? b : await bareLoop(ddb.endpoint, streamArn, ITEMS);
      bare.push(b2);
      runner.push(r);
      ratios.push(b2 / r);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const range = (xs: number[]) => `${rate(Math.max(...xs))}..${rate(Math.min(...xs))}`;
    console.log(`read side, bare GetRecords loop: ${rate(median(bare))} records/s (median of ${READ_REPS} passes over ${ITEMS} records, ${range(bare)})`);
    console.log(`read side, local runner (engine + checkpoints + no-op handler): ${rate(median(runner))} records/s (median of ${READ_REPS}, ${range(runner)})`);
    console.log(
      `ratio runner / bare loop: ${median(ratios).toFixed(2)}x, median of ${READ_REPS} paired passes (${Math.min(...ratios).toFixed(2)}..${Math.max(...ratios).toFixed(2)}) (budget >= 0.9x)`,
    );
    console.log(`Node peak RSS ${Math.round(peakRss / 1024 / 1024)} MB (budget < 250 MB); DynamoDB Local JVM RSS ${jvmRssMb(ddb.pid)}`);
  } finally {
    clearInterval(sampler);
    await ddb.stop();
  }
}

void main();
