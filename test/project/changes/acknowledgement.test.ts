import * as fs from 'fs';
import * as path from 'path';
import { recordDeploymentIn, summaryOf, synthIn } from './synth-in';
import { AttributeType, FailureDestination, StartingPosition, type IdempotencyOptions } from '../../../src';
import { BASELINE_FILE, DEPLOYED_FILE } from '../../../src/project/changes/baseline';
import { emptyDir, snapshotTree, testApp, type TestOptions } from '../helpers';

const TWO_CONSUMERS: TestOptions = {
  table: { partitionKey: { name: 'pk', type: AttributeType.STRING } },
  consumers: [{ name: 'audit' }, { name: 'search', failureDestination: FailureDestination.S3 }],
};
const NEW_KEY: TestOptions = { ...TWO_CONSUMERS, table: { partitionKey: { name: 'orderId', type: AttributeType.STRING } } };
const PARTITION_KEY_ACK = { change: 'table.partitionKey.name', from: 'pk', to: 'orderId' };

test('GIVEN projen new THEN it prints no summary, and a second synth with no edit prints nothing about changes', () => {
  const dir = emptyDir('ddb-stream-changes-');
  const args = { name: 'orders-consumer', defaultReleaseBranch: 'main', cdkVersion: '2.276.0', packageManager: 'npm', projenrcTs: true };
  const created = synthIn(dir, { ...args, __new__: { args, fqn: 'ddb-stream-template.DdbStreamApp' } } as unknown as TestOptions);
  expect(fs.existsSync(path.join(dir, '.projenrc.ts'))).toBe(true);
  expect(summaryOf(created.log)).toBe('');
  expect(fs.existsSync(path.join(dir, BASELINE_FILE))).toBe(true);

  const again = synthIn(dir, {});
  expect(again.log).not.toMatch(/What the next deployment changes|acknowledgedChanges/);
});

describe('GIVEN a new project', () => {
  const dir = emptyDir('ddb-stream-changes-');
  const first = synthIn(dir, TWO_CONSUMERS);

  test('THEN the first synth prints no summary and writes the baseline', () => {
    expect(summaryOf(first.log)).toBe('');
    const baseline = JSON.parse(fs.readFileSync(path.join(dir, BASELINE_FILE), 'utf-8'));
    expect(baseline.table.partitionKey).toEqual({ name: 'pk', type: 'S' });
    expect(baseline.consumers.map((c: { name: string }) => c.name)).toEqual(['audit', 'search']);
  });

  test('WHEN synthesized again with no edit THEN it prints nothing about changes and changes no file', () => {
    const before = snapshotTree(dir);
    const again = synthIn(dir, TWO_CONSUMERS);
    expect(summaryOf(again.log)).toBe('');
    expect(snapshotTree(dir)).toEqual(before);
  });
});

