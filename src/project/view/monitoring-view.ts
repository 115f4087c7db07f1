import { droppedEventsAdvice } from './readme-words';
import type { ConsumerConfig, MonitoringConfig } from '../../runtime/config';
import { ALARM_DEFAULTS, ALARM_PERIOD_MINUTES } from '../../runtime/rules/consumer-rules';
import { RawCode, stringLike as like } from '../render/ts-literal';

/** What the monitoring templates branch on for one consumer. */
export interface ConsumerAlarmsView {
  readonly enabled: boolean;
  /** The mapping's event-count metrics exist (MetricsConfig EventCount). */
  readonly mappingMetrics: boolean;
  /** FailedInvokeEventCount: with event-count metrics. */
  readonly failedInvokeAlarm: boolean;
  /** PolledEventCount missing: with event-count metrics, on an enabled mapping (a disabled one never polls). */
  readonly stalledAlarm: boolean;
  /** OnFailureDestinationDeliveredEventCount on the dashboard: any destination, with event-count metrics. */
  readonly deliveredMetric: boolean;
  /**
   * OnFailureDestinationDeliveredEventCount as an alarm: SNS and S3 only. An SQS destination pages through its queue
   * depth instead, which stays in alarm until the queue is redriven, where this one clears after 5 minutes; both
   * would page twice for one poison record.
   */
  readonly deliveredAlarm: boolean;
  /** ApproximateNumberOfMessagesVisible of the SQS destination. */
  readonly queueDepthAlarm: boolean;
  /** ApproximateAgeOfOldestMessage of the SQS destination: the redrive window closing. */
  readonly queueAgeAlarm: boolean;
  /** NumberOfMessagesPublished of the SNS destination, when event-count metrics are off. */
  readonly topicPublishedAlarm: boolean;
  /** DroppedEventCount: with event-count metrics. */
  readonly droppedAlarm: boolean;
  /** DestinationDeliveryFailures on the dashboard: with a destination. */
  readonly deliveryFailuresMetric: boolean;
  /**
   * DestinationDeliveryFailures as an alarm: only without event-count metrics. With them, DroppedEventCount counts
   * the records of every failed delivery (monitoring-metrics-types), so this alarm would page twice for one loss.
   */
  readonly deliveryFailuresAlarm: boolean;
  /** The stalled-mapping alarm's 5-minute periods. */
  readonly stalledPeriods: number;
  /** The failure-queue age alarm's threshold in hours, for the README (SQS only). */
  readonly queueAgeHours: number | false;
  /** The metrics (members of `this.metrics`) of the dashboard's "records" graph. */
  readonly recordsMetrics: readonly string[];
  /** What DroppedEventCount means for this consumer, in the README's runbook. */
  readonly droppedAdvice: string;
  /** The alarms the generated test expects (filled in by the view model). */
  readonly expected: ExpectedAlarm[];
}

export function consumerAlarmsView(c: ConsumerConfig): ConsumerAlarmsView {
  const hasDestination = c.failureDestination !== 'NONE';
  const sqs = c.failureDestination === 'SQS';
  return {
    enabled: c.alarms?.enabled ?? false,
    mappingMetrics: c.eventCountMetrics,
    failedInvokeAlarm: c.eventCountMetrics,
    stalledAlarm: c.eventCountMetrics && c.enabled,
    deliveredMetric: hasDestination && c.eventCountMetrics,
    deliveredAlarm: hasDestination && !sqs && c.eventCountMetrics,
    queueDepthAlarm: sqs,
    queueAgeAlarm: sqs,
    topicPublishedAlarm: c.failureDestination === 'SNS' && !c.eventCountMetrics,
    droppedAlarm: c.eventCountMetrics,
    deliveryFailuresMetric: hasDestination,
    deliveryFailuresAlarm: hasDestination && !c.eventCountMetrics,
    stalledPeriods: (c.alarms?.stalledMappingMinutes ?? ALARM_DEFAULTS.stalledMappingMinutes) / ALARM_PERIOD_MINUTES,
    queueAgeHours: c.alarms?.failureQueueAgeSeconds !== undefined && Math.round(c.alarms.failureQueueAgeSeconds / 360) / 10,
    recordsMetrics: recordsMetrics(c),
    droppedAdvice: droppedEventsAdvice(c),
    expected: [],
  };
}

