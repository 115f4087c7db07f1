import type { ConsumerConfig, FunctionConfig } from '../runtime/config';

/**
 * Safe defaults, not AWS's: AWS retries forever with no age limit, so one poison record can hold its shard for
 * the whole 24 h retention. Ours bound both, bisect, report item failures and keep failures in a queue.
 */
export const CONSUMER_DEFAULTS: Omit<ConsumerConfig, 'name' | 'function'> = {
  batchSize: 100,
  maxBatchingWindowSeconds: 0,
  startingPosition: 'TRIM_HORIZON',
  retryAttempts: 5,
  maxRecordAgeSeconds: 3600,
  bisectBatchOnError: true,
  reportBatchItemFailures: true,
  parallelizationFactor: 1,
  tumblingWindowSeconds: 0,
  filters: [],
  failureDestination: 'SQS',
  enabled: true,
  eventCountMetrics: true,
};

/** The runtime's default depends on the pinned aws-cdk-lib: see lambda-runtime.ts. */
export const FUNCTION_DEFAULTS: Omit<FunctionConfig, 'runtime'> = {
  memorySize: 256,
  timeoutSeconds: 30,
  architecture: 'arm64',
  environment: {},
  logRetentionDays: 30,
};

export const DEFAULT_CONSUMER_NAME = 'processor';
export const DEFAULT_PARTITION_KEY = { name: 'pk', type: 'S' } as const;

/** At most two processes may read one DynamoDB stream shard at a time. */
export const MAX_CONSUMERS = 2;
export const MAX_FILTERS = 5;
export const STREAM_RETENTION_SECONDS = 24 * 60 * 60;
