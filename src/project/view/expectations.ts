import type { ConsumerConfig, TableConfig } from '../../runtime/config';
import { ageIsInfinite, retriesAreInfinite } from '../../runtime/rules/consumer-rules';
import { RawCode, stringLike as like, tsLiteral } from '../render/ts-literal';
import type { TableDeployment } from '../resolve/resolve-options';

/**
 * The CloudFormation properties the options must produce, printed into the generated assertion test. They are
 * computed here from the options, independently of the CDK code that produces the template, so the test checks
 * one against the other.
 */
const absent = new RawCode('Match.absent()');

export function expectedMapping(c: ConsumerConfig, constructName: string, deployment: TableDeployment): string {
  const destination = {
    SQS: { 'Fn::GetAtt': [like(`^${constructName}FailureQueue`), 'Arn'] },
    SNS: { Ref: like(`^${constructName}FailureTopic`) },
    S3: { 'Fn::GetAtt': [like(`^${constructName}FailureBucket`), 'Arn'] },
    NONE: undefined,
  }[c.failureDestination];
  const properties = {
    FunctionName: { Ref: like(`^${constructName}Function`) },
    EventSourceArn: deployment.streamArn ?? { 'Fn::GetAtt': [like('^StreamTable'), 'StreamArn'] },
    StartingPosition: c.startingPosition,
    BatchSize: c.batchSize,
    MaximumBatchingWindowInSeconds: c.maxBatchingWindowSeconds,
    MaximumRetryAttempts: retriesAreInfinite(c) ? absent : c.retryAttempts,
    MaximumRecordAgeInSeconds: ageIsInfinite(c) ? absent : c.maxRecordAgeSeconds,
    BisectBatchOnFunctionError: c.bisectBatchOnError,
    FunctionResponseTypes: c.reportBatchItemFailures ? ['ReportBatchItemFailures'] : absent,
    ParallelizationFactor: c.parallelizationFactor,
    TumblingWindowInSeconds: c.tumblingWindowSeconds > 0 ? c.tumblingWindowSeconds : absent,
    FilterCriteria: c.filters.length > 0 ? { Filters: c.filters.map((f) => ({ Pattern: JSON.stringify(f) })) } : absent,
    Enabled: c.enabled,
    MetricsConfig: c.eventCountMetrics ? { Metrics: ['EventCount'] } : absent,
    DestinationConfig: destination ? { OnFailure: { Destination: destination } } : absent,
  };
  return tsLiteral(properties, 4);
}

export function expectedTable(table: TableConfig, deployment: TableDeployment): string {
  const keySchema = [
    { AttributeName: table.partitionKey.name, KeyType: 'HASH' },
    ...(table.sortKey ? [{ AttributeName: table.sortKey.name, KeyType: 'RANGE' }] : []),
  ];
  const properties = {
    KeySchema: keySchema,
    StreamSpecification: { StreamViewType: table.streamViewType },
    BillingMode: deployment.billingMode === 'PROVISIONED' ? absent : 'PAY_PER_REQUEST',
    ProvisionedThroughput:
      deployment.billingMode === 'PROVISIONED'
        ? { ReadCapacityUnits: deployment.readCapacity, WriteCapacityUnits: deployment.writeCapacity }
        : absent,
    TimeToLiveSpecification: table.timeToLiveAttribute
      ? { AttributeName: table.timeToLiveAttribute, Enabled: true }
      : absent,
    // the table sets the specification either way, so false is written out too
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: deployment.pointInTimeRecovery },
    DeletionProtectionEnabled: deployment.deletionProtection,
    SSESpecification: { SSEEnabled: deployment.encryption !== 'AWS_OWNED' },
  };
  return tsLiteral(properties, 4);
}
