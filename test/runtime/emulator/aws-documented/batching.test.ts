// AWS-documented: batching, order, shard lineage, starting position, Enabled, configuration limits.
// Each test names its page (AWS_PAGES, quoted in docs/aws-semantics.md) and asserts what the quoted sentence implies.
import { emulateEventSourceMapping, EventSourceMappingEngine, InvalidConsumerConfigError } from '../../../../src/runtime/emulator';
import { AWS_PAGES, awsDefaults, fixtures, ids, orders, seqOf } from '../helpers';

const noop = (): void => undefined;

describe(`with-ddb (${AWS_PAGES.withDdb})`, () => {
  test('"When records are available, Lambda invokes your function and waits for the result." and the page\'s "Example event", { "Records": [ ... ] }: the event is { Records } with the records untouched', async () => {
    const records = orders(2);
    const trace = await emulateEventSourceMapping({ records, config: awsDefaults(), handler: noop });
    expect(trace.invocations[0].event).toEqual({ Records: records });
    expect(trace.invocations[0].event.Records[0]).toBe(records[0]);
  });

  test('"When records are available, Lambda invokes your function and waits for the result. If processing succeeds, Lambda resumes polling until it receives more records.": our reading: with ParallelizationFactor 1, one invocation at a time per shard, records in sequence-number order', async () => {
    const records = orders(30);
    let running = 0;
    let overlapped = false;
    const trace = await emulateEventSourceMapping({
      records,
      config: awsDefaults({ batchSize: 7 }),
      handler: async () => {
        running++;
        overlapped ||= running > 1;
        await new Promise((resolve) => setImmediate(resolve));
        running--;
      },
    });
    expect(overlapped).toBe(false);
    expect(trace.invocations.flatMap((i) => i.event.Records)).toEqual(records);
  });
});

describe(`services-dynamodb-eventsourcemapping (${AWS_PAGES.eventSourceMapping})`, () => {
  test('"Batch window – Specify the maximum amount of time to gather records before invoking the function": records within the window share a batch, which is invoked no later than the window after its first record', async () => {
    const stream = fixtures();
    const first = orders(3, stream);
    stream.advance(5);
    const second = orders(2, stream);
    stream.advance(20);
    const third = orders(1, stream);
    const config = awsDefaults({ maxBatchingWindowSeconds: 10 });
    const trace = await emulateEventSourceMapping({ records: [...first, ...second, ...third], config, handler: noop });
    expect(trace.invocations.map((i) => i.event.Records.length)).toEqual([5, 1]);
    expect(trace.invocations[0].atMs - first[0].dynamodb.ApproximateCreationDateTime * 1000).toBeLessThanOrEqual(10_000);
  });

  test('"Batch size – ... Lambda passes all of the records in the batch to the function in a single call, as long as the total size of the events doesn\'t exceed the payload limit for synchronous invocation (6 MB)": our reading: measured on the event\'s JSON (docs/emulator.md)', async () => {
    const stream = fixtures();
    const big = 'x'.repeat(350_000);
    const records = stream.inserts(40, (i) => ({ orderId: `o${i}`, createdAt: i, status: big }));
    const trace = await emulateEventSourceMapping({ records, config: awsDefaults({ batchSize: 100 }), handler: noop });
    const sizes = trace.invocations.map((i) => Buffer.byteLength(JSON.stringify(i.event)));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(6 * 1024 * 1024);
    expect(trace.invocations.flatMap((i) => i.event.Records)).toEqual(records);
  });

  test('our reading: the 6 MB is the payload\'s, not the records\' SizeBytes: 30 records of 150,000 quote characters (4.5 MB of SizeBytes, 9 MB of JSON) go in events of at most 6 MB, each record once, in order', async () => {
    const stream = fixtures();
    const records = stream.inserts(30, (i) => ({ orderId: `o${i}`, createdAt: i, status: '"'.repeat(150_000) }));
    expect(records.reduce((n, r) => n + r.dynamodb.SizeBytes, 0)).toBeLessThan(6 * 1024 * 1024);
    expect(Buffer.byteLength(JSON.stringify({ Records: records }))).toBeGreaterThan(6 * 1024 * 1024);
    const trace = await emulateEventSourceMapping({ records, config: awsDefaults({ batchSize: 100 }), handler: noop });
    const sizes = trace.invocations.map((i) => Buffer.byteLength(JSON.stringify(i.event)));
    expect(sizes.length).toBe(2);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(6 * 1024 * 1024);
    expect(trace.invocations.flatMap((i) => i.event.Records)).toEqual(records);
  });

  test('our reading: with a tumbling window, the window\'s state travels in the same payload: records and state together stay within 6 MB', async () => {
    const stream = fixtures();
    const records = stream.inserts(12, (i) => ({ orderId: `o${i}`, createdAt: i, status: 'y'.repeat(600_000) }));
    // A state of nearly 1 MB (the window's own limit) carried from invocation to invocation.
    const handler = () => ({ state: { pad: 'z'.repeat(1_000_000) } });
    const trace = await emulateEventSourceMapping({ records, config: awsDefaults({ batchSize: 100, tumblingWindowSeconds: 60 }), handler });
    const sizes = trace.invocations.map((i) => Buffer.byteLength(JSON.stringify(i.event)));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(6 * 1024 * 1024);
    expect(trace.invocations.flatMap((i) => i.event.Records)).toEqual(records);
  });

  test('"Latest – Process new records that are added to the stream": records written before the mapping existed are never read', async () => {
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
  });
});

