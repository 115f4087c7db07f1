// AWS-documented: ReportBatchItemFailures. Each test names its page (AWS_PAGES, quoted in docs/aws-semantics.md)
// and asserts what the quoted sentence implies. The AWS recordings of the same rules are in ../aws-recorded.test.ts.
import { emulateEventSourceMapping, readResponse } from '../../../../src/runtime/emulator';
import { AWS_PAGES, awsDefaults, ids, orders, seqOf } from '../helpers';

const records = orders(4);
const bif = awsDefaults({ reportBatchItemFailures: true, retryAttempts: 2, failureDestination: 'SQS' });
const report = (...indexes: number[]) => ({ batchItemFailures: indexes.map((i) => ({ itemIdentifier: seqOf(records[i]) })) });

describe(`services-ddb-batchfailurereporting (${AWS_PAGES.batchItemFailures})`, () => {
  test.each([
    ['"An empty batchItemFailure list"', { batchItemFailures: [] }],
    ['"A null batchItemFailure list"', { batchItemFailures: null }],
    ['"An empty EventResponse"', {}],
    ['"A null EventResponse"', null],
  ])('"Lambda treats a batch as a complete success if you return any of the following": %s', (_name, value) => {
    expect(readResponse(value, records, true)).toEqual({ kind: 'success' });
  });

  test.each([
    ['"An empty string itemIdentifier"', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['"A null itemIdentifier"', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['"An itemIdentifier with a bad key name"', { batchItemFailures: [{ ItemIdentifier: seqOf(records[1]) }] }],
  ])('"Lambda treats a batch as a complete failure if you return any of the following": %s', (_name, value) => {
    expect(readResponse(value, records, true).kind).toBe('failure');
  });

  test('"If the batchItemFailures array contains multiple items, Lambda uses the record with the lowest sequence number as the checkpoint. Lambda then retries all records starting from that checkpoint."', async () => {
    let calls = 0;
    const trace = await emulateEventSourceMapping({ records, config: bif, handler: () => (++calls === 1 ? report(3, 1) : undefined) });
    expect(trace.invocations.map((i) => ids(i.event).join())).toEqual(['o0,o1,o2,o3', 'o1,o2,o3']);
    expect(trace.invocations[0].verdict).toBe('partial-failure');
  });

  test('"these responses will not be processed by Lambda unless the ReportBatchItemFailures feature is explicitly turned on": the batch succeeds', async () => {
    const trace = await emulateEventSourceMapping({ records, config: awsDefaults(), handler: () => report(0) });
    expect(trace.invocations).toHaveLength(1);
    expect(trace.invocations[0].verdict).toBe('success');
  });

  test('"the batch is bisected at the returned sequence number and Lambda retries only the remaining records": the records before it are not invoked again', async () => {
    const trace = await emulateEventSourceMapping({
      records,
      config: { ...bif, bisectBatchOnError: true, retryAttempts: 0 },
      handler: (event) => ({ batchItemFailures: event.Records.filter((r) => r === records[1]).map((r) => ({ itemIdentifier: seqOf(r) })) }),
    });
    expect(trace.invocations.slice(1).flatMap((i) => ids(i.event))).not.toContain('o0');
    expect(trace.failures.map((f) => f.records)).toEqual([[records[1]]]);
  });

  test('"If your invocation fails and BisectBatchOnFunctionError is turned on, the batch is bisected regardless of your ReportBatchItemFailures setting"', async () => {
    const trace = await emulateEventSourceMapping({
      records,
      config: { ...bif, bisectBatchOnError: true },
      handler: (event) => (event.Records.length > 2 ? { batchItemFailures: [{ itemIdentifier: '' }] } : undefined),
    });
    expect(trace.invocations.map((i) => ids(i.event).join())).toEqual(['o0,o1,o2,o3', 'o0,o1', 'o2,o3']);
  });
});
