// AWS-documented: tumbling windows and parallelization. Each test names its page (AWS_PAGES, quoted in
// docs/aws-semantics.md) and asserts what the quoted sentence implies.
import { emulateEventSourceMapping, type EmulatedEvent } from '../../../../src/runtime/emulator';
import { AWS_PAGES, awsDefaults, fixtures, ids, orders, table } from '../helpers';

const counting = (events: EmulatedEvent[]) => (event: EmulatedEvent) => {
  events.push(event);
  const count = ((event.state as { count?: number }).count ?? 0) + event.Records.length;
  return { state: { count } };
};

describe(`services-ddb-windows (${AWS_PAGES.windows})`, () => {
  test('"Each invocation receives a state" and "At the end of the window, the flag isFinalInvokeForWindow is set to true": state carries across a window\'s invocations and is dropped after it', async () => {
    const stream = fixtures({ startTimeMs: Date.UTC(2024, 0, 1, 0, 0, 0) });
    const first = orders(3, stream);
    stream.advance(70); // next window of 60 s
    const second = orders(1, stream);
    const events: EmulatedEvent[] = [];
    const trace = await emulateEventSourceMapping({
      records: [...first, ...second],
      config: awsDefaults({ tumblingWindowSeconds: 60, batchSize: 2 }),
      handler: counting(events),
    });
    expect(events.map((e) => [e.Records.length, e.state, e.isFinalInvokeForWindow])).toEqual([
      [2, {}, false],
      [1, { count: 2 }, false],
      [0, { count: 3 }, true],
      [1, {}, false],
      [0, { count: 1 }, true],
    ]);
    expect(events[0].window).toEqual({ start: '2024-01-01T00:00:00Z', end: '2024-01-01T00:01:00Z' });
    expect(events[0].shardId).toBe(trace.shardOrder[0]);
    expect(events[0].eventSourceARN).toBe(first[0].eventSourceARN);
  });

  test('"If the response does not contain a state property, Lambda considers this a failed invocation": retried, then discarded like any failure', async () => {
    const records = orders(2);
    const trace = await emulateEventSourceMapping({
      records,
      config: awsDefaults({ tumblingWindowSeconds: 60, retryAttempts: 2, failureDestination: 'SQS' }),
      handler: (event) => (event.isFinalInvokeForWindow ? { state: {} } : { batchItemFailures: [] }),
    });
    const withRecords = trace.invocations.filter((i) => i.event.Records.length > 0);
    expect(withRecords.map((i) => i.verdict)).toEqual(['failure', 'failure', 'failure']);
    expect(trace.failures.map((f) => f.records)).toEqual([records]);
    // The function returned: functionError is null, as AWS records for a returned but unusable response.
    expect(trace.failures[0].message.responseContext?.functionError).toBeNull();
  });

  test('"Your state can be a maximum of 1 MB per shard. If it exceeds that size, Lambda terminates the window early": not a failure; our choice (docs/emulator.md): a final invocation flags isWindowTerminatedEarly, then the same window goes on with a fresh state (aws-lambda-go: "Subsequent invoke will continue the same window with a fresh state.")', async () => {
    const stream = fixtures();
    const records = orders(3, stream);
    const events: EmulatedEvent[] = [];
    // 600,000 two-byte characters: 1.2 MB in UTF-8, 600,000 UTF-16 code units.
    const heavy = 'é'.repeat(600_000);
    const trace = await emulateEventSourceMapping({
      records,
      config: awsDefaults({ tumblingWindowSeconds: 60, batchSize: 1, failureDestination: 'SQS' }),
      handler: (event) => {
        events.push(event);
        if (event.isFinalInvokeForWindow) return { state: {} };
        return { state: ids(event).includes('o1') ? { heavy } : { seen: ids(event) } };
      },
    });
    expect(trace.failures).toHaveLength(0);
    expect(trace.invocations.every((i) => i.verdict === 'success')).toBe(true);
    expect(events.map((e) => [ids(e).join(), e.isFinalInvokeForWindow, e.isWindowTerminatedEarly])).toEqual([
      ['o0', false, false],
      ['o1', false, false],
      ['', true, true],
      ['o2', false, false],
      ['', true, false],
    ]);
    expect((events[2].state as { heavy?: string }).heavy).toBe(heavy);
    expect(events[3].state).toEqual({});
    expect(events[3].window).toEqual(events[0].window);
  });

  test('"When the shard ends, Lambda considers the window closed, and the child shards start their own window in a fresh state"', async () => {
    const stream = fixtures();
    const events: EmulatedEvent[] = [];
    await emulateEventSourceMapping({
      shards: [{ shardId: 'parent', records: orders(1, stream) }, { shardId: 'child', parentShardId: 'parent', records: orders(1, stream) }],
      config: awsDefaults({ tumblingWindowSeconds: 300 }),
      handler: counting(events),
    });
    expect(events.map((e) => [e.shardId, e.Records.length, e.state, e.isFinalInvokeForWindow])).toEqual([
      ['parent', 1, {}, false],
      ['parent', 0, { count: 1 }, true],
      ['child', 1, {}, false],
      ['child', 0, { count: 1 }, true],
    ]);
  });
});

