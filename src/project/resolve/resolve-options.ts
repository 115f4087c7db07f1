import { poisonWarnings } from './poison-warnings';
import { monitoringWarnings, resolveConsumerAlarms, resolveMonitoring } from './resolve-monitoring';
import type {
  AttributeConfig,
  ConsumerConfig,
  ConsumerIdempotencyConfig,
  MonitoringConfig,
  StreamAppConfig,
  TableConfig,
} from '../../runtime/config';
import {
  CONSUMER_DEFAULTS,
  DEFAULT_IDEMPOTENCY_EXPIRY_SECONDS,
  FUNCTION_DEFAULTS,
  STREAM_RETENTION_SECONDS,
} from '../../runtime/rules/consumer-rules';
import { DEFAULT_CAPACITY_UNITS, DEFAULT_CONSUMER_NAME, DEFAULT_PARTITION_KEY } from '../options/defaults';
import { StreamViewType } from '../options/enums';
import { buildFilterPatterns } from '../options/filters';
import { NumberMode, TableBillingMode, TableEncryptionMode, TableRemovalPolicy } from '../options/options';
import type { ConsumerOptions, DdbStreamAppOptions, TableOptions } from '../options/options';
import { checkUnknownOptions } from '../options/unknown-options';
import { checkConsumers } from '../options/validate-consumer';
import { checkMonitoring } from '../options/validate-monitoring';
import { checkTable } from '../options/validate-table';
import { ProblemCollector, type OptionWarning } from '../shared/checks';
import { DdbStreamOptionsError } from '../shared/errors';
import { checkCdkVersion, isUnsupportedCdkVersion, pinnedCdkVersion, TESTED_CDK_VERSION } from '../versions/cdk-version';
import { checkRuntime, defaultRuntime } from '../versions/lambda-runtime';

/** Everything the generated files need, beyond the runtime config: CDK-only table settings. */
export interface TableDeployment {
  readonly billingMode: TableBillingMode;
  readonly readCapacity: number;
  readonly writeCapacity: number;
  readonly pointInTimeRecovery: boolean;
  readonly deletionProtection: boolean;
  readonly removalPolicy: TableRemovalPolicy;
  readonly encryption: TableEncryptionMode;
  readonly tableName?: string;
  readonly tableArn?: string;
  readonly streamArn?: string;
}

export interface ResolvedOptions {
  readonly config: StreamAppConfig;
  readonly deployment: TableDeployment;
  /** Alarm notifications and the dashboard (stack-wide). */
  readonly monitoring: MonitoringConfig;
  readonly warnings: readonly OptionWarning[];
  /** The exact aws-cdk-lib the project depends on (see pinnedCdkVersion). */
  readonly cdkLibVersion: string;
  /** The consumers whose runtime is set in `.projenrc.ts` rather than defaulted. */
  readonly chosenRuntimes: ReadonlySet<string>;
}

/**
 * Validates the options and applies our defaults. Throws one `DdbStreamOptionsError` listing every problem, before
 * anything is written.
 */
export function resolveOptions(options: DdbStreamAppOptions): ResolvedOptions {
  const problems = new ProblemCollector();
  checkUnknownOptions(problems, options);
  checkCdkVersion(problems, options.cdkVersion);
  checkTable(problems, options.table);
  checkConsumers(problems, options.consumers);
  checkMonitoring(problems, options.monitoring);
  checkFilters(problems, options);
  // an unusable cdkVersion is reported above; runtimes are then checked against the release we test with
  const cdkLibVersion =
    options.cdkVersion === undefined || isUnsupportedCdkVersion(options.cdkVersion) ? TESTED_CDK_VERSION : pinnedCdkVersion(options.cdkVersion);
  if (Array.isArray(options.consumers)) {
    options.consumers.forEach((c, i) => checkRuntime(problems, `consumers[${i}].runtime`, c?.runtime, cdkLibVersion));
  }
  if (problems.problems.length > 0) throw new DdbStreamOptionsError(problems.problems);

  const table = resolveTable(options.table);
  const consumerOptions = options.consumers ?? [{ name: DEFAULT_CONSUMER_NAME }];
  const consumers = consumerOptions.map((c, i) => resolveConsumer(`consumers[${i}]`, c, table, cdkLibVersion));

  const config: StreamAppConfig = { table, consumers };
  const monitoring = resolveMonitoring(options.monitoring);
  return {
    config,
    deployment: resolveDeployment(options.table),
    monitoring,
    warnings: [...warningsFor(config), ...monitoringWarnings(consumers, monitoring)],
    cdkLibVersion,
    chosenRuntimes: new Set(consumerOptions.filter((c) => c.runtime !== undefined).map((c) => c.name)),
  };
}

