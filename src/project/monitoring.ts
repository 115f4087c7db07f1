import type { OptionWarning, ProblemCollector } from './checks';
import type { ConsumerOptions, MonitoringOptions } from './options';
import { droppedEventsAdvice } from './readme';
import { RawCode, stringLike as like } from './ts-literal';
import type { ConsumerAlarmsConfig, ConsumerConfig, MonitoringConfig } from '../runtime/config';

/** The iterator age alarm's threshold when none is given, unless the record age limit is shorter. */
export const DEFAULT_ITERATOR_AGE_SECONDS = 300;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

/** Checks `consumers[i].alarms`. */
export function checkConsumerAlarms(problems: ProblemCollector, at: string, consumer: ConsumerOptions): void {
  const alarms = consumer.alarms;
  if (!problems.object(at, alarms, 'an object such as { iteratorAgeSeconds: 300 }', 'write alarms as an object, or leave it out for the defaults')) return;
  problems.boolean(`${at}.enabled`, alarms.enabled);
  problems.integer(`${at}.iteratorAgeSeconds`, alarms.iteratorAgeSeconds, 60, 86400, 'set iteratorAgeSeconds within that range (300 is a good start)');
  problems.integer(`${at}.functionErrors`, alarms.functionErrors, 1, 100000, 'set functionErrors within that range (1 alarms on the first error)');
  problems.integer(`${at}.functionThrottles`, alarms.functionThrottles, 1, 100000, 'set functionThrottles within that range');
  const maxAge = consumer.maxRecordAgeSeconds;
  if (
    typeof alarms.iteratorAgeSeconds === 'number' &&
    typeof maxAge === 'number' &&
    maxAge !== -1 &&
    alarms.iteratorAgeSeconds >= maxAge &&
    alarms.enabled !== false
  ) {
    problems.add({
      option: `${at}.iteratorAgeSeconds`,
      value: alarms.iteratorAgeSeconds,
      reason: `Records older than maxRecordAgeSeconds (${maxAge}) are discarded, so the iterator age never reaches it and the alarm never fires`,
      allowed: `60..${maxAge - 1} (below maxRecordAgeSeconds)`,
      fix: `set iteratorAgeSeconds below ${maxAge}, e.g. ${Math.max(60, Math.floor(maxAge / 2))}`,
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
    maxAge !== undefined && maxAge !== -1 ? Math.min(DEFAULT_ITERATOR_AGE_SECONDS, Math.floor(maxAge / 2)) : DEFAULT_ITERATOR_AGE_SECONDS;
  return {
    enabled: consumer.alarms?.enabled ?? true,
    iteratorAgeSeconds: consumer.alarms?.iteratorAgeSeconds ?? defaultAge,
    functionErrors: consumer.alarms?.functionErrors ?? 1,
    functionThrottles: consumer.alarms?.functionThrottles ?? 1,
  };
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
  });
  return warnings;
}

/** What the monitoring templates branch on for one consumer. */
export interface ConsumerAlarmsView {
  readonly enabled: boolean;
  /** OnFailureDestinationDeliveredEventCount: any destination, with event-count metrics. */
  readonly deliveredAlarm: boolean;
  /** ApproximateNumberOfMessagesVisible of the SQS destination. */
  readonly queueDepthAlarm: boolean;
  /** NumberOfMessagesPublished of the SNS destination, when event-count metrics are off. */
  readonly topicPublishedAlarm: boolean;
  /** DroppedEventCount: with event-count metrics. */
  readonly droppedAlarm: boolean;
  /** DestinationDeliveryFailures: with a destination. */
  readonly deliveryFailuresAlarm: boolean;
  readonly iteratorAgeMilliseconds: number;
  /** The metrics (members of `this.metrics`) of the dashboard's "records" graph. */
  readonly recordsMetrics: readonly string[];
  /** What DroppedEventCount means for this consumer, in the README's runbook. */
  readonly droppedAdvice: string;
  /** The alarms the generated test expects (filled in by the view model). */
  readonly expected: ExpectedAlarm[];
}

export function consumerAlarmsView(c: ConsumerConfig): ConsumerAlarmsView {
  const hasDestination = c.failureDestination !== 'NONE';
  return {
    enabled: c.alarms?.enabled ?? false,
    deliveredAlarm: hasDestination && c.eventCountMetrics,
    queueDepthAlarm: c.failureDestination === 'SQS',
    topicPublishedAlarm: c.failureDestination === 'SNS' && !c.eventCountMetrics,
    droppedAlarm: c.eventCountMetrics,
    deliveryFailuresAlarm: hasDestination,
    iteratorAgeMilliseconds: (c.alarms?.iteratorAgeSeconds ?? DEFAULT_ITERATOR_AGE_SECONDS) * 1000,
    recordsMetrics: recordsMetrics(c),
    droppedAdvice: droppedEventsAdvice(c),
    expected: [],
  };
}

export interface MonitoringView {
  readonly config: MonitoringConfig;
  readonly createTopic: boolean;
  readonly importTopic: boolean;
  readonly hasTopic: boolean;
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
    hasTopic: monitoring.createAlarmTopic || monitoring.alarmTopicArn !== undefined,
  };
}