export interface MonitoringView {
  readonly config: MonitoringConfig;
  readonly createTopic: boolean;
  readonly importTopic: boolean;
  /** How many of each store the stack creates, for the encryption and TLS tests. */
  readonly stores: { readonly queues: number; readonly topics: number; readonly buckets: number };
  readonly alarmCount: number;
  /** DynamoDB's own key: no SSESpecification in the template. */
  readonly tableAwsOwnedKey: boolean;
  readonly usesQueue: boolean;
  readonly usesBucket: boolean;
  readonly noPointInTimeRecovery: boolean;
}

/** The names a consumer's modules export. */
export interface ConsumerNames {
  readonly name: string;
  readonly pascal: string;
  readonly constructName: string;
  readonly config: ConsumerConfig;
}

export function monitoringView(
  monitoring: MonitoringConfig,
  consumers: readonly ConsumerNames[],
  table: { readonly awsOwnedKey: boolean; readonly noPointInTimeRecovery: boolean },
): MonitoringView {
  return {
    tableAwsOwnedKey: table.awsOwnedKey,
    noPointInTimeRecovery: table.noPointInTimeRecovery,
    usesQueue: consumers.some((c) => c.config.failureDestination === 'SQS'),
    usesBucket: consumers.some((c) => c.config.failureDestination === 'S3'),
    stores: {
      queues: consumers.filter((c) => c.config.failureDestination === 'SQS').length,
      topics: consumers.filter((c) => c.config.failureDestination === 'SNS').length + (monitoring.createAlarmTopic ? 1 : 0),
      buckets: consumers.filter((c) => c.config.failureDestination === 'S3').length,
    },
    alarmCount: consumers.reduce((n, c) => n + expectedAlarms(c.config, c.constructName, monitoring).length, 0),
    config: monitoring,
    createTopic: monitoring.createAlarmTopic,
    importTopic: monitoring.alarmTopicArn !== undefined,
  };
}

/**
 * The generated README's runbook sections (GitHub heading anchors), named by every alarm's description. The README
 * template writes the headings; a test checks that each anchor an alarm names is a heading of the README.
 */
export const RUNBOOK = {
  fallingBehind: 'falling-behind',
  handlerFailing: 'handler-failing',
  stalledMapping: 'stalled-mapping',
  poisonRecord: 'poison-record',
  redriveWindow: 'redrive-window-closing',
  recordsLost: 'records-lost',
} as const;

/** One alarm the options must produce, as the generated assertion test checks it. */
export interface ExpectedAlarm {
  readonly title: string;
  /** The alarm's CloudFormation properties, printed by `{{ts properties 4}}`. */
  readonly properties: object;
}

type Comparison = 'above' | 'at least' | 'below';
const COMPARISONS: Record<Comparison, string> = {
  'above': 'GreaterThanThreshold',
  'at least': 'GreaterThanOrEqualToThreshold',
  'below': 'LessThanThreshold',
};

interface AlarmRow {
  readonly metric: string;
  readonly namespace: string;
  readonly statistic: string;
  readonly dimension: object;
  readonly threshold: number;
  readonly comparison: Comparison;
  readonly runbook: string;
  readonly when: boolean;
  /** 5-minute periods that must all breach (1 unless said). */
  readonly periods?: number;
  readonly missing?: 'notBreaching' | 'breaching';
}

/**
 * The alarms a consumer's options must produce, computed from the options independently of the CDK code, printed
 * into `test/generated/stack.test.ts`.
 */
