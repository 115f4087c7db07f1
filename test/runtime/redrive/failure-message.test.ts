/**
 * The failure-message reader alone, no server: every field redrive needs, taken away or given the wrong type, in
 * AWS's own example record (services-dynamodb-errors), is refused with the field named; the example itself, its SNS
 * envelope and its S3 form are read. Runs in every CI lane (the SQS/SNS/S3 paths on fauxqs are tested elsewhere).
 */
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
});