describe(`with-ddb ParallelizationFactor (${AWS_PAGES.withDdb})`, () => {
  test('"When you increase the number of concurrent batches per shard, Lambda still ensures in-order processing at the item (partition and sort key) level"', async () => {
    const stream = fixtures();
    const records = [] as ReturnType<typeof stream.insert>[];
    for (let v = 0; v < 5; v++) {
      for (let k = 0; k < 20; k++) records.push(stream.modify({ orderId: `o${k}`, createdAt: 0, v }, { orderId: `o${k}`, createdAt: 0, v: v + 1 }));
    }
    const config = awsDefaults({ parallelizationFactor: 4, batchSize: 10 });
    const trace = await emulateEventSourceMapping({ records, config, handler: () => undefined, table });
    expect(new Set(trace.invocations.map((i) => i.lane)).size).toBeGreaterThan(1);
    const seen = new Map<string, number[]>();
    for (const r of trace.invocations.flatMap((i) => i.event.Records)) {
      const key = r.dynamodb.Keys.orderId.S!;
      seen.set(key, [...(seen.get(key) ?? []), Number(r.dynamodb.NewImage!.v.N)]);
    }
    for (const versions of seen.values()) expect(versions).toEqual([1, 2, 3, 4, 5]);
  });

  test('the same sentence: the unit of order is the item, so the items of one partition key spread over lanes (factor 4), and stay in one lane at factor 1', async () => {
    const stream = fixtures();
    // one partition key, 20 sort keys, each item changed twice
    const change = (k: number, v: number) => stream.modify({ orderId: 'tenant-1', createdAt: k, v }, { orderId: 'tenant-1', createdAt: k, v: v + 1 });
    const records = [0, 1].flatMap((v) => Array.from({ length: 20 }, (_, k) => change(k, v)));
    const lanesAt = async (parallelizationFactor: number) => {
      const config = awsDefaults({ parallelizationFactor, batchSize: 5 });
      const trace = await emulateEventSourceMapping({ records, config, handler: () => undefined, table });
      const versionsOf = new Map<string, number[]>();
      for (const r of trace.invocations.flatMap((i) => i.event.Records)) {
        const item = r.dynamodb.Keys.createdAt.N!;
        versionsOf.set(item, [...(versionsOf.get(item) ?? []), Number(r.dynamodb.NewImage!.v.N)]);
      }
      for (const versions of versionsOf.values()) expect(versions).toEqual([1, 2]);
      const lanes = new Set(trace.invocations.map((i) => i.lane));
      process.stdout.write(`emulator, 20 items of one partition key, factor ${parallelizationFactor}: lanes used ${[...lanes].sort().join(', ')}\n`);
      return lanes.size;
    };
    expect(await lanesAt(4)).toBeGreaterThan(1);
    expect(await lanesAt(1)).toBe(1);
  });

  test('"ParallelizationFactor – Process multiple batches from each shard concurrently." (API_CreateEventSourceMapping): our reading: a failing batch does not stop the other lanes; the shard checkpoint waits for it', async () => {
    const records = orders(40);
    const log: string[] = [];
    const trace = await emulateEventSourceMapping({
      onCheckpoint: (_shard, seq) => {
        log.push(`checkpoint ${seq}`);
      },
      onFailure: () => {
        log.push('failure');
      },
      records,
      config: awsDefaults({ parallelizationFactor: 2, batchSize: 5, retryAttempts: 1, failureDestination: 'SQS' }),
      handler: (event) => {
        if (ids(event).includes('o0')) throw new Error('poison');
      },
      table,
    });
    const poisonLane = trace.invocations.find((i) => ids(i.event).includes('o0'))!.lane;
    expect(trace.invocations.filter((i) => i.lane !== poisonLane).flatMap((i) => ids(i.event)).length).toBeGreaterThan(0);
    expect(trace.failures).toHaveLength(1);
    expect(log[0]).toBe('failure');
    expect(log[log.length - 1]).toBe(`checkpoint ${records[39].dynamodb.SequenceNumber}`);
  });
});
