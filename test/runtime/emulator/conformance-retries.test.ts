// Conformance: retries, bisect, record age, on-failure destination. Sources cited per test (AWS page names).
import { awsDefaults, fixtures, ids, orders, ourDefaults, seqOf } from './helpers';
import { emulateEventSourceMapping, VirtualClock, type EmulatedEvent } from '../../../src/runtime/emulator';

const fail = (): never => {
  throw new Error('boom');
};
const poisonAt = (orderId: string) => (event: EmulatedEvent): void => {
  if (ids(event).includes(orderId)) throw new TypeError(`cannot process ${orderId}`);
};

describe('retries (services-dynamodb-errors)', () => {
  test('invocations = retries + 1; approximateInvokeCount is 4 for MaximumRetryAttempts 3 (LocalStack AWS-validated snapshot)', async () => {
    const records = orders(3);
    const trace = await emulateEventSourceMapping({ records, config: awsDefaults({ retryAttempts: 3, failureDestination: 'SQS' }), handler: fail });
    expect(trace.invocations).toHaveLength(4);
    expect(trace.invocations.map((i) => i.attempt)).toEqual([1, 2, 3, 4]);
    expect(trace.failures).toHaveLength(1);
    expect(trace.failures[0].message.requestContext.approximateInvokeCount).toBe(4);
    expect(trace.failures[0].condition).toBe('RetryAttemptsExhausted');
  });

  test('retryAttempts 0 discards after the first failed invocation (services-ddb-params MaximumRetryAttempts)', async () => {
    const trace = await emulateEventSourceMapping({ records: orders(2), config: awsDefaults({ retryAttempts: 0, failureDestination: 'SQS' }), handler: fail });
    expect(trace.invocations).toHaveLength(1);
    expect(trace.metrics.droppedEvents).toBe(2);
  });

  test('a failing batch blocks its shard: later records wait until it is discarded (with-ddb: "a failing batch pauses its shard")', async () => {
    const records = orders(4);
    const trace = await emulateEventSourceMapping({ records, config: awsDefaults({ batchSize: 2, retryAttempts: 2, failureDestination: 'SQS' }), handler: poisonAt('o0') });
    expect(trace.invocations.map((i) => ids(i.event).join())).toEqual(['o0,o1', 'o0,o1', 'o0,o1', 'o2,o3']);
  });

  test('infinite retries and age (AWS defaults) block the shard until the records leave the 24 h stream retention (services-dynamodb-errors)', async () => {
    const trace = await emulateEventSourceMapping({ records: orders(3), config: awsDefaults(), handler: poisonAt('o1') });
    const last = trace.invocations[trace.invocations.length - 1];
    expect(last.atMs - trace.invocations[0].atMs).toBeLessThanOrEqual(24 * 3_600_000);
    expect(last.atMs - trace.invocations[0].atMs).toBeGreaterThan(23 * 3_600_000);
    expect(trace.metrics.trimmedEvents).toBe(3);
    expect(trace.failures).toHaveLength(0);
  });

  test('retries wait the backoff on the virtual clock; the option replaces it (services-dynamodb-errors; backoff undocumented)', async () => {
    const trace = await emulateEventSourceMapping({
      records: orders(1),
      config: awsDefaults({ retryAttempts: 3 }),
      handler: fail,
      retryBackoffMs: (n) => n * 10,
    });
    const times = trace.invocations.map((i) => i.atMs - trace.invocations[0].atMs);
    expect(times).toEqual([0, 10, 30, 60]);
  });
});

describe('bisect (services-dynamodb-errors BisectBatchOnFunctionError)', () => {
  test('splits a failing batch in halves down to the single poison record without consuming retries', async () => {
    const records = orders(8);
    const trace = await emulateEventSourceMapping({
      records,
      config: awsDefaults({ batchSize: 8, retryAttempts: 1, bisectBatchOnError: true, failureDestination: 'SQS' }),
      handler: poisonAt('o5'),
    });
    expect(trace.invocations.map((i) => ids(i.event).join())).toEqual([
      'o0,o1,o2,o3,o4,o5,o6,o7',
      'o0,o1,o2,o3',
      'o4,o5,o6,o7',
      'o4,o5',
      'o4',
      'o5',
      'o5', // the one retry allowed, spent only once the record is alone
      'o6,o7',
    ]);
    expect(trace.failures.map((f) => f.records.map(seqOf))).toEqual([[seqOf(records[5])]]);
    expect(trace.checkpoints[trace.shardOrder[0]]).toBe(seqOf(records[7]));
  });
});

