// Conformance: ReportBatchItemFailures (services-ddb-batchfailurereporting).
import { awsDefaults, ids, orders, seqOf } from './helpers';
import { emulateEventSourceMapping, readResponse } from '../../../src/runtime/emulator';

const records = orders(4);
const bif = awsDefaults({ reportBatchItemFailures: true, retryAttempts: 2, failureDestination: 'SQS' });

describe('response reading (services-ddb-batchfailurereporting)', () => {
  test.each([
    ['undefined', undefined],
    ['null', null],
    ['an empty object', {}],
    ['an empty array', []],
    ['an empty batchItemFailures', { batchItemFailures: [] }],
    ['a null batchItemFailures', { batchItemFailures: null }],
  ])('%s is a complete success', (_name, value) => {
    expect(readResponse(value, records, true)).toEqual({ kind: 'success' });
  });

  test.each([
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null itemIdentifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a non-string itemIdentifier', { batchItemFailures: [{ itemIdentifier: 42 }] }],
    ['a wrongly cased key', { batchItemFailures: [{ ItemIdentifier: '100000000000000000001' }] }],
    ['an identifier outside the batch (our choice)', { batchItemFailures: [{ itemIdentifier: '1' }] }],
  ])('%s is a complete failure', (_name, value) => {
    expect(readResponse(value, records, true).kind).toBe('failure');
  });

  test('the lowest and highest reported records are found whatever the order of the list', () => {
    const value = { batchItemFailures: [{ itemIdentifier: seqOf(records[3]) }, { itemIdentifier: seqOf(records[1]) }] };
    expect(readResponse(value, records, true)).toEqual({ kind: 'partial', lowest: 1, highest: 3 });
  });

  test('with the flag off the response is ignored', () => {
    expect(readResponse({ batchItemFailures: [{ itemIdentifier: '' }] }, records, false)).toEqual({ kind: 'success' });
  });
});

describe('checkpointing (services-ddb-batchfailurereporting)', () => {
  test('retries from the lowest reported sequence number; records before it are not reprocessed', async () => {
    let calls = 0;
    const trace = await emulateEventSourceMapping({
      records,
      config: bif,
      handler: () => (++calls === 1
        ? { batchItemFailures: [{ itemIdentifier: seqOf(records[3]) }, { itemIdentifier: seqOf(records[1]) }] }
        : undefined),
    });
    expect(trace.invocations.map((i) => ids(i.event).join())).toEqual(['o0,o1,o2,o3', 'o1,o2,o3']);
    expect(trace.invocations[0].verdict).toBe('partial-failure');
  });

  test('partial failures count toward retries; the destination record covers just the failing record', async () => {
    const trace = await emulateEventSourceMapping({
      records,
      config: bif,
      handler: (event) => ({ batchItemFailures: event.Records.filter((r) => r === records[1]).map((r) => ({ itemIdentifier: seqOf(r) })) }),
    });
    expect(trace.invocations.map((i) => ids(i.event).join())).toEqual(['o0,o1,o2,o3', 'o1,o2,o3', 'o1,o2,o3', 'o2,o3']);
    expect(trace.failures).toHaveLength(1);
    expect(trace.failures[0].records).toEqual([records[1]]);
    expect(trace.failures[0].message.responseContext?.functionError).toBeNull();
    expect(trace.failures[0].message.requestContext.approximateInvokeCount).toBe(3);
  });

  test('with bisect, the batch is split at the returned sequence number without consuming a retry', async () => {
    const trace = await emulateEventSourceMapping({
      records,
      config: { ...bif, bisectBatchOnError: true, retryAttempts: 0 },
      handler: (event) => ({ batchItemFailures: event.Records.filter((r) => r === records[1]).map((r) => ({ itemIdentifier: seqOf(r) })) }),
    });
    // o1 alone, then discarded with retries 0; o2,o3 go on.
    expect(trace.invocations.map((i) => ids(i.event).join())).toEqual(['o0,o1,o2,o3', 'o1', 'o2,o3']);
    expect(trace.failures[0].records).toEqual([records[1]]);
  });

  test('a malformed response fails the whole batch', async () => {
    const trace = await emulateEventSourceMapping({ records, config: { ...bif, retryAttempts: 0 }, handler: () => ({ batchItemFailures: [{ itemIdentifier: '' }] }) });
    expect(trace.invocations[0].verdict).toBe('failure');
    expect(trace.invocations[0].reason).toContain('itemIdentifier');
    expect(trace.failures[0].records).toEqual(records);
  });

  test('with the flag off, reported failures are ignored and the batch succeeds', async () => {
    const handler = () => ({ batchItemFailures: [{ itemIdentifier: seqOf(records[0]) }] });
    const trace = await emulateEventSourceMapping({ records, config: awsDefaults(), handler });
    expect(trace.invocations).toHaveLength(1);
    expect(trace.invocations[0].verdict).toBe('success');
  });
});
