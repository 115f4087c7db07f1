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
    function: { memorySize: 256, timeoutSeconds: 30, architecture: 'arm64', environment: {}, logRetentionDays: 30 },
    ...overrides,
  };
}

/** The template's safe defaults (DESIGN.md). */
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
