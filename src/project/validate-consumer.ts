import type { ProblemCollector } from './checks';
import { MAX_CONSUMERS, MAX_FILTERS } from './defaults';
import { FailureDestination, FunctionArchitecture, StartingPosition } from './enums';
import { checkIdempotency } from './idempotency';
import { checkConsumerAlarms } from './monitoring';
import type { ConsumerOptions } from './options';

export const CONSUMER_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Names that would collide with the managed modules beside the consumer folders in `src/generated/`. */
const RESERVED_NAMES = ['config', 'stack', 'table', 'index', 'generated', 'monitoring', 'nag'];
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
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
    if (consumer.name.length < 2 || consumer.name.length > 40) {
      problems.add({ option: `${at}.name`, value: consumer.name, allowed: '2..40 characters', fix: 'shorten or lengthen the name' });
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
  problems.integer(`${at}.batchSize`, consumer.batchSize, 1, 10000, 'set batchSize within that range (100 is a good start)');
  problems.integer(`${at}.maxBatchingWindowSeconds`, consumer.maxBatchingWindowSeconds, 0, 300, 'set maxBatchingWindowSeconds within that range');
  problems.oneOf(
    `${at}.startingPosition`,
    consumer.startingPosition,
    Object.values(StartingPosition),
    'DynamoDB streams support StartingPosition.TRIM_HORIZON or StartingPosition.LATEST (AT_TIMESTAMP is Kinesis only)',
  );
  problems.integer(
    `${at}.retryAttempts`,
    consumer.retryAttempts,
    0,
    10000,
    'set retryAttempts within that range; bounded retries keep a poison record from blocking its shard',
    true,
  );
  problems.integer(
    `${at}.maxRecordAgeSeconds`,
    consumer.maxRecordAgeSeconds,
    60,
    604800,
    'set maxRecordAgeSeconds within that range (records older than 86400 have left the stream anyway)',
    true,
  );
  problems.boolean(`${at}.bisectBatchOnError`, consumer.bisectBatchOnError);
  problems.boolean(`${at}.reportBatchItemFailures`, consumer.reportBatchItemFailures);
  problems.integer(`${at}.parallelizationFactor`, consumer.parallelizationFactor, 1, 10, 'set parallelizationFactor within that range');
  problems.integer(`${at}.tumblingWindowSeconds`, consumer.tumblingWindowSeconds, 0, 900, 'set tumblingWindowSeconds within that range (0 turns windows off)');
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
  problems.integer(`${at}.memorySize`, consumer.memorySize, 128, 10240, 'set memorySize in MB within that range');
  problems.integer(`${at}.timeoutSeconds`, consumer.timeoutSeconds, 1, 900, 'set timeoutSeconds within that range');
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
