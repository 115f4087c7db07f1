/**
 * What `idempotency` costs a consumer, side by side in one run on one DynamoDB Local: records/s of the generated
 * contract's handler with idempotency on and off (two renderings of the same options but for `idempotency`), and
 * the size of the generated handler bundled as its NodejsFunction bundles it.
 *
 * The handler is invoked directly with batches of 100 fixture records (a third each inserts, modifies, removes;
 * NEW_AND_OLD_IMAGES) while the store is Powertools' DynamoDBPersistenceLayer on DynamoDB Local's `local-idempotency`
 * table, the one `npx projen local` creates. Not through the local runner: its stream reads and checkpoints are
 * the same with idempotency on or off, happen outside the function on AWS (the event source mapping reads the
 * stream), and on this machine run at 3,000-27,000 records/s depending on load; through it, the ratio would
 * measure DynamoDB Local's stream as much as the store. Directly, the figures are the function's own time per
 * record: what a shard's throughput and the billed duration depend on.
 *
 * Each first delivery with idempotency on costs Powertools a conditional PutItem (INPROGRESS) before the callback
 * and an UpdateItem (COMPLETED) after it; a redelivered record costs one PutItem whose condition fails. So the
 * budgets are in round trips, measured in the same run as a plain PutItem on the same DynamoDB Local.
 * Every pass uses records with new eventIDs, except the redelivery pass, which repeats the previous pass's records.
 *
 * Run: npx ts-node --transpile-only bench/idempotency.bench.ts   (BENCH_IDEMPOTENCY_RECORDS=500, BENCH_ROUNDS=3)
 */
