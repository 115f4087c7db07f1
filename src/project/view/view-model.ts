import { expectedMapping, expectedTable } from './expectations';
import { consumerAlarmsView, expectedAlarms, monitoringView, type ConsumerAlarmsView, type MonitoringView } from './monitoring-view';
import { filtersInWords, windowInWords } from './readme-words';
import { redriveView, type RedriveView } from './redrive-view';
import type { AttributeConfig, ConsumerConfig, TableConfig } from '../../runtime/config';
import { propertyAccess, propertyKey } from '../render/ts-literal';
import type { ResolvedOptions, TableDeployment } from '../resolve/resolve-options';
import { camelCase, pascalCase } from '../shared/names';
import { constantOf, majorOf } from '../versions/lambda-runtime';

/** The package generated code imports its config types from (a type-only import: nothing reaches the bundle). */
export const RUNTIME_IMPORT = 'ddb-stream-template/lib/runtime';

/** Partition keys processed at once in a batch when the consumer asks AWS for parallelization (factor > 1). */
export const DEFAULT_KEY_CONCURRENCY = 10;

const TS_TYPES: Record<AttributeConfig['type'], string> = { S: 'string', N: 'number', B: 'string', BOOL: 'boolean' };

/** A declared attribute as the templates print it; names go through the `ts`, `key` and `access` helpers. */
export interface FieldView {
  readonly name: string;
  readonly tsType: string;
  readonly dynamoType: AttributeConfig['type'];
  /** A number delivered as its exact decimal text (`numberMode: NumberMode.STRING`). */
  readonly numberAsString: boolean;
  /** A number delivered as a JavaScript number, the nearest double to the stored value. */
  readonly numberAsNumber: boolean;
}

function field(attribute: AttributeConfig): FieldView {
  const asString = attribute.type === 'N' && attribute.numberMode === 'STRING';
  return {
    name: attribute.name,
    tsType: asString ? 'string' : TS_TYPES[attribute.type],
    dynamoType: attribute.type,
    numberAsString: asString,
    numberAsNumber: attribute.type === 'N' && !asString,
  };
}

export interface ConsumerView {
  readonly name: string;
  readonly pascal: string;
  readonly camel: string;
  readonly configName: string;
  readonly constructName: string;
  readonly defineHandler: string;
  readonly config: ConsumerConfig;
  readonly destination: { readonly sqs: boolean; readonly sns: boolean; readonly s3: boolean; readonly none: boolean };
  readonly hasDestination: boolean;
  readonly architecture: string;
  readonly runtime: RuntimeView;
  readonly startingPosition: string;
  readonly tumblingWindow: boolean;
  /** Partition keys run concurrently by default (parallelizationFactor > 1): the contract's default keyConcurrency. */
  readonly keyConcurrency: number;
  readonly parallelKeys: boolean;
  readonly functionResponseTypes: boolean;
  /** The event source mapping the generated test expects (see expectations.ts). */
  readonly expectedMapping: string;
  /** One batch at a time per shard: records are processed in stream order across keys, not only per key. */
  readonly inStreamOrder: boolean;
  /** The consumer's filters and tumbling window in words, for the README. */
  readonly filterWords: readonly string[];
  readonly windowWords: string | false;
  readonly alarms: ConsumerAlarmsView;
  /** Callbacks run at most once per record (`idempotency` on). */
  readonly idempotency: { readonly expirySeconds: number } | false;
  /** The stack outputs that name the deployed failure destination, and which of them the runbook's redrive reads. */
  readonly redrive: RedriveView;
}

/** The function's Node.js runtime: the CDK constant, the bundle's target, and whether `.projenrc.ts` chose it. */
export interface RuntimeView {
  /** `nodejs24.x` */
  readonly name: string;
  /** `NODEJS_24_X`, a constant of aws-cdk-lib's `lambda.Runtime` */
  readonly constant: string;
  /** `node24`, esbuild's target */
  readonly target: string;
  /**
   * Set in `.projenrc.ts` rather than defaulted: the reason the stack gives cdk-nag for accepting a runtime that is
   * not the newest (AwsSolutions-L1); false when defaulted, since the default is always the newest.
   */
  readonly chosenReason: string | false;
}

export interface ViewModel {
  readonly runtimeImport: string;
  readonly header: string;
  readonly table: {
    /** The resolved table config, printed by `{{ts table.config}}`. */
    readonly config: TableConfig;
    readonly partitionKey: FieldView;
    readonly sortKey: FieldView | false;
    readonly keyFields: FieldView[];
    readonly itemFields: FieldView[];
    /** Declared number attributes, keys included: how each is delivered. */
    readonly numberFields: FieldView[];
    readonly streamViewType: string;
    readonly newImage: boolean;
    readonly oldImage: boolean;
    readonly ttl: string | false;
    readonly imported: boolean;
    readonly deployment: TableDeployment;
    readonly provisioned: boolean;
    readonly customerManagedKey: boolean;
    readonly importedAttributes: { readonly tableArn?: string; readonly tableStreamArn?: string };
    /** The region of an imported stream (its ARN's fourth field): where the stack must deploy. */
    readonly streamRegion: string | false;
    readonly cdkEncryption: string;
  };
  readonly consumers: readonly ConsumerView[];
  readonly stackName: string;
  /** Sample-file fields (templates/sample): small expressions over the key schema. */
  readonly keyExpression: string;
  readonly expectedTable: string;
  readonly monitoring: MonitoringView;
  /** Some consumer has `idempotency` on: the managed `src/generated/idempotency.ts` is written. */
  readonly idempotency: boolean;
  /** Some consumer has a failure destination: the stack has outputs for redrive (view/redrive-view.ts). */
  readonly redriveOutputs: boolean;
}

