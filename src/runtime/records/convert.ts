/**
 * From what the DynamoDB Streams API returns (SDK v3 `GetRecords`) to the record Lambda's event source mapping
 * delivers. The two differ in four places:
 *
 * | field                                  | GetRecords (SDK v3)           | Lambda event                          |
 * | -------------------------------------- | ----------------------------- | ------------------------------------- |
 * | `dynamodb.ApproximateCreationDateTime` | `Date`                        | epoch seconds (number)                |
 * | `B` / `BS` values                      | `Uint8Array`                  | base64 strings                        |
 * | `userIdentity` (TTL deletions)         | `{ PrincipalId, Type }`       | `{ type, principalId }`               |
 * | `eventSourceARN`                       | absent                        | the stream ARN                        |
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
 */
// eslint-disable-next-line import/no-extraneous-dependencies -- generated repositories install the AWS SDK clients (the project type adds them)
import type { AttributeValue as SdkAttributeValue, _Record as SdkRecord } from '@aws-sdk/client-dynamodb-streams';
import type { StreamViewTypeName } from '../config';
import type { AttributeMap, AttributeValue, DynamoDBStreamRecord, StreamEventName, TtlUserIdentity } from './types';
import { RecordConversionError } from '../errors';


export interface ConvertOptions {
  /** The stream's ARN: Lambda adds it to each record, GetRecords does not. */
  readonly streamArn: string;
  /**
   * When GetRecords answered, for a record read from DynamoDB Local: see {@link creationSeconds}. Absent, the
   * creation time is taken as the API gives it.
   */
  readonly readAtMs?: number;
}

/**
 * AWS gives `ApproximateCreationDateTime` "rounded down to the closest second"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_StreamRecord.html); DynamoDB Local rounds it down to the minute, so a record read seconds after it was written could
 * look up to 59 s older than it is, and record age, iterator age and tumbling windows would follow that error. A
 * record was created within the minute DynamoDB Local names and no later than it was read: the read time, kept
 * within that minute, is the closest second-precision estimate (exact to the polling delay for a record read as it
 * arrives; the minute's last second for one read later). Our choice, for the local runner only.
 */
export function creationSeconds(apiSeconds: number, readAtMs: number | undefined): number {
  if (readAtMs === undefined || apiSeconds % 60 !== 0) return apiSeconds;
  return Math.max(apiSeconds, Math.min(Math.floor(readAtMs / 1000), apiSeconds + 59));
}

export function toLambdaRecord(record: SdkRecord, options: ConvertOptions): DynamoDBStreamRecord {
  const data = record.dynamodb;
  if (!data || data.SequenceNumber === undefined || data.Keys === undefined || record.eventName === undefined) {
    throw new RecordConversionError(
      `GetRecords returned a record without dynamodb.SequenceNumber, dynamodb.Keys or eventName (eventID ${JSON.stringify(record.eventID)}): is the endpoint a DynamoDB Streams API?`,
    );
  }
  const created = data.ApproximateCreationDateTime;
  const apiSeconds = created instanceof Date ? Math.floor(created.getTime() / 1000) : Number(created ?? 0);
  const identity = record.userIdentity;
  return {
    eventID: record.eventID ?? '',
    eventName: record.eventName as StreamEventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? '',
    dynamodb: {
      // Second precision in the Lambda event; the SDK turned the wire's epoch seconds into a Date.
      ApproximateCreationDateTime: creationSeconds(apiSeconds, options.readAtMs),
      Keys: fromStreamsMap(data.Keys),
      ...(data.NewImage ? { NewImage: fromStreamsMap(data.NewImage) } : {}),
      ...(data.OldImage ? { OldImage: fromStreamsMap(data.OldImage) } : {}),
      SequenceNumber: data.SequenceNumber,
      SizeBytes: data.SizeBytes ?? 0,
      StreamViewType: (data.StreamViewType ?? 'KEYS_ONLY') as StreamViewTypeName,
    },
    eventSourceARN: options.streamArn,
    ...(identity ? { userIdentity: { type: identity.Type, principalId: identity.PrincipalId } as TtlUserIdentity } : {}),
  };
}

export function fromStreamsMap(map: Record<string, SdkAttributeValue>): AttributeMap {
  const out: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(map)) out[name] = toLambdaValue(value);
  return out;
}

function toLambdaValue(value: SdkAttributeValue): AttributeValue {
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.M !== undefined) return { M: fromStreamsMap(value.M) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaValue) };
  // S, N, BOOL, NULL, SS and NS are the same in both shapes.
  return value as AttributeValue;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
