import type { ConsumerOptions } from './options';
import {
  ageIsInfinite,
  CONSUMER_DEFAULTS,
  DEFAULT_IDEMPOTENCY_EXPIRY_SECONDS,
  IDEMPOTENCY_EXPIRY_RANGE,
  STREAM_RETENTION_SECONDS,
} from '../../runtime/rules/consumer-rules';
import type { ProblemCollector } from '../shared/checks';

export function checkIdempotency(problems: ProblemCollector, at: string, consumer: ConsumerOptions): void {
  const idempotency = consumer.idempotency;
  if (!problems.object(at, idempotency, '{ enabled: true } or { enabled: false }', 'write idempotency: { enabled: true }')) return;
  if (typeof idempotency.enabled !== 'boolean') {
    problems.add({ option: `${at}.enabled`, value: idempotency.enabled, allowed: 'true or false', fix: 'write enabled: true (or remove idempotency)' });
  }
  problems.integer(
    `${at}.expirySeconds`,
    idempotency.expirySeconds,
    IDEMPOTENCY_EXPIRY_RANGE,
    `set expirySeconds within that range (${DEFAULT_IDEMPOTENCY_EXPIRY_SECONDS}, the stream's retention, covers every retry)`,
  );
  if (idempotency.enabled !== true) return;
  const expiry = idempotency.expirySeconds ?? DEFAULT_IDEMPOTENCY_EXPIRY_SECONDS;
  const retriedFor = retryHorizonSeconds(consumer.maxRecordAgeSeconds);
  if (Number.isInteger(expiry) && retriedFor !== undefined && retriedFor > expiry) {
    problems.add({
      option: `${at}.expirySeconds`,
      value: expiry,
      reason: `The event source mapping may retry a record for ${retriedFor} s (maxRecordAgeSeconds ${consumer.maxRecordAgeSeconds ?? CONSUMER_DEFAULTS.maxRecordAgeSeconds}, the stream keeps records 24 h): a retry after ${expiry} s would run its callback again`,
      allowed: `at least ${retriedFor}`,
      fix: `set expirySeconds: ${retriedFor} or more, or lower maxRecordAgeSeconds`,
    });
  }
  if (typeof consumer.tumblingWindowSeconds === 'number' && consumer.tumblingWindowSeconds > 0) {
    problems.add({
      option: `${at}.enabled`,
      value: true,
      reason:
        'A tumbling-window consumer folds records into a state that Lambda discards on a failed invocation and rebuilds ' +
        'on the retry: records skipped as already done would be missing from it',
      allowed: 'idempotency on consumers without tumblingWindowSeconds',
      fix: 'make onWindowEnd idempotent itself (it runs once per window and gets the window start), or remove tumblingWindowSeconds',
    });
  }
}

/** How long after its write a record may still be retried: its age limit, and never beyond the stream's retention. */
function retryHorizonSeconds(maxRecordAgeSeconds: unknown): number | undefined {
  const age = maxRecordAgeSeconds ?? CONSUMER_DEFAULTS.maxRecordAgeSeconds;
  if (ageIsInfinite({ maxRecordAgeSeconds: age })) return STREAM_RETENTION_SECONDS;
  return typeof age === 'number' && Number.isInteger(age) ? Math.min(age, STREAM_RETENTION_SECONDS) : undefined;
}
