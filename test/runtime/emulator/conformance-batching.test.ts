// Conformance: batching, ordering, lineage, starting position. Sources cited per test (AWS page names).
import { awsDefaults, fixtures, ids, orders, seqOf } from './helpers';
import { emulateEventSourceMapping, ShardLineageError, EventSourceMappingEngine, InvalidConsumerConfigError } from '../../../src/runtime/emulator';

const noop = (): void => undefined;

describe('batch assembly and order', () => {
  test('records reach the handler in shard order, in batches of BatchSize (with-ddb, services-ddb-params)', async () => {
    const records = orders(250);
    const trace = await emulateEventSourceMapping({ records, config: awsDefaults({ batchSize: 100 }), handler: noop });
    expect(trace.invocations.map((i) => i.event.Records.length)).toEqual([100, 100, 50]);
    expect(trace.invocations.flatMap((i) => ids(i.event))).toEqual(records.map((r) => r.dynamodb.Keys.orderId.S));
    expect(trace.checkpoints).toEqual({ [trace.shardOrder[0]]: seqOf(records[249]) });
  });

  test('the event carries the records untouched, in the Lambda event shape (with-ddb)', async () => {
    const records = orders(2);
    const trace = await emulateEventSourceMapping({ records, config: awsDefaults(), handler: noop });
    expect(trace.invocations[0].event).toEqual({ Records: records });
    expect(trace.invocations[0].event.Records[0]).toBe(records[0]);
  });

  test('with a batching window, records arriving within it share a batch; later ones wait for the next (services-ddb-params MaximumBatchingWindowInSeconds)', async () => {
    const stream = fixtures();
    const first = orders(3, stream);
    stream.advance(5);
    const second = orders(2, stream);
    stream.advance(20);
    const third = orders(1, stream);
    const config = awsDefaults({ maxBatchingWindowSeconds: 10 });
    const trace = await emulateEventSourceMapping({ records: [...first, ...second, ...third], config, handler: noop });
    expect(trace.invocations.map((i) => i.event.Records.length)).toEqual([5, 1]);
    // The partial batch is invoked when its window closes, on the virtual clock.
    expect(trace.invocations[0].atMs).toBe(Date.UTC(2024, 0, 1) + 10_000);
  });

  test('without a batching window, records arriving later go in a new batch (services-ddb-params)', async () => {
    const stream = fixtures({ secondsBetweenRecords: 1 });
    const trace = await emulateEventSourceMapping({ records: orders(3, stream), config: awsDefaults({ batchSize: 10 }), handler: noop });
    expect(trace.invocations.map((i) => i.event.Records.length)).toEqual([1, 1, 1]);
  });

  test('a batch never exceeds the 6 MB invocation payload (services-ddb-params)', async () => {
    const stream = fixtures();
    const big = 'x'.repeat(350_000);
    const records = stream.inserts(40, (i) => ({ orderId: `o${i}`, createdAt: i, status: big }));
    const trace = await emulateEventSourceMapping({ records, config: awsDefaults({ batchSize: 100 }), handler: noop });
    const sizes = trace.invocations.map((i) => i.event.Records.reduce((n, r) => n + r.dynamodb.SizeBytes, 0));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(6 * 1024 * 1024);
    expect(trace.invocations.length).toBeGreaterThan(1);
    expect(trace.invocations.reduce((n, i) => n + i.event.Records.length, 0)).toBe(40);
  });

  test('parent shards are read to their end before their children (DynamoDB Streams: shard lineage)', async () => {
    const stream = fixtures();
    const parent = orders(3, stream);
    const child = orders(3, stream);
    const trace = await emulateEventSourceMapping({
      shards: [
        { shardId: 'shardId-child', parentShardId: 'shardId-parent', records: child },
        { shardId: 'shardId-parent', records: parent },
      ],
      config: awsDefaults(),
      handler: noop,
    });
    expect(trace.shardOrder).toEqual(['shardId-parent', 'shardId-child']);
    expect(trace.invocations.map((i) => i.shardId)).toEqual(['shardId-parent', 'shardId-child']);
  });

  test('the engine refuses a child shard fed before its parent ended (DynamoDB Streams: shard lineage)', async () => {
    const engine = new EventSourceMappingEngine(awsDefaults(), noop);
    await engine.processShard('parent', orders(1));
    await expect(engine.processShard('child', orders(1), { parentShardId: 'parent' })).rejects.toThrow(ShardLineageError);
  });

  test('StartingPosition LATEST skips records written before the mapping existed (API_CreateEventSourceMapping)', async () => {
    const stream = fixtures();
    const old = orders(2, stream);
    stream.advance(60);
    const fresh = orders(2, stream);
    const trace = await emulateEventSourceMapping({
      records: [...old, ...fresh],
      config: awsDefaults({ startingPosition: 'LATEST' }),
      handler: noop,
      mappingCreatedAtMs: stream.timeMs - 30_000,
    });
    expect(trace.invocations.flatMap((i) => i.event.Records)).toEqual(fresh);
    expect(trace.metrics.polledEvents).toBe(2);
  });

  test('a disabled mapping invokes nothing and does not move the checkpoint (API_CreateEventSourceMapping Enabled)', async () => {
    const trace = await emulateEventSourceMapping({ records: orders(5), config: awsDefaults({ enabled: false }), handler: noop });
    expect(trace.invocations).toHaveLength(0);
    expect(Object.values(trace.checkpoints)).toEqual([undefined]);
  });

  test('async-iterable input streams page by page with the same result (runtime kit: bounded memory)', async () => {
    const records = orders(2500);
    async function* source() {
      yield* records;
    }
    const trace = await emulateEventSourceMapping({ records: source(), config: awsDefaults({ batchSize: 300 }), handler: noop });
    expect(trace.invocations.map((i) => i.event.Records.length)).toEqual([300, 300, 300, 300, 300, 300, 300, 300, 100]);
  });
});

describe('configuration limits (API_CreateEventSourceMapping)', () => {
  test('fails if several settings are out of range, listing them all', () => {
    const config = awsDefaults({ batchSize: 10_001, retryAttempts: -2, maxRecordAgeSeconds: 30, parallelizationFactor: 11 });
    const make = () => new EventSourceMappingEngine(config, noop);
    expect(make).toThrow(InvalidConsumerConfigError);
    try {
      make();
    } catch (e) {
      const problems = (e as InvalidConsumerConfigError).problems;
      expect(problems).toHaveLength(4);
      expect(problems[0]).toBe('batchSize must be an integer from 1 to 10000 (given 10001): use 100 (the AWS default) or any value from 1 to 10000');
      expect(problems[2]).toContain('maxRecordAgeSeconds must be -1 (infinite) or an integer from 60 to 604800 (given 30)');
    }
  });

  test('fails if parallelizationFactor > 1 without the table definition', () => {
    expect(() => new EventSourceMappingEngine(awsDefaults({ parallelizationFactor: 2 }), noop)).toThrow(/options.table is required when parallelizationFactor is 2/);
  });
});
