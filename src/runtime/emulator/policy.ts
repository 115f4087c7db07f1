/**
 * What the mapping does after an invocation (services-dynamodb-errors, services-ddb-batchfailurereporting):
 * - success: checkpoint past the batch;
 * - function error with BisectBatchOnFunctionError and more than one record: split in two, no retry consumed;
 * - otherwise retry the batch (one retry consumed) until MaximumRetryAttempts, then discard it;
 * - partial failure: checkpoint before the lowest reported record. With bisect, the batch is split at the reported
 *   records (no retry consumed) while that shrinks it; without bisect, retry from the lowest reported record,
 *   consuming a retry. On exhaustion only the reported range is discarded (AWS observed: the destination record
 *   covers just the failing records); the records after it go on as a new batch.
 */
import type { ResponseReading } from './response';

export type NextStep =
  | { readonly kind: 'done' }
  | { readonly kind: 'bisect' }
  | { readonly kind: 'retry'; readonly from: number }
  /** Keep [from, to] (inclusive) as the batch, queue (to, end] as a pending batch. No retry consumed. */
  | { readonly kind: 'split'; readonly from: number; readonly to: number }
  /** Discard [from, to] (inclusive); [0, from) succeeded; (to, end] goes on as a new batch. */
  | { readonly kind: 'discard'; readonly from: number; readonly to: number };

export interface PolicyInput {
  readonly reading: ResponseReading;
  readonly batchLength: number;
  readonly retriesUsed: number;
  /** -1 for infinite. */
  readonly retryAttempts: number;
  readonly bisect: boolean;
}

export function nextStep(p: PolicyInput): NextStep {
  const { reading, batchLength } = p;
  const exhausted = p.retryAttempts !== -1 && p.retriesUsed >= p.retryAttempts;
  if (reading.kind === 'success') return { kind: 'done' };
  if (reading.kind === 'failure') {
    if (p.bisect && batchLength > 1) return { kind: 'bisect' };
    return exhausted ? { kind: 'discard', from: 0, to: batchLength - 1 } : { kind: 'retry', from: 0 };
  }
  const { lowest, highest } = reading;
  if (p.bisect) {
    if (lowest > 0 || highest < batchLength - 1) return { kind: 'split', from: lowest, to: highest };
    if (batchLength > 1) return { kind: 'bisect' };
  }
  return exhausted ? { kind: 'discard', from: lowest, to: highest } : { kind: 'retry', from: lowest };
}

/** Our default for AWS's undocumented stream retry delay: 1 s, doubling, at most 60 s. */
export function defaultRetryBackoffMs(retry: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.min(retry - 1, 16));
}
