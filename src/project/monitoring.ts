import type { OptionWarning, ProblemCollector } from './checks';
import type { ConsumerOptions, MonitoringOptions } from './options';
import { droppedEventsAdvice } from './readme';
import { RawCode, stringLike as like } from './ts-literal';
import type { ConsumerAlarmsConfig, ConsumerConfig, MonitoringConfig } from '../runtime/config';
import {
  ageIsInfinite,
  ALARM_DEFAULTS,
  ALARM_PERIOD_MINUTES,
  ALARM_RANGES,
  CONSUMER_DEFAULTS,
  STREAM_RETENTION_SECONDS,
} from '../runtime/rules/consumer-rules';

const DEFAULT_ITERATOR_AGE_SECONDS = ALARM_DEFAULTS.iteratorAgeSeconds;
const DEFAULT_STALLED_MAPPING_MINUTES = ALARM_DEFAULTS.stalledMappingMinutes;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

/** Checks `consumers[i].alarms`. */
export function checkConsumerAlarms(problems: ProblemCollector, at: string, consumer: ConsumerOptions): void {
  const alarms = consumer.alarms;
  if (!problems.object(at, alarms, 'an object such as { iteratorAgeSeconds: 300 }', 'write alarms as an object, or leave it out for the defaults')) return;
  problems.boolean(`${at}.enabled`, alarms.enabled);
  const ranges = ALARM_RANGES;
  problems.integer(`${at}.iteratorAgeSeconds`, alarms.iteratorAgeSeconds, ranges.iteratorAgeSeconds, `set iteratorAgeSeconds within that range (${DEFAULT_ITERATOR_AGE_SECONDS} is a good start)`);
  problems.integer(`${at}.functionErrors`, alarms.functionErrors, ranges.functionErrors, 'set functionErrors within that range (1 alarms on the first error)');
  problems.integer(`${at}.functionThrottles`, alarms.functionThrottles, ranges.functionThrottles, 'set functionThrottles within that range');
  problems.integer(`${at}.failedInvokeEvents`, alarms.failedInvokeEvents, ranges.failedInvokeEvents, 'set failedInvokeEvents within that range (1 alarms on the first failed record)');
  const stalled = alarms.stalledMappingMinutes;
  const { min: stalledMin, max: stalledMax } = ranges.stalledMappingMinutes;
  problems.integer(`${at}.stalledMappingMinutes`, stalled, ranges.stalledMappingMinutes, `set stalledMappingMinutes within that range (${DEFAULT_STALLED_MAPPING_MINUTES} is the default)`);
  if (typeof stalled === 'number' && Number.isInteger(stalled) && stalled >= stalledMin && stalled <= stalledMax && stalled % ALARM_PERIOD_MINUTES !== 0) {
    const below = stalled - (stalled % ALARM_PERIOD_MINUTES);
    problems.add({
      option: `${at}.stalledMappingMinutes`,
      value: stalled,
      reason: `the alarm counts ${ALARM_PERIOD_MINUTES}-minute periods`,
      allowed: `a multiple of ${ALARM_PERIOD_MINUTES} in ${stalledMin}..${stalledMax}`,
      fix: `set stalledMappingMinutes to ${below} or ${below + ALARM_PERIOD_MINUTES}`,
    });
  }
  const maxAge = consumer.maxRecordAgeSeconds;
  if (
    typeof alarms.iteratorAgeSeconds === 'number' &&
    typeof maxAge === 'number' &&
    !ageIsInfinite(consumer) &&
    alarms.iteratorAgeSeconds >= maxAge &&
    alarms.enabled !== false
  ) {
    problems.add({
      option: `${at}.iteratorAgeSeconds`,
      value: alarms.iteratorAgeSeconds,
      reason: `Records older than maxRecordAgeSeconds (${maxAge}) are discarded, so the iterator age never reaches it and the alarm never fires`,
      allowed: `${ranges.iteratorAgeSeconds.min}..${maxAge - 1} (below maxRecordAgeSeconds)`,
      fix: `set iteratorAgeSeconds below ${maxAge}, e.g. ${Math.max(ranges.iteratorAgeSeconds.min, Math.floor(maxAge / 2))}`,
    });
  }
}

/** Checks `monitoring`. */
export function checkMonitoring(problems: ProblemCollector, monitoring: MonitoringOptions | undefined): void {
  if (!problems.object('monitoring', monitoring, 'an object such as { createAlarmTopic: true }', 'write monitoring as an object, or leave it out for the defaults')) return;
  problems.pattern(
    'monitoring.alarmTopicArn',
    monitoring.alarmTopicArn,
    SNS_TOPIC_ARN,
    'an SNS topic ARN such as "arn:aws:sns:eu-west-1:123456789012:alarms" (standard topics; FIFO topics cannot receive alarms)',
    'copy the ARN of the topic from the SNS console, or leave alarmTopicArn out to use the stack\'s own topic',
  );
  problems.boolean('monitoring.createAlarmTopic', monitoring.createAlarmTopic);
  problems.boolean('monitoring.dashboard', monitoring.dashboard);
  if (monitoring.alarmTopicArn !== undefined && monitoring.createAlarmTopic === true) {
    problems.add({
      option: 'monitoring.createAlarmTopic',
      value: true,
      reason: 'alarmTopicArn is given too: alarms notify one topic',
      allowed: 'createAlarmTopic: true, or alarmTopicArn, not both',
      fix: 'remove createAlarmTopic (alarms then notify alarmTopicArn) or remove alarmTopicArn',
    });
  }
}

