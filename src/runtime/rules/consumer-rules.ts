import type { ConsumerAlarmsConfig, ConsumerConfig, FunctionConfig } from '../config';

/**
 * The one home of the rules of a stream consumer: the limits AWS enforces, our defaults, what -1 means and what a
 * poison record does under a retry policy. Read by the project type (validation, defaults, warnings, README text,
 * expected templates, change summaries, view models) and by the runtime kit (the emulator's own validation), so it
 * lives in the runtime and imports nothing but the config types. The JSDoc of `src/project/options/options.ts`
 * states these ranges and defaults as literal text (jsii); `test/project/option-docs.test.ts` checks that it says
 * what this module says.
 */

/** An inclusive integer range; `infinite` when -1 is accepted too, meaning no limit. */
export interface IntegerRange {
  readonly min: number;
  readonly max: number;
  readonly infinite?: boolean;
}

/** AWS's "no limit" for `retryAttempts` and `maxRecordAgeSeconds`: CloudFormation says it by leaving the property out. */
export const INFINITE = -1;

/** A policy that retries a failing batch until its records expire (`retryAttempts` -1). */
export function retriesAreInfinite(policy: { readonly retryAttempts?: unknown }): boolean {
  return policy.retryAttempts === INFINITE;
}

/** A policy that never discards a record for its age (`maxRecordAgeSeconds` -1): records leave with the stream's retention. */
export function ageIsInfinite(policy: { readonly maxRecordAgeSeconds?: unknown }): boolean {
  return policy.maxRecordAgeSeconds === INFINITE;
}

/** How long DynamoDB Streams keeps a record: 24 h. */
export const STREAM_RETENTION_SECONDS = 24 * 60 * 60;

/** At most two processes may read one DynamoDB stream shard at a time: a third mapping is throttled. */
export const MAX_CONSUMERS = 2;

/** Filters per event source mapping (an AWS quota). */
export const MAX_FILTERS = 5;

/**
 * The limits AWS enforces on CreateEventSourceMapping for DynamoDB streams (API_CreateEventSourceMapping,
 * services-ddb-params).
 */
export const MAPPING_RANGES = {
  batchSize: { min: 1, max: 10_000 },
  maxBatchingWindowSeconds: { min: 0, max: 300 },
  retryAttempts: { min: 0, max: 10_000, infinite: true },
  maxRecordAgeSeconds: { min: 60, max: 604_800, infinite: true },
  parallelizationFactor: { min: 1, max: 10 },
  tumblingWindowSeconds: { min: 0, max: 900 },
} as const satisfies Partial<Record<keyof ConsumerConfig, IntegerRange>>;

/** The limits AWS Lambda enforces on a function (CreateFunction). */
export const FUNCTION_RANGES = {
  memorySize: { min: 128, max: 10_240 },
  timeoutSeconds: { min: 1, max: 900 },
} as const satisfies Partial<Record<keyof FunctionConfig, IntegerRange>>;

/** The retention values CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

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

/** The runtime's default depends on the pinned aws-cdk-lib: see src/project/versions/lambda-runtime.ts. */
export const FUNCTION_DEFAULTS: Omit<FunctionConfig, 'runtime'> = {
  memorySize: 256,
  timeoutSeconds: 30,
  architecture: 'arm64',
  environment: {},
  logRetentionDays: 30,
};

/** Every alarm evaluates 5-minute periods: a retried batch shows up in one, and an alarm fires within minutes. */
export const ALARM_PERIOD_MINUTES = 5;

/** The thresholds a consumer's alarms accept (ours: CloudWatch takes any number). */
export const ALARM_RANGES = {
  iteratorAgeSeconds: { min: 60, max: 86_400 },
  functionErrors: { min: 1, max: 100_000 },
  functionThrottles: { min: 1, max: 100_000 },
  failedInvokeEvents: { min: 1, max: 100_000 },
  /** And a multiple of ALARM_PERIOD_MINUTES. */
  stalledMappingMinutes: { min: ALARM_PERIOD_MINUTES, max: 1440 },
} as const satisfies Partial<Record<keyof ConsumerAlarmsConfig, IntegerRange>>;

/**
 * Alarm thresholds when none is given. The iterator age alarm's is lower when the record age limit is shorter (see
 * src/project/resolve/resolve-monitoring.ts); the stalled mapping's is three 5-minute periods without
 * PolledEventCount, longer than a deployment's update of the mapping.
 */
export const ALARM_DEFAULTS = {
  enabled: true,
  iteratorAgeSeconds: 300,
  functionErrors: 1,
  functionThrottles: 1,
  failedInvokeEvents: 1,
  stalledMappingMinutes: 15,
} as const satisfies Omit<ConsumerAlarmsConfig, 'failureQueueAgeSeconds'>;

/** How long an idempotency record may be kept: SQS keeps a failure message 14 days, the longest a redrive can come after the record. */
export const IDEMPOTENCY_EXPIRY_RANGE: IntegerRange = { min: 60, max: 14 * 24 * 60 * 60 };

/** Every redelivery by the event source mapping happens while the record is in the stream: at most 24 h. */
export const DEFAULT_IDEMPOTENCY_EXPIRY_SECONDS = STREAM_RETENTION_SECONDS;

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

export function poisonOutcome(
  c: Pick<ConsumerConfig, 'retryAttempts' | 'maxRecordAgeSeconds' | 'bisectBatchOnError' | 'reportBatchItemFailures'>,
): PoisonOutcome {
  if (retriesAreInfinite(c)) return ageIsInfinite(c) ? 'blocks' : 'expiresWithFollowers';
  return c.bisectBatchOnError || c.reportBatchItemFailures ? 'isolated' : 'discardsBatch';
}

/**
 * Each poison outcome in one sentence, for people: `npx projen explain:<consumer>` and the README's picture of a poison
 * record end with the one their policy gets, so both say what synth's warnings and the sample emulator test say.
 */
export const POISON_OUTCOME_WORDS: Readonly<Record<PoisonOutcome, string>> = {
  isolated: 'the poison record is discarded alone after its retries; every other record is processed',
  discardsBatch: 'after its retries the poison record is discarded with its whole batch, good records included (neither bisect nor batch item failures narrow it down)',
  expiresWithFollowers: 'the poison record is retried until it is too old; the records behind it on its shard wait, and those as old as it are discarded with it',
  blocks: 'the poison record is retried until the stream trims it (24 h); its shard does nothing else meanwhile',
};
