import { FailureDestination, FunctionArchitecture, StartingPosition } from './enums';
import type { ConsumerOptions } from './options';
import { checkIdempotency } from './validate-idempotency';
import { checkConsumerAlarms } from './validate-monitoring';
import {
  CONSUMER_DEFAULTS,
  FUNCTION_RANGES,
  LOG_RETENTION_DAYS,
  MAPPING_RANGES,
  MAX_CONSUMERS,
  MAX_FILTERS,
  STREAM_RETENTION_SECONDS,
} from '../../runtime/rules/consumer-rules';
import type { ProblemCollector } from '../shared/checks';

export const CONSUMER_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** A consumer name's length: it names functions, queues and alarms, whose names AWS limits. */
export const CONSUMER_NAME_LENGTH = { min: 2, max: 40 };
/** Names that would collide with the managed modules beside the consumer folders in `src/generated/`. */
const RESERVED_NAMES = ['config', 'stack', 'table', 'index', 'generated', 'monitoring', 'nag'];
const ENV_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

export function checkConsumers(problems: ProblemCollector, consumers: readonly ConsumerOptions[] | undefined): void {
  if (consumers === undefined) return;
  if (!Array.isArray(consumers) || consumers.length === 0) {
    problems.add({
      option: 'consumers',
      value: consumers,
      allowed: `a list of 1..${MAX_CONSUMERS} consumers`,
      fix: "add at least one consumer, e.g. consumers: [{ name: 'processor' }]",
    });
    return;
  }
  if (consumers.length > MAX_CONSUMERS) {
    problems.add({
      option: 'consumers',
      value: consumers.map((c) => c?.name),
      reason:
        'DynamoDB Streams serves at most two simultaneous readers per shard; a third mapping is throttled and ' +
        'every consumer falls behind',
      allowed: `at most ${MAX_CONSUMERS} consumers on one stream`,
      fix: 'merge consumers into one handler, or fan out from one consumer (for example to EventBridge, SNS or Kinesis)',
    });
  }
  const seen = new Map<string, number>();
  consumers.forEach((consumer, i) => {
    checkConsumer(problems, `consumers[${i}]`, consumer);
    const name = consumer?.name;
    if (typeof name !== 'string') return;
    if (seen.has(name)) {
      problems.add({
        option: `consumers[${i}].name`,
        value: name,
        reason: `consumers[${seen.get(name)}] has the same name`,
        allowed: 'unique names (they name files, constructs and tasks)',
        fix: 'rename one of them',
      });
    }
    seen.set(name, i);
  });
}

