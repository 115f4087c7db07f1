/**
 * The records an S3 destination's on-failure record carries. AWS (services-dynamodb-errors): "the `payload` field
 * contains the original invocation record as an escaped JSON string", so the payload is the event's JSON text.
 * Failure files written by earlier versions of the local runner held the event as an object instead; both read.
 */
import type { OnFailureMessage } from '../emulator/types';
import { RedriveError } from '../errors';
import type { DynamoDBStreamRecord } from '../records/types';

/**
 * The payload in AWS's shape (the event's JSON text), checked to hold a `Records` array; undefined when the message
 * has none (SQS and SNS destinations). A payload object, as earlier local runners wrote it, comes back as its text.
 */
export function normalizePayload(payload: unknown, origin: string): string | undefined {
  if (payload === undefined) return undefined;
  if (typeof payload === 'string') {
    recordsOf(parsePayload(payload, origin), origin);
    return payload;
  }
  if (typeof payload === 'object' && payload !== null) {
    recordsOf(payload, origin);
    return JSON.stringify(payload);
  }
  throw new RedriveError(
    `${origin}: payload is ${payload === null ? 'null' : typeof payload} (allowed: the invocation event as an escaped JSON string, as AWS writes it to an S3 destination, or the event object earlier local runners wrote): remove the payload field to re-read the records from the stream`,
  );
}

/** The records of a message whose payload {@link normalizePayload} accepted; undefined without a payload. */
export function payloadRecords(message: OnFailureMessage): DynamoDBStreamRecord[] | undefined {
  if (message.payload === undefined) return undefined;
  return [...recordsOf(parsePayload(message.payload, 'payload'), 'payload')];
}

function parsePayload(text: string, origin: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const start = text.length > 40 ? `${text.slice(0, 40)}...` : text;
    throw new RedriveError(
      `${origin}: payload ${JSON.stringify(start)} is not JSON (${(error as Error).message}); AWS writes the invocation event there as an escaped JSON string: point redrive at the objects Lambda wrote, or remove the payload field to re-read the records from the stream`,
    );
  }
}

function recordsOf(event: unknown, origin: string): readonly DynamoDBStreamRecord[] {
  const records = (event as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) {
    throw new RedriveError(
      `${origin}: payload holds no Records array (given ${event === null ? 'null' : Array.isArray(event) ? 'an array' : typeof event === 'object' ? `an object with keys ${Object.keys(event as object).join(', ') || 'none'}` : typeof event}): the payload must be the invocation event, { "Records": [...] }`,
    );
  }
  records.forEach((record, i) => {
    const missing = missingRecordFields(record);
    if (missing.length > 0) {
      throw new RedriveError(
        `${origin}: payload Records[${i}] is not a DynamoDB stream record (${missing.join(', ')} missing or of the wrong type; every stream record carries eventName, dynamodb.Keys and dynamodb.SequenceNumber): the handler cannot be given it; point redrive at the objects Lambda wrote, or remove the payload field to re-read the records from the stream`,
      );
    }
  });
  return records as DynamoDBStreamRecord[];
}

/**
 * What every stream record carries and what redrive itself reads (the sequence number, to match batch item failures
 * and report idempotency skips): the same fields GetRecords' records are checked for (records/convert.ts).
 */
function missingRecordFields(record: unknown): string[] {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return ['the whole record'];
  const r = record as { eventName?: unknown; dynamodb?: { Keys?: unknown; SequenceNumber?: unknown } | null };
  const data = r.dynamodb !== null && typeof r.dynamodb === 'object' ? r.dynamodb : undefined;
  return [
    ...(typeof r.eventName === 'string' ? [] : ['eventName']),
    ...(data === undefined ? ['dynamodb'] : []),
    ...(data !== undefined && (data.Keys === null || typeof data.Keys !== 'object') ? ['dynamodb.Keys'] : []),
    ...(data !== undefined && typeof data.SequenceNumber !== 'string' ? ['dynamodb.SequenceNumber'] : []),
  ];
}
