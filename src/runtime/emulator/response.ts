/**
 * How the event source mapping reads a function's result (services-ddb-batchfailurereporting).
 *
 * With ReportBatchItemFailures off the response is ignored: only a thrown error fails the batch. With it on:
 * - complete success: undefined/null, `{}`, `[]`, `batchItemFailures` empty or null;
 * - complete failure: an item whose `itemIdentifier` is "", null, or spelled with another key (AWS-documented), or not
 *   a string (AWS-recorded: `123`); also (our choice, AWS is silent) an identifier that names no record of the batch,
 *   a non-array `batchItemFailures`, a non-empty array response, or a primitive response. The function returned in
 *   all these cases, so the destination's `functionError` is null (AWS-recorded), not "Unhandled";
 * - partial failure: otherwise; the checkpoint is the lowest reported sequence number.
 */
import type { DynamoDBStreamRecord } from '../records/types';

export type ResponseReading =
  | { readonly kind: 'success' }
  | { readonly kind: 'failure'; readonly reason: string }
  /** Indexes into the batch of the lowest and highest reported records. */
  | { readonly kind: 'partial'; readonly lowest: number; readonly highest: number };

const SUCCESS: ResponseReading = { kind: 'success' };

export function readResponse(value: unknown, batch: readonly DynamoDBStreamRecord[], reportBatchItemFailures: boolean): ResponseReading {
  if (!reportBatchItemFailures || value === undefined || value === null) return SUCCESS;
  if (Array.isArray(value)) {
    return value.length === 0 ? SUCCESS : { kind: 'failure', reason: 'the response is a non-empty array, not { batchItemFailures }' };
  }
  if (typeof value !== 'object') {
    return { kind: 'failure', reason: `the response ${JSON.stringify(value)} cannot be read as { batchItemFailures }` };
  }
  const failures = (value as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return SUCCESS;
  if (!Array.isArray(failures)) {
    return { kind: 'failure', reason: `batchItemFailures is ${JSON.stringify(failures)}, not an array` };
  }
  if (failures.length === 0) return SUCCESS;
  let lowest = Number.POSITIVE_INFINITY;
  let highest = -1;
  for (const item of failures) {
    const id = item !== null && typeof item === 'object' ? (item as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof id !== 'string' || id === '') {
      return { kind: 'failure', reason: `batch item failure ${JSON.stringify(item)} has no non-empty string itemIdentifier` };
    }
    const index = indexOfSequence(batch, id);
    if (index < 0) return { kind: 'failure', reason: `itemIdentifier ${JSON.stringify(id)} is not the SequenceNumber of a record in the batch` };
    lowest = Math.min(lowest, index);
    highest = Math.max(highest, index);
  }
  return { kind: 'partial', lowest, highest };
}

function indexOfSequence(batch: readonly DynamoDBStreamRecord[], sequenceNumber: string): number {
  for (let i = 0; i < batch.length; i++) {
    if (batch[i].dynamodb.SequenceNumber === sequenceNumber) return i;
  }
  return -1;
}

/** A one-line description of a thrown value for the trace. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `threw ${typeof error === 'string' ? error : JSON.stringify(error)}`;
}
