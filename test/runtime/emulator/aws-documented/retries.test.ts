// AWS-documented: retries, bisect, record age, discards and the on-failure destination record.
// Each test names its page (AWS_PAGES, quoted in docs/aws-semantics.md) and asserts what the quoted sentence implies,
// never our retry backoff (an undocumented choice, see docs/emulator.md).
import { emulateEventSourceMapping, type EmulatedEvent } from '../../../../src/runtime/emulator';
import { AWS_PAGES, awsDefaults, ids, orders, ourDefaults, seqOf } from '../helpers';

const fail = (): never => {
  throw new Error('boom');
};
const poisonAt = (orderId: string) => (event: EmulatedEvent): void => {
  if (ids(event).includes(orderId)) throw new TypeError(`cannot process ${orderId}`);
};

describe(`services-dynamodb-errors (${AWS_PAGES.errors})`, () => {
  test('"If the function is invoked but returns an error, Lambda retries until the records ... reach the configured retry quota (MaximumRetryAttempts)": 3 retries are 4 invocations (approximateInvokeCount = retries + 1, as AWS recorded: aws-recorded.test.ts), then RetryAttemptsExhausted', async () => {
    const trace = await emulateEventSourceMapping({ records: orders(3), config: awsDefaults({ retryAttempts: 3, failureDestination: 'SQS' }), handler: fail });
    expect(trace.invocations.map((i) => i.attempt)).toEqual([1, 2, 3, 4]);
    expect(trace.failures.map((f) => [f.condition, f.message.requestContext.approximateInvokeCount])).toEqual([['RetryAttemptsExhausted', 4]]);
  });

  test('the same with MaximumRetryAttempts 0: one invocation, then the records are discarded', async () => {
    const trace = await emulateEventSourceMapping({ records: orders(2), config: awsDefaults({ retryAttempts: 0, failureDestination: 'SQS' }), handler: fail });
    expect(trace.invocations).toHaveLength(1);
    expect(trace.failures[0].records).toHaveLength(2);
  });

  test('"If the error handling measures fail, Lambda discards the records and continues processing batches from the stream": later records wait for the failing batch, then run', async () => {
    const trace = await emulateEventSourceMapping({ records: orders(4), config: awsDefaults({ batchSize: 2, retryAttempts: 2, failureDestination: 'SQS' }), handler: poisonAt('o0') });
    const firstLater = trace.invocations.findIndex((i) => ids(i.event).includes('o2'));
    const lastPoison = trace.invocations.map((i) => ids(i.event).includes('o0')).lastIndexOf(true);
    expect(firstLater).toBeGreaterThan(lastPoison);
    expect(trace.failures.map((f) => f.records.map(seqOf))).toHaveLength(1);
    expect(ids(trace.invocations[trace.invocations.length - 1].event)).toEqual(['o2', 'o3']);
  });

  test('"With the default settings, this means that a bad record can block processing on the affected shard for up to one day": the records behind it never reach the function; our reading, with Streams.html\'s "24-hour lifetime": they are lost', async () => {
    const trace = await emulateEventSourceMapping({ records: orders(3), config: awsDefaults(), handler: poisonAt('o1') });
    const last = trace.invocations[trace.invocations.length - 1];
    expect(last.atMs - trace.invocations[0].atMs).toBeLessThanOrEqual(24 * 3_600_000);
    expect(trace.invocations.every((i) => ids(i.event).includes('o1'))).toBe(true);
    expect(trace.metrics.trimmedEvents).toBe(3);
    expect(trace.failures).toHaveLength(0);
  });

  test('"BisectBatchOnFunctionError, which splits a failed batch into two smaller batches, isolating bad records ... Splitting batches doesn\'t consume the retry quota": with 0 retries only the bad record is discarded', async () => {
    const records = orders(8);
    const trace = await emulateEventSourceMapping({
      records,
      config: awsDefaults({ batchSize: 8, retryAttempts: 0, bisectBatchOnError: true, failureDestination: 'SQS' }),
      handler: poisonAt('o5'),
    });
    expect(trace.failures.map((f) => f.records)).toEqual([[records[5]]]);
    const succeeded = trace.invocations.filter((i) => i.verdict === 'success').flatMap((i) => ids(i.event));
    expect(succeeded.sort()).toEqual(['o0', 'o1', 'o2', 'o3', 'o4', 'o6', 'o7']);
    expect(trace.checkpoints[trace.shardOrder[0]]).toBe(seqOf(records[7]));
  });

  test('"Lambda retries until the records ... exceed the maximum age (MaximumRecordAgeInSeconds)": no record is invoked past its age, and the discard says RecordAgeExceeded', async () => {
    const records = orders(2);
    const trace = await emulateEventSourceMapping({
      records,
      config: awsDefaults({ maxRecordAgeSeconds: 60, failureDestination: 'SQS' }),
      handler: fail,
      retryBackoffMs: () => 25_000,
    });
    const arrival = records[0].dynamodb.ApproximateCreationDateTime * 1000;
    expect(trace.invocations.every((i) => i.atMs - arrival <= 60_000)).toBe(true);
    expect(trace.failures.map((f) => [f.condition, f.message.requestContext.approximateInvokeCount])).toEqual([['RecordAgeExceeded', trace.invocations.length]]);
  });

  test('SQS and SNS invocation record: the documented fields, and "The actual records aren\'t included"', async () => {
    const records = orders(2);
    const trace = await emulateEventSourceMapping({ records, config: ourDefaults({ retryAttempts: 0, bisectBatchOnError: false }), handler: fail });
    const f = trace.failures[0];
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
  });

  test('"For Amazon S3 destinations, Lambda also sends the entire invocation record along with the metadata", under aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<Random UUID>', async () => {
    const records = orders(1);
    const trace = await emulateEventSourceMapping({
      records,
      config: ourDefaults({ retryAttempts: 0, failureDestination: 'S3' }),
      handler: fail,
      mappingUuid: 'a1b2c3d4-0000-4000-8000-000000000000',
    });
    expect(trace.failures[0].message.payload).toBe(JSON.stringify({ Records: records }));
    expect(trace.failures[0].s3Key).toMatch(/^aws\/lambda\/a1b2c3d4-0000-4000-8000-000000000000\/shardId-[^/]+\/2024\/01\/01\/2024-01-01T00\.00\.00-[0-9a-f-]{36}$/);
  });
});

describe(`monitoring-metrics-types (${AWS_PAGES.metrics})`, () => {
  test('"`IteratorAge` – For DynamoDB, Kinesis, and Amazon DocumentDB event sources, the age of the last record in the event in milliseconds." (the event counters: metrics.test.ts)', async () => {
    const trace = await emulateEventSourceMapping({
      records: orders(3),
      config: awsDefaults({ batchSize: 3, retryAttempts: 1, failureDestination: 'SNS' }),
      handler: fail,
      retryBackoffMs: () => 2000,
    });
    const last = trace.invocations[1];
    expect(trace.metrics.iteratorAgeMs).toBe(last.atMs - last.event.Records[2].dynamodb.ApproximateCreationDateTime * 1000);
  });
});
