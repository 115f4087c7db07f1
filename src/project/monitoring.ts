import type { OptionWarning, ProblemCollector } from './checks';
import type { ConsumerOptions, MonitoringOptions } from './options';
import { tsLiteral } from './ts-literal';
import type { ConsumerAlarmsConfig, ConsumerConfig, MonitoringConfig } from '../runtime/config';

/** The iterator age alarm's threshold when none is given, unless the record age limit is shorter. */
export const DEFAULT_ITERATOR_AGE_SECONDS = 300;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

/** Checks `consumers[i].alarms`. */
export function checkConsumerAlarms(problems: ProblemCollector, at: string, consumer: ConsumerOptions): void {
  const alarms = consumer.alarms;
  if (alarms === undefined) return;
  if (alarms === null || typeof alarms !== 'object') {
    problems.add({ option: at, value: alarms, allowed: 'an object such as { iteratorAgeSeconds: 300 }', fix: 'write alarms as an object, or leave it out for the defaults' });
    return;
  }
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
  if (monitoring === undefined) return;
  if (monitoring === null || typeof monitoring !== 'object') {
    problems.add({ option: 'monitoring', value: monitoring, allowed: 'an object such as { createAlarmTopic: true }', fix: 'write monitoring as an object, or leave it out for the defaults' });
    return;
  }
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
  };
}

export interface MonitoringView {
  readonly config: MonitoringConfig;
  readonly configLiteral: string;
  readonly createTopic: boolean;
  readonly importTopic: boolean;
  readonly hasTopic: boolean;
}

export function monitoringView(monitoring: MonitoringConfig): MonitoringView {
  return {
    config: monitoring,
    configLiteral: tsLiteral(monitoring, 0, 'export const monitoringConfig: MonitoringConfig = '.length, 1),
    createTopic: monitoring.createAlarmTopic,
    importTopic: monitoring.alarmTopicArn !== undefined,
    hasTopic: monitoring.createAlarmTopic || monitoring.alarmTopicArn !== undefined,
  };
}
