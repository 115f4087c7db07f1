/**
 * Issue 19 item 1: AWS's documented examples fed, verbatim, to our readers, and our writers' output compared with
 * them by shape: the same field names, the same types, string vs object, null vs absent. No server is needed, so
 * these run on every Node version; test/runtime/redrive/s3-aws-shape.fauxqs.test.ts runs the S3 case through the CLI.
 */
import { writeFileSync } from 'fs';
import { join } from 'path';
import {
  BATCH_ITEM_FAILURES_RESPONSE,
  DYNAMODB_STREAM_EVENT,
  PAGES,
  S3_EXAMPLE_ANNOTATION,
  S3_INVOCATION_RECORD,
  S3_OBJECT_KEY_CONVENTION,
  s3RecordWithWholeEvent,
  SNS_NOTIFICATION,
  SQS_SNS_INVOCATION_RECORD,
} from './examples';
import { shapeOf } from './shape';
import type { FailureDestinationName } from '../../../src/runtime/config';
import { emulateEventSourceMapping } from '../../../src/runtime/emulator';
import { readResponse } from '../../../src/runtime/emulator/response';
import { StreamFixtures } from '../../../src/runtime/records/fixtures';
import type { DynamoDBStreamRecord } from '../../../src/runtime/records/types';
import { fileSource, localTarget, parseFailureMessage, redrive, RedriveError } from '../../../src/runtime/redrive';
import { payloadRecords } from '../../../src/runtime/redrive/payload';
import { orders, ourDefaults } from '../emulator/helpers';
import { consumerConfig } from '../local/fixtures/app-config';
import { tempDir } from '../local/helpers';
import { legacyPayloadMessage } from '../redrive/payload-message';

/** What our emulator writes for one discarded record after a thrown error, as the destination receives it. */
async function ourOnFailureBody(destination: FailureDestinationName) {
  const records = orders(1);
  const trace = await emulateEventSourceMapping({
    records,
    config: ourDefaults({ retryAttempts: 0, bisectBatchOnError: false, failureDestination: destination }),
    handler: () => {
      throw new Error('poison');
    },
  });
  const [failure] = trace.failures;
  return { records, failure, body: JSON.parse(failure.body) as Record<string, unknown> };
}

describe(`services-dynamodb-errors (${PAGES.dynamodbErrors})`, () => {
  test('"Example Amazon SNS and Amazon SQS invocation record": our reader reads it, our SQS writer writes its shape', async () => {
    const message = parseFailureMessage(SQS_SNS_INVOCATION_RECORD, 'aws-example');
    expect(message).toEqual(JSON.parse(SQS_SNS_INVOCATION_RECORD));
    expect(payloadRecords(message)).toBeUndefined();

    const ours = await ourOnFailureBody('SQS');
    expect(shapeOf(ours.body)).toEqual(shapeOf(JSON.parse(SQS_SNS_INVOCATION_RECORD)));
  });

  test('"... the `payload` field contains the original invocation record as an escaped JSON string": the example as printed, "<Whole Event>", is refused as a payload that is not JSON, by name', () => {
    // The page annotates the field with a comment (not JSON); that annotation is all we remove.
    expect(S3_INVOCATION_RECORD).toContain(S3_EXAMPLE_ANNOTATION);
    const text = S3_INVOCATION_RECORD.replace(S3_EXAMPLE_ANNOTATION, '');
    expect(() => parseFailureMessage(text, 's3://bucket/key')).toThrow(RedriveError);
    expect(() => parseFailureMessage(text, 's3://bucket/key')).toThrow(/^s3:\/\/bucket\/key: payload "<Whole Event>" is not JSON/);
  });

  test('redrive reports the example as printed as unreadable and skips it, instead of failing on it', async () => {
    const dir = tempDir('aws-example-redrive');
    const file = join(dir, 'failures.jsonl');
    writeFileSync(file, `${JSON.stringify(JSON.parse(S3_INVOCATION_RECORD.replace(S3_EXAMPLE_ANNOTATION, '')))}\n`);
    const logs: string[] = [];
    const invoked: unknown[] = [];
    const report = await redrive({
      source: fileSource(file),
      target: localTarget((event) => void invoked.push(event), consumerConfig(), 'test handler'),
      consumer: consumerConfig(),
      stateDir: join(dir, 'state'),
      log: (line) => logs.push(line),
    });
    expect(report).toMatchObject({ redriven: 0, unreadable: 1, failed: 0 });
    expect(invoked).toHaveLength(0);
    expect(logs.join('\n')).toContain(`skipped ${file}:1: payload "<Whole Event>" is not JSON`);
  });

  test('the S3 example with "<Whole Event>" filled by with-ddb\'s example event: our reader hands on exactly that event\'s records', () => {
    const message = parseFailureMessage(s3RecordWithWholeEvent(), 'aws-example');
    expect(typeof message.payload).toBe('string');
    expect(payloadRecords(message)).toEqual(JSON.parse(DYNAMODB_STREAM_EVENT).Records);
  });

  test('our S3 writer writes the example\'s shape: payload a string holding the event\'s JSON', async () => {
    const ours = await ourOnFailureBody('S3');
    const aws = JSON.parse(s3RecordWithWholeEvent());
    expect(shapeOf(ours.body)).toEqual(shapeOf(aws));
    expect(typeof ours.body.payload).toBe('string');
    expect(JSON.parse(ours.body.payload as string)).toEqual({ Records: ours.records });
    // and our reader reads what our writer wrote
    expect(payloadRecords(parseFailureMessage(ours.failure.body, 'ours'))).toEqual(ours.records);
  });

  test('failure files of earlier local runners (payload as an event object) still read', () => {
    const legacy = legacyPayloadMessage();
    const message = parseFailureMessage(JSON.stringify(legacy), 'old.jsonl:1');
    expect(payloadRecords(message)).toEqual(legacy.payload.Records);
  });

  test('a payload without Records is refused, naming the argument, the value and what it must be', () => {
    const text = s3RecordWithWholeEvent('{"records":[]}');
    expect(() => parseFailureMessage(text, 'f:1')).toThrow('f:1: payload holds no Records array (given an object with keys records): the payload must be the invocation event, { "Records": [...] }');
  });

  test(`"The S3 object containing the invocation record uses the following naming convention: ${S3_OBJECT_KEY_CONVENTION}"`, async () => {
    const ours = await ourOnFailureBody('S3');
    const placeholders: Record<string, string> = {
      '<ESM-UUID>': '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
      '<shardID>': 'shardId-[^/]+',
      '<Random UUID>': '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
      'YYYY': '\\d{4}',
      'MM': '\\d{2}',
      'DD': '\\d{2}',
      'HH': '\\d{2}',
      'SS': '\\d{2}',
    };
    const pattern = S3_OBJECT_KEY_CONVENTION.replace(/\./g, '\\.').replace(/<ESM-UUID>|<shardID>|<Random UUID>|YYYY|MM|DD|HH|SS/g, (p) => placeholders[p]);
    expect(ours.failure.s3Key).toMatch(new RegExp(`^${pattern}$`));
  });
});

