import type { TestOptions } from './helpers';
import {
  AttributeType,
  FailureDestination,
  FunctionArchitecture,
  NumberMode,
  StartingPosition,
  StreamEventName,
  StreamViewType,
  TableBillingMode,
  TableEncryptionMode,
} from '../../src';

/**
 * Option sets that together touch every branch of the templates; formatting, compile and CDK tests run on each.
 */
export const CONFIGURATIONS: Record<string, TestOptions> = {
  'the defaults': {},
  'two consumers, sort key, filters, SNS and S3': {
    table: {
      partitionKey: { name: 'orderId', type: AttributeType.STRING },
      sortKey: { name: 'createdAt', type: AttributeType.NUMBER },
      attributes: [
        { name: 'status', type: AttributeType.STRING },
        { name: 'priority', type: AttributeType.BOOLEAN },
        { name: 'expiresAt', type: AttributeType.NUMBER },
      ],
      streamViewType: StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: 'expiresAt',
      billingMode: TableBillingMode.PROVISIONED,
      readCapacity: 7,
      writeCapacity: 3,
      deletionProtection: true,
      encryption: TableEncryptionMode.CUSTOMER_MANAGED,
    },
    consumers: [
      {
        name: 'order-audit',
        batchSize: 250,
        maxBatchingWindowSeconds: 5,
        startingPosition: StartingPosition.LATEST,
        retryAttempts: 2,
        maxRecordAgeSeconds: 600,
        parallelizationFactor: 4,
        filters: [
          {
            eventNames: [StreamEventName.INSERT, StreamEventName.MODIFY],
            newImage: [
              { attribute: 'status', anyOf: ['PAID', 'SHIPPED'] },
              { attribute: 'priority', anyOf: ['true'] },
            ],
          },
          { keys: [{ attribute: 'orderId', prefix: 'vip-' }] },
        ],
        failureDestination: FailureDestination.SNS,
        memorySize: 512,
        timeoutSeconds: 60,
        architecture: FunctionArchitecture.X86_64,
        environment: { LOG_LEVEL: 'debug' },
        logRetentionDays: 14,
      },
      {
        name: 'search-indexer',
        bisectBatchOnError: false,
        reportBatchItemFailures: false,
        retryAttempts: 10,
        tumblingWindowSeconds: 60,
        eventCountMetrics: false,
        filters: [{ oldImage: [{ attribute: 'status', noneOf: ['DRAFT'] }] }],
        failureDestination: FailureDestination.S3,
      },
    ],
  },
  'keys only, number key, no destination': {
    table: {
      partitionKey: { name: 'tenant_id', type: AttributeType.NUMBER, numberMode: NumberMode.STRING },
      streamViewType: StreamViewType.KEYS_ONLY,
      encryption: TableEncryptionMode.AWS_OWNED,
    },
    consumers: [{ name: 'pinger', failureDestination: FailureDestination.NONE, retryAttempts: -1, maxRecordAgeSeconds: -1, enabled: false }],
  },
  'an imported table with new images': {
    table: {
      partitionKey: { name: 'id', type: AttributeType.STRING },
      streamViewType: StreamViewType.NEW_IMAGE,
      tableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders',
      streamArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000',
    },
  },
  'a long consumer name, a binary key, a window with batch item failures': {
    table: {
      partitionKey: { name: 'device_id', type: AttributeType.BINARY },
      sortKey: { name: 'reading-time', type: AttributeType.NUMBER },
      attributes: [{ name: 'value', type: AttributeType.NUMBER }],
      streamViewType: StreamViewType.NEW_IMAGE,
    },
    consumers: [
      { name: 'customer-notification-sender', tumblingWindowSeconds: 30, failureDestination: FailureDestination.S3 },
      { name: 'an-even-longer-consumer-name-for-sure', eventCountMetrics: false, failureDestination: FailureDestination.SNS },
    ],
  },
  'old images only': {
    table: {
      partitionKey: { name: 'id', type: AttributeType.STRING },
      sortKey: { name: 'version', type: AttributeType.NUMBER },
      streamViewType: StreamViewType.OLD_IMAGE,
    },
    consumers: [{ name: 'archiver', startingPosition: StartingPosition.LATEST }],
  },
  'idempotency on both consumers, parallel keys on one, no point-in-time recovery': {
    table: {
      partitionKey: { name: 'paymentId', type: AttributeType.STRING },
      attributes: [{ name: 'amount', type: AttributeType.NUMBER }],
      pointInTimeRecovery: false,
    },
    consumers: [
      { name: 'payments', parallelizationFactor: 2, idempotency: { enabled: true } },
      { name: 'receipts', reportBatchItemFailures: false, idempotency: { enabled: true, expirySeconds: 3600 } },
    ],
  },
};
