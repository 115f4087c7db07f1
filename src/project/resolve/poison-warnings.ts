import type { ConsumerConfig } from '../../runtime/config';
import { poisonOutcome } from '../../runtime/rules/consumer-rules';
import type { OptionWarning } from '../shared/checks';

/**
 * Legal retry policies under which one poison record takes good records with it or blocks its shard, said in what
 * happens: one warning per harmful `poisonOutcome`.
 */
export function poisonWarnings(c: ConsumerConfig, at: string): OptionWarning[] {
  const narrowing = 'bisectBatchOnError or reportBatchItemFailures';
  switch (poisonOutcome(c)) {
    case 'expiresWithFollowers':
      return [{
        option: `${at}.retryAttempts`,
        message:
          `-1 with maxRecordAgeSeconds ${c.maxRecordAgeSeconds}: a poison record is retried until it is ${c.maxRecordAgeSeconds} s old, ` +
          'and the records behind it on its shard wait for it that long: those as old as it are discarded with it ' +
          `(RecordAgeExceeded) without reaching the handler${c.bisectBatchOnError || c.reportBatchItemFailures ? '' : ', and so is the rest of its batch'}. ` +
          `Bound retryAttempts (e.g. 5)${c.bisectBatchOnError || c.reportBatchItemFailures ? '' : ` and turn on ${narrowing}`} so that it is discarded alone`,
      }];
    case 'discardsBatch':
      return [{
        option: `${at}.bisectBatchOnError`,
        message:
          `false with reportBatchItemFailures false: once its ${c.retryAttempts} retries are used, a poison record's whole batch ` +
          `(up to batchSize ${c.batchSize} records) is discarded with it, good records included. Turn on ${narrowing} so that it is discarded alone`,
      }];
    case 'blocks':
      return [{
        option: `${at}.retryAttempts`,
        message:
          'retryAttempts -1 with maxRecordAgeSeconds -1 retries a failing batch until its records leave the stream: ' +
          'one poison record can block its shard for up to 24 hours',
      }];
    case 'isolated':
      return [];
  }
}
