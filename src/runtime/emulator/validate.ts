import type { ConsumerConfig } from '../config';
import { InvalidConsumerConfigError } from '../errors';

interface Range {
  readonly key: keyof ConsumerConfig;
  readonly min: number;
  readonly max: number;
  /** -1 means infinite in AWS for these. */
  readonly infinite?: boolean;
  readonly fix: string;
}

// The limits AWS enforces on CreateEventSourceMapping for DynamoDB streams (API_CreateEventSourceMapping).
const RANGES: readonly Range[] = [
  { key: 'batchSize', min: 1, max: 10_000, fix: 'use 100 (the AWS default) or any value from 1 to 10000' },
  { key: 'maxBatchingWindowSeconds', min: 0, max: 300, fix: 'use 0 to invoke as soon as records arrive' },
  { key: 'retryAttempts', min: 0, max: 10_000, infinite: true, fix: 'use a bounded value such as 5' },
  { key: 'maxRecordAgeSeconds', min: 60, max: 604_800, infinite: true, fix: 'use a bounded value such as 3600' },
  { key: 'parallelizationFactor', min: 1, max: 10, fix: 'use 1 unless the function cannot keep up' },
  { key: 'tumblingWindowSeconds', min: 0, max: 900, fix: 'use 0 for no window' },
];

const MAX_FILTERS = 5;

/** Collects every out-of-range setting and throws once, so a user fixes them all in one round. */
export function validateConsumerConfig(config: ConsumerConfig): void {
  const problems: string[] = [];
  for (const range of RANGES) {
    const value = config[range.key];
    const ok = typeof value === 'number' && Number.isInteger(value) &&
      ((value >= range.min && value <= range.max) || (range.infinite === true && value === -1));
    if (!ok) {
      const allowed = `${range.infinite ? '-1 (infinite) or ' : ''}an integer from ${range.min} to ${range.max}`;
      problems.push(`${String(range.key)} must be ${allowed} (given ${JSON.stringify(value)}): ${range.fix}`);
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
