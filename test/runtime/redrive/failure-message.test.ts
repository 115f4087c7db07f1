/**
 * The failure-message reader alone, no server: every field redrive needs, taken away or given the wrong type, in
 * AWS's own example record (services-dynamodb-errors), is refused with the field named; the example itself, its SNS
 * envelope and its S3 form are read. Runs in every CI lane (the SQS/SNS/S3 paths on fauxqs are tested elsewhere).
 */
import { payloadMessage } from './payload-message';
import { parseFailureMessage, RedriveError } from '../../../src/runtime/redrive';
import { PAGES, SQS_SNS_INVOCATION_RECORD } from '../aws-examples/examples';

const REQUIRED = [
  'requestContext.requestId',
  'DDBStreamBatchInfo.shardId',
  'DDBStreamBatchInfo.startSequenceNumber',
  'DDBStreamBatchInfo.endSequenceNumber',
  'DDBStreamBatchInfo.streamArn',
];

/** AWS's example with `path` set to `value` (undefined deletes it). */
function exampleWith(path: string, value: unknown): string {
  const record = JSON.parse(SQS_SNS_INVOCATION_RECORD);
  const keys = path.split('.');
  const parent = keys.slice(0, -1).reduce((node, key) => node[key], record);
  if (value === undefined) delete parent[keys[keys.length - 1]];
  else parent[keys[keys.length - 1]] = value;
  return JSON.stringify(record);
}

describe(`AWS's example on-failure record (${PAGES.dynamodbErrors})`, () => {
  test('is read as it is', () => {
    expect(parseFailureMessage(SQS_SNS_INVOCATION_RECORD, 'sqs:m1').DDBStreamBatchInfo.shardId).toBe('shardId-00000001573689847184-864758bb');
  });

  test.each(REQUIRED)('fails if %s is missing, naming it', (path) => {
    expect(() => parseFailureMessage(exampleWith(path, undefined), 'sqs:m1')).toThrow(RedriveError);
    expect(() => parseFailureMessage(exampleWith(path, undefined), 'sqs:m1')).toThrow(
      `sqs:m1: not an on-failure message of a DynamoDB stream (${path} missing or not a string): point redrive at the consumer's failure destination`,
    );
  });

  test.each(REQUIRED.flatMap((path) => [[path, 42], [path, null], [path, { nested: true }]] as const))('fails if %s is %p instead of a string', (path, value) => {
    expect(() => parseFailureMessage(exampleWith(path, value), 'sqs:m1')).toThrow(`(${path} missing or not a string)`);
  });

  test('fails if the whole DDBStreamBatchInfo or requestContext is missing, naming every field it held', () => {
    expect(() => parseFailureMessage(exampleWith('DDBStreamBatchInfo', undefined), 'f:1')).toThrow(
      '(DDBStreamBatchInfo.shardId, DDBStreamBatchInfo.startSequenceNumber, DDBStreamBatchInfo.endSequenceNumber, DDBStreamBatchInfo.streamArn missing or not a string)',
    );
    expect(() => parseFailureMessage(exampleWith('requestContext', 'x'), 'f:1')).toThrow('(requestContext.requestId missing or not a string)');
  });

  test('in an SNS notification delivered to a queue without raw delivery, the record is the Message string', () => {
    const envelope = JSON.stringify({ Type: 'Notification', MessageId: 'm', TopicArn: 'arn:aws:sns:us-east-2:123456789012:t', Message: SQS_SNS_INVOCATION_RECORD });
    expect(parseFailureMessage(envelope, 'sqs:m2')).toEqual(JSON.parse(SQS_SNS_INVOCATION_RECORD));
    const broken = JSON.stringify({ Type: 'Notification', Message: exampleWith('DDBStreamBatchInfo.streamArn', undefined) });
    expect(() => parseFailureMessage(broken, 'sqs:m3')).toThrow('(DDBStreamBatchInfo.streamArn missing or not a string)');
  });

  // Issue 25: what made a re-read throw halfway (a SyntaxError, "Region is missing"), ending the run as a bug, is
  // refused up front, so the message is reported as unreadable and the run goes on (goes-on.fauxqs.test.ts).
  test.each([
    ['DDBStreamBatchInfo.startSequenceNumber', 'first', 'DDBStreamBatchInfo.startSequenceNumber "first" is not a sequence number of decimal digits'],
    ['DDBStreamBatchInfo.endSequenceNumber', '-1', 'DDBStreamBatchInfo.endSequenceNumber "-1" is not a sequence number of decimal digits'],
    ['DDBStreamBatchInfo.endSequenceNumber', '800000000003126276361', 'DDBStreamBatchInfo.startSequenceNumber 800000000003126276362 is after endSequenceNumber 800000000003126276361'],
    ['DDBStreamBatchInfo.streamArn', 'mytable', 'DDBStreamBatchInfo.streamArn "mytable" is not a stream ARN (arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>)'],
    ['DDBStreamBatchInfo.streamArn', 'arn:aws:dynamodb::123456789012:table/t/stream/x', 'is not a stream ARN'],
    ['DDBStreamBatchInfo.shardId', '', 'DDBStreamBatchInfo.shardId is empty'],
  ])('fails if %s is %p, saying why', (path, value, why) => {
    expect(() => parseFailureMessage(exampleWith(path, value), 'sqs:m4')).toThrow(RedriveError);
    expect(() => parseFailureMessage(exampleWith(path, value), 'sqs:m4')).toThrow(why);
  });

  test('reads a stream ARN of the local runner (region ddblocal) and of another partition', () => {
    for (const arn of ['arn:aws:dynamodb:ddblocal:000000000000:table/local-table/stream/2024-01-01T00:00:00.000', 'arn:aws-cn:dynamodb:cn-north-1:123456789012:table/t/stream/l']) {
      expect(parseFailureMessage(exampleWith('DDBStreamBatchInfo.streamArn', arn), 'f:1').DDBStreamBatchInfo.streamArn).toBe(arn);
    }
  });
});

describe('the records of an S3 payload', () => {
  const withRecords = (records: unknown[]) => JSON.stringify({ ...payloadMessage(), payload: JSON.stringify({ Records: records }) });
  const record = JSON.parse(payloadMessage().payload).Records[0];

  test('are read when each is a stream record', () => {
    expect(JSON.parse(parseFailureMessage(withRecords([record, record]), 's3://b/k').payload!).Records).toHaveLength(2);
  });

  test.each([
    [[record, 1], 'payload Records[1] is not a DynamoDB stream record (the whole record missing or of the wrong type'],
    [[{ ...record, dynamodb: undefined }], 'payload Records[0] is not a DynamoDB stream record (dynamodb missing'],
    [[{ ...record, eventName: 7, dynamodb: { ...record.dynamodb, SequenceNumber: 100, Keys: null } }], 'payload Records[0] is not a DynamoDB stream record (eventName, dynamodb.Keys, dynamodb.SequenceNumber missing or of the wrong type;'],
  ])('a record without what every stream record carries is refused, naming it: %#', (records, why) => {
    expect(() => parseFailureMessage(withRecords(records), 's3://b/k')).toThrow(RedriveError);
    expect(() => parseFailureMessage(withRecords(records), 's3://b/k')).toThrow(`s3://b/k: ${why}`);
  });
});