describe(`SNS "HTTP/HTTPS notification JSON format" (${PAGES.snsHttpNotification})`, () => {
  test('the example notification, its Message "Hello world!", is reported as not an on-failure record', () => {
    expect(() => parseFailureMessage(SNS_NOTIFICATION, 'sqs:m1')).toThrow(/^sqs:m1: not JSON/);
  });

  test('the same envelope with the SQS/SNS invocation record as its Message string reads as that record', () => {
    const envelope = { ...JSON.parse(SNS_NOTIFICATION), Message: SQS_SNS_INVOCATION_RECORD };
    expect(parseFailureMessage(JSON.stringify(envelope), 'sqs:m1')).toEqual(JSON.parse(SQS_SNS_INVOCATION_RECORD));
  });
});

describe(`with-ddb "Example event" (${PAGES.withDdb})`, () => {
  test('our fixtures write the example\'s INSERT and MODIFY with its fields and types; the only field we add is dynamodb.ApproximateCreationDateTime', () => {
    const aws = JSON.parse(DYNAMODB_STREAM_EVENT) as { Records: DynamoDBStreamRecord[] };
    // The example's table: partition key Id (a number), NEW_AND_OLD_IMAGES.
    const stream = new StreamFixtures({ table: { partitionKey: { name: 'Id', type: 'N' }, attributes: [], streamViewType: 'NEW_AND_OLD_IMAGES' } });
    const ours = [stream.insert({ Id: 101, Message: 'New item!' }), stream.modify({ Id: 101, Message: 'New item!' }, { Id: 101, Message: 'This item has changed' })];
    for (const [i, record] of ours.entries()) {
      const shape = shapeOf(record) as Record<string, Record<string, unknown>>;
      // AWS's example omits it; the records Lambda delivers carry it (epoch seconds, a number), and the mapping
      // needs it for MaximumRecordAgeInSeconds and batching windows.
      const { ApproximateCreationDateTime: added, ...data } = shape.dynamodb;
      expect(added).toBe('number');
      expect({ ...shape, dynamodb: data }).toEqual(shapeOf(aws.Records[i]));
    }
  });
});

describe(`services-ddb-batchfailurereporting "Report syntax" (${PAGES.batchFailureReporting})`, () => {
  const batch = (JSON.parse(DYNAMODB_STREAM_EVENT) as { Records: DynamoDBStreamRecord[] }).Records;

  test('the response as printed, itemIdentifier "<SequenceNumber>", names no record of the batch: a complete failure (our choice)', () => {
    expect(readResponse(JSON.parse(BATCH_ITEM_FAILURES_RESPONSE), batch, true)).toMatchObject({ kind: 'failure' });
  });

  test('with "<SequenceNumber>" filled by the example event\'s second record ("222"): a partial failure from that record', () => {
    const response = JSON.parse(BATCH_ITEM_FAILURES_RESPONSE.replace('<SequenceNumber>', '222'));
    expect(readResponse(response, batch, true)).toEqual({ kind: 'partial', lowest: 1, highest: 1 });
  });
});
