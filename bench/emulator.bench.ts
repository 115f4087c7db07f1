/**
 * Emulator throughput with a no-op handler on 100,000 records (DESIGN.md budget: at least 200,000 records/s).
 * Run: npx ts-node --transpile-only bench/emulator.bench.ts   (or node on the compiled file)
 */
import { emulateEventSourceMapping } from '../src/runtime/emulator';
import { StreamFixtures } from '../src/runtime/records/fixtures';

const COUNT = Number(process.env.BENCH_RECORDS ?? 100_000);

async function main(): Promise<void> {
  const stream = new StreamFixtures({
    table: { partitionKey: { name: 'orderId', type: 'S' }, attributes: [], streamViewType: 'NEW_AND_OLD_IMAGES' },
  });
  const records = stream.inserts(COUNT, (i) => ({ orderId: `o${i}`, status: 'NEW', total: i }));
  const config = {
    name: 'bench', batchSize: 100, maxBatchingWindowSeconds: 0, startingPosition: 'TRIM_HORIZON' as const, retryAttempts: 5,
    maxRecordAgeSeconds: 3600, bisectBatchOnError: true, reportBatchItemFailures: true, parallelizationFactor: 1, tumblingWindowSeconds: 0,
    filters: [], failureDestination: 'SQS' as const, enabled: true, eventCountMetrics: true,
    function: { memorySize: 256, timeoutSeconds: 30, architecture: 'arm64' as const, environment: {}, logRetentionDays: 30 },
  };
  for (const keepInvocations of [true, false]) {
    const start = process.hrtime.bigint();
    const trace = await emulateEventSourceMapping({ records, config, handler: () => undefined, keepInvocations });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    console.log(`${COUNT} records, ${trace.metrics.invocations} invocations, keepInvocations=${keepInvocations}: ` +
      `${Math.round(COUNT / seconds).toLocaleString('en-US')} records/s (${(seconds * 1000).toFixed(0)} ms)`);
  }
}

void main();