/**
 * Checks every consumer's filters in the same pass as the other options, so that one error message lists range,
 * name and filter problems together. Filters are checked against the table as far as it is readable: attributes
 * with a broken declaration are reported by the table checks and left out here.
 */
function checkFilters(problems: ProblemCollector, options: DdbStreamAppOptions): void {
  const consumers = options.consumers;
  if (!Array.isArray(consumers)) return;
  const table = readableTable(options.table);
  if (table === undefined) return;
  consumers.forEach((consumer, i) => {
    if (consumer === null || typeof consumer !== 'object' || !Array.isArray(consumer.filters)) return;
    buildFilterPatterns(problems, `consumers[${i}].filters`, consumer.filters, table);
  });
}

/** The table as filters see it, when its key, attributes and view type can be read at all. */
function readableTable(table: TableOptions | undefined): TableConfig | undefined {
  const usable = (a: unknown): a is { name: string; type: string } =>
    a !== null && typeof a === 'object' && typeof (a as { name?: unknown }).name === 'string' && typeof (a as { type?: unknown }).type === 'string';
  if (table !== undefined && (table === null || typeof table !== 'object')) return undefined;
  if (table?.partitionKey !== undefined && !usable(table.partitionKey)) return undefined;
  const attributes = Array.isArray(table?.attributes) ? table.attributes.filter(usable) : [];
  return resolveTable({
    ...table,
    partitionKey: table?.partitionKey ?? DEFAULT_PARTITION_KEY,
    sortKey: usable(table?.sortKey) ? table.sortKey : undefined,
    attributes,
    // an unknown view type is reported by the table checks; filters are then checked as if images were delivered
    streamViewType: Object.values(StreamViewType).includes(table?.streamViewType as StreamViewType)
      ? table?.streamViewType
      : StreamViewType.NEW_AND_OLD_IMAGES,
  } as TableOptions);
}

function resolveTable(table: TableOptions | undefined): TableConfig {
  const key = (a: { name: string; type: string; numberMode?: NumberMode }): AttributeConfig => ({
    name: a.name,
    type: a.type as AttributeConfig['type'],
    ...(a.type === 'N' && a.numberMode === NumberMode.STRING ? { numberMode: 'STRING' as const } : {}),
  });
  const partitionKey = key(table?.partitionKey ?? DEFAULT_PARTITION_KEY);
  const sortKey = table?.sortKey ? key(table.sortKey) : undefined;
  const keyNames = [partitionKey.name, sortKey?.name];
  return {
    partitionKey,
    ...(sortKey ? { sortKey } : {}),
    attributes: (table?.attributes ?? []).filter((a) => !keyNames.includes(a.name)).map(key),
    streamViewType: table?.streamViewType ?? 'NEW_AND_OLD_IMAGES',
    ...(table?.timeToLiveAttribute ? { timeToLiveAttribute: table.timeToLiveAttribute } : {}),
  };
}

function resolveDeployment(table: TableOptions | undefined): TableDeployment {
  return {
    billingMode: table?.billingMode ?? TableBillingMode.PAY_PER_REQUEST,
    readCapacity: table?.readCapacity ?? DEFAULT_CAPACITY_UNITS,
    writeCapacity: table?.writeCapacity ?? DEFAULT_CAPACITY_UNITS,
    pointInTimeRecovery: table?.pointInTimeRecovery ?? true,
    deletionProtection: table?.deletionProtection ?? false,
    removalPolicy: table?.removalPolicy ?? TableRemovalPolicy.RETAIN,
    encryption: table?.encryption ?? TableEncryptionMode.AWS_MANAGED,
    tableName: table?.tableName,
    tableArn: table?.tableArn,
    streamArn: table?.streamArn,
  };
}