describe('GIVEN a deployed project WHEN the partition key name changes', () => {
  const dir = emptyDir('ddb-stream-changes-');
  recordDeploymentIn(dir, synthIn(dir, TWO_CONSUMERS).project);
  const deployed = snapshotTree(dir);

  test('THEN synth refuses, names the change, its consequence and the line to add, and writes nothing', () => {
    expect(() => testApp(NEW_KEY, dir)).toThrow(
      [
        '1 change in .projenrc.ts would lose stored data or make a mapping reprocess or skip records; nothing was written:',
        '  - table.partitionKey.name: pk -> orderId: a new partition key name replaces the table: CloudFormation creates a new, empty table; ' +
          'the old table and its items stay in your account outside the stack (removalPolicy RETAIN): migrate or delete them yourself. ' +
          'The new table has a new stream, so every mapping is re-created on it ' +
          '(https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html#cfn-dynamodb-table-keyschema).',
        'To deploy anyway, add to the DdbStreamApp options in .projenrc.ts, and remove it after the deployment:',
        '  acknowledgedChanges: [',
        '    { change: "table.partitionKey.name", from: "pk", to: "orderId" },',
        '  ],',
        'Or undo the change: the options then match what is deployed (.projen/deployed-baseline.json) again.',
      ].join('\n'),
    );
    expect(snapshotTree(dir)).toEqual(deployed);
  });

  test('THEN running again refuses again: a refusal is never silenced by retrying', () => {
    expect(() => testApp(NEW_KEY, dir)).toThrow(/table\.partitionKey\.name: pk -> orderId/);
    expect(() => testApp(NEW_KEY, dir)).toThrow(/table\.partitionKey\.name: pk -> orderId/);
    expect(snapshotTree(dir)).toEqual(deployed);
  });

  test('THEN an acknowledgement of another value does not let it through', () => {
    const other = { ...PARTITION_KEY_ACK, to: 'customerId' };
    expect(() => testApp({ ...NEW_KEY, acknowledgedChanges: [other] }, dir)).toThrow(/pk -> orderId/);
    expect(() => testApp({ ...NEW_KEY, acknowledgedChanges: [{ change: 'table', from: 'pk', to: 'orderId' }] }, dir)).toThrow(/pk -> orderId/);
  });

  test('WHEN acknowledged THEN synth prints the summary, marks it acknowledged, and moves the baseline', () => {
    const { log } = synthIn(dir, { ...NEW_KEY, acknowledgedChanges: [PARTITION_KEY_ACK] });
    const summary = summaryOf(log);
    expect(summary).toContain(`What the next deployment changes in AWS (since the last deployment, ${DEPLOYED_FILE}):`);
    expect(summary).toContain('  - table.partitionKey.name: pk -> orderId: a new partition key name replaces the table');
    expect(summary).toContain('[acknowledged].');
    const baseline = JSON.parse(fs.readFileSync(path.join(dir, BASELINE_FILE), 'utf-8'));
    expect(baseline.table.partitionKey).toEqual({ name: 'orderId', type: 'S' });
  });

  test('THEN the next synth prints no summary and keeps the acknowledgement: the change is not deployed yet', () => {
    const { log } = synthIn(dir, { ...NEW_KEY, acknowledgedChanges: [PARTITION_KEY_ACK] });
    expect(summaryOf(log)).toBe('');
    expect(log).not.toContain('acknowledgedChanges[0]');
  });

  test('WHEN deployed THEN the next synth prints no summary and asks to remove the acknowledgement', () => {
    recordDeploymentIn(dir, synthIn(dir, { ...NEW_KEY, acknowledgedChanges: [PARTITION_KEY_ACK] }).project);
    const { log } = synthIn(dir, { ...NEW_KEY, acknowledgedChanges: [PARTITION_KEY_ACK] });
    expect(summaryOf(log)).toBe('');
    expect(log).toContain(
      'acknowledgedChanges[0] { change: "table.partitionKey.name", from: "pk", to: "orderId" } matches no pending change ' +
        '(the change it accepted is deployed, undone or different now): remove it from .projenrc.ts',
    );
  });
});

test('GIVEN a deployed project WHEN several options change THEN one synth lists them all, risky ones refused together', () => {
  const dir = emptyDir('ddb-stream-changes-');
  recordDeploymentIn(dir, synthIn(dir, TWO_CONSUMERS).project);
  const edited: TestOptions = {
    ...TWO_CONSUMERS,
    consumers: [{ name: 'audit', startingPosition: StartingPosition.LATEST, batchSize: 10 }, { name: 'search-v2', failureDestination: FailureDestination.S3 }],
  };

  let message = '';
  try {
    testApp(edited, dir);
  } catch (e) {
    message = (e as Error).message;
  }

  expect(message).toMatch(/^2 changes in \.projenrc\.ts would lose stored data/);
  expect(message).toContain('    { change: "consumers.audit.startingPosition", from: "TRIM_HORIZON", to: "LATEST" },');
  expect(message).toContain('    { change: "consumers.search.name", from: "search", to: "search-v2" },');
  expect(message).not.toContain('batchSize');

  const acknowledged = synthIn(dir, {
    ...edited,
    acknowledgedChanges: [
      { change: 'consumers.audit.startingPosition', from: 'TRIM_HORIZON', to: 'LATEST' },
      { change: 'consumers.search.name', from: 'search', to: 'search-v2' },
    ],
  });
  expect(summaryOf(acknowledged.log).split('\n').map((line) => line.replace(/: .*$/, ''))).toEqual([
    expect.stringContaining('What the next deployment changes'),
    '  - consumers.audit.startingPosition',
    '  - consumers.search.name',
    '  - consumers.audit.batchSize',
  ]);
});

test.each([
  ['from another version', JSON.stringify({ version: 0, table: {} })],
  ['cut short', '{ "version": 1, "table": { "partitionKey": { "name": "pk"'],
  ['without consumers', JSON.stringify({ version: 1, table: { partitionKey: { name: 'pk', type: 'S' } }, deployment: {}, monitoring: {} })],
])('GIVEN a baseline file %s THEN it is ignored: no summary, and it is rewritten', (_what, content) => {
  const dir = emptyDir('ddb-stream-changes-');
  fs.mkdirSync(path.join(dir, '.projen'), { recursive: true });
  fs.writeFileSync(path.join(dir, BASELINE_FILE), content);

  const { log } = synthIn(dir, NEW_KEY);

  expect(summaryOf(log)).toBe('');
  expect(JSON.parse(fs.readFileSync(path.join(dir, BASELINE_FILE), 'utf-8')).version).toBe(1);
});

