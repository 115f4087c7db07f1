// Conformance: tumbling windows (services-ddb-windows), parallelization (with-ddb ParallelizationFactor),
// TTL deletions (DynamoDB TTL streams page) and metrics (monitoring-metrics-types).
import { awsDefaults, fixtures, ids, orders, table } from './helpers';
import { emulateEventSourceMapping, type EmulatedEvent } from '../../../src/runtime/emulator';

describe('tumbling windows (services-ddb-windows)', () => {
  test('state carries across invocations of a window; the final invocation has no records and isFinalInvokeForWindow', async () => {
    const stream = fixtures({ startTimeMs: Date.UTC(2024, 0, 1, 0, 0, 0) });
    const first = orders(3, stream);
    stream.advance(70); // next window of 60 s
    const second = orders(1, stream);
    const events: EmulatedEvent[] = [];
    const trace = await emulateEventSourceMapping({
      records: [...first, ...second],
      config: awsDefaults({ tumblingWindowSeconds: 60, batchSize: 2 }),
      handler: (event) => {
        events.push(event);
        const count = ((event.state as { count?: number }).count ?? 0) + event.Records.length;
        return { state: { count } };
      },
    });
    expect(trace.invocations).toHaveLength(5);
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
    expect(events.every((e) => e.isWindowTerminatedEarly === false)).toBe(true);
  });

  test('a window open when its shard closes ends early with isWindowTerminatedEarly', async () => {
    const stream = fixtures();
    const events: EmulatedEvent[] = [];
    await emulateEventSourceMapping({
      shards: [{ shardId: 'parent', records: orders(1, stream) }, { shardId: 'child', parentShardId: 'parent', records: [] }],
      config: awsDefaults({ tumblingWindowSeconds: 300 }),
      handler: (event) => {
        events.push(event);
        return { state: {} };
      },
    });
    expect(events.map((e) => [e.isFinalInvokeForWindow, e.isWindowTerminatedEarly])).toEqual([[false, false], [true, true]]);
  });
});

describe('parallelization factor (with-ddb ParallelizationFactor)', () => {
  test('batches of one shard run in lanes while each partition key stays in order', async () => {
    const stream = fixtures();
    const records = [] as ReturnType<typeof stream.insert>[];
    for (let v = 0; v < 5; v++) {
      for (let k = 0; k < 20; k++) {
        records.push(stream.modify({ orderId: `o${k}`, createdAt: 0, v }, { orderId: `o${k}`, createdAt: 0, v: v + 1 }));
      }
    }
    const config = awsDefaults({ parallelizationFactor: 4, batchSize: 10 });
    const trace = await emulateEventSourceMapping({ records, config, handler: () => undefined, table });
    const lanes = new Set(trace.invocations.map((i) => i.lane));
    expect(lanes.size).toBeGreaterThan(1);
    const seen = new Map<string, number[]>();
    for (const inv of trace.invocations) {
      for (const r of inv.event.Records) {
        const key = r.dynamodb.Keys.orderId.S!;
        seen.set(key, [...(seen.get(key) ?? []), Number(r.dynamodb.NewImage!.v.N)]);
      }
    }
    for (const versions of seen.values()) expect(versions).toEqual([1, 2, 3, 4, 5]);
    expect(Object.values(trace.checkpoints)).toEqual([records[99].dynamodb.SequenceNumber]);
  });

  test('a failing lane holds back the shard checkpoint but not the other lanes', async () => {
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
    const otherLaneRecords = trace.invocations.filter((i) => i.lane !== poisonLane).flatMap((i) => ids(i.event));
    expect(otherLaneRecords.length).toBeGreaterThan(0);
    expect(trace.failures).toHaveLength(1);
    expect(trace.metrics.invokedEvents).toBe(45);
    // o0 is the shard's first record: nothing is checkpointed until it is discarded, though the other lane ran.
    expect(log[0]).toBe('failure');
    expect(log[log.length - 1]).toBe(`checkpoint ${records[39].dynamodb.SequenceNumber}`);
  });
});

describe('TTL deletions (DynamoDB developer guide: TTL and streams)', () => {
  test('a TTL deletion reaches the handler as REMOVE with the service userIdentity', async () => {
    const record = fixtures().ttlRemove({ orderId: 'a', createdAt: 1, expiresAt: 1 });
    const trace = await emulateEventSourceMapping({ records: [record], config: awsDefaults(), handler: () => undefined });
    expect(trace.invocations[0].event.Records[0]).toMatchObject({ eventName: 'REMOVE', userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } });
  });
});

describe('metrics (monitoring-metrics-types: event source mapping metrics)', () => {
  test('counters mirror PolledEventCount, InvokedEventCount, FailedInvokeEventCount, DroppedEventCount, OnFailureDestinationDeliveredEventCount, IteratorAge', async () => {
    const trace = await emulateEventSourceMapping({
      records: orders(3),
      config: awsDefaults({ batchSize: 3, retryAttempts: 1, failureDestination: 'SNS' }),
      handler: () => {
        throw new Error('x');
      },
      retryBackoffMs: () => 2000,
    });
    expect(trace.metrics).toEqual({
      polledEvents: 3,
      filteredOutEvents: 0,
      invocations: 2,
      invokedEvents: 6,
      failedInvocations: 2,
      failedInvokeEvents: 6,
      droppedEvents: 3,
      deliveredToDestinationEvents: 3,
      trimmedEvents: 0,
      iteratorAgeMs: 2000,
      maxIteratorAgeMs: 2000,
    });
    expect(JSON.parse(trace.failures[0].body).DDBStreamBatchInfo.batchSize).toBe(3);
  });
});
