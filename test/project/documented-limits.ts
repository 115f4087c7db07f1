/**
 * The limits our options accept, written out as numbers from the pages that set them, and never read from
 * src/runtime/rules/consumer-rules.ts: the bounds test asserts that the rules module says the same, and generates its
 * cases from these numbers, so that a changed constant in the rules module fails a test instead of moving the cases
 * along with it.
 */

/** An inclusive integer range one option path accepts. */
export interface DocumentedRange {
  /** The option path in `.projenrc.ts`, for the first consumer. */
  readonly option: string;
  readonly min: number;
  readonly max: number;
  /** -1 is accepted too, meaning no limit. */
  readonly infinite?: true;
  /** Only multiples of it are accepted (an alarm counts whole periods). */
  readonly step?: number;
  /** A bound on a list's length, which is never below 0. */
  readonly length?: true;
  /** Where the numbers come from: the page and its words, or "ours" and why. */
  readonly source: string;
}

const CREATE_MAPPING = 'https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html';
const CREATE_FUNCTION = 'https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html';
const OUR_ALARMS = 'ours, CloudWatch takes any threshold: the JSDoc of ConsumerAlarmsOptions in src/project/options/options.ts';

/** MAPPING_RANGES: CreateEventSourceMapping, DynamoDB Streams. */
export const MAPPING_LIMITS = {
  batchSize: {
    option: 'consumers[0].batchSize',
    min: 1,
    max: 10_000,
    source: `${CREATE_MAPPING} BatchSize: "Amazon DynamoDB Streams – Default 100. Max 10,000." "Valid Range: Minimum value of 1. Maximum value of 10000."`,
  },
  maxBatchingWindowSeconds: {
    option: 'consumers[0].maxBatchingWindowSeconds',
    min: 0,
    max: 300,
    source: `${CREATE_MAPPING} MaximumBatchingWindowInSeconds: "You can configure MaximumBatchingWindowInSeconds to any value from 0 seconds to 300 seconds in increments of seconds."`,
  },
  retryAttempts: {
    option: 'consumers[0].retryAttempts',
    min: 0,
    max: 10_000,
    infinite: true,
    source: `${CREATE_MAPPING} MaximumRetryAttempts: "The default value is -1, which sets the maximum number of retries to infinite." "Valid Range: Minimum value of -1. Maximum value of 10000."`,
  },
  maxRecordAgeSeconds: {
    option: 'consumers[0].maxRecordAgeSeconds',
    min: 60,
    max: 604_800,
    infinite: true,
    source: `${CREATE_MAPPING} MaximumRecordAgeInSeconds: "The minimum valid value for maximum record age is 60s. Although values less than 60 and greater than -1 fall within the parameter's absolute range, they are not allowed" "Valid Range: Minimum value of -1. Maximum value of 604800."`,
  },
  parallelizationFactor: {
    option: 'consumers[0].parallelizationFactor',
    min: 1,
    max: 10,
    source: `${CREATE_MAPPING} ParallelizationFactor: "Valid Range: Minimum value of 1. Maximum value of 10."`,
  },
  tumblingWindowSeconds: {
    option: 'consumers[0].tumblingWindowSeconds',
    min: 0,
    max: 900,
    source: `${CREATE_MAPPING} TumblingWindowInSeconds: "A value of 0 seconds indicates no tumbling window." "Valid Range: Minimum value of 0. Maximum value of 900."`,
  },
} as const satisfies Record<string, DocumentedRange>;

/** FUNCTION_RANGES: CreateFunction. */
export const FUNCTION_LIMITS = {
  memorySize: {
    option: 'consumers[0].memorySize',
    min: 128,
    max: 10_240,
    source: `${CREATE_FUNCTION} MemorySize: "Valid Range: Minimum value of 128. Maximum value of 10240."`,
  },
  timeoutSeconds: {
    option: 'consumers[0].timeoutSeconds',
    min: 1,
    max: 900,
    source: `${CREATE_FUNCTION} Timeout: "The maximum allowed value is 900 seconds." "Valid Range: Minimum value of 1."`,
  },
} as const satisfies Record<string, DocumentedRange>;

/** ALARM_RANGES: our own thresholds. */
export const ALARM_LIMITS = {
  iteratorAgeSeconds: { option: 'consumers[0].alarms.iteratorAgeSeconds', min: 60, max: 86_400, source: `${OUR_ALARMS}; a day is the stream's retention` },
  functionErrors: { option: 'consumers[0].alarms.functionErrors', min: 1, max: 100_000, source: OUR_ALARMS },
  functionThrottles: { option: 'consumers[0].alarms.functionThrottles', min: 1, max: 100_000, source: OUR_ALARMS },
  failedInvokeEvents: { option: 'consumers[0].alarms.failedInvokeEvents', min: 1, max: 100_000, source: OUR_ALARMS },
  stalledMappingMinutes: {
    option: 'consumers[0].alarms.stalledMappingMinutes',
    min: 5,
    max: 1440,
    step: 5,
    source: `${OUR_ALARMS}; whole 5-minute alarm periods, up to a day`,
  },
} as const satisfies Record<string, DocumentedRange>;

/** IDEMPOTENCY_EXPIRY_RANGE. */
export const IDEMPOTENCY_EXPIRY_LIMIT: DocumentedRange = {
  option: 'consumers[0].idempotency.expirySeconds',
  min: 60,
  max: 1_209_600,
  source:
    'ours below, SQS above: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html ' +
    'MessageRetentionPeriod: "An integer from 60 seconds (1 minute) to 1,209,600 seconds (14 days)." (a redrive comes at most that late)',
};

/** MAX_FILTERS, as a range of list lengths. */
export const FILTERS_LIMIT: DocumentedRange = {
  option: 'consumers[0].filters',
  length: true,
  min: 0,
  max: 5,
  source:
    'https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html "By default, you can define up to five different ' +
    'filters for a single event source mapping."',
};

/** MAX_CONSUMERS, as a range of list lengths. */
export const CONSUMERS_LIMIT: DocumentedRange = {
  option: 'consumers',
  length: true,
  min: 1,
  max: 2,
  source:
    'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html "No more than two processes at most should be ' +
    'reading from the same streams shard at the same time."',
};

/** LOG_RETENTION_DAYS: a set, not a range. */
export const LOG_RETENTION_LIMIT = {
  option: 'consumers[0].logRetentionDays',
  values: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653],
  source:
    'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html retentionInDays: "Valid Values: ' +
    '1 | 3 | 5 | 7 | 14 | 30 | 60 | 90 | 120 | 150 | 180 | 365 | 400 | 545 | 731 | 1096 | 1827 | 2192 | 2557 | 2922 | 3288 | 3653"',
} as const;

/** CAPACITY_RANGE of src/project/options/validate-table.ts (outside the rules module: the runtime never reads it). */
export const CAPACITY_LIMITS = {
  readCapacity: { option: 'table.readCapacity', min: 1, max: 40_000, source: capacitySource('read') },
  writeCapacity: { option: 'table.writeCapacity', min: 1, max: 40_000, source: capacitySource('write') },
} as const satisfies Record<string, DocumentedRange>;

function capacitySource(kind: 'read' | 'write'): string {
  return (
    'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ProvisionedThroughput.html "Valid Range: Minimum value of 1."; ' +
    `https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html: 40,000 ${kind} capacity units per table by default`
  );
}
