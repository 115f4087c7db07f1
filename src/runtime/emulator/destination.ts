/**
 * The on-failure record in the exact shape AWS sends to SQS, SNS (as the `Message` string) and S3 (with `payload`).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html
 */
import type { FailureDestinationName } from '../config';
import { isoMillis, isoSeconds } from './clock';
import type { DiscardCondition, FailureDelivery, OnFailureMessage } from './types';
import type { DynamoDBStreamRecord } from '../records/types';

export interface DiscardDetails {
  readonly shardId: string;
  readonly streamArn: string;
  readonly functionArn: string;
  readonly requestId: string;
  readonly condition: DiscardCondition;
  readonly approximateInvokeCount: number;
  /** Absent when the records were never invoked and the open-point choice omits it. */
  readonly functionError?: 'Unhandled' | null;
  readonly atMs: number;
  readonly records: readonly DynamoDBStreamRecord[];
  readonly destination: FailureDestinationName;
  readonly mappingUuid: string;
  /** For the S3 key's trailing UUID. */
  readonly objectId: string;
}

export function buildFailureDelivery(d: DiscardDetails): FailureDelivery {
  const first = d.records[0].dynamodb;
  const last = d.records[d.records.length - 1].dynamodb;
  const base: OnFailureMessage = {
    requestContext: {
      requestId: d.requestId,
      functionArn: d.functionArn,
      condition: d.condition,
      approximateInvokeCount: d.approximateInvokeCount,
    },
    ...(d.functionError === undefined ? {} : {
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: d.functionError },
    }),
    version: '1.0',
    timestamp: isoMillis(d.atMs),
    DDBStreamBatchInfo: {
      shardId: d.shardId,
      startSequenceNumber: first.SequenceNumber,
      endSequenceNumber: last.SequenceNumber,
      approximateArrivalOfFirstRecord: isoSeconds(first.ApproximateCreationDateTime * 1000),
      approximateArrivalOfLastRecord: isoSeconds(last.ApproximateCreationDateTime * 1000),
      batchSize: d.records.length,
      streamArn: d.streamArn,
    },
  };
  // "the `payload` field contains the original invocation record as an escaped JSON string" (services-dynamodb-errors).
  const message: OnFailureMessage = d.destination === 'S3' ? { ...base, payload: JSON.stringify({ Records: d.records }) } : base;
  return {
    shardId: d.shardId,
    destination: d.destination,
    condition: d.condition,
    message,
    body: JSON.stringify(message),
    ...(d.destination === 'S3' ? { s3Key: s3Key(d) } : {}),
    records: d.records,
  };
}

function s3Key(d: DiscardDetails): string {
  const iso = new Date(d.atMs).toISOString();
  const [date] = iso.split('T');
  const [yyyy, mm, dd] = date.split('-');
  const stamp = iso.slice(0, 19).replace(/:/g, '.');
  return `aws/lambda/${d.mappingUuid}/${d.shardId}/${yyyy}/${mm}/${dd}/${stamp}-${d.objectId}`;
}
