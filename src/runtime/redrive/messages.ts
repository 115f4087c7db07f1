/**
 * On-failure messages as the destinations carry them, and the identity that makes a redrive happen once.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html
 */
import { normalizePayload } from './payload';
import type { OnFailureMessage } from '../emulator/types';
import { RedriveError } from '../errors';

/**
 * What marking a message done came to: `done`, or `stale` when an SQS receipt handle was no longer valid (the
 * message became visible again and was received again): it was not deleted, and will be deleted, without being
 * redriven again, when it comes back (see sqs-source.ts).
 */
export type MarkOutcome = 'done' | 'stale';

/** A message that still has to be redriven, wherever it came from. */
export interface PendingMessage {
  /** Stable across reads of the same source: requestId + shard + sequence range. */
  readonly id: string;
  /** Where it came from, for humans (`file:line`, SQS message id, S3 key). */
  readonly origin: string;
  readonly message: OnFailureMessage;
  /** Records the redrive as done (ledger line, SQS delete), right after the target succeeded. */
  markDone(): Promise<MarkOutcome>;
}

export function messageId(message: OnFailureMessage): string {
  const info = message.DDBStreamBatchInfo;
  return `${message.requestContext.requestId}:${info.shardId}:${info.startSequenceNumber}-${info.endSequenceNumber}`;
}

/**
 * What redrive reads of a message (its identity and the records' place in the stream), each a string in AWS's
 * example (services-dynamodb-errors): without them a message can be neither re-read nor marked done.
 */
const REQUIRED_STRINGS = [
  'requestContext.requestId',
  'DDBStreamBatchInfo.shardId',
  'DDBStreamBatchInfo.startSequenceNumber',
  'DDBStreamBatchInfo.endSequenceNumber',
  'DDBStreamBatchInfo.streamArn',
] as const;

function fieldAt(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), value);
}

/**
 * Accepts the SQS body / S3 object, and also an SNS notification (as delivered to an SQS subscription without raw
 * delivery), whose `Message` is the on-failure record as a string. An S3 object's `payload` is the event as a JSON
 * string (AWS's shape); an event object, as earlier local runners wrote it, is accepted and returned as its text.
 */
export function parseFailureMessage(text: string, origin: string): OnFailureMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RedriveError(`${origin}: not JSON (${(error as Error).message}): redrive reads on-failure messages of a DynamoDB stream event source mapping`);
  }
  const sns = value as { Type?: string; Message?: unknown };
  if (sns?.Type === 'Notification' && typeof sns.Message === 'string') return parseFailureMessage(sns.Message, origin);
  const message = value as Partial<OnFailureMessage>;
  const missing = REQUIRED_STRINGS.filter((path) => typeof fieldAt(message, path) !== 'string');
  if (missing.length > 0) {
    throw new RedriveError(
      `${origin}: not an on-failure message of a DynamoDB stream (${missing.join(', ')} missing or not a string): point redrive at the consumer's failure destination`,
    );
  }
  const malformed = malformedFields(message as OnFailureMessage);
  if (malformed.length > 0) {
    throw new RedriveError(
      `${origin}: not an on-failure message of a DynamoDB stream (${malformed.join('; ')}): point redrive at the consumer's failure destination, or remove the message`,
    );
  }
  const payload = normalizePayload(message.payload, origin);
  return (payload === undefined ? message : { ...message, payload }) as OnFailureMessage;
}

/**
 * A stream ARN as DynamoDB writes it, `arn:<partition>:dynamodb:<region>:<account>:table/<name>/stream/<label>`: the
 * region picks the Streams endpoint (`ddblocal` is the local runner's), so without one a re-read cannot start.
 */
const STREAM_ARN = /^arn:[\w-]+:dynamodb:[\w-]+:\d*:table\/[^/]+\/stream\/.+$/;

/**
 * The strings redrive computes with, checked here rather than where they are used, so a message that would stop a
 * re-read halfway (a sequence number that is not a number, an ARN without a region) is reported as unreadable,
 * before any work, the same way by `--dry-run` and by the real run.
 */
function malformedFields(message: OnFailureMessage): string[] {
  const info = message.DDBStreamBatchInfo;
  const problems: string[] = [];
  // Stream sequence numbers are decimal digits (AWS's example: "800000000003126276362"); redrive compares them as numbers.
  for (const field of ['startSequenceNumber', 'endSequenceNumber'] as const) {
    if (!/^\d+$/.test(info[field])) problems.push(`DDBStreamBatchInfo.${field} ${JSON.stringify(info[field])} is not a sequence number of decimal digits`);
  }
  if (problems.length === 0 && BigInt(info.startSequenceNumber) > BigInt(info.endSequenceNumber)) {
    problems.push(`DDBStreamBatchInfo.startSequenceNumber ${info.startSequenceNumber} is after endSequenceNumber ${info.endSequenceNumber}`);
  }
  if (!STREAM_ARN.test(info.streamArn)) {
    problems.push(`DDBStreamBatchInfo.streamArn ${JSON.stringify(info.streamArn)} is not a stream ARN (arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>)`);
  }
  if (info.shardId === '') problems.push('DDBStreamBatchInfo.shardId is empty');
  return problems;
}
