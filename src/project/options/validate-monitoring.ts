import type { ConsumerOptions, MonitoringOptions } from './options';
import { ALARM_DEFAULTS, ALARM_PERIOD_MINUTES, ALARM_RANGES, ageIsInfinite } from '../../runtime/rules/consumer-rules';
import type { ProblemCollector } from '../shared/checks';

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
