/**
 * Re-reads a failed batch from the stream by its position (SQS and SNS messages carry only that): an iterator AT
 * the start sequence number, then GetRecords until the end sequence number.
 *
 * The stream keeps records for 24 hours. Past that, GetShardIterator or GetRecords answer
 * TrimmedDataAccessException (or the shard is no longer listed): the records are gone and redrive says so. Any other
 * answer of the Streams API (denied, throttled, a sequence number it rejects, no credentials) is about this message's
 * re-read too, not a bug of redrive: it is reported with the API's words and the message stays for a later run.
 */
// eslint-disable-next-line import/no-extraneous-dependencies -- generated repositories install the AWS SDK clients (the project type adds them)
import {
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type GetShardIteratorCommandOutput,
  ResourceNotFoundException,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { OnFailureMessage } from '../emulator/types';
import { RecordsUnavailableError } from '../errors';
import { toLambdaRecord } from '../records/convert';
import type { DynamoDBStreamRecord } from '../records/types';

const RETENTION_MS = 24 * 3_600_000;

export async function rereadBatch(
  streams: DynamoDBStreamsClient,
  message: OnFailureMessage,
  now: number = Date.now(),
): Promise<DynamoDBStreamRecord[]> {
  const info = message.DDBStreamBatchInfo;
  const range = `${info.startSequenceNumber}..${info.endSequenceNumber} of ${info.shardId}`;
  const unavailable = (why: string) => {
    const age = now - Date.parse(info.approximateArrivalOfFirstRecord);
    const aged = age > RETENTION_MS ? ` (the first record arrived ${Math.floor(age / 3_600_000)} h ago, past the stream's 24 h retention)` : '';
    return new RecordsUnavailableError(`records ${range} cannot be re-read from ${info.streamArn}: ${why}${aged}; they are lost unless the destination kept them (S3 destinations carry the payload)`);
  };
  const end = BigInt(info.endSequenceNumber);
  const records: DynamoDBStreamRecord[] = [];
  // Everything thrown inside send() is the SDK's or the service's, never this file's: only those are caught.
  const send = async <T>(call: string, command: GetShardIteratorCommand | GetRecordsCommand): Promise<T> => {
    try {
      return (await streams.send(command as GetRecordsCommand)) as T;
    } catch (error) {
      if (error instanceof TrimmedDataAccessException) throw unavailable('they were trimmed from the stream');
      if (error instanceof ResourceNotFoundException) throw unavailable(`the stream or shard is gone (${error.message})`);
      const e = error as Error;
      throw new RecordsUnavailableError(
        `records ${range} cannot be re-read from ${info.streamArn}: DynamoDB Streams ${call} failed (${e?.name ?? 'Error'}: ${e?.message ?? String(error)}): fix the access (credentials, region, permissions dynamodb:GetShardIterator and dynamodb:GetRecords) and run redrive again`,
      );
    }
  };
  let iterator = (
    await send<GetShardIteratorCommandOutput>(
      'GetShardIterator',
      new GetShardIteratorCommand({ StreamArn: info.streamArn, ShardId: info.shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: info.startSequenceNumber }),
    )
  ).ShardIterator;
  while (iterator) {
    const out = await send<GetRecordsCommandOutput>('GetRecords', new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    const page = out.Records ?? [];
    for (const r of page) {
      // Converted first: it refuses a record without a sequence number, which the comparison reads.
      const record = toLambdaRecord(r, { streamArn: info.streamArn });
      if (BigInt(record.dynamodb.SequenceNumber) > end) return records;
      records.push(record);
    }
    if (records.length > 0 && BigInt(records[records.length - 1].dynamodb.SequenceNumber) === end) return records;
    // An open shard answers an empty page at its tip: the end sequence number is not in the stream.
    if (page.length === 0) break;
    iterator = out.NextShardIterator;
  }
  if (records.length === 0) throw unavailable('the shard holds no record in that range');
  return records;
}