export function resolveConsumerAlarms(consumer: ConsumerOptions): ConsumerAlarmsConfig {
  const maxAge = consumer.maxRecordAgeSeconds;
  const defaultAge =
    maxAge !== undefined && !ageIsInfinite(consumer) ? Math.min(DEFAULT_ITERATOR_AGE_SECONDS, Math.floor(maxAge / 2)) : DEFAULT_ITERATOR_AGE_SECONDS;
  return {
    enabled: consumer.alarms?.enabled ?? ALARM_DEFAULTS.enabled,
    iteratorAgeSeconds: consumer.alarms?.iteratorAgeSeconds ?? defaultAge,
    functionErrors: consumer.alarms?.functionErrors ?? ALARM_DEFAULTS.functionErrors,
    functionThrottles: consumer.alarms?.functionThrottles ?? ALARM_DEFAULTS.functionThrottles,
    failedInvokeEvents: consumer.alarms?.failedInvokeEvents ?? ALARM_DEFAULTS.failedInvokeEvents,
    stalledMappingMinutes: consumer.alarms?.stalledMappingMinutes ?? DEFAULT_STALLED_MAPPING_MINUTES,
    ...((consumer.failureDestination ?? CONSUMER_DEFAULTS.failureDestination) === 'SQS'
      ? { failureQueueAgeSeconds: failureQueueAgeSeconds(maxAge ?? CONSUMER_DEFAULTS.maxRecordAgeSeconds) }
      : {}),
  };
}

/**
 * When the failure queue's oldest message is this old (seconds), the records it names are half-way to being trimmed:
 * SQS and SNS failure messages carry only the records' sequence numbers, and the records themselves must be re-read
 * from the stream within its retention. A message names records at most `maxRecordAgeSeconds` old when the mapping
 * gave up on them; the alarm fires half-way through what is left of the retention, leaving the other half to
 * redrive. With an infinite record age the records' age on arrival is unknown: counted as fresh (the runbook says to
 * redrive at once).
 */
export function failureQueueAgeSeconds(maxRecordAgeSeconds: number): number {
  const ageOnArrival = ageIsInfinite({ maxRecordAgeSeconds }) ? 0 : Math.min(maxRecordAgeSeconds, STREAM_RETENTION_SECONDS);
  return Math.floor((STREAM_RETENTION_SECONDS - ageOnArrival) / 2);
}

export function resolveMonitoring(monitoring: MonitoringOptions | undefined): MonitoringConfig {
  const alarmTopicArn = monitoring?.alarmTopicArn;
  return {
    ...(alarmTopicArn ? { alarmTopicArn } : {}),
    createAlarmTopic: monitoring?.createAlarmTopic ?? alarmTopicArn === undefined,
    dashboard: monitoring?.dashboard ?? true,
  };
}

/** Alarms that cannot notify or cannot see a failure: legal, but said at every synth. */
export function monitoringWarnings(consumers: readonly ConsumerConfig[], monitoring: MonitoringConfig): OptionWarning[] {
  const warnings: OptionWarning[] = [];
  const anyAlarms = consumers.some((c) => c.alarms?.enabled);
  if (anyAlarms && !monitoring.createAlarmTopic && monitoring.alarmTopicArn === undefined) {
    warnings.push({
      option: 'monitoring.createAlarmTopic',
      message: 'false without alarmTopicArn: alarms change state in CloudWatch but notify nobody',
    });
  }
  consumers.forEach((c, i) => {
    if (c.alarms?.enabled && c.failureDestination === 'S3' && !c.eventCountMetrics) {
      warnings.push({
        option: `consumers[${i}].eventCountMetrics`,
        message:
          'false with an S3 failure destination: no alarm can see batches written to the bucket ' +
          '(OnFailureDestinationDeliveredEventCount needs event-count metrics); turn eventCountMetrics on',
      });
    }
    if (c.alarms?.enabled && c.reportBatchItemFailures && !c.eventCountMetrics) {
      warnings.push({
        option: `consumers[${i}].eventCountMetrics`,
        message:
          'false with reportBatchItemFailures: a callback that throws is reported as a batch item failure, the invocation ' +
          'succeeds, and no alarm sees the handler failing until its records are given up on (FailedInvokeEventCount ' +
          'needs event-count metrics); no alarm sees a stalled mapping either; turn eventCountMetrics on',
      });
    }
  });
  return warnings;
}

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
    stalledPeriods: (c.alarms?.stalledMappingMinutes ?? DEFAULT_STALLED_MAPPING_MINUTES) / ALARM_PERIOD_MINUTES,
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
