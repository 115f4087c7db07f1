import * as fs from 'fs';
import * as path from 'path';
import {
  AttributeType,
  FailureDestination,
  NumberMode,
  StreamEventName,
  TableBillingMode,
  type DdbStreamAppOptions,
} from '../../../src';
import { baselineOf, type Baseline } from '../../../src/project/changes/baseline';
import { accounts, reachesStack } from '../../../src/project/changes/diff-unlisted';
import { deploymentChanges } from '../../../src/project/changes/summary';
import { resolveOptions } from '../../../src/project/resolve/resolve-options';
import { ROOT, type TestOptions } from '../helpers';

/**
 * Every leaf of the baseline is changed, one at a time, and the summary must report it: the walk reads the baseline
 * object itself, so an option added to it tomorrow is walked the day it is added, without touching this test.
 */
const REQUIRED = { name: 'orders-consumer', defaultReleaseBranch: 'main', cdkVersion: '2.276.0' };
const baseline = (options: TestOptions): Baseline => baselineOf(resolveOptions({ ...REQUIRED, ...options } as DdbStreamAppOptions));

/** Every optional part present, and every option read by the stack in this state (provisioned, alarms on). */
const EVERYTHING: TestOptions = {
  table: {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    sortKey: { name: 'version', type: AttributeType.NUMBER, numberMode: NumberMode.STRING },
    attributes: [{ name: 'status', type: AttributeType.STRING }],
    timeToLiveAttribute: 'expiresAt',
    tableName: 'orders',
    billingMode: TableBillingMode.PROVISIONED,
  },
  consumers: [
    {
      name: 'audit',
      filters: [{ eventNames: [StreamEventName.INSERT] }],
      environment: { LOG_LEVEL: 'info' },
      idempotency: { enabled: true },
    },
    { name: 'search', failureDestination: FailureDestination.S3 },
  ],
  monitoring: { alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:alarms' },
};
/** A table imported by ARN: the other state of `table`. */
const IMPORTED: TestOptions = {
  table: {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    tableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders',
    streamArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000',
  },
  consumers: [{ name: 'audit' }],
};
const MINIMAL = baseline({ table: { partitionKey: { name: 'pk', type: AttributeType.STRING } }, consumers: [{ name: 'audit' }] });

/** A baseline path with consumers by position left out: the same part of any consumer. */
const shape = (at: Array<string | number>) => at.map((k) => (typeof k === 'number' ? '*' : k)).join('.');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * [path in the baseline object, value] for every leaf and every object. Arrays are leaves (a filter list changes as a
 * whole), except the consumers: each is walked.
 */
function nodes(value: Json, at: Array<string | number> = []): Array<[Array<string | number>, Json]> {
  if (Array.isArray(value) && at.join() === 'consumers') return value.flatMap((v, i) => nodes(v, [...at, i]));
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [[at, value]];
  return [[at, value], ...Object.entries(value).flatMap(([k, v]) => nodes(v, [...at, k]))];
}

/** The baseline path as `.projenrc.ts` and the summary name it: consumers by name, function settings at their level. */
function optionPath(b: Baseline, at: Array<string | number>): string {
  const [root, ...rest] = at;
  if (root === 'deployment' || root === 'table') return ['table', ...rest].join('.');
  if (root === 'consumers') {
    const [i, ...inner] = rest;
    return ['consumers', b.consumers[i as number].name, ...inner.filter((k, j) => !(j === 0 && k === 'function'))].join('.');
  }
  return at.join('.');
}

/** Another value of the same kind: what an edit of `.projenrc.ts` would give. */
function changed(value: Json): Json {
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'string') return value === 'S' ? 'N' : `${value}-2`;
  if (Array.isArray(value)) return value.length > 0 ? [] : [{ name: 'added', type: 'S' }];
  return value;
}

function edited(b: Baseline, at: Array<string | number>, edit: (parent: Record<string, Json>, key: string | number) => void): Baseline {
  const copy = JSON.parse(JSON.stringify(b));
  const parent = at.slice(0, -1).reduce((o, k) => o[k], copy);
  edit(parent, at[at.length - 1]);
  return copy;
}

/** The parts every baseline has: the others are optional. */
const REQUIRED_PARTS = new Set(nodes(MINIMAL as unknown as Json).map(([at]) => shape(at)));

