import * as fs from 'fs';
import * as path from 'path';
import { recordDeploymentIn, summaryOf, synthIn } from './synth-in';
import { AttributeType, FailureDestination } from '../../../src';
import { BASELINE_FILE, DEPLOYED_FILE } from '../../../src/project/changes/baseline';
import { emptyDir, type TestOptions } from '../helpers';

/**
 * Every state a repository can be in × every kind of edit: what `npx projen` prints and does. The advice of a refusal
 * must be true in the state it is given in: "undo" returns to what the change was judged against, and nothing
 * depends on git. The table is printed for the docs (docs/deployment-changes.md, "What npx projen says in each state").
 */
const keyed = (name: string, acknowledgedChanges?: TestOptions['acknowledgedChanges']): TestOptions => ({
  table: { partitionKey: { name, type: AttributeType.STRING } },
  consumers: [{ name: 'audit' }, { name: 'search', failureDestination: FailureDestination.S3 }],
  acknowledgedChanges,
});
const ACK = [{ change: 'table.partitionKey.name', from: 'pk', to: 'orderId' }];

interface State {
  readonly name: string;
  /** Brings a new directory into the state; returns the options `.projenrc.ts` holds in it. */
  readonly enter: (dir: string) => TestOptions;
  /** The options of the "undo" edit, and what they undo. */
  readonly undo: { readonly options: TestOptions; readonly what: string; readonly before?: (dir: string) => void };
  readonly risky: TestOptions;
}

const deploy = (dir: string, options: TestOptions) => recordDeploymentIn(dir, synthIn(dir, options).project);

const STATES: State[] = [
  {
    name: 'never deployed (first synth of this version recorded it)',
    enter: (dir) => (synthIn(dir, keyed('pk')), keyed('pk')),
    risky: keyed('orderId'),
    // the rename is synthesized (nothing refuses it here), then undone
    undo: { options: keyed('pk'), what: 'pk -> orderId synthesized, then back to pk', before: (dir) => void synthIn(dir, keyed('orderId')) },
  },
  {
    name: 'deployed = last synth',
    enter: (dir) => (deploy(dir, keyed('pk')), keyed('pk')),
    risky: keyed('orderId'),
    undo: { options: keyed('pk'), what: 'pk -> orderId refused, then back to pk' },
  },
  {
    name: 'acknowledged pk -> orderId synthesized, not deployed',
    enter: (dir) => (deploy(dir, keyed('pk')), synthIn(dir, keyed('orderId', ACK)), keyed('orderId', ACK)),
    risky: keyed('customerId', ACK),
    undo: { options: keyed('pk', ACK), what: 'back to pk (acknowledgement still in .projenrc.ts)' },
  },
  {
    name: 'deployed after the acknowledged pk -> orderId',
    enter: (dir) => (deploy(dir, keyed('pk')), deploy(dir, keyed('orderId', ACK)), keyed('orderId', ACK)),
    risky: keyed('customerId', ACK),
    undo: { options: keyed('pk', ACK), what: 'back to pk (acknowledgement still in .projenrc.ts)' },
  },
  {
    name: 'no deployment recorded (repository from an earlier version)',
    enter: (dir) => (synthIn(dir, keyed('pk')), fs.rmSync(path.join(dir, DEPLOYED_FILE)), keyed('pk')),
    risky: keyed('orderId'),
    undo: { options: keyed('pk'), what: 'pk -> orderId refused, then back to pk' },
  },
];

interface Outcome {
  readonly refused: boolean;
  /** The refusal, or the summary and warnings. */
  readonly printed: string;
  readonly baselineKey: string;
}

function run(dir: string, options: TestOptions): Outcome {
  try {
    const { log } = synthIn(dir, options);
    const warnings = log.split('\n').filter((line) => line.includes('acknowledgedChanges['));
    const printed = [summaryOf(log), ...warnings].filter(Boolean).join('\n').replace(/^👾 /gm, '');
    return { refused: false, printed, baselineKey: keyOf(dir) };
  } catch (e) {
    return { refused: true, printed: (e as Error).message, baselineKey: keyOf(dir) };
  }
}

const keyOf = (dir: string): string => JSON.parse(fs.readFileSync(path.join(dir, BASELINE_FILE), 'utf-8')).table.partitionKey.name;

type Edit = 'risky change' | 'undo' | 'no change';
const rows: string[] = [];

