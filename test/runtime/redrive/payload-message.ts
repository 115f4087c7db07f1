/**
 * An on-failure message with its payload, as Lambda writes it to an S3 destination (the payload is the event's JSON
 * text, services-dynamodb-errors): one INSERT record (pk "p", version 3, sequence number 100) that redrive can run
 * without reading the stream.
 */
const STREAM_ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000';

export function payloadMessage() {
  const { payload, ...rest } = legacyPayloadMessage();
  return { ...rest, payload: JSON.stringify(payload) };
}

/** The same message as earlier versions of the local runner wrote it: the payload as an event object. */
export function legacyPayloadMessage() {
  const record = {
    eventID: '1',
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN: STREAM_ARN,
    dynamodb: { ApproximateCreationDateTime: 1704067200, Keys: { pk: { S: 'p' } }, NewImage: { pk: { S: 'p' }, version: { N: '3' } }, SequenceNumber: '100', SizeBytes: 10, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  };
  return {
    requestContext: { requestId: 'r1', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:audit', condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: '2024-01-01T00:00:05.000Z',
    DDBStreamBatchInfo: {
      shardId: 'shardId-1',
      startSequenceNumber: '100',
      endSequenceNumber: '100',
      approximateArrivalOfFirstRecord: '2024-01-01T00:00:00Z',
      approximateArrivalOfLastRecord: '2024-01-01T00:00:00Z',
      batchSize: 1,
      streamArn: STREAM_ARN,
    },
    payload: { Records: [record] },
  };
}
