import type { ConsumerAlarmsConfig, ConsumerConfig, MonitoringConfig } from '../../runtime/config';
import { ageIsInfinite, ALARM_DEFAULTS, CONSUMER_DEFAULTS, STREAM_RETENTION_SECONDS } from '../../runtime/rules/consumer-rules';
import type { ConsumerOptions, MonitoringOptions } from '../options/options';
import type { OptionWarning } from '../shared/checks';

const DEFAULT_ITERATOR_AGE_SECONDS = ALARM_DEFAULTS.iteratorAgeSeconds;
const DEFAULT_STALLED_MAPPING_MINUTES = ALARM_DEFAULTS.stalledMappingMinutes;

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