describe('record age (services-ddb-params MaximumRecordAgeInSeconds)', () => {
  test('records older than the maximum age are discarded with condition RecordAgeExceeded', async () => {
    const trace = await emulateEventSourceMapping({
      records: orders(2),
      config: awsDefaults({ maxRecordAgeSeconds: 60, failureDestination: 'SQS' }),
      handler: fail,
      retryBackoffMs: () => 25_000,
    });
    // Invoked at 0 s, 25 s, 50 s; at 75 s both records are past 60 s.
    expect(trace.invocations).toHaveLength(3);
    expect(trace.failures).toHaveLength(1);
    expect(trace.failures[0].condition).toBe('RecordAgeExceeded');
    expect(trace.failures[0].message.requestContext.approximateInvokeCount).toBe(3);
    expect(trace.metrics.droppedEvents).toBe(2);
  });

  test('only the expired prefix is discarded; younger records of the batch are retried (open point: observed behaviour)', async () => {
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
    expect(trace.failures[0].records).toEqual(old);
    expect(ids(trace.invocations[trace.invocations.length - 1].event)).toEqual(['young']);
    expect(trace.invocations[trace.invocations.length - 1].verdict).toBe('success');
  });
});

describe('on-failure destination message (services-dynamodb-errors)', () => {
  test('SQS: metadata only, in AWS\'s exact shape', async () => {
    const records = orders(2);
    const trace = await emulateEventSourceMapping({ records, config: ourDefaults({ retryAttempts: 0, bisectBatchOnError: false }), handler: fail });
    const f = trace.failures[0];
    expect(f.destination).toBe('SQS');
    expect(f.message).toEqual({
      requestContext: {
        requestId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/),
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:audit',
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 1,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: '2024-01-01T00:00:00.000Z',
      DDBStreamBatchInfo: {
        shardId: trace.shardOrder[0],
        startSequenceNumber: seqOf(records[0]),
        endSequenceNumber: seqOf(records[1]),
        approximateArrivalOfFirstRecord: '2024-01-01T00:00:00Z',
        approximateArrivalOfLastRecord: '2024-01-01T00:00:00Z',
        batchSize: 2,
        streamArn: records[0].eventSourceARN,
      },
    });
    expect(JSON.parse(f.body)).toEqual(f.message);
    expect(f.s3Key).toBeUndefined();
    expect(trace.metrics.deliveredToDestinationEvents).toBe(2);
  });

  test('S3: adds the payload and names the object aws/lambda/<uuid>/<shardId>/YYYY/MM/DD/...', async () => {
    const records = orders(1);
    const trace = await emulateEventSourceMapping({
      records,
      config: ourDefaults({ retryAttempts: 0, failureDestination: 'S3' }),
      handler: fail,
      mappingUuid: 'a1b2c3d4-0000-4000-8000-000000000000',
    });
    const f = trace.failures[0];
    expect(f.message.payload).toEqual({ Records: records });
    expect(f.s3Key).toMatch(/^aws\/lambda\/a1b2c3d4-0000-4000-8000-000000000000\/shardId-[^/]+\/2024\/01\/01\/2024-01-01T00\.00\.00-[0-9a-f-]{36}$/);
  });

  test('NONE: records are dropped and nothing is delivered', async () => {
    const trace = await emulateEventSourceMapping({ records: orders(1), config: awsDefaults({ retryAttempts: 0 }), handler: fail });
    expect(trace.failures[0].destination).toBe('NONE');
    expect(trace.metrics.droppedEvents).toBe(1);
    expect(trace.metrics.deliveredToDestinationEvents).toBe(0);
  });

  test('the message for records never invoked omits responseContext unless asked (open point)', async () => {
    const stream = fixtures();
    const old = orders(1, stream);
    stream.advance(120);
    const config = awsDefaults({ maxRecordAgeSeconds: 60, failureDestination: 'SQS' });
    const handler = (): void => undefined;
    const fresh = stream.insert({ orderId: 'x', createdAt: 0 });
    // The poller starts late: the old record is already past its age when first read.
    const run = (responseContextWithoutInvocation: boolean) => emulateEventSourceMapping({
      records: [...old, fresh], config, handler, clock: new VirtualClock(stream.timeMs), responseContextWithoutInvocation,
    });
    const omitted = await run(false);
    expect(omitted.failures[0].message.responseContext).toBeUndefined();
    expect(omitted.failures[0].message.requestContext.approximateInvokeCount).toBe(0);
    const present = await run(true);
    expect(present.failures[0].message.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: null });
  });
});
