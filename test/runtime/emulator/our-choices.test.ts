// Our choices where AWS is silent: one test per row of docs/emulator.md's "Choices where AWS is silent", in the
// table's order. These assert our outputs, not AWS facts; the AWS-documented rules are in ./aws-documented/ and the
// AWS-recorded ones in ./aws-recorded.test.ts.
import { awsDefaults, fixtures, ids, orders, seqOf, table } from './helpers';
import { emulateEventSourceMapping, readResponse, VirtualClock, type EmulatedEvent } from '../../../src/runtime/emulator';

const fail = (): never => {
  throw new Error('boom');
};
const poisonAt = (orderId: string) => (event: EmulatedEvent): void => {
  if (ids(event).includes(orderId)) throw new TypeError(`cannot process ${orderId}`);
};
const reportOnly = (...orderIds: string[]) => (event: EmulatedEvent) => ({
  batchItemFailures: event.Records
    .filter((r) => orderIds.includes(r.dynamodb.Keys.orderId.S!))
    .map((r) => ({ itemIdentifier: r.dynamodb.SequenceNumber })),
});

describe('choices where AWS is silent (docs/emulator.md)', () => {
  test('retry backoff: 1 s doubling per retry, at most 60 s; retryBackoffMs replaces it', async () => {
    const config = awsDefaults({ retryAttempts: 8 });
    const run = (retryBackoffMs?: (n: number) => number) => emulateEventSourceMapping({ records: orders(1), config, handler: fail, retryBackoffMs });
    const gaps = (trace: Awaited<ReturnType<typeof run>>) => trace.invocations.slice(1).map((inv, i) => inv.atMs - trace.invocations[i].atMs);
    expect(gaps(await run())).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
    expect(gaps(await run((n) => n * 10))).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);
  });

  test('bisect: halves run first half first, down to single records; only a single record consumes retries', async () => {
    const records = orders(8);
    const trace = await emulateEventSourceMapping({
      records,
      config: awsDefaults({ batchSize: 8, retryAttempts: 1, bisectBatchOnError: true, failureDestination: 'SQS' }),
      handler: poisonAt('o5'),
    });
    expect(trace.invocations.map((i) => ids(i.event).join())).toEqual([
      'o0,o1,o2,o3,o4,o5,o6,o7', 'o0,o1,o2,o3', 'o4,o5,o6,o7', 'o4,o5', 'o4', 'o5', 'o5', 'o6,o7',
    ]);
    expect(trace.failures[0].message.requestContext.approximateInvokeCount).toBe(2);
  });

  test('partial failure with bisect: the batch is split after the highest reported record; the reported range runs alone, the rest waits', async () => {
    const trace = await emulateEventSourceMapping({
      records: orders(6),
      config: awsDefaults({ batchSize: 6, reportBatchItemFailures: true, bisectBatchOnError: true, retryAttempts: 0, failureDestination: 'SQS' }),
      handler: reportOnly('o2', 'o3'),
    });
    expect(trace.invocations.map((i) => ids(i.event).join())).toEqual(['o0,o1,o2,o3,o4,o5', 'o2,o3', 'o2', 'o3', 'o4,o5']);
    expect(trace.failures.map((f) => ids({ Records: f.records }).join())).toEqual(['o2', 'o3']);
  });

  test('partial failure exhausting retries: only the reported range goes to the destination; the records after it run as a new batch', async () => {
    const trace = await emulateEventSourceMapping({
      records: orders(4),
      config: awsDefaults({ batchSize: 4, reportBatchItemFailures: true, retryAttempts: 1, failureDestination: 'SQS' }),
      handler: reportOnly('o0', 'o1'),
    });
    expect(trace.invocations.map((i) => ids(i.event).join())).toEqual(['o0,o1,o2,o3', 'o0,o1,o2,o3', 'o2,o3']);
    expect(trace.failures.map((f) => ids({ Records: f.records }).join())).toEqual(['o0,o1']);
  });

  test('the new batch left by a partial failure that moves the checkpoint is invoked at once, without a retry backoff', async () => {
    const trace = await emulateEventSourceMapping({
      records: orders(3),
      config: awsDefaults({ batchSize: 3, reportBatchItemFailures: true, retryAttempts: 1 }),
      handler: reportOnly('o2'),
      retryBackoffMs: () => 5000,
    });
    const times = trace.invocations.map((i) => i.atMs - trace.invocations[0].atMs);
    expect(trace.invocations.map((i) => ids(i.event).join())).toEqual(['o0,o1,o2', 'o2', 'o2']);
    expect(times).toEqual([0, 0, 5000]);
  });

  test('RecordAgeExceeded: only the expired prefix of a batch is discarded; younger records go on', async () => {
    const stream = fixtures();
    const old = orders(1, stream);
    stream.advance(40);
    const young = stream.insert({ orderId: 'young', createdAt: 1 });
    const trace = await emulateEventSourceMapping({
      records: [...old, young],
      config: awsDefaults({ maxRecordAgeSeconds: 60, maxBatchingWindowSeconds: 60, failureDestination: 'SQS' }),
      handler: poisonAt('o0'),
      retryBackoffMs: () => 15_000,
    });
    expect(trace.failures.map((f) => f.records)).toEqual([old]);
    expect(ids(trace.invocations[trace.invocations.length - 1].event)).toEqual(['young']);
    expect(trace.invocations[trace.invocations.length - 1].verdict).toBe('success');
  });

  test('responseContext for records never invoked: omitted, approximateInvokeCount 0; responseContextWithoutInvocation adds it', async () => {
    const stream = fixtures();
    const old = orders(1, stream);
    stream.advance(120);
    const fresh = stream.insert({ orderId: 'x', createdAt: 0 });
    const run = (responseContextWithoutInvocation: boolean) => emulateEventSourceMapping({
      records: [...old, fresh],
      config: awsDefaults({ maxRecordAgeSeconds: 60, failureDestination: 'SQS' }),
      handler: () => undefined,
      clock: new VirtualClock(stream.timeMs),
      responseContextWithoutInvocation,
    });
    const omitted = await run(false);
    expect(omitted.failures[0].message.responseContext).toBeUndefined();
    expect(omitted.failures[0].message.requestContext.approximateInvokeCount).toBe(0);
    expect((await run(true)).failures[0].message.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: null });
  });

  test('responses outside AWS\'s lists (an identifier naming no record of the batch, a non-array batchItemFailures, a non-empty array, a primitive) are complete failures', () => {
    const records = orders(2);
    for (const value of [{ batchItemFailures: [{ itemIdentifier: '1' }] }, { batchItemFailures: 'x' }, [1], 'ok', 42]) {
      expect(readResponse(value, records, true).kind).toBe('failure');
    }
  });

  test('records blocked past the stream\'s retention are lost without a destination message (metrics.trimmedEvents); streamRetentionHours sets it', async () => {
    const trace = await emulateEventSourceMapping({ records: orders(2), config: awsDefaults({ failureDestination: 'SQS' }), handler: fail, streamRetentionHours: 1 });
    expect(trace.metrics.trimmedEvents).toBe(2);
    expect(trace.failures).toHaveLength(0);
    expect(trace.invocations[trace.invocations.length - 1].atMs - trace.invocations[0].atMs).toBeLessThanOrEqual(3_600_000);
  });

  test('payload size: the event\'s JSON in UTF-8 bytes against 6 MB (6,291,456), screened by SizeBytes and measured exactly near the limit; a record over the limit on its own is invoked alone; payloadLimitBytes sets the limit', async () => {
    const records = orders(10);
    const eventBytes = (n: number) => Buffer.byteLength(JSON.stringify({ Records: records.slice(0, n) }));
    // A limit that holds exactly three of these records' event: the fourth would pass it by its comma and JSON.
    const limit = eventBytes(3);
    const trace = await emulateEventSourceMapping({ records, config: awsDefaults(), handler: () => undefined, payloadLimitBytes: limit });
    expect(trace.invocations.map((i) => i.event.Records.length)).toEqual([3, 3, 3, 1]);
    for (const i of trace.invocations) expect(Buffer.byteLength(JSON.stringify(i.event))).toBeLessThanOrEqual(limit);

    // One record larger than the limit: AWS does not say; it goes alone (a batch cannot be smaller), and the
    // records around it go in batches of their own.
    const stream = fixtures();
    const huge = stream.insert({ orderId: 'huge', createdAt: 0, status: '\u0001'.repeat(1_100_000) });
    const around = [orders(1, stream)[0], huge, orders(1, stream)[0]];
    expect(Buffer.byteLength(JSON.stringify({ Records: [huge] }))).toBeGreaterThan(6 * 1024 * 1024);
    const alone = await emulateEventSourceMapping({ records: around, config: awsDefaults(), handler: () => undefined });
    expect(alone.invocations.map((i) => i.event.Records.length)).toEqual([1, 1, 1]);
    expect(alone.invocations[1].event.Records[0]).toBe(huge);
  });

  test('tumbling window state: 1 MB is 1,048,576 bytes of its JSON in UTF-8; the early final invocation carries it and comes next; a null state carries on as {}', async () => {
    const events: EmulatedEvent[] = [];
    const limit = 1024 * 1024;
    // JSON of { s: "..." } is 8 bytes plus the string: exactly the limit stays, one byte more ends the window.
    const states = [{ s: 'a'.repeat(limit - 8) }, null, { s: 'a'.repeat(limit - 7) }];
    let i = 0;
    await emulateEventSourceMapping({
      records: orders(3),
      config: awsDefaults({ tumblingWindowSeconds: 60, batchSize: 1 }),
      handler: (event) => {
        events.push(event);
        return event.isFinalInvokeForWindow ? { state: {} } : { state: states[i++] };
      },
    });
    expect(events.map((e) => [ids(e).join(), e.isWindowTerminatedEarly])).toEqual([['o0', false], ['o1', false], ['o2', false], ['', true], ['', false]]);
    expect(events[2].state).toEqual({});
    expect(events[3].state).toEqual(states[2]);
  });

  test('final invocation of a window: Records [] when the next record belongs to a later window or the shard ends; isWindowTerminatedEarly when the shard was closed before the window\'s end', async () => {
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
    expect(events.map((e) => [e.Records.length, e.isFinalInvokeForWindow, e.isWindowTerminatedEarly])).toEqual([[1, false, false], [0, true, true]]);
  });

  test('StartingPosition LATEST: records created before mappingCreatedAtMs are skipped; without it every given record counts as new', async () => {
    const stream = fixtures();
    const old = orders(2, stream);
    stream.advance(60);
    const fresh = orders(1, stream);
    const config = awsDefaults({ startingPosition: 'LATEST' });
    const without = await emulateEventSourceMapping({ records: [...old, ...fresh], config, handler: () => undefined });
    expect(without.invocations.flatMap((i) => i.event.Records)).toEqual([...old, ...fresh]);
    const mappingCreatedAtMs = stream.timeMs - 1000;
    const withTime = await emulateEventSourceMapping({ records: [...old, ...fresh], config, handler: () => undefined, mappingCreatedAtMs });
    expect(withTime.invocations.flatMap((i) => i.event.Records)).toEqual(fresh);
  });

  test('parallelization lanes: a record\'s lane is the FNV-1a hash (MurmurHash3-finalized) of its item\'s key values (partition and sort key) modulo the factor, so one item always has one lane', async () => {
    const stream = fixtures();
    const records = [0, 1, 2, 3].flatMap((v) => ['a', 'b', 'c', 'd', 'e'].map((k) => stream.modify({ orderId: k, createdAt: 0 }, { orderId: k, createdAt: 0, v })));
    const config = awsDefaults({ parallelizationFactor: 3, batchSize: 2 });
    const trace = await emulateEventSourceMapping({ records, config, handler: () => undefined, table });
    const laneOf = new Map<string, Set<number>>();
    for (const inv of trace.invocations) for (const id of ids(inv.event)) laneOf.set(id, (laneOf.get(id) ?? new Set()).add(inv.lane));
    expect([...laneOf.values()].every((lanes) => lanes.size === 1)).toBe(true);
    expect(Object.values(trace.checkpoints)).toEqual([seqOf(records[records.length - 1])]);
  });
});