function resolveConsumer(at: string, consumer: ConsumerOptions, table: TableConfig, cdkLibVersion: string): ConsumerConfig {
  const d = CONSUMER_DEFAULTS;
  const f = FUNCTION_DEFAULTS;
  return {
    name: consumer.name,
    batchSize: consumer.batchSize ?? d.batchSize,
    maxBatchingWindowSeconds: consumer.maxBatchingWindowSeconds ?? d.maxBatchingWindowSeconds,
    startingPosition: consumer.startingPosition ?? d.startingPosition,
    retryAttempts: consumer.retryAttempts ?? d.retryAttempts,
    maxRecordAgeSeconds: consumer.maxRecordAgeSeconds ?? d.maxRecordAgeSeconds,
    bisectBatchOnError: consumer.bisectBatchOnError ?? d.bisectBatchOnError,
    reportBatchItemFailures: consumer.reportBatchItemFailures ?? d.reportBatchItemFailures,
    parallelizationFactor: consumer.parallelizationFactor ?? d.parallelizationFactor,
    tumblingWindowSeconds: consumer.tumblingWindowSeconds ?? d.tumblingWindowSeconds,
    // checked with the other options already (checkFilters): this pass only builds the patterns
    filters: buildFilterPatterns(new ProblemCollector(), `${at}.filters`, consumer.filters ?? [], table),
    failureDestination: consumer.failureDestination ?? d.failureDestination,
    enabled: consumer.enabled ?? d.enabled,
    eventCountMetrics: consumer.eventCountMetrics ?? d.eventCountMetrics,
    function: {
      memorySize: consumer.memorySize ?? f.memorySize,
      timeoutSeconds: consumer.timeoutSeconds ?? f.timeoutSeconds,
      architecture: consumer.architecture ?? f.architecture,
      runtime: consumer.runtime ?? defaultRuntime(cdkLibVersion),
      environment: { ...(consumer.environment ?? {}) },
      logRetentionDays: consumer.logRetentionDays ?? f.logRetentionDays,
    },
    alarms: resolveConsumerAlarms(consumer),
    ...resolveIdempotency(consumer),
  };
}

/** Legal settings that can lose records or stall a shard: said at every synth, so nobody is surprised. */
function warningsFor(config: StreamAppConfig): OptionWarning[] {
  const warnings: OptionWarning[] = [];
  config.consumers.forEach((c, i) => {
    const at = `consumers[${i}]`;
    warnings.push(...poisonWarnings(c, at));
    if (c.failureDestination === 'NONE') {
      warnings.push({
        option: `${at}.failureDestination`,
        message: 'NONE: batches discarded after retries or by record age are lost without a trace, and cannot be redriven',
      });
    }
    if (c.maxRecordAgeSeconds > STREAM_RETENTION_SECONDS) {
      warnings.push({
        option: `${at}.maxRecordAgeSeconds`,
        message: `${c.maxRecordAgeSeconds} is beyond the stream's 24 h retention (${STREAM_RETENTION_SECONDS}): records are trimmed before they reach that age`,
      });
    }
    if (c.maxBatchingWindowSeconds > 0 && c.maxBatchingWindowSeconds >= c.function.timeoutSeconds) {
      warnings.push({
        option: `${at}.maxBatchingWindowSeconds`,
        message: `${c.maxBatchingWindowSeconds} s is not shorter than timeoutSeconds (${c.function.timeoutSeconds} s): records wait longer to be gathered than the function may run`,
      });
    }
  });
  return warnings;
}

/** The consumer config's `idempotency` member: present only when it is on. */
export function resolveIdempotency(consumer: ConsumerOptions): { idempotency?: ConsumerIdempotencyConfig } {
  if (consumer.idempotency?.enabled !== true) return {};
  return { idempotency: { expirySeconds: consumer.idempotency.expirySeconds ?? DEFAULT_IDEMPOTENCY_EXPIRY_SECONDS } };
}
