import type { ConsumerConfig } from '../config';
import { InvalidConsumerConfigError } from '../errors';
import { INFINITE, MAPPING_RANGES, MAX_FILTERS, type IntegerRange } from '../rules/consumer-rules';

/** What to do about each out-of-range setting; the ranges themselves are the rules module's (AWS's limits). */
const FIXES: Record<keyof typeof MAPPING_RANGES, string> = {
  batchSize: 'use 100 (the AWS default) or any value from 1 to 10000',
  maxBatchingWindowSeconds: 'use 0 to invoke as soon as records arrive',
  retryAttempts: 'use a bounded value such as 5',
  maxRecordAgeSeconds: 'use a bounded value such as 3600',
  parallelizationFactor: 'use 1 unless the function cannot keep up',
  tumblingWindowSeconds: 'use 0 for no window',
};

/** Collects every out-of-range setting and throws once, so a user fixes them all in one round. */
export function validateConsumerConfig(config: ConsumerConfig): void {
  const problems: string[] = [];
  for (const [key, fix] of Object.entries(FIXES) as [keyof typeof MAPPING_RANGES, string][]) {
    const range: IntegerRange = MAPPING_RANGES[key];
    const value = config[key];
    const ok = typeof value === 'number' && Number.isInteger(value) &&
      ((value >= range.min && value <= range.max) || (range.infinite === true && value === INFINITE));
    if (!ok) {
      const allowed = `${range.infinite ? '-1 (infinite) or ' : ''}an integer from ${range.min} to ${range.max}`;
      problems.push(`${key} must be ${allowed} (given ${JSON.stringify(value)}): ${fix}`);
    }
  }
  if (config.startingPosition !== 'TRIM_HORIZON' && config.startingPosition !== 'LATEST') {
    problems.push(`startingPosition must be TRIM_HORIZON or LATEST (given ${JSON.stringify(config.startingPosition)}): AT_TIMESTAMP is Kinesis only`);
  }
  if (!['SQS', 'SNS', 'S3', 'NONE'].includes(config.failureDestination)) {
    problems.push(`failureDestination must be SQS, SNS, S3 or NONE (given ${JSON.stringify(config.failureDestination)})`);
  }
  if (!Array.isArray(config.filters) || config.filters.length > MAX_FILTERS) {
    problems.push(`filters must be an array of at most ${MAX_FILTERS} patterns (given ${Array.isArray(config.filters) ? config.filters.length : typeof config.filters}): merge patterns with $or`);
  }
  if (problems.length > 0) throw new InvalidConsumerConfigError(problems);
}
