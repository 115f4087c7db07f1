import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { creationSeconds, toLambdaRecord } from '../../../src/runtime/records/convert';

const STREAM_ARN = 'arn:aws:dynamodb:ddblocal:000000000000:table/orders/stream/2024-01-01T00:00:00.000';

/** What the SDK v3 GetRecords returns for a TTL deletion with binary values (shape checked against DynamoDB Local). */
function sdkRecord(): _Record {
  return {
    eventID: 'e1',
    eventName: 'REMOVE',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'ddblocal',
    dynamodb: {
      ApproximateCreationDateTime: new Date('2024-01-01T00:01:02.000Z'),
      Keys: { pk: { S: 'a' } },
      OldImage: {
        pk: { S: 'a' },
        b: { B: new Uint8Array([1, 2, 255]) },
        bs: { BS: [new Uint8Array([0]), new Uint8Array([104, 105])] },
        m: { M: { inner: { L: [{ B: new Uint8Array([7]) }, { N: '1.5' }, { NULL: true }, { BOOL: false }] } } },
        ss: { SS: ['x', 'y'] },
      },
      SequenceNumber: '000000000000000000042',
      SizeBytes: 40,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    userIdentity: { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' },
  };
}

describe('toLambdaRecord', () => {
  test('turns the Date into epoch seconds and adds eventSourceARN', () => {
    // WHEN
    const record = toLambdaRecord(sdkRecord(), { streamArn: STREAM_ARN });
    // THEN
    expect(record.dynamodb.ApproximateCreationDateTime).toBe(1704067262);
    expect(record.eventSourceARN).toBe(STREAM_ARN);
    expect(record.dynamodb.SequenceNumber).toBe('000000000000000000042');
  });

  test('turns binary values into base64, in sets, maps and lists too', () => {
    const image = toLambdaRecord(sdkRecord(), { streamArn: STREAM_ARN }).dynamodb.OldImage!;
    expect(image.b).toEqual({ B: 'AQL/' });
    expect(image.bs).toEqual({ BS: ['AA==', 'aGk='] });
    expect(image.m).toEqual({ M: { inner: { L: [{ B: 'Bw==' }, { N: '1.5' }, { NULL: true }, { BOOL: false }] } } });
    expect(image.ss).toEqual({ SS: ['x', 'y'] });
  });

  test('turns PascalCase userIdentity into the camelCase Lambda shape', () => {
    expect(toLambdaRecord(sdkRecord(), { streamArn: STREAM_ARN }).userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
  });

  test('gives exactly the Lambda event JSON', () => {
    const record = toLambdaRecord(sdkRecord(), { streamArn: STREAM_ARN });
    expect(JSON.parse(JSON.stringify(record))).toEqual({
      eventID: 'e1',
      eventName: 'REMOVE',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'ddblocal',
      dynamodb: expect.objectContaining({ ApproximateCreationDateTime: 1704067262, Keys: { pk: { S: 'a' } }, SizeBytes: 40, StreamViewType: 'NEW_AND_OLD_IMAGES' }),
      eventSourceARN: STREAM_ARN,
      userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
    });
  });

  test('fails on a record without a sequence number', () => {
    const broken = { ...sdkRecord(), dynamodb: { Keys: { pk: { S: 'a' } } } };
    expect(() => toLambdaRecord(broken, { streamArn: STREAM_ARN })).toThrow(/without dynamodb.SequenceNumber/);
  });
});

describe('creationSeconds: DynamoDB Local names only the minute a record was created in', () => {
  const minute = Date.parse('2024-01-01T00:01:00.000Z') / 1000;

  test('a record read within its minute was created no later than it was read', () => {
    expect(creationSeconds(minute, (minute + 42) * 1000 + 500)).toBe(minute + 42);
    expect(creationSeconds(minute, minute * 1000)).toBe(minute);
  });

  test('a record read after its minute was created in that minute, at its last second at the latest', () => {
    expect(creationSeconds(minute, (minute + 60) * 1000)).toBe(minute + 59);
    expect(creationSeconds(minute, (minute + 3600) * 1000)).toBe(minute + 59);
  });

  test('a value with seconds (AWS rounds to the second) or no read time is taken as given', () => {
    expect(creationSeconds(minute + 2, (minute + 42) * 1000)).toBe(minute + 2);
    expect(creationSeconds(minute, undefined)).toBe(minute);
  });

  test('toLambdaRecord applies it when given the read time', () => {
    const record = sdkRecord();
    record.dynamodb!.ApproximateCreationDateTime = new Date(minute * 1000);
    expect(toLambdaRecord(record, { streamArn: STREAM_ARN, readAtMs: (minute + 7) * 1000 }).dynamodb.ApproximateCreationDateTime).toBe(minute + 7);
    expect(toLambdaRecord(record, { streamArn: STREAM_ARN }).dynamodb.ApproximateCreationDateTime).toBe(minute);
  });
});
