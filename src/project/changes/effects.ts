import type { ConsumerConfig } from '../../runtime/config';
import type { TableRemovalPolicy } from '../options/options';

/** What CloudFormation does to one resource; `update-fails` is an update the service rejects at deploy time. */
export type ResourceAction = 'updated' | 'replaced' | 'created' | 'deleted' | 'orphaned' | 'update-fails';

/** The CloudFormation resource types a change summary speaks of. */
export const RESOURCE = {
  table: 'AWS::DynamoDB::Table',
  mapping: 'AWS::Lambda::EventSourceMapping',
  function: 'AWS::Lambda::Function',
  logGroup: 'AWS::Logs::LogGroup',
  queue: 'AWS::SQS::Queue',
  topic: 'AWS::SNS::Topic',
  bucket: 'AWS::S3::Bucket',
  alarm: 'AWS::CloudWatch::Alarm',
  dashboard: 'AWS::CloudWatch::Dashboard',
} as const;

/** One resource a change acts on, as `cdk diff` would report it (or could not, when `indirect` says why). */
export interface ResourceEffect {
  readonly type: string;
  readonly action: ResourceAction;
  /** The consumer that owns the resource (its constructs are named after it); none for stack-wide resources. */
  readonly consumer?: string;
  /**
   * For an effect the template diff cannot show (a property that keeps its `Fn::GetAtt` but gets a new value), the
   * CloudFormation page that says why it happens.
   */
  readonly indirect?: string;
}

/** One changed option, its effect in AWS, and whether it needs an acknowledgement. */
export interface DeploymentChange {
  /** The option, as `acknowledgedChanges` names it: `table.partitionKey.name`, `consumers.audit.startingPosition`. */
  readonly change: string;
  readonly from: string;
  readonly to: string;
  /** What happens in AWS, in words a user acts on. */
  readonly effect: string;
  /** Loses stored data, or makes a mapping reprocess or skip records: refused unless acknowledged. */
  readonly risky: boolean;
  readonly resources: readonly ResourceEffect[];
  /**
   * Option paths whose own changes this one already accounts for (a key renamed replaces the table, whatever its
   * type; alarms turned off take their thresholds along), so they get no line of their own.
   */
  readonly covers?: readonly string[];
}

/** CloudFormation and DynamoDB pages quoted by the summaries. */
export const PAGES = {
  streamViewType:
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-dynamodb-table-streamspecification.html',
  eventSourceArn:
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-eventsourcemapping.html#cfn-lambda-eventsourcemapping-eventsourcearn',
  keySchema:
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html#cfn-dynamodb-table-keyschema',
  updateTable: 'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html',
} as const;

/** What a mapping created now reads first, on a stream that already has records. */
export function restartOnSameStream(c: ConsumerConfig): string {
  return c.startingPosition === 'TRIM_HORIZON'
    ? 'its new mapping starts at TRIM_HORIZON and processes again every record still in the stream (up to 24 hours)'
    : 'its new mapping starts at LATEST: records the old mapping had not processed when it is deleted are skipped';
}

/** What a mapping re-created on a new stream leaves behind. */
export function restartOnNewStream(c: ConsumerConfig): string {
  const start =
    c.startingPosition === 'LATEST'
      ? ', and records written before the new mapping exists are skipped (LATEST)'
      : ', and it first processes every record still in the new stream (TRIM_HORIZON: up to 24 hours of changes made before it existed)';
  return `"${c.name}" gets a new mapping: records the old one had not processed stay in the old stream${start}`;
}

/** What becomes of a table CloudFormation replaces or stops managing, by its removal policy. */
export function oldTableFate(policy: TableRemovalPolicy): string {
  switch (policy) {
    case 'RETAIN':
      return 'the old table and its items stay in your account outside the stack (removalPolicy RETAIN): migrate or delete them yourself';
    case 'SNAPSHOT':
      return 'the old table is deleted after a final backup (removalPolicy SNAPSHOT): its items survive only in that backup';
    default:
      return 'the old table is deleted with all its items (removalPolicy DESTROY)';
  }
}

/** The mapping of every consumer, replaced; `indirect` when the template diff cannot see it. */
export function mappingsReplaced(consumers: readonly ConsumerConfig[], indirect?: string): ResourceEffect[] {
  return consumers.map((c) => ({ type: RESOURCE.mapping, action: 'replaced' as const, consumer: c.name, ...(indirect ? { indirect } : {}) }));
}

/** A value as the summary prints it: JSON, shortened when long (filters); `(none)` for an option not set. */
export function showValue(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}
