import type { Baseline } from './baseline';
import {
  mappingsReplaced,
  oldTableFate,
  PAGES,
  RESOURCE,
  restartOnNewStream,
  showValue,
  type DeploymentChange,
} from './effects';
import type { AttributeConfig } from '../../runtime/config';

const NONE = '(none)';
const CREATED = '(a table created by the stack)';

/** The changes to the table and its stream between two baselines. */
export function tableChanges(before: Baseline, after: Baseline): DeploymentChange[] {
  const wasImported = before.deployment.tableArn !== undefined;
  const isImported = after.deployment.tableArn !== undefined;
  if (wasImported !== isImported) return [tableSourceChange(before, after)];
  if (isImported) return importedStreamChange(before, after);
  return [
    ...keyChanges(before, after, 'partitionKey'),
    ...keyChanges(before, after, 'sortKey'),
    ...tableNameChange(before, after),
    ...streamViewTypeChange(before, after),
    ...inPlaceTableChanges(before, after),
    ...itemTypeChanges(before, after),
  ];
}

/**
 * Declared attributes and number modes shape only the handler's item types and how numbers are decoded: nothing in
 * DynamoDB, but every function's bundle, which carries the generated config.
 */
function itemTypeChanges(before: Baseline, after: Baseline): DeploymentChange[] {
  const rebuilt = {
    risky: false,
    resources: after.consumers.map((c) => ({ type: RESOURCE.function, action: 'updated' as const, consumer: c.name })),
  };
  const modes = (['partitionKey', 'sortKey'] as const)
    .filter((k) => before.table[k]?.name === after.table[k]?.name && before.table[k]?.type === after.table[k]?.type)
    .filter((k) => (before.table[k]?.numberMode ?? 'NUMBER') !== (after.table[k]?.numberMode ?? 'NUMBER'))
    .map((k) => ({
      change: `table.${k}.numberMode`,
      from: before.table[k]?.numberMode ?? 'NUMBER',
      to: after.table[k]?.numberMode ?? 'NUMBER',
      effect: 'in place: the table is unchanged; the functions are rebuilt and decode the key as the new mode says',
      ...rebuilt,
    }));
  const [old, now] = [before.table.attributes, after.table.attributes];
  if (JSON.stringify(old) === JSON.stringify(now)) return modes;
  return [
    ...modes,
    {
      change: 'table.attributes',
      from: showValue(old),
      to: showValue(now),
      effect: 'in place: the table is unchanged (DynamoDB declares only keys); the functions are rebuilt with the new item types',
      ...rebuilt,
    },
  ];
}

/** Replacing the table: a new, empty table with a new stream, so every mapping starts again on it. */
function replacement(before: Baseline, after: Baseline, why: string): Pick<DeploymentChange, 'effect' | 'risky' | 'resources'> {
  if (after.deployment.tableName !== undefined && after.deployment.tableName === before.deployment.tableName) {
    return {
      effect:
        `${why}, which CloudFormation cannot do for a table with a fixed tableName ("${after.deployment.tableName}"): ` +
        'the deployment fails and rolls back; remove tableName or give a new one to replace the table',
      risky: true,
      resources: [{ type: RESOURCE.table, action: 'replaced' }, ...mappingsReplaced(after.consumers)],
    };
  }
  return {
    effect:
      `${why}: CloudFormation creates a new, empty table; ${oldTableFate(after.deployment.removalPolicy)}. ` +
      `The new table has a new stream, so every mapping is re-created on it (${PAGES.keySchema})`,
    risky: true,
    resources: [{ type: RESOURCE.table, action: 'replaced' }, ...mappingsReplaced(after.consumers)],
  };
}

function keyChanges(before: Baseline, after: Baseline, which: 'partitionKey' | 'sortKey'): DeploymentChange[] {
  const old: AttributeConfig | undefined = before.table[which];
  const now: AttributeConfig | undefined = after.table[which];
  const label = which === 'partitionKey' ? 'partition key' : 'sort key';
  if (old?.name !== now?.name) {
    const describe = (a: AttributeConfig | undefined) => (a ? a.name : NONE);
    const change = old && now ? `table.${which}.name` : `table.${which}`;
    const what = !old ? `a new ${label}` : !now ? `no ${label}` : `a new ${label} name`;
    return [
      {
        change,
        from: describe(old),
        to: describe(now),
        ...replacement(before, after, `${what} replaces the table`),
        // a new key is a new table: its type and number mode come with it
        covers: [`table.${which}`],
      },
    ];
  }
  if (old && now && old.type !== now.type) {
    return [
      {
        change: `table.${which}.type`,
        from: old.type,
        to: now.type,
        effect:
          `DynamoDB cannot change the type of a key attribute on an existing table (${PAGES.updateTable}): cdk diff shows ` +
          'an update of AttributeDefinitions, which fails at deploy time and rolls back. To change the type, the table ' +
          'must be replaced: give the key a new name too (or a new tableName), and migrate the items',
        risky: true,
        resources: [{ type: RESOURCE.table, action: 'update-fails' }],
        covers: [`table.${which}.numberMode`],
      },
    ];
  }
  return [];
}