describe('GIVEN a deployed consumer WHEN idempotency is turned on, given a new expiry, then turned off', () => {
  const dir = emptyDir('ddb-stream-changes-');
  const withIdempotency = (idempotency?: IdempotencyOptions): TestOptions => ({ ...TWO_CONSUMERS, consumers: [{ name: 'audit', idempotency }, { name: 'search', failureDestination: FailureDestination.S3 }] });
  recordDeploymentIn(dir, synthIn(dir, TWO_CONSUMERS).project);
  const deploy = (options: TestOptions) => {
    const { log, project } = synthIn(dir, options);
    recordDeploymentIn(dir, project);
    return { log };
  };
  const on = summaryOf(deploy(withIdempotency({ enabled: true })).log);
  const expiry = summaryOf(deploy(withIdempotency({ enabled: true, expirySeconds: 172800 })).log);
  const off = summaryOf(deploy(withIdempotency({ enabled: false })).log);

  test('THEN turning it on says that the deployment creates its table, and from when records are remembered', () => {
    expect(on).toContain(
      "  - consumers.audit.idempotency.enabled: false -> true: creates the consumer's idempotency table and updates the function to use it: " +
        'from then on a record whose callback completed is not run again when it is delivered again within 86400 s (records completed before the deployment are not remembered).',
    );
  });

  test('THEN a new expiry says which records it applies to', () => {
    expect(expiry).toContain(
      '  - consumers.audit.idempotency.expirySeconds: 86400 -> 172800: in place: the function is updated; records completed before keep the expiry they were stored with, records completed from then on are remembered 172800 s.',
    );
  });

  test('THEN turning it off says that the table and what it remembers are deleted, and what runs again', () => {
    expect(off).toContain(
      "  - consumers.audit.idempotency.enabled: true -> false: deletes the consumer's idempotency table and what it remembers; the function is updated: " +
        'a record delivered again (a retry, a bisected half, a redrive) runs its callback again.',
    );
  });
});

describe('an existing (imported) table: what a mapping reads first on a stream that already holds records', () => {
  const IMPORTED: TestOptions = {
    table: {
      partitionKey: { name: 'tenantId', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      tableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/ledger',
      streamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/ledger/stream/2026-01-01T00:00:00.000',
    },
    consumers: [{ name: 'ledger', startingPosition: StartingPosition.LATEST }],
  };

  test('GIVEN no baseline yet WHEN the first synth is on an imported table THEN the summary says what each mapping processes first', () => {
    const dir = emptyDir('ddb-stream-changes-');
    const first = summaryOf(synthIn(dir, { ...IMPORTED, consumers: [...IMPORTED.consumers!, { name: 'notify' }] }).log);
    expect(first).toBe(
      [
        '👾 What the first deployment changes in AWS, on the existing table (no .projen/deployment-baseline.json yet):',
        "  - consumers.ledger: (none) -> ledger: creates the consumer's function, mapping and alarms; its mapping starts at LATEST: records written before it exists are not processed.",
        "  - consumers.notify: (none) -> notify: creates the consumer's function, mapping and alarms; its mapping starts at TRIM_HORIZON: " +
          'it processes every record still in the stream (up to 24 hours of changes made before it existed) first.',
      ].join('\n'),
    );
  });

  test('GIVEN a deployed imported table WHEN a TRIM_HORIZON consumer is added THEN its line says it processes up to 24 hours of earlier changes first', () => {
    const dir = emptyDir('ddb-stream-changes-');
    recordDeploymentIn(dir, synthIn(dir, IMPORTED).project);
    const summary = summaryOf(synthIn(dir, { ...IMPORTED, consumers: [...IMPORTED.consumers!, { name: 'notify' }] }).log);
    expect(summary).toContain(
      "  - consumers.notify: (none) -> notify: creates the consumer's function, mapping and alarms; its mapping starts at TRIM_HORIZON: " +
        'it processes every record still in the stream (up to 24 hours of changes made before it existed) first.',
    );
  });

  test('GIVEN a table the stack created WHEN the options import an existing one THEN the acknowledgement-refusal names what each new mapping reads first', () => {
    const dir = emptyDir('ddb-stream-changes-');
    recordDeploymentIn(dir, synthIn(dir, { table: IMPORTED.table && { partitionKey: IMPORTED.table.partitionKey, sortKey: IMPORTED.table.sortKey }, consumers: [{ name: 'notify' }] }).project);
    expect(() => synthIn(dir, { ...IMPORTED, consumers: [{ name: 'notify' }] })).toThrow(
      /Every mapping is re-created on the stream of arn:aws:dynamodb:us-east-1:123456789012:table\/ledger: "notify" gets a new mapping: records the old one had not processed stay in the old stream, and it first processes every record still in the new stream \(TRIM_HORIZON: up to 24 hours of changes made before it existed\)/,
    );
  });
});
