import type { ConsumerConfig, TableConfig } from '../../../src/runtime/config';
import type { EmulatedEvent } from '../../../src/runtime/emulator';
import { StreamFixtures, type StreamFixturesOptions } from '../../../src/runtime/records/fixtures';
import type { DynamoDBStreamRecord } from '../../../src/runtime/records/types';

export const table: TableConfig = {
  partitionKey: { name: 'orderId', type: 'S' },
  sortKey: { name: 'createdAt', type: 'N' },
  attributes: [{ name: 'status', type: 'S' }],
  streamViewType: 'NEW_AND_OLD_IMAGES',
  timeToLiveAttribute: 'expiresAt',
};

/** AWS's defaults: infinite retries and age, no bisect, no batch item failures. */
export function awsDefaults(overrides: Partial<ConsumerConfig> = {}): ConsumerConfig {
  return {
    name: 'audit',
    batchSize: 100,
    maxBatchingWindowSeconds: 0,
    startingPosition: 'TRIM_HORIZON',
    retryAttempts: -1,
    maxRecordAgeSeconds: -1,
    bisectBatchOnError: false,
    reportBatchItemFailures: false,
    parallelizationFactor: 1,
    tumblingWindowSeconds: 0,
    filters: [],
    failureDestination: 'NONE',
    enabled: true,
    eventCountMetrics: true,
    function: { memorySize: 256, timeoutSeconds: 30, architecture: 'arm64', runtime: 'nodejs24.x', environment: {}, logRetentionDays: 30 },
    ...overrides,
  };
}

/** The template's defaults for a consumer (see the README's consumer options). */
export function ourDefaults(overrides: Partial<ConsumerConfig> = {}): ConsumerConfig {
  return awsDefaults({
    retryAttempts: 5,
    maxRecordAgeSeconds: 3600,
    bisectBatchOnError: true,
    reportBatchItemFailures: true,
    failureDestination: 'SQS',
    ...overrides,
  });
}

export function fixtures(options: Partial<StreamFixturesOptions> = {}): StreamFixtures {
  return new StreamFixtures({ table, ...options });
}

/** `count` inserts with orderId o0, o1, ... */
export function orders(count: number, stream = fixtures()): DynamoDBStreamRecord[] {
  return stream.inserts(count, (i) => ({ orderId: `o${i}`, createdAt: i, status: 'NEW' }));
}

export function ids(event: EmulatedEvent): string[] {
  return event.Records.map((r) => r.dynamodb.Keys.orderId.S!);
}

export function seqOf(record: DynamoDBStreamRecord): string {
  return record.dynamodb.SequenceNumber;
}

/** The AWS pages the AWS-documented tests quote; docs/aws-semantics.md keeps the sentences page by page. */
export const AWS_PAGES = {
  withDdb: 'https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html',
  eventSourceMapping: 'https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-eventsourcemapping.html',
  params: 'https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html',
  errors: 'https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html',
  batchItemFailures: 'https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html',
  windows: 'https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-windows.html',
  ddbFiltering: 'https://docs.aws.amazon.com/lambda/latest/dg/with-ddb-filtering.html',
  eventFiltering: 'https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html',
  ebOperators: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html',
  createMapping: 'https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html',
  streams: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html',
  metrics: 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html',
  ttl: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-streams.html',
} as const;