/** One alarm the options must produce, as the generated assertion test checks it. */
export interface ExpectedAlarm {
  readonly title: string;
  /** The alarm's CloudFormation properties, printed by `{{ts properties 4}}`. */
  readonly properties: object;
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
  const rows: [string, string, string, object, number, 'above' | 'at least', boolean][] = [
    ['IteratorAge', 'AWS/Lambda', 'Maximum', fn, c.alarms.iteratorAgeSeconds * 1000, 'above', true],
    ['Errors', 'AWS/Lambda', 'Sum', fn, c.alarms.functionErrors, 'at least', true],
    ['Throttles', 'AWS/Lambda', 'Sum', fn, c.alarms.functionThrottles, 'at least', true],
    ['OnFailureDestinationDeliveredEventCount', 'AWS/Lambda', 'Sum', mapping, 1, 'at least', view.deliveredAlarm],
    ['ApproximateNumberOfMessagesVisible', 'AWS/SQS', 'Maximum', queue, 1, 'at least', view.queueDepthAlarm],
    ['NumberOfMessagesPublished', 'AWS/SNS', 'Sum', topic, 1, 'at least', view.topicPublishedAlarm],
    ['DroppedEventCount', 'AWS/Lambda', 'Sum', mapping, 1, 'at least', view.droppedAlarm],
    ['DestinationDeliveryFailures', 'AWS/Lambda', 'Sum', fn, 1, 'at least', view.deliveryFailuresAlarm],
  ];
  const actions = monitoring.alarmTopicArn
    ? [monitoring.alarmTopicArn]
    : monitoring.createAlarmTopic
      ? [{ Ref: like('^MonitoringAlarmTopic') }]
      : new RawCode('Match.absent()');
  return rows
    .filter((row) => row[6])
    .map(([metric, namespace, statistic, dimension, threshold, comparison]) => ({
      title: `${metric} (${statistic}) ${comparison} ${threshold}`,
      properties: {
        Namespace: namespace,
        MetricName: metric,
        Statistic: statistic,
        Dimensions: [dimension],
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: threshold,
        ComparisonOperator: comparison === 'above' ? 'GreaterThanThreshold' : 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: actions,
        OKActions: actions,
      },
    }));
}

function recordsMetrics(c: ConsumerConfig): string[] {
  const v = {
    events: c.eventCountMetrics,
    delivered: c.failureDestination !== 'NONE' && c.eventCountMetrics,
    failures: c.failureDestination !== 'NONE',
    queue: c.failureDestination === 'SQS',
    topic: c.failureDestination === 'SNS' && !c.eventCountMetrics,
  };
  return [
    ...(v.events ? ['polledEvents', 'filteredOutEvents', 'failedInvokeEvents', 'droppedEvents'] : []),
    ...(v.delivered ? ['deliveredToFailureDestination'] : []),
    ...(v.failures ? ['destinationDeliveryFailures'] : []),
    ...(v.queue ? ['failureQueueDepth'] : []),
    ...(v.topic ? ['failureTopicPublished'] : []),
  ];
}
