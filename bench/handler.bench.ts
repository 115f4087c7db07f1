/**
 * Our generated handler versus the same logic on Powertools' BatchProcessor (sequential, `processPartialResponse`,
 * EventType.DynamoDBStreams) with `unmarshall` from @aws-sdk/util-dynamodb: records/s on identical batches of 100 and
 * 1,000 records, and the esbuild-minified bundle of each (platform node, target node24, minify, nothing external).
 * Both handlers are measured from their bundles, so both run the code a Lambda would run.
 * Run: npx ts-node --transpile-only bench/handler.bench.ts
 */
import * as fs from 'fs';
import * as path from 'path';
import { build } from 'esbuild';
import { orderRecords } from './order-records';
import { synthFiles } from '../test/project/helpers';
import { AttributeType, StreamViewType } from '../src';

export interface HandlerResult {
  readonly bundleBytes: { ours: number; powertools: number };
  readonly rows: { batch: number; ours: number; powertools: number }[];
}

const SCRATCH = path.join(__dirname, '..', '.scratch', 'bench-handler');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Renders a project with one "bench" consumer and keeps its src/generated folder. */
function renderGenerated(): string {
  const files = synthFiles({
    table: {
      partitionKey: { name: 'orderId', type: AttributeType.STRING },
      sortKey: { name: 'createdAt', type: AttributeType.NUMBER },
      attributes: [{ name: 'status', type: AttributeType.STRING }, { name: 'total', type: AttributeType.NUMBER }],
      streamViewType: StreamViewType.NEW_AND_OLD_IMAGES,
    },
    consumers: [{ name: 'bench' }],
  });
  const dir = path.join(SCRATCH, 'generated');
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [file, content] of Object.entries(files)) {
    if (!file.startsWith('src/generated/')) continue;
    const target = path.join(dir, file.slice('src/generated/'.length));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content as string);
  }
  return dir;
}

async function bundle(entry: string, generated: string, outfile: string): Promise<number> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    minify: true,
    external: [],
    alias: { GENERATED: generated },
    logLevel: 'error',
  });
  return fs.statSync(outfile).size;
}

/** A realistic batch: inserts, modifies and removes of items with a few attributes, a map and a list. */
function batch(size: number) {
  return { Records: orderRecords(size) };
}

type Handler = (event: unknown) => Promise<unknown>;

async function recordsPerSecond(handler: Handler, event: { Records: unknown[] }, minMs = 300): Promise<number> {
  let records = 0;
  const start = process.hrtime.bigint();
  let elapsedMs = 0;
  while (elapsedMs < minMs) {
    const result = (await handler(event)) as { batchItemFailures: unknown[] };
    if (result.batchItemFailures.length !== 0) throw new Error('a benchmark batch failed');
    records += event.Records.length;
    elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return records / (elapsedMs / 1000);
}

export async function benchHandler(log: (line: string) => void = console.log): Promise<HandlerResult> {
  fs.mkdirSync(SCRATCH, { recursive: true });
  const generated = renderGenerated();
  const oursFile = path.join(SCRATCH, 'ours.js');
  const powertoolsFile = path.join(SCRATCH, 'powertools.js');
  const bundleBytes = {
    ours: await bundle(path.join(__dirname, 'handler', 'ours.ts'), generated, oursFile),
    powertools: await bundle(path.join(__dirname, 'handler', 'powertools.ts'), generated, powertoolsFile),
  };
  log(`bundles: ours ${bundleBytes.ours} B, powertools ${bundleBytes.powertools} B`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ours = require(oursFile) as { handler: Handler; seen: { total: number } };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const powertools = require(powertoolsFile) as { handler: Handler; seen: { total: number } };

  const rows = [];
  for (const size of [100, 1000]) {
    const event = batch(size);
    // Same logic, same answer: both see every record.
    ours.seen.total = 0;
    powertools.seen.total = 0;
    await ours.handler(event);
    await powertools.handler(event);
    if (ours.seen.total !== powertools.seen.total) throw new Error('the two handlers disagree');
    for (let i = 0; i < 3; i++) {
      await recordsPerSecond(ours.handler, event, 100);
      await recordsPerSecond(powertools.handler, event, 100);
    }
    const a: number[] = [];
    const b: number[] = [];
    // Interleaved rounds, so drift on a shared machine hits both alike.
    for (let round = 0; round < ROUNDS; round++) {
      a.push(await recordsPerSecond(ours.handler, event));
      b.push(await recordsPerSecond(powertools.handler, event));
    }
    const row = { batch: size, ours: median(a), powertools: median(b) };
    log(`batch ${size}: ours ${Math.round(row.ours)} rec/s, powertools ${Math.round(row.powertools)} rec/s, ${(row.ours / row.powertools).toFixed(2)}x`);
    rows.push(row);
  }
  return { bundleBytes, rows };
}

if (require.main === module) void benchHandler();