export function expectedAlarms(c: ConsumerConfig, constructName: string, monitoring: MonitoringConfig): ExpectedAlarm[] {
  const view = consumerAlarmsView(c);
  if (!view.enabled || !c.alarms) return [];
  const fn = { Name: 'FunctionName', Value: { Ref: like(`^${constructName}Function`) } };
  const mapping = { Name: 'EventSourceMappingUUID', Value: { Ref: like(`^${constructName}Function`) } };
  const queue = { Name: 'QueueName', Value: { 'Fn::GetAtt': [like(`^${constructName}FailureQueue`), 'QueueName'] } };
  const topic = { Name: 'TopicName', Value: { 'Fn::GetAtt': [like(`^${constructName}FailureTopic`), 'TopicName'] } };
  const lambda = 'AWS/Lambda';
  const rows: AlarmRow[] = [
    { metric: 'IteratorAge', namespace: lambda, statistic: 'Maximum', dimension: fn, threshold: c.alarms.iteratorAgeSeconds * 1000, comparison: 'above', runbook: RUNBOOK.fallingBehind, when: true },
    { metric: 'Errors', namespace: lambda, statistic: 'Sum', dimension: fn, threshold: c.alarms.functionErrors, comparison: 'at least', runbook: RUNBOOK.handlerFailing, when: true },
    { metric: 'Throttles', namespace: lambda, statistic: 'Sum', dimension: fn, threshold: c.alarms.functionThrottles, comparison: 'at least', runbook: RUNBOOK.fallingBehind, when: true },
    { metric: 'FailedInvokeEventCount', namespace: lambda, statistic: 'Sum', dimension: mapping, threshold: c.alarms.failedInvokeEvents, comparison: 'at least', runbook: RUNBOOK.handlerFailing, when: view.failedInvokeAlarm },
    { metric: 'PolledEventCount', namespace: lambda, statistic: 'SampleCount', dimension: mapping, threshold: 1, comparison: 'below', runbook: RUNBOOK.stalledMapping, when: view.stalledAlarm, periods: view.stalledPeriods, missing: 'breaching' },
    { metric: 'OnFailureDestinationDeliveredEventCount', namespace: lambda, statistic: 'Sum', dimension: mapping, threshold: 1, comparison: 'at least', runbook: RUNBOOK.poisonRecord, when: view.deliveredAlarm },
    { metric: 'ApproximateNumberOfMessagesVisible', namespace: 'AWS/SQS', statistic: 'Maximum', dimension: queue, threshold: 1, comparison: 'at least', runbook: RUNBOOK.poisonRecord, when: view.queueDepthAlarm },
    { metric: 'ApproximateAgeOfOldestMessage', namespace: 'AWS/SQS', statistic: 'Maximum', dimension: queue, threshold: c.alarms.failureQueueAgeSeconds ?? 0, comparison: 'at least', runbook: RUNBOOK.redriveWindow, when: view.queueAgeAlarm },
    { metric: 'NumberOfMessagesPublished', namespace: 'AWS/SNS', statistic: 'Sum', dimension: topic, threshold: 1, comparison: 'at least', runbook: RUNBOOK.poisonRecord, when: view.topicPublishedAlarm },
    { metric: 'DroppedEventCount', namespace: lambda, statistic: 'Sum', dimension: mapping, threshold: 1, comparison: 'at least', runbook: RUNBOOK.recordsLost, when: view.droppedAlarm },
    { metric: 'DestinationDeliveryFailures', namespace: lambda, statistic: 'Sum', dimension: fn, threshold: 1, comparison: 'at least', runbook: RUNBOOK.recordsLost, when: view.deliveryFailuresAlarm },
  ];
  const actions = monitoring.alarmTopicArn
    ? [monitoring.alarmTopicArn]
    : monitoring.createAlarmTopic
      ? [{ Ref: like('^MonitoringAlarmTopic') }]
      : new RawCode('Match.absent()');
  return rows
    .filter((row) => row.when)
    .map((row) => ({
      title: `${row.metric} (${row.statistic}) ${row.comparison} ${row.threshold}${row.periods ? ` for ${row.periods} periods, missing data breaching` : ''}`,
      properties: {
        Namespace: row.namespace,
        MetricName: row.metric,
        Statistic: row.statistic,
        Dimensions: [row.dimension],
        Period: ALARM_PERIOD_MINUTES * 60,
        EvaluationPeriods: row.periods ?? 1,
        ...(row.periods ? { DatapointsToAlarm: row.periods } : {}),
        Threshold: row.threshold,
        ComparisonOperator: COMPARISONS[row.comparison],
        TreatMissingData: row.missing ?? 'notBreaching',
        AlarmDescription: like(`Runbook: README\\.md#${row.runbook}$`),
        AlarmActions: actions,
        OKActions: actions,
      },
    }));
}

function recordsMetrics(c: ConsumerConfig): string[] {
  const hasDestination = c.failureDestination !== 'NONE';
  return [
    ...(c.eventCountMetrics ? ['polledEvents', 'filteredOutEvents', 'failedInvokeEvents', 'droppedEvents'] : []),
    ...(hasDestination && c.eventCountMetrics ? ['deliveredToFailureDestination'] : []),
    ...(hasDestination ? ['destinationDeliveryFailures'] : []),
    ...(c.failureDestination === 'SQS' ? ['failureQueueDepth'] : []),
    ...(c.failureDestination === 'SNS' && !c.eventCountMetrics ? ['failureTopicPublished'] : []),
  ];
}
