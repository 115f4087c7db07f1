/**
 * What the mapping does after an invocation (services-dynamodb-errors, services-ddb-batchfailurereporting):
 * - success: checkpoint past the batch;
 * - function error with BisectBatchOnFunctionError and more than one record: split in two, no retry consumed;
 * - otherwise retry the batch (one retry consumed) until MaximumRetryAttempts, then discard it;
 * - partial failure: checkpoint before the lowest reported record. A report that moves the checkpoint (lowest > 0)
 *   leaves the rest as a new batch, with a fresh retry budget and invoke count; a report that does not move it
 *   (lowest = 0) consumes a retry (AWS-recorded: LocalStack's test_dynamodb_report_batch_item_failures, see
 *   docs/aws-semantics.md). With bisect, the batch is also split after the highest reported record (no retry
 *   consumed) while that shrinks it. On exhaustion only the reported range is discarded (AWS-recorded: the
 *   destination record covers just the failing records); the records after it go on as a new batch.
 */
import type { ResponseReading } from './response';
import { retriesAreInfinite } from '../rules/consumer-rules';

export type NextStep =
  | { readonly kind: 'done' }
  | { readonly kind: 'bisect' }
  | { readonly kind: 'retry'; readonly from: number }
  /** [0, from) succeeded: [from, end] goes on as a new batch (fresh retry budget and invoke count). */
  | { readonly kind: 'checkpoint'; readonly from: number }
  /**
   * Keep [from, to] (inclusive) as the batch, queue (to, end] as a pending batch. No retry consumed; when from > 0
   * the checkpoint moved, so [from, to] is a new batch with a fresh retry budget and invoke count.
   */
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
  const exhausted = !retriesAreInfinite(p) && p.retriesUsed >= p.retryAttempts;
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
  if (lowest > 0) return { kind: 'checkpoint', from: lowest };
  return exhausted ? { kind: 'discard', from: 0, to: highest } : { kind: 'retry', from: 0 };
}

/** Our default for AWS's undocumented stream retry delay: 1 s, doubling, at most 60 s. */
export function defaultRetryBackoffMs(retry: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.min(retry - 1, 16));
}
