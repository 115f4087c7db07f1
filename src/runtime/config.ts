/**
 * The resolved, plain-data configuration that a generated repository writes to `src/generated/config.ts`.
 *
 * One object drives the CDK stack, the handler contract, the emulator and the local runner, so what is tested
 * locally cannot drift from what is deployed. Every field is resolved (no defaults left to apply).
 */

/** DynamoDB scalar types: keys are S, N or B; declared attributes may also be BOOL. */
export type ScalarAttributeType = 'S' | 'N' | 'B' | 'BOOL';

export type StreamViewTypeName = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';

export type StartingPositionName = 'TRIM_HORIZON' | 'LATEST';

export type FailureDestinationName = 'SQS' | 'SNS' | 'S3' | 'NONE';

/**
 * How a number attribute reaches the handler: `NUMBER` as a JavaScript number (the nearest double to the stored
 * value), `STRING` as the exact decimal text DynamoDB stores (up to 38 significant digits, like the SDK's
 * `wrapNumbers`).
 */
export type NumberModeName = 'NUMBER' | 'STRING';

export interface AttributeConfig {
  readonly name: string;
  readonly type: ScalarAttributeType;
  /** Number attributes only; absent means `NUMBER`. */
  readonly numberMode?: NumberModeName;
}

export interface TableConfig {
  readonly partitionKey: AttributeConfig;
  readonly sortKey?: AttributeConfig;
  /** Typed item fields beyond the key schema. */
  readonly attributes: readonly AttributeConfig[];
  readonly streamViewType: StreamViewTypeName;
  readonly timeToLiveAttribute?: string;
}

/**
 * An EventBridge-syntax pattern as DynamoDB filtering expects it (typed leaves such as `{ "S": ["x"] }`).
 * Several patterns on one consumer are OR-ed.
 */
export type FilterPattern = Record<string, unknown>;

export interface FunctionConfig {
  readonly memorySize: number;
  readonly timeoutSeconds: number;
  readonly architecture: 'arm64' | 'x86_64';
  /** The Lambda runtime, `nodejs24.x` for example. */
  readonly runtime: string;
  readonly environment: Readonly<Record<string, string>>;
  /** CloudWatch Logs retention in days. */
  readonly logRetentionDays: number;
}

export interface ConsumerConfig {
  /** kebab-case; names files, constructs and tasks. */
  readonly name: string;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly startingPosition: StartingPositionName;
  /** -1 means infinite, as in AWS. */
  readonly retryAttempts: number;
  /** -1 means infinite, as in AWS. */
  readonly maxRecordAgeSeconds: number;
  readonly bisectBatchOnError: boolean;
  readonly reportBatchItemFailures: boolean;
  readonly parallelizationFactor: number;
  /** 0 means no tumbling window. */
  readonly tumblingWindowSeconds: number;
  readonly filters: readonly FilterPattern[];
  readonly failureDestination: FailureDestinationName;
  readonly enabled: boolean;
  /** Event-count metrics (MetricsConfig EventCount) on the mapping. */
  readonly eventCountMetrics: boolean;
  readonly function: FunctionConfig;
  /** CloudWatch alarms of this consumer (read by the generated stack only; absent means no alarms). */
  readonly alarms?: ConsumerAlarmsConfig;
  /** Callbacks run at most once per stream record (absent: off). */
  readonly idempotency?: ConsumerIdempotencyConfig;
}

/** The idempotency of a consumer's callbacks: keyed by the record's eventID, remembered this long. */
export interface ConsumerIdempotencyConfig {
  readonly expirySeconds: number;
}

/** Thresholds of a consumer's CloudWatch alarms; the alarms on failures fire on the first event. */
export interface ConsumerAlarmsConfig {
  readonly enabled: boolean;
  /** Alarm when the maximum IteratorAge over 5 minutes exceeds this (seconds). */
  readonly iteratorAgeSeconds: number;
  /** Alarm when the function's Errors over 5 minutes reach this. */
  readonly functionErrors: number;
  /** Alarm when the function's Throttles over 5 minutes reach this. */
  readonly functionThrottles: number;
  /** Alarm when FailedInvokeEventCount over 5 minutes reaches this. */
  readonly failedInvokeEvents: number;
  /** Alarm when PolledEventCount is missing this long (minutes, a multiple of 5). */
  readonly stalledMappingMinutes: number;
  /**
   * SQS destination only: alarm when the failure queue's oldest message is this old (seconds), which leaves as long
   * again to redrive before the stream trims the records it names.
   */
  readonly failureQueueAgeSeconds?: number;
}

/** Stack-wide monitoring: where alarms notify, and the dashboard. */
export interface MonitoringConfig {
  /** An existing SNS topic for alarm notifications. */
  readonly alarmTopicArn?: string;
  /** Whether the stack creates its own alarm topic. */
  readonly createAlarmTopic: boolean;
  readonly dashboard: boolean;
}

export interface StreamAppConfig {
  readonly table: TableConfig;
  readonly consumers: readonly ConsumerConfig[];
}