export const MANAGED_HEADER =
  '// ~~ Generated by ddb-stream-template. Do not edit: change .projenrc.ts and run "npx projen".';

export function buildViewModel(projectName: string, resolved: ResolvedOptions): ViewModel {
  const { config, deployment } = resolved;
  const { table } = config;
  const keys = [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])];
  const consumers = config.consumers.map((c, i) => {
    const view = consumerView(c, table, deployment, resolved.chosenRuntimes.has(c.name) && `consumers[${i}].runtime`);
    return { ...view, alarms: { ...view.alarms, expected: expectedAlarms(c, view.constructName, resolved.monitoring) } };
  });
  return {
    runtimeImport: RUNTIME_IMPORT,
    header: MANAGED_HEADER,
    table: {
      config: table,
      partitionKey: field(table.partitionKey),
      sortKey: table.sortKey ? field(table.sortKey) : false,
      keyFields: keys.map(field),
      itemFields: table.attributes.map(field),
      numberFields: [...keys, ...table.attributes].filter((a) => a.type === 'N').map(field),
      streamViewType: table.streamViewType,
      newImage: table.streamViewType === 'NEW_IMAGE' || table.streamViewType === 'NEW_AND_OLD_IMAGES',
      oldImage: table.streamViewType === 'OLD_IMAGE' || table.streamViewType === 'NEW_AND_OLD_IMAGES',
      ttl: table.timeToLiveAttribute ?? false,
      imported: deployment.tableArn !== undefined,
      deployment,
      provisioned: deployment.billingMode === 'PROVISIONED',
      customerManagedKey: deployment.encryption === 'CUSTOMER_MANAGED',
      // the CDK calls the AWS owned key DEFAULT
      cdkEncryption: deployment.encryption === 'AWS_OWNED' ? 'DEFAULT' : deployment.encryption,
      importedAttributes: { tableArn: deployment.tableArn, tableStreamArn: deployment.streamArn },
      streamRegion: deployment.streamArn?.split(':')[3] ?? false,
    },
    consumers,
    stackName: `${projectName}-dev`,
    keyExpression: `{\n${keys.map((k) => `        ${propertyKey(k.name)}: item${propertyAccess(k.name)},\n`).join('')}      }`,
    expectedTable: expectedTable(table, deployment),
    idempotency: consumers.some((c) => c.idempotency !== false),
    redriveOutputs: consumers.some((c) => c.redrive.outputs.length > 0),
    monitoring: monitoringView(resolved.monitoring, consumers, {
      awsOwnedKey: deployment.encryption === 'AWS_OWNED',
      noPointInTimeRecovery: deployment.tableArn === undefined && !deployment.pointInTimeRecovery,
    }),
  };
}

function consumerView(c: ConsumerConfig, table: TableConfig, deployment: TableDeployment, runtimeChosenAt: string | false): ConsumerView {
  const pascal = pascalCase(c.name);
  const camel = camelCase(c.name);
  return {
    name: c.name,
    pascal,
    camel,
    configName: `${camel}Config`,
    constructName: `${pascal}Consumer`,
    defineHandler: `define${pascal}Handler`,
    config: c,
    destination: {
      sqs: c.failureDestination === 'SQS',
      sns: c.failureDestination === 'SNS',
      s3: c.failureDestination === 'S3',
      none: c.failureDestination === 'NONE',
    },
    hasDestination: c.failureDestination !== 'NONE',
    architecture: c.function.architecture === 'arm64' ? 'ARM_64' : 'X86_64',
    runtime: {
      name: c.function.runtime,
      constant: constantOf(c.function.runtime),
      target: `node${majorOf(c.function.runtime)}`,
      chosenReason:
        runtimeChosenAt &&
        `${runtimeChosenAt} is set to ${c.function.runtime} in .projenrc.ts: a chosen runtime is kept when aws-cdk-lib knows a newer one.`,
    },
    startingPosition: c.startingPosition,
    tumblingWindow: c.tumblingWindowSeconds > 0,
    keyConcurrency: c.parallelizationFactor > 1 ? DEFAULT_KEY_CONCURRENCY : 1,
    parallelKeys: c.parallelizationFactor > 1,
    functionResponseTypes: c.reportBatchItemFailures,
    expectedMapping: expectedMapping(c, `${pascal}Consumer`, deployment),
    redrive: redriveView(c, pascal),
    inStreamOrder: c.parallelizationFactor === 1,
    filterWords: filtersInWords(c.filters, table),
    windowWords: windowInWords(c),
    alarms: consumerAlarmsView(c),
    idempotency: c.idempotency ?? false,
  };
}