describe(`services-ddb-params (${AWS_PAGES.params})`, () => {
  test('"BatchSize | N | 100 | Maximum: 10,000": no batch holds more than BatchSize records, and every record arrives once, in shard order', async () => {
    const records = orders(250);
    const trace = await emulateEventSourceMapping({ records, config: awsDefaults({ batchSize: 100 }), handler: noop });
    expect(Math.max(...trace.invocations.map((i) => i.event.Records.length))).toBeLessThanOrEqual(100);
    expect(trace.invocations.flatMap((i) => ids(i.event))).toEqual(records.map((r) => r.dynamodb.Keys.orderId.S));
    expect(trace.checkpoints).toEqual({ [trace.shardOrder[0]]: seqOf(records[249]) });
  });

  test('"MaximumBatchingWindowInSeconds | N | 0": without a window, a record that arrives later is not held for a batch', async () => {
    const stream = fixtures({ secondsBetweenRecords: 1 });
    const trace = await emulateEventSourceMapping({ records: orders(3, stream), config: awsDefaults({ batchSize: 10 }), handler: noop });
    expect(trace.invocations.map((i) => i.event.Records.length)).toEqual([1, 1, 1]);
  });

  test('the table\'s limits (BatchSize "Maximum: 10,000", MaximumRetryAttempts "Minimum: 0 Maximum: 10,000", ParallelizationFactor "Maximum: 10") are refused beyond them, all listed at once', () => {
    const config = awsDefaults({ batchSize: 10_001, retryAttempts: -2, parallelizationFactor: 11 });
    let error: unknown;
    try {
      new EventSourceMappingEngine(config, noop);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidConsumerConfigError);
    expect((error as InvalidConsumerConfigError).problems).toEqual([
      'batchSize must be an integer from 1 to 10000 (given 10001): use 100 (the AWS default) or any value from 1 to 10000',
      expect.stringContaining('retryAttempts must be -1 (infinite) or an integer from 0 to 10000 (given -2)'),
      expect.stringContaining('parallelizationFactor must be an integer from 1 to 10 (given 11)'),
    ]);
  });
});

describe(`API_CreateEventSourceMapping (${AWS_PAGES.createMapping})`, () => {
  test('Enabled: "When false, Lambda pauses polling and invocation": nothing is invoked and the checkpoint does not move', async () => {
    const trace = await emulateEventSourceMapping({ records: orders(5), config: awsDefaults({ enabled: false }), handler: noop });
    expect(trace.invocations).toHaveLength(0);
    expect(Object.values(trace.checkpoints)).toEqual([undefined]);
  });
});

describe(`DynamoDB Streams (${AWS_PAGES.streams})`, () => {
  test('"Because shards have a lineage (parent and children), an application must always process a parent shard before it processes a child shard.": our reading: Lambda, reading the stream for you, does so', async () => {
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
    expect(trace.invocations.map((i) => i.shardId)).toEqual(['shardId-parent', 'shardId-child']);
  });
});