/** One cell: the state, the edit, and what the outcome must be. */
function cell(state: State, edit: Edit, check: (o: Outcome) => void): void {
  test(`GIVEN ${state.name} WHEN ${edit} THEN ${'what it says is true'}`, () => {
    const dir = emptyDir('ddb-stream-states-');
    const current = state.enter(dir);
    let options = current;
    let what = 'none';
    if (edit === 'risky change') {
      options = state.risky;
      what = `partition key ${(current.table!.partitionKey as { name: string }).name} -> ${(state.risky.table!.partitionKey as { name: string }).name}`;
    } else if (edit === 'undo') {
      if (state.undo.what.includes('refused')) expect(run(dir, state.risky).refused).toBe(true);
      state.undo.before?.(dir);
      options = state.undo.options;
      what = state.undo.what;
    }
    const outcome = run(dir, options);
    check(outcome);
    rows.push(`| ${state.name} | ${edit}: ${what} | ${outcome.refused ? 'refuses' : 'synthesizes'} | ${abridge(outcome)} |`);
  });
}

/** The lines a reader acts on: the refusal's first line and advice, or the summary heading and warnings. */
function abridge(o: Outcome): string {
  const lines = o.printed.split('\n');
  const said = o.refused
    ? [lines[0].replace(/:$/, ''), ...lines.filter((l) => /^\s*\{ change/.test(l)).map((l) => `acknowledge ${l.trim()}`), ...lines.filter((l) => /^(Or undo|No deployment)/.test(l))]
    : lines.map((l) => l.replace(/: a new partition key name replaces the table.*/, ': replaces the table ...'));
  return said.filter(Boolean).map((l) => `\`${l.trim()}\``).join('<br>') || '(nothing)';
}

const [NEVER, DEPLOYED, PENDING, DEPLOYED_AFTER, UNKNOWN] = STATES;

describe('state × edit: what npx projen says and does', () => {
  afterAll(() => {
    process.stdout.write(['', '| state | edit | npx projen | prints |', '| --- | --- | --- | --- |', ...rows, ''].join('\n'));
  });

  cell(NEVER, 'risky change', (o) => {
    expect(o.refused).toBe(false);
    expect(o.printed).toBe(
      'Changed since the last synth (.projen/deployment-baseline.json). This stack has never been deployed (.projen/deployed-baseline.json): ' +
        'the first npx projen deploy creates it as now configured, so nothing is replaced or lost in AWS:\n' +
        '  - table.partitionKey.name: pk -> orderId.',
    );
    expect(o.baselineKey).toBe('orderId');
  });
  cell(NEVER, 'undo', (o) => {
    expect(o.refused).toBe(false);
    expect(o.printed).toMatch(/This stack has never been deployed[^]*\n {2}- table\.partitionKey\.name: orderId -> pk\.$/);
    expect(o.baselineKey).toBe('pk');
  });
  cell(NEVER, 'no change', (o) => expect(o).toEqual({ refused: false, printed: '', baselineKey: 'pk' }));

  cell(DEPLOYED, 'risky change', (o) => {
    expect(o.refused).toBe(true);
    expect(o.printed).toContain('    { change: "table.partitionKey.name", from: "pk", to: "orderId" },');
    expect(o.printed).toContain('Or undo the change: the options then match what is deployed (.projen/deployed-baseline.json) again.');
    expect(o.printed).not.toMatch(/\bgit\b|deployment-baseline\.json and run/);
    expect(o.baselineKey).toBe('pk');
  });
  cell(DEPLOYED, 'undo', (o) => expect(o).toEqual({ refused: false, printed: '', baselineKey: 'pk' }));
  cell(DEPLOYED, 'no change', (o) => expect(o).toEqual({ refused: false, printed: '', baselineKey: 'pk' }));

  cell(PENDING, 'risky change', (o) => {
    expect(o.refused).toBe(true);
    // judged against what is deployed (pk), not the last synth (orderId): undoing it returns to pk
    expect(o.printed).toContain('    { change: "table.partitionKey.name", from: "pk", to: "customerId" },');
    expect(o.printed).toContain('Or undo the change: the options then match what is deployed (.projen/deployed-baseline.json) again.');
    expect(o.baselineKey).toBe('orderId');
  });
  cell(PENDING, 'undo', (o) => {
    expect(o.refused).toBe(false);
    expect(o.printed).toBe(
      'The options are back to what is deployed (.projen/deployed-baseline.json): the next deployment changes nothing in AWS.\n' +
        'acknowledgedChanges[0] { change: "table.partitionKey.name", from: "pk", to: "orderId" } matches no pending change ' +
        '(the change it accepted is deployed, undone or different now): remove it from .projenrc.ts',
    );
    expect(o.baselineKey).toBe('pk');
  });
  cell(PENDING, 'no change', (o) => expect(o).toEqual({ refused: false, printed: '', baselineKey: 'orderId' }));

  cell(DEPLOYED_AFTER, 'risky change', (o) => {
    expect(o.refused).toBe(true);
    expect(o.printed).toContain('    { change: "table.partitionKey.name", from: "orderId", to: "customerId" },');
    expect(o.printed).toContain('Or undo the change: the options then match what is deployed (.projen/deployed-baseline.json) again.');
    expect(o.baselineKey).toBe('orderId');
  });
  cell(DEPLOYED_AFTER, 'undo', (o) => {
    // pk is no longer what is deployed: going back replaces the table again
    expect(o.refused).toBe(true);
    expect(o.printed).toContain('    { change: "table.partitionKey.name", from: "orderId", to: "pk" },');
    expect(o.printed).toContain('Or undo the change: the options then match what is deployed (.projen/deployed-baseline.json) again.');
    expect(o.baselineKey).toBe('orderId');
  });
  cell(DEPLOYED_AFTER, 'no change', (o) => {
    expect(o.refused).toBe(false);
    expect(o.printed).toMatch(/^acknowledgedChanges\[0\] .* matches no pending change/);
    expect(o.baselineKey).toBe('orderId');
  });

  cell(UNKNOWN, 'risky change', (o) => {
    expect(o.refused).toBe(true);
    expect(o.printed).toContain('Or undo the change: the options then match the last synth (.projen/deployment-baseline.json) again.');
    expect(o.printed).toContain('run npx projen record-deployment once');
    expect(o.printed).not.toMatch(/\bgit\b/);
    expect(o.baselineKey).toBe('pk');
  });
  cell(UNKNOWN, 'undo', (o) => expect(o).toEqual({ refused: false, printed: '', baselineKey: 'pk' }));
  cell(UNKNOWN, 'no change', (o) => expect(o).toEqual({ refused: false, printed: '', baselineKey: 'pk' }));
});

test('GIVEN a first synth THEN it records that nothing is deployed, and npx projen deploy records the deployment after cdk deploy', () => {
  const dir = emptyDir('ddb-stream-states-');
  const { project } = synthIn(dir, keyed('pk'));
  expect(JSON.parse(fs.readFileSync(path.join(dir, DEPLOYED_FILE), 'utf-8'))).toEqual({ version: 1, deployed: false });
  expect(project.tasks.tryFind('deploy')!.steps).toEqual([{ execArgs: ['cdk', 'deploy'], receiveArgs: true }, { spawn: 'record-deployment' }]);
  expect(fs.readFileSync(path.join(dir, '.gitignore'), 'utf-8')).toContain(`!/${DEPLOYED_FILE}`);
  expect(recordDeploymentIn(dir, project)).toContain(`Recorded the deployment in ${DEPLOYED_FILE}`);
  const recorded = JSON.parse(fs.readFileSync(path.join(dir, DEPLOYED_FILE), 'utf-8'));
  const { ['//']: _marker, ...synthesized } = JSON.parse(fs.readFileSync(path.join(dir, BASELINE_FILE), 'utf-8'));
  expect(recorded).toEqual(synthesized);
  // projen neither rewrites nor deletes the record on later synths
  synthIn(dir, keyed('pk'));
  expect(JSON.parse(fs.readFileSync(path.join(dir, DEPLOYED_FILE), 'utf-8'))).toEqual(recorded);
});

test.each([
  ['a repository generated before baselines (projen synthesized here, no baseline)', (dir: string) => fs.writeFileSync(path.join(dir, '.projen/files.json'), '{"files":[]}')],
  ['a baseline file of another version', (dir: string) => fs.writeFileSync(path.join(dir, BASELINE_FILE), '{"version":0}')],
])('GIVEN %s THEN the first synth does not record it as never deployed: a risky change is then refused', (_what, prepare) => {
  const dir = emptyDir('ddb-stream-states-');
  fs.mkdirSync(path.join(dir, '.projen'), { recursive: true });
  prepare(dir);
  synthIn(dir, keyed('pk'));
  expect(fs.existsSync(path.join(dir, DEPLOYED_FILE))).toBe(false);
  expect(run(dir, keyed('orderId'))).toMatchObject({ refused: true, baselineKey: 'pk' });
});
