import * as fs from 'fs';
import * as path from 'path';
import { ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { cloudFormationDiff, synthTemplate, type ResourceDiff } from './cloudformation';
import {
  AttributeType,
  FailureDestination,
  NodejsRuntime,
  StartingPosition,
  StreamEventName,
  StreamViewType,
  TableBillingMode,
  type DdbStreamAppOptions,
} from '../../../src';
import { baselineOf } from '../../../src/project/changes/baseline';
import { type DeploymentChange, type ResourceEffect } from '../../../src/project/changes/effects';
import { deploymentChanges } from '../../../src/project/changes/summary';
import { resolveOptions } from '../../../src/project/resolve/resolve-options';
import { pascalCase } from '../../../src/project/shared/names';
import { ROOT, type TestOptions } from '../helpers';

/**
 * The truth is CloudFormation's: for each kind of change, the generated stack is synthesized before and after, and the
 * summary is checked against `fullDiff`, the offline diff `cdk diff --template <before.json>` prints.
 */
const TABLE = { partitionKey: { name: 'pk', type: AttributeType.STRING } };
const AUDIT = { name: 'audit' }; // SQS failure destination (the default), TRIM_HORIZON
const SEARCH = { name: 'search', failureDestination: FailureDestination.S3 };
const BEFORE: TestOptions = { table: TABLE, consumers: [AUDIT, SEARCH] };
const audit = (edit: object): TestOptions => ({ ...BEFORE, consumers: [{ ...AUDIT, ...edit }, SEARCH] });
const IDEMPOTENT: TestOptions = audit({ idempotency: { enabled: true } });
const table = (edit: object): TestOptions => ({ ...BEFORE, table: { ...TABLE, ...edit } });

interface Case {
  /** the options deployed before the change, when not BEFORE */
  readonly before?: TestOptions;
  readonly after: TestOptions;
  /** change, from, to, and whether it is refused without an acknowledgement */
  readonly expected: ReadonlyArray<readonly [string, string, string, boolean]>;
}

const CASES: Record<string, Case> = {
  'partition key name': { after: table({ partitionKey: { name: 'orderId', type: AttributeType.STRING } }), expected: [['table.partitionKey.name', 'pk', 'orderId', true]] },
  'partition key type': { after: table({ partitionKey: { name: 'pk', type: AttributeType.NUMBER } }), expected: [['table.partitionKey.type', 'S', 'N', true]] },
  'sort key added': { after: table({ sortKey: { name: 'createdAt', type: AttributeType.NUMBER } }), expected: [['table.sortKey', '(none)', 'createdAt', true]] },
  'stream view type': { after: table({ streamViewType: StreamViewType.NEW_IMAGE }), expected: [['table.streamViewType', 'NEW_AND_OLD_IMAGES', 'NEW_IMAGE', true]] },
  'consumer renamed': { after: { ...BEFORE, consumers: [{ name: 'audit-v2' }, SEARCH] }, expected: [['consumers.audit.name', 'audit', 'audit-v2', true]] },
  'consumer removed (SQS destination)': { after: { ...BEFORE, consumers: [SEARCH] }, expected: [['consumers.audit', 'audit', '(removed)', true]] },
  'consumer removed (S3 destination)': { after: { ...BEFORE, consumers: [AUDIT] }, expected: [['consumers.search', 'search', '(removed)', false]] },
  'startingPosition': { after: audit({ startingPosition: StartingPosition.LATEST }), expected: [['consumers.audit.startingPosition', 'TRIM_HORIZON', 'LATEST', true]] },
  'failure destination SQS -> SNS': { after: audit({ failureDestination: FailureDestination.SNS }), expected: [['consumers.audit.failureDestination', 'SQS', 'SNS', true]] },
  'tableArn switch': {
    after: table({
      tableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders',
      streamArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000',
    }),
    expected: [['table.tableArn', '(a table created by the stack)', 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders', true]],
  },
  'billing mode': { after: table({ billingMode: TableBillingMode.PROVISIONED }), expected: [['table.billingMode', 'PAY_PER_REQUEST', 'PROVISIONED', false]] },
  'batch size': { after: audit({ batchSize: 10 }), expected: [['consumers.audit.batchSize', '100', '10', false]] },
  'retries': { after: audit({ retryAttempts: 2 }), expected: [['consumers.audit.retryAttempts', '5', '2', false]] },
  'filters': {
    after: audit({ filters: [{ eventNames: [StreamEventName.INSERT] }] }),
    expected: [['consumers.audit.filters', '[]', '[{"eventName":["INSERT"]}]', false]],
  },
  'memory': { after: audit({ memorySize: 1024 }), expected: [['consumers.audit.memorySize', '256', '1024', false]] },
  'runtime': { after: audit({ runtime: NodejsRuntime.NODEJS_22_X }), expected: [['consumers.audit.runtime', 'nodejs24.x', 'nodejs22.x', false]] },
  'idempotency on': { after: IDEMPOTENT, expected: [['consumers.audit.idempotency.enabled', 'false', 'true', false]] },
  'idempotency off': { before: IDEMPOTENT, after: BEFORE, expected: [['consumers.audit.idempotency.enabled', 'true', 'false', false]] },
  'idempotency expiry': {
    before: IDEMPOTENT,
    after: audit({ idempotency: { enabled: true, expirySeconds: 172800 } }),
    expected: [['consumers.audit.idempotency.expirySeconds', '86400', '172800', false]],
  },
  'alarm threshold': { after: audit({ alarms: { functionErrors: 5 } }), expected: [['consumers.audit.alarms.functionErrors', '1', '5', false]] },
};

const REQUIRED = { name: 'orders-consumer', defaultReleaseBranch: 'main', cdkVersion: '2.276.0' };
const summaryOf = (before: TestOptions, after: TestOptions) =>
  deploymentChanges(
    baselineOf(resolveOptions({ ...REQUIRED, ...before } as DdbStreamAppOptions)),
    baselineOf(resolveOptions({ ...REQUIRED, ...after } as DdbStreamAppOptions)),
  );

/** Whether a diffed resource belongs to the summarized one: the table, a consumer's constructs or its alarms. */
function owns(effect: ResourceEffect, resource: ResourceDiff): boolean {
  if (resource.type !== effect.type) return false;
  if (effect.consumer === undefined) return true;
  const p = pascalCase(effect.consumer);
  return resource.logicalId.startsWith(`${p}Consumer`) || resource.logicalId.startsWith(`Monitoring${p}Alarms`);
}

const IMPACT_OF: Record<ResourceEffect['action'], ResourceImpact[]> = {
  'updated': [ResourceImpact.WILL_UPDATE],
  // the diff shows the update; DynamoDB rejects it at deploy time, which the summary says
  'update-fails': [ResourceImpact.WILL_UPDATE],
  'replaced': [ResourceImpact.WILL_REPLACE],
  'created': [ResourceImpact.WILL_CREATE],
  'deleted': [ResourceImpact.WILL_DESTROY],
  'orphaned': [ResourceImpact.WILL_ORPHAN],
};
const LOSES_RESOURCE = [ResourceImpact.WILL_REPLACE, ResourceImpact.MAY_REPLACE, ResourceImpact.WILL_DESTROY, ResourceImpact.WILL_ORPHAN];
/** Resources that hold data or a stream position: none of them may be replaced, deleted or orphaned unannounced. */
const STATEFUL = ['AWS::DynamoDB::Table', 'AWS::Lambda::EventSourceMapping', 'AWS::Lambda::Function', 'AWS::SQS::Queue', 'AWS::SNS::Topic', 'AWS::S3::Bucket'];

/** One row of the table in the report: change -> summary line -> what cdk diff reports -> refused or not. */
const rows: string[] = [];

describe('the summary agrees with the CDK offline diff (cdk diff --template)', () => {
  const templates = new Map<TestOptions, object>();
  const templateOf = (options: TestOptions): object => {
    if (!templates.has(options)) templates.set(options, synthTemplate(options));
    return templates.get(options)!;
  };
  afterAll(() => {
    const header = '| kind of change | summary line | cdk diff reports | refused? |\n| --- | --- | --- | --- |';
    fs.writeFileSync(path.join(ROOT, '.scratch', 'changes-table.md'), [header, ...rows].join('\n') + '\n');
  });

  test.each(Object.keys(CASES))('%s', (name) => {
    const { before = BEFORE, after, expected } = CASES[name];
    const changes = summaryOf(before, after);
    const diff = cloudFormationDiff(templateOf(before), templateOf(after));
    rows.push(tableRow(name, changes, diff));

    expect(changes.map((c) => [c.change, c.from, c.to, c.risky])).toEqual(expected);
    for (const change of changes) expectAgreement(change, diff);
    expectNothingUnannounced(changes, diff);
  });
});

function expectAgreement(change: DeploymentChange, diff: ResourceDiff[]): void {
  for (const effect of change.resources) {
    const diffed = diff.filter((d) => owns(effect, d));
    if (effect.indirect) {
      // cdk diff cannot see it (the template keeps the same Fn::GetAtt): the summary says so, with the page that says why
      expect(diffed.filter((d) => LOSES_RESOURCE.includes(d.impact))).toEqual([]);
      expect(change.effect).toContain(effect.indirect);
      expect(change.effect).toContain('though cdk diff shows no change');
    } else {
      const found = diffed.some((d) => IMPACT_OF[effect.action].includes(d.impact));
      expect({ effect, impacts: diffed.map((d) => `${d.logicalId}: ${d.impact}`), found }).toMatchObject({ found: true });
    }
  }
  if (change.effect.startsWith('in place')) {
    // never "in place" when the diff replaces, deletes or orphans anything
    expect(diff.filter((d) => LOSES_RESOURCE.includes(d.impact))).toEqual([]);
  }
}

function expectNothingUnannounced(changes: DeploymentChange[], diff: ResourceDiff[]): void {
  for (const resource of diff.filter((d) => STATEFUL.includes(d.type) && LOSES_RESOURCE.includes(d.impact))) {
    const announced = changes.some((c) => c.resources.some((e) => owns(e, resource) && e.action !== 'updated' && !e.indirect));
    expect({ resource: `${resource.logicalId}: ${resource.impact}`, announced }).toMatchObject({ announced: true });
  }
}

function tableRow(name: string, changes: DeploymentChange[], diff: ResourceDiff[]): string {
  const summary = changes.map((c) => `${c.change}: ${c.from} -> ${c.to}: ${c.effect}`).join('<br>');
  const stateful = diff.filter((d) => [...STATEFUL, 'AWS::CloudWatch::Alarm'].includes(d.type) && !(d.type === 'AWS::Lambda::Function' && d.impact === ResourceImpact.WILL_UPDATE && Object.keys(d.properties).join() === 'Code'));
  const reported = stateful.map((d) => `${d.type.replace(/^AWS::/, '')} ${d.logicalId.replace(/[0-9A-F]{8}$/, '')}: ${d.impact}${Object.keys(d.properties).length ? ` (${Object.entries(d.properties).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}`);
  const indirect = changes.some((c) => c.resources.some((r) => r.indirect)) ? ' (no mapping change: cdk diff cannot see the new stream ARN)' : '';
  return `| ${name} | ${summary.replace(/\|/g, '\\|')} | ${reported.join('<br>') || 'no stateful resource'}${indirect} | ${changes.some((c) => c.risky) ? 'refused' : 'no'} |`;
}