function checkConsumer(problems: ProblemCollector, at: string, consumer: ConsumerOptions): void {
  if (consumer === null || typeof consumer !== 'object') {
    problems.add({ option: at, value: consumer, allowed: "a consumer such as { name: 'processor' }", fix: 'write the consumer as an object' });
    return;
  }
  if (consumer.name === undefined) {
    problems.add({ option: `${at}.name`, value: undefined, allowed: 'a kebab-case name', fix: "name the consumer, e.g. name: 'audit'" });
  }
  problems.pattern(
    `${at}.name`,
    consumer.name,
    CONSUMER_NAME,
    'kebab-case: lowercase letters, digits and single hyphens, starting with a letter, e.g. "order-audit"',
    'rename it in kebab-case; it names src/handlers/<name>.ts and src/generated/<name>/',
  );
  if (typeof consumer.name === 'string' && CONSUMER_NAME.test(consumer.name)) {
    const { min, max } = CONSUMER_NAME_LENGTH;
    if (consumer.name.length < min || consumer.name.length > max) {
      problems.add({ option: `${at}.name`, value: consumer.name, allowed: `${min}..${max} characters`, fix: 'shorten or lengthen the name' });
    }
    if (RESERVED_NAMES.includes(consumer.name)) {
      problems.add({
        option: `${at}.name`,
        value: consumer.name,
        reason: `src/generated/${consumer.name}.ts is a managed module already`,
        allowed: `any kebab-case name except ${RESERVED_NAMES.join(', ')}`,
        fix: 'pick a name that says what the consumer does, e.g. "audit"',
      });
    }
  }
  const ranges = MAPPING_RANGES;
  problems.integer(`${at}.batchSize`, consumer.batchSize, ranges.batchSize, `set batchSize within that range (${CONSUMER_DEFAULTS.batchSize} is a good start)`);
  problems.integer(`${at}.maxBatchingWindowSeconds`, consumer.maxBatchingWindowSeconds, ranges.maxBatchingWindowSeconds, 'set maxBatchingWindowSeconds within that range');
  problems.oneOf(
    `${at}.startingPosition`,
    consumer.startingPosition,
    Object.values(StartingPosition),
    'DynamoDB streams support StartingPosition.TRIM_HORIZON or StartingPosition.LATEST (AT_TIMESTAMP is Kinesis only)',
  );
  problems.integer(
    `${at}.retryAttempts`,
    consumer.retryAttempts,
    ranges.retryAttempts,
    'set retryAttempts within that range; bounded retries keep a poison record from blocking its shard',
  );
  problems.integer(
    `${at}.maxRecordAgeSeconds`,
    consumer.maxRecordAgeSeconds,
    ranges.maxRecordAgeSeconds,
    `set maxRecordAgeSeconds within that range (records older than ${STREAM_RETENTION_SECONDS} have left the stream anyway)`,
  );
  problems.boolean(`${at}.bisectBatchOnError`, consumer.bisectBatchOnError);
  problems.boolean(`${at}.reportBatchItemFailures`, consumer.reportBatchItemFailures);
  problems.integer(`${at}.parallelizationFactor`, consumer.parallelizationFactor, ranges.parallelizationFactor, 'set parallelizationFactor within that range');
  problems.integer(`${at}.tumblingWindowSeconds`, consumer.tumblingWindowSeconds, ranges.tumblingWindowSeconds, 'set tumblingWindowSeconds within that range (0 turns windows off)');
  if (consumer.filters !== undefined && (!Array.isArray(consumer.filters) || consumer.filters.length > MAX_FILTERS)) {
    problems.add({
      option: `${at}.filters`,
      value: Array.isArray(consumer.filters) ? `${consumer.filters.length} filters` : consumer.filters,
      allowed: `at most ${MAX_FILTERS} filters per event source mapping (an AWS quota)`,
      fix: 'merge filters: one filter may list several values per attribute',
    });
  }
  problems.oneOf(`${at}.failureDestination`, consumer.failureDestination, Object.values(FailureDestination), 'use FailureDestination.SQS, SNS, S3 or NONE');
  problems.boolean(`${at}.enabled`, consumer.enabled);
  problems.boolean(`${at}.eventCountMetrics`, consumer.eventCountMetrics);
  problems.integer(`${at}.memorySize`, consumer.memorySize, FUNCTION_RANGES.memorySize, 'set memorySize in MB within that range');
  problems.integer(`${at}.timeoutSeconds`, consumer.timeoutSeconds, FUNCTION_RANGES.timeoutSeconds, 'set timeoutSeconds within that range');
  problems.oneOf(`${at}.architecture`, consumer.architecture, Object.values(FunctionArchitecture), 'use FunctionArchitecture.ARM_64 or X86_64');
  problems.oneOf(`${at}.logRetentionDays`, consumer.logRetentionDays, LOG_RETENTION_DAYS, 'pick the nearest CloudWatch Logs retention value');
  checkEnvironment(problems, `${at}.environment`, consumer.environment);
  checkConsumerAlarms(problems, `${at}.alarms`, consumer);
  checkIdempotency(problems, `${at}.idempotency`, consumer);
}

function checkEnvironment(problems: ProblemCollector, at: string, environment: Record<string, string> | undefined): void {
  if (environment === undefined) return;
  for (const [name, value] of Object.entries(environment)) {
    if (!ENV_NAME.test(name) || name.startsWith('AWS_')) {
      problems.add({
        option: `${at}.${name}`,
        value: name,
        allowed: 'names of letters, digits and _, starting with a letter, not starting with AWS_ (reserved by Lambda)',
        fix: 'rename the variable',
      });
    }
    if (typeof value !== 'string') {
      problems.add({ option: `${at}.${name}`, value, allowed: 'a string', fix: 'quote the value' });
    } else if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)) {
      problems.add({
        option: `${at}.${name}`,
        value,
        reason: 'It holds a lone UTF-16 surrogate, which UTF-8 (CloudFormation, Lambda) cannot carry',
        allowed: 'any text of whole characters',
        fix: 'remove the broken character',
      });
    }
  }
}