function tableNameChange(before: Baseline, after: Baseline): DeploymentChange[] {
  const [old, now] = [before.deployment.tableName, after.deployment.tableName];
  if (old === now) return [];
  return [
    {
      change: 'table.tableName',
      from: old ?? '(generated)',
      to: now ?? '(generated)',
      ...replacement({ ...before, deployment: { ...before.deployment, tableName: undefined } }, after, 'a new table name replaces the table'),
    },
  ];
}

/** A new view type is a new stream: CloudFormation's template diff cannot see that the mappings follow. */
function streamViewTypeChange(before: Baseline, after: Baseline): DeploymentChange[] {
  const [old, now] = [before.table.streamViewType, after.table.streamViewType];
  if (old === now) return [];
  return [
    {
      change: 'table.streamViewType',
      from: old,
      to: now,
      effect:
        'the table stays, but DynamoDB creates a new stream for the new view type and deletes the old one after 24 hours ' +
        `(${PAGES.streamViewType}). The new stream has a new ARN, and a mapping's EventSourceArn cannot change in place, ` +
        `so CloudFormation re-creates every mapping though cdk diff shows no change to them (${PAGES.eventSourceArn}): ` +
        after.consumers.map(restartOnNewStream).join('; '),
      risky: after.consumers.length > 0,
      resources: [{ type: RESOURCE.table, action: 'updated' }, ...mappingsReplaced(after.consumers, PAGES.streamViewType)],
    },
  ];
}

/** Created <-> imported: the stack stops managing its table, or starts a new one; the mappings move streams. */
function tableSourceChange(before: Baseline, after: Baseline): DeploymentChange {
  const toImported = after.deployment.tableArn !== undefined;
  const effect = toImported
    ? `the stack stops managing the table it created: ${oldTableFate(before.deployment.removalPolicy)}. ` +
      `Every mapping is re-created on the stream of ${after.deployment.tableArn}: ${after.consumers.map(restartOnNewStream).join('; ')}`
    : 'the stack creates a new, empty table and re-creates every mapping on its stream; the imported table is left as it is';
  return {
    change: 'table.tableArn',
    from: before.deployment.tableArn ?? CREATED,
    to: after.deployment.tableArn ?? CREATED,
    effect,
    risky: true,
    // the stack's table comes from elsewhere (or from these options) as a whole
    covers: ['table'],
    resources: [
      { type: RESOURCE.table, action: toImported ? (before.deployment.removalPolicy === 'RETAIN' ? 'orphaned' : 'deleted') : 'created' },
      ...mappingsReplaced(after.consumers),
    ],
  };
}

function importedStreamChange(before: Baseline, after: Baseline): DeploymentChange[] {
  const [old, now] = [before.deployment.streamArn, after.deployment.streamArn];
  if (old === now) return [];
  return [
    {
      change: 'table.streamArn',
      from: old ?? NONE,
      to: now ?? NONE,
      effect: `every mapping is re-created on the new stream (${PAGES.eventSourceArn}): ${after.consumers.map(restartOnNewStream).join('; ')}`,
      risky: true,
      resources: mappingsReplaced(after.consumers),
    },
  ];
}

/** Settings DynamoDB changes on the live table, keeping its items and its stream. */
function inPlaceTableChanges(before: Baseline, after: Baseline): DeploymentChange[] {
  const b = before.deployment;
  const a = after.deployment;
  const provisioned = a.billingMode === 'PROVISIONED';
  const rows: Array<[string, unknown, unknown, string]> = [
    ['table.billingMode', b.billingMode, a.billingMode, 'in place: the table keeps its items and its stream while the capacity mode changes'],
    ['table.readCapacity', provisioned ? b.readCapacity : a.readCapacity, a.readCapacity, 'in place'],
    ['table.writeCapacity', provisioned ? b.writeCapacity : a.writeCapacity, a.writeCapacity, 'in place'],
    ['table.pointInTimeRecovery', b.pointInTimeRecovery, a.pointInTimeRecovery, a.pointInTimeRecovery ? 'in place: backups start now' : 'in place: existing point-in-time backups are no longer available for restore'],
    ['table.deletionProtection', b.deletionProtection, a.deletionProtection, 'in place'],
    ['table.encryption', b.encryption, a.encryption, 'in place: DynamoDB re-encrypts the table in the background'],
    ['table.timeToLiveAttribute', before.table.timeToLiveAttribute ?? NONE, after.table.timeToLiveAttribute ?? NONE, 'in place: items expire by the new attribute (TTL deletions arrive as REMOVE records)'],
    ['table.removalPolicy', b.removalPolicy, a.removalPolicy, 'nothing changes now; decides what a later replacement or removal of the table does with its items'],
  ];
  return rows
    .filter(([, from, to]) => from !== to)
    .map(([change, from, to, effect]) => ({
      change,
      from: String(from),
      to: String(to),
      effect,
      risky: false,
      resources: change === 'table.removalPolicy' ? [] : [{ type: RESOURCE.table, action: 'updated' as const }],
    }));
}
