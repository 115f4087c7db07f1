/**
 * Emulator throughput with a no-op handler on 100,000 records (budget: at least 1,000,000 records/s), and
 * its memory while streaming 1,000,000 records from a generator (budget: one batch per shard plus checkpoints,
 * so the heap must not grow with the stream). `npm run bench` runs the streaming part under a 160 MB heap cap.
 * Run: npx ts-node --transpile-only bench/emulator.bench.ts   (or node on the compiled file)
 */
import { emulateEventSourceMapping } from '../src/runtime/emulator';
import { StreamFixtures } from '../src/runtime/records/fixtures';

const COUNT = Number(process.env.BENCH_RECORDS ?? 100_000);
const STREAMED = Number(process.env.BENCH_STREAMED ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

async function main(): Promise<void> {
  const stream = new StreamFixtures({
    table: { partitionKey: { name: 'orderId', type: 'S' }, attributes: [], streamViewType: 'NEW_AND_OLD_IMAGES' },
  });
  const records = stream.inserts(COUNT, (i) => ({ orderId: `o${i}`, status: 'NEW', total: i }));
  const config = {
    name: 'bench', batchSize: 100, maxBatchingWindowSeconds: 0, startingPosition: 'TRIM_HORIZON' as const, retryAttempts: 5,
    maxRecordAgeSeconds: 3600, bisectBatchOnError: true, reportBatchItemFailures: true, parallelizationFactor: 1, tumblingWindowSeconds: 0,
    filters: [], failureDestination: 'SQS' as const, enabled: true, eventCountMetrics: true,
    function: { memorySize: 256, timeoutSeconds: 30, architecture: 'arm64' as const, runtime: 'nodejs24.x', environment: {}, logRetentionDays: 30 },
  };
  if (COUNT > 0) {
    // One untimed pass first, so that neither measured variant pays for the JIT's warm-up; then medians of
    // interleaved rounds, as a single pass on a shared machine swings by a fifth.
    await emulateEventSourceMapping({ records: records.slice(0, 10_000), config, handler: () => undefined });
    const rates = new Map<boolean, number[]>([[true, []], [false, []]]);
    let invocations = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const keepInvocations of round % 2 === 0 ? [true, false] : [false, true]) {
        const start = process.hrtime.bigint();
        const trace = await emulateEventSourceMapping({ records, config, handler: () => undefined, keepInvocations });
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        invocations = trace.metrics.invocations;
        rates.get(keepInvocations)!.push(COUNT / seconds);
      }
    }
    const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
    for (const [keepInvocations, xs] of rates) {
      const sorted = [...xs].sort((a, b) => a - b);
      console.log(`${COUNT} records, ${invocations} invocations, keepInvocations=${keepInvocations}: ${fmt(sorted[Math.floor(sorted.length / 2)])} records/s ` +
        `(median of ${ROUNDS} rounds after a warm-up pass, ${fmt(sorted[0])}..${fmt(sorted[sorted.length - 1])})`);
    }
  }

  if (STREAMED === 0) return;
  // Streaming: records are made on demand, so whatever the heap holds at the end was kept by the emulator.
  const streamed = new StreamFixtures({ table: { partitionKey: { name: 'orderId', type: 'S' }, attributes: [], streamViewType: 'NEW_AND_OLD_IMAGES' } });
  function* generate() {
    for (let i = 0; i < STREAMED; i++) yield streamed.insert({ orderId: `o${i}`, status: 'NEW', total: i });
  }
  const heapMb = () => process.memoryUsage().heapUsed / 2 ** 20;
  global.gc?.();
  const before = heapMb();
  let peak = before;
  // The emulator never yields to timers on a virtual clock, so the heap is sampled by the handler, once a batch.
  const sample = () => void (peak = Math.max(peak, heapMb()));
  const start = process.hrtime.bigint();
  const trace = await emulateEventSourceMapping({ records: generate(), config, handler: sample, keepInvocations: false });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  global.gc?.();
  console.log(`${STREAMED} records streamed from a generator, keepInvocations=false: ${trace.metrics.invocations} invocations in ` +
    `${seconds.toFixed(1)} s; heap ${before.toFixed(0)} MB before, ${heapMb().toFixed(0)} MB after (gc), peak ${peak.toFixed(0)} MB (sampled at every invocation, garbage included)`);
}

void main();