interface Walked {
  readonly state: string;
  readonly edit: string;
  readonly option: string;
  readonly verdict: string;
}

function walk(state: string, b: Baseline): Walked[] {
  const walked: Walked[] = [];
  const verdict = (option: string, after: Baseline): string => {
    const changes = deploymentChanges(b, after);
    const line = changes.find((c) => accounts(c, option));
    if (line) {
      const generic = line.effect.startsWith('the generated stack changes with it');
      return `${generic ? 'generic' : 'specific'}: ${line.change}: ${line.from} -> ${line.to}`;
    }
    if (!reachesStack(b, option) && !reachesStack(after, option)) return 'not in the stack in this state';
    return `UNREPORTED (${changes.map((c) => c.change).join(', ') || 'no line at all'})`;
  };
  for (const [at, value] of nodes(b as unknown as Json)) {
    if (at.length === 0 || at[0] === 'version') continue;
    const option = optionPath(b, at);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const after = edited(b, at, (parent, key) => void ((parent as never)[key] = changed(value) as never));
      walked.push({ state, edit: `change ${JSON.stringify(value)}`, option, verdict: verdict(option, after) });
    }
    // a part a minimal project does not have is optional: turning it off must be reported too
    // (within an optional part, only the part as a whole: a sort key without a name is no state of the options)
    const optional = !REQUIRED_PARTS.has(shape(at)) && REQUIRED_PARTS.has(shape(at.slice(0, -1)));
    if (optional && typeof at[at.length - 1] === 'string') {
      const after = edited(b, at, (parent, key) => void delete parent[key as string]);
      walked.push({ state, edit: 'remove', option, verdict: verdict(option, after) });
      walked.push({ state, edit: 'add', option, verdict: verdict(option, after).startsWith('UNREPORTED') ? 'UNREPORTED' : reverse(after, b, option) });
    }
  }
  return walked;
}

/** The verdict for adding the part: the same walk in the other direction. */
function reverse(before: Baseline, after: Baseline, option: string): string {
  const line = deploymentChanges(before, after).find((c) => accounts(c, option));
  return line ? `${line.effect.startsWith('the generated stack changes with it') ? 'generic' : 'specific'}: ${line.change}: ${line.from} -> ${line.to}` : 'UNREPORTED';
}

describe('GIVEN every option path of the baseline', () => {
  const walked = [...walk('everything on', baseline(EVERYTHING)), ...walk('imported table', baseline(IMPORTED))];

  afterAll(() => {
    const rows = walked.map((w) => `| ${w.state} | ${w.option} | ${w.edit} | ${w.verdict.replace(/\|/g, '\\|')} |`);
    fs.mkdirSync(path.join(ROOT, '.scratch'), { recursive: true });
    fs.writeFileSync(
      path.join(ROOT, '.scratch', 'option-walk.md'),
      ['| state | option | edit | summary |', '| --- | --- | --- | --- |', ...rows].join('\n') + '\n',
    );
  });

  test('THEN the walk reaches the table, every consumer setting, idempotency and monitoring', () => {
    const options = new Set(walked.map((w) => w.option));
    for (const expected of ['table.partitionKey.name', 'table.readCapacity', 'consumers.audit.memorySize', 'consumers.audit.idempotency', 'consumers.audit.idempotency.expirySeconds', 'monitoring.dashboard', 'table.streamArn']) {
      expect(options).toContain(expected);
    }
  });

  test('WHEN any one of them changes THEN the summary reports it, by name or with its old and new value', () => {
    expect(walked.filter((w) => w.verdict.startsWith('UNREPORTED'))).toEqual([]);
  });
});

test('GIVEN an option no summary knows yet WHEN it changes THEN the summary reports it with its old and new value', () => {
  const before = baseline(EVERYTHING);
  const withNewOption = (value: number): Baseline => {
    const b = JSON.parse(JSON.stringify(before));
    b.consumers[0].function.ephemeralStorageMb = value;
    return b;
  };

  const changes = deploymentChanges(withNewOption(512), withNewOption(1024));

  expect(changes.map((c) => [c.change, c.from, c.to, c.effect, c.risky])).toEqual([
    ['consumers.audit.ephemeralStorageMb', '512', '1024', 'the generated stack changes with it: run npx cdk diff to see what that does in AWS', false],
  ]);
});