import * as fs from 'fs';
import * as path from 'path';
import { CreateTableCommand, type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { AttributeType, StreamViewType } from '../src';
import { bundleLikeNodejsFunction, requireMs, type BundleSize } from './idempotency/bundles';
import { summaryLines } from './idempotency/report';
import { orderRecords } from './order-records';
import type { ConsumerConfig } from '../src/runtime/config';
import { freePort, localClients, startDynamoDbLocal } from '../src/runtime/local';
import { prepareIdempotencyStore } from '../src/runtime/local/database/idempotency-store';
import { writeGeneratedProject } from '../test/project/generated-code';
import type { TestOptions } from '../test/project/helpers';

const ROOT = path.join(__dirname, '..');
const SCRATCH = path.join(ROOT, '.scratch', 'bench-idempotency');
const RECORDS = Number(process.env.BENCH_IDEMPOTENCY_RECORDS ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BATCH_SIZE = 100;
const SIDE_EFFECT_TABLE = 'bench-side-effects';
/** Passes that need no DynamoDB Local take microseconds per record: they repeat until this much time is measured. */
const MIN_CPU_PASS_MS = 300;
/** Plain PutItems timed before and after each round's DynamoDB passes. */
const BASELINE_CALLS = 100;

export const VARIANTS = ['offPure', 'onPure', 'onRedelivered', 'onMemoryStore', 'offWriting', 'onWriting'] as const;
export type Variant = (typeof VARIANTS)[number];

export interface IdempotencyResult {
  readonly records: number;
  readonly rounds: number;
  /** Median records/s of each variant over the rounds, and every round's figure. */
  readonly recordsPerSecond: Record<Variant, number>;
  readonly perRound: Record<Variant, number[]>;
  /**
   * Median over the rounds of the milliseconds of one plain PutItem on the same DynamoDB Local (sequential, as the
   * handler's calls are); each round's figure is the mean of 100 before and 100 after its DynamoDB passes.
   */
  readonly putItemMs: number;
  readonly bundle: { readonly off: BundleSize; readonly on: BundleSize };
  /**
   * Median milliseconds for a fresh Node process to require each bundle once the AWS SDK modules the on bundle uses
   * are loaded, and to require @aws-sdk/client-dynamodb alone (external: the Lambda runtime's, on AWS).
   */
  readonly requireMs: { readonly off: number; readonly on: number; readonly dynamodbClient: number };
}

type Event = { Records: unknown[] };
type Handler = (event: Event) => Promise<{ batchItemFailures: unknown[] }>;
interface HandlerModule {
  seen: { count: number };
  handlers: Record<'pure' | 'writing', Handler>;
  closeClients(): void;
}
interface OnModule extends HandlerModule {
  MemoryIdempotencyStore: new () => unknown;
  useIdempotencyStore(factory: (() => unknown) | undefined): void;
}

/** The same options twice but for `idempotency`: the table and consumer of bench/handler.bench.ts. */
function options(idempotency: boolean): TestOptions {
  return {
    table: {
      partitionKey: { name: 'orderId', type: AttributeType.STRING },
      sortKey: { name: 'createdAt', type: AttributeType.NUMBER },
      attributes: [{ name: 'status', type: AttributeType.STRING }, { name: 'total', type: AttributeType.NUMBER }],
      streamViewType: StreamViewType.NEW_AND_OLD_IMAGES,
    },
    consumers: [{ name: 'bench', ...(idempotency ? { idempotency: { enabled: true } } : {}) }],
  };
}

/** `count` records in batches of 100, numbered from `firstSequenceNumber` (so their eventIDs are new). */
function batches(count: number, firstSequenceNumber: bigint): Event[] {
  const records = orderRecords(count, firstSequenceNumber);
  const events: Event[] = [];
  for (let start = 0; start < count; start += BATCH_SIZE) events.push({ Records: records.slice(start, start + BATCH_SIZE) });
  return events;
}

let passes = 0;
/** Records no pass has used: each pass's sequence numbers (and eventIDs) start 10^12 after the previous one's. */
const fresh = (count = RECORDS) => batches(count, 100000000000000000001n + BigInt(++passes) * 10n ** 12n);

/** Invokes the handler with each batch in turn, as one shard's event source mapping does; seconds taken. */
async function timedPass(handler: Handler, events: Event[]): Promise<number> {
  const start = process.hrtime.bigint();
  for (const event of events) {
    const response = await handler(event);
    if (response.batchItemFailures.length !== 0) throw new Error(`a benchmark batch failed: ${JSON.stringify(response.batchItemFailures)}`);
  }
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Records/s over passes of `next()`'s records (built outside the timed part) until `minMs` has been measured. */
async function recordsPerSecond(handler: Handler, next: () => Event[], minMs = 0): Promise<number> {
  let records = 0;
  let seconds = 0;
  do {
    const events = next();
    seconds += await timedPass(handler, events);
    records += events.reduce((n, e) => n + e.Records.length, 0);
  } while (seconds * 1000 < minMs);
  return records / seconds;
}

/** Callbacks run by `act`: proves each first delivery ran its callback and each redelivery was skipped. */
async function expectCallbacks(module: HandlerModule, expected: number, act: () => Promise<number>): Promise<number> {
  const before = module.seen.count;
  const result = await act();
  const ran = module.seen.count - before;
  if (ran !== expected) throw new Error(`expected ${expected} callbacks, saw ${ran}`);
  return result;
}

async function putItemMs(client: DynamoDBClient, count: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    await client.send(new PutItemCommand({ TableName: SIDE_EFFECT_TABLE, Item: { id: { S: `baseline-${passes}-${i}` }, orderId: { S: `order-${i % 50}` } } }));
  }
  passes++;
  return Number(process.hrtime.bigint() - start) / 1e6 / count;
}

async function round(off: HandlerModule, on: OnModule, client: DynamoDBClient, index: number): Promise<Record<Variant | 'putItemMs', number>> {
  const offPure = await recordsPerSecond(off.handlers.pure, () => batches(RECORDS, 1n), MIN_CPU_PASS_MS);
  // the round trip the budgets count in, before and after the passes that use DynamoDB Local: its load drifts
  const putItemBefore = await putItemMs(client, BASELINE_CALLS);
  const delivered = fresh();
  const onPure = await expectCallbacks(on, RECORDS, () => recordsPerSecond(on.handlers.pure, () => delivered));
  const onRedelivered = await expectCallbacks(on, 0, () => recordsPerSecond(on.handlers.pure, () => delivered));
  on.useIdempotencyStore(() => new on.MemoryIdempotencyStore());
  const onMemoryStore = await recordsPerSecond(on.handlers.pure, () => fresh(), MIN_CPU_PASS_MS);
  on.useIdempotencyStore(undefined);
  // the two writing variants, adjacent and in alternating order, so DynamoDB Local's drift hits both alike
  const writing = async (module: HandlerModule) => recordsPerSecond(module.handlers.writing, () => fresh());
  let offWriting: number;
  let onWriting: number;
  if (index % 2 === 0) {
    offWriting = await writing(off);
    onWriting = await writing(on);
  } else {
    onWriting = await writing(on);
    offWriting = await writing(off);
  }
  const putItemAfter = await putItemMs(client, BASELINE_CALLS);
  return { offPure, onPure, onRedelivered, onMemoryStore, offWriting, onWriting, putItemMs: (putItemBefore + putItemAfter) / 2 };
}

/** Renders both projects, bundles their sample handler as NodejsFunction does, and the bench handlers to run. */
async function prepareBundles(): Promise<{ size: IdempotencyResult['bundle']; runnable: { off: string; on: string } }> {
  const size: Partial<Record<'off' | 'on', BundleSize>> = {};
  const runnable: Partial<Record<'off' | 'on', string>> = {};
  for (const mode of ['off', 'on'] as const) {
    const project = path.join(SCRATCH, 'projects', mode);
    fs.rmSync(project, { recursive: true, force: true });
    writeGeneratedProject(options(mode === 'on'), project);
    size[mode] = await bundleLikeNodejsFunction(path.join(project, 'src', 'handlers', 'bench.ts'), path.join(SCRATCH, 'asset', mode));
    const entry = path.join(__dirname, 'idempotency', mode === 'on' ? 'handler-on.ts' : 'handler.ts');
    await bundleLikeNodejsFunction(entry, path.join(SCRATCH, 'runnable', mode), { GENERATED: path.join(project, 'src', 'generated') });
    runnable[mode] = path.join(SCRATCH, 'runnable', mode, 'index.js');
  }
  return { size: size as IdempotencyResult['bundle'], runnable: runnable as { off: string; on: string } };
}

/** The external modules the on bundle requires: from the Lambda runtime on AWS, from node_modules here. */
const SDK_MODULES = ['@aws-sdk/client-dynamodb', '@aws-sdk/util-dynamodb'];

/** Seven fresh processes each, interleaved. */
function requireTimes(): IdempotencyResult['requireMs'] {
  const times = { off: [] as number[], on: [] as number[], sdk: [] as number[] };
  for (let i = 0; i < 7; i++) {
    // both bundles after the same SDK modules, so the difference is the bundled code's own
    times.off.push(requireMs(path.join(SCRATCH, 'asset', 'off', 'index.js'), ROOT, SDK_MODULES));
    times.on.push(requireMs(path.join(SCRATCH, 'asset', 'on', 'index.js'), ROOT, SDK_MODULES));
    times.sdk.push(requireMs(SDK_MODULES[0], ROOT));
  }
  return { off: median(times.off), on: median(times.on), dynamodbClient: median(times.sdk) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function benchIdempotency(log: (line: string) => void = console.log): Promise<IdempotencyResult> {
  fs.mkdirSync(SCRATCH, { recursive: true });
  const { size, runnable } = await prepareBundles();
  log(`bundle (index.js / index.js.map): off ${size.off.js} / ${size.off.map} B, on ${size.on.js} / ${size.on.map} B`);
  const loadMs = requireTimes();
  log(`require after the SDK modules: off ${loadMs.off.toFixed(1)} ms, on ${loadMs.on.toFixed(1)} ms; @aws-sdk/client-dynamodb alone ${loadMs.dynamodbClient.toFixed(1)} ms`);

  const dbPath = path.join(SCRATCH, 'ddb');
  fs.rmSync(dbPath, { recursive: true, force: true });
  const ddb = await startDynamoDbLocal({ dbPath, port: await freePort() });
  const clients = localClients(ddb.endpoint);
  const env = { ...process.env };
  let off: HandlerModule | undefined;
  let on: OnModule | undefined;
  try {
    const consumer = { idempotency: { expirySeconds: 86400 } } as ConsumerConfig;
    const restore = await prepareIdempotencyStore(clients.dynamodb, ddb.endpoint, [consumer]);
    await clients.dynamodb.send(
      new CreateTableCommand({
        TableName: SIDE_EFFECT_TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    process.env.BENCH_SIDE_EFFECT_ENDPOINT = ddb.endpoint;
    process.env.BENCH_SIDE_EFFECT_TABLE = SIDE_EFFECT_TABLE;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    off = require(runnable.off) as HandlerModule;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    on = require(runnable.on) as OnModule;
    // warm-up: the JIT of both processes, DynamoDB Local's connections and tables
    for (const handler of [off.handlers.pure, on.handlers.pure, off.handlers.writing, on.handlers.writing]) {
      await recordsPerSecond(handler, () => fresh(BATCH_SIZE));
    }
    await putItemMs(clients.dynamodb, BASELINE_CALLS);

    const perRound = Object.fromEntries(VARIANTS.map((v) => [v, [] as number[]])) as Record<Variant, number[]>;
    const putItem: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const figures = await round(off, on, clients.dynamodb, i);
      for (const v of VARIANTS) perRound[v].push(figures[v]);
      putItem.push(figures.putItemMs);
      log(`round ${i + 1}: ${VARIANTS.map((v) => `${v} ${Math.round(figures[v])}`).join(', ')} records/s; PutItem ${figures.putItemMs.toFixed(2)} ms`);
    }
    restore();
    const medians = Object.fromEntries(VARIANTS.map((v) => [v, median(perRound[v])])) as Record<Variant, number>;
    return { records: RECORDS, rounds: ROUNDS, recordsPerSecond: medians, perRound, putItemMs: median(putItem), bundle: size, requireMs: loadMs };
  } finally {
    off?.closeClients();
    on?.closeClients();
    for (const name of ['BENCH_SIDE_EFFECT_ENDPOINT', 'BENCH_SIDE_EFFECT_TABLE']) {
      if (env[name] === undefined) delete process.env[name];
      else process.env[name] = env[name];
    }
    clients.destroy();
    await ddb.stop();
    fs.rmSync(dbPath, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void benchIdempotency().then((result) => summaryLines(result).forEach((line) => console.log(line)));
}
