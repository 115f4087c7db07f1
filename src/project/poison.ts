import type { ConsumerConfig } from '../runtime/config';

/**
 * What one poison record (a record the handler always fails on) does under a consumer's retry policy, as the
 * emulator reproduces it; the sample emulator test asserts it and synth warns about the harmful cases.
 * - `isolated`: bounded retries, and bisect or batch item failures narrow the failure to that record: it alone is
 *   discarded, everything else is processed.
 * - `discardsBatch`: bounded retries, neither bisect nor batch item failures: its whole batch is discarded with it.
 * - `expiresWithFollowers`: infinite retries but a bounded record age: it is retried until it is too old, while the
 *   records behind it on its shard wait; those as old as it are discarded with it.
 * - `blocks`: infinite retries and age: it is retried until it leaves the stream (24 h); its shard does nothing else.
 */
export type PoisonOutcome = 'isolated' | 'discardsBatch' | 'expiresWithFollowers' | 'blocks';

export function poisonOutcome(c: Pick<ConsumerConfig, 'retryAttempts' | 'maxRecordAgeSeconds' | 'bisectBatchOnError' | 'reportBatchItemFailures'>): PoisonOutcome {
  if (c.retryAttempts === -1) return c.maxRecordAgeSeconds === -1 ? 'blocks' : 'expiresWithFollowers';
  return c.bisectBatchOnError || c.reportBatchItemFailures ? 'isolated' : 'discardsBatch';
}
