/**
 * Every bound of every option, on both sides (issue 24, item 2): just below, at and just above each end of each
 * range, through the project's validation (resolveOptions, what `new DdbStreamApp` runs first) and, for the mapping's
 * settings, the emulator's own. The cases come from the numbers in ./documented-limits, written out from AWS's pages;
 * the rules module is asserted to say the same. A range added to the rules module fails here until it has an entry.
 */
import { ALARM_LIMITS, CAPACITY_LIMITS, CONSUMERS_LIMIT, FILTERS_LIMIT, FUNCTION_LIMITS, IDEMPOTENCY_EXPIRY_LIMIT, LOG_RETENTION_LIMIT, MAPPING_LIMITS, type DocumentedRange } from './documented-limits';
import { emptyDir } from './helpers';
import { AttributeType, DdbStreamApp, TableBillingMode, type DdbStreamAppOptions } from '../../src';
import { CAPACITY_RANGE } from '../../src/project/options/validate-table';
import { resolveOptions } from '../../src/project/resolve/resolve-options';
import type { ConsumerConfig } from '../../src/runtime/config';
import { validateConsumerConfig } from '../../src/runtime/emulator/validate';
import { InvalidConsumerConfigError } from '../../src/runtime/errors';
import * as rules from '../../src/runtime/rules/consumer-rules';

/** Each exported range (or record of ranges) of the rules module, and the documented limits that must equal it. */
const RANGE_EXPORTS: Record<string, Record<string, DocumentedRange>> = {
  MAPPING_RANGES: MAPPING_LIMITS,
  FUNCTION_RANGES: FUNCTION_LIMITS,
  ALARM_RANGES: ALARM_LIMITS,
  IDEMPOTENCY_EXPIRY_RANGE: { expirySeconds: IDEMPOTENCY_EXPIRY_LIMIT },
};

/**
 * The rules module's exported numbers, each either a limit an option is checked against (with its documented
 * limit) or a value that bounds no option. A new exported number fails the completeness test until it is sorted here.
 */
const LIMIT_NUMBERS: Record<string, { actual: number; expected: number }> = {
  MAX_FILTERS: { actual: rules.MAX_FILTERS, expected: FILTERS_LIMIT.max },
  MAX_CONSUMERS: { actual: rules.MAX_CONSUMERS, expected: CONSUMERS_LIMIT.max },
};
const NOT_LIMITS = ['INFINITE', 'STREAM_RETENTION_SECONDS', 'ALARM_PERIOD_MINUTES', 'DEFAULT_IDEMPOTENCY_EXPIRY_SECONDS'];

const ALL_RANGES: DocumentedRange[] = [
  ...Object.values(MAPPING_LIMITS),
  ...Object.values(FUNCTION_LIMITS),
  ...Object.values(ALARM_LIMITS),
  IDEMPOTENCY_EXPIRY_LIMIT,
  FILTERS_LIMIT,
  CONSUMERS_LIMIT,
  ...Object.values(CAPACITY_LIMITS),
];

interface BoundCase {
  readonly option: string;
  readonly value: number;
  readonly accepted: boolean;
  /** e.g. "just below the minimum 60". */
  readonly where: string;
}

/**
 * Below, at and above both ends; -1 and -2 for a range with -1 as "no limit"; inner neighbours skip by the step; no
 * negative list lengths.
 */
function boundCases(r: DocumentedRange): BoundCase[] {
  const step = r.step ?? 1;
  const at = (value: number, accepted: boolean, where: string): BoundCase => ({ option: r.option, value, accepted, where });
  const cases = [
    at(r.min - 1, r.infinite === true && r.min - 1 === -1, `just below the minimum ${r.min}`),
    at(r.min, true, `the minimum ${r.min}`),
    at(r.min + step, true, `just above the minimum ${r.min}`),
    at(r.max - step, true, `just below the maximum ${r.max}`),
    at(r.max, true, `the maximum ${r.max}`),
    at(r.max + 1, false, `just above the maximum ${r.max}`),
  ];
  if (r.infinite) cases.push(at(-1, true, '-1 (no limit)'), at(-2, false, 'below -1'));
  return cases.filter((c, i) => cases.findIndex((d) => d.value === c.value) === i && !(r.length && c.value < 0));
}

const pk = { name: 'orderId', type: AttributeType.STRING };

/**
 * The options that put `value` at `option`, with what the value needs around it to be judged alone: an alarm
 * threshold of a day needs an unbounded record age, a minute's idempotency expiry a minute's record age, a filter list
 * valid filters.
 */
function optionsWith(option: string, value: number): DdbStreamAppOptions {
  const base = { name: 'orders', defaultReleaseBranch: 'main', cdkVersion: '2.276.0', table: { partitionKey: pk } };
  const [, field] = /\.([A-Za-z]+)$/.exec(option) ?? [];
  if (option === 'consumers') return { ...base, consumers: Array.from({ length: value }, (_, i) => ({ name: `c${i}x` })) };
  if (option === 'consumers[0].filters') return { ...base, consumers: [{ name: 'audit', filters: Array.from({ length: value }, () => ({ eventNames: ['INSERT'] })) }] } as DdbStreamAppOptions;
  if (option.startsWith('table.')) return { ...base, table: { partitionKey: pk, billingMode: TableBillingMode.PROVISIONED, [field]: value } };
  if (option.startsWith('consumers[0].alarms.')) return { ...base, consumers: [{ name: 'audit', maxRecordAgeSeconds: -1, alarms: { [field]: value } }] };
  if (option.startsWith('consumers[0].idempotency.')) return { ...base, consumers: [{ name: 'audit', maxRecordAgeSeconds: 60, idempotency: { enabled: true, [field]: value } }] };
  return { ...base, consumers: [{ name: 'audit', [field]: value }] };
}

/** The problems resolveOptions reports, as the lines of its error. */
function problemLines(options: DdbStreamAppOptions): string[] {
  try {
    resolveOptions(options);
    return [];
  } catch (e) {
    expect((e as Error).name).toBe('DdbStreamOptionsError');
    return (e as Error).message.split('\n').slice(1);
  }
}

describe('the rules module says what the documented limits say', () => {
  test('every exported range and limit number is listed, and nothing listed is missing from the rules module', () => {
    const isRange = (v: unknown) => typeof v === 'object' && v !== null && typeof (v as rules.IntegerRange).min === 'number' && typeof (v as rules.IntegerRange).max === 'number';
    const rangeExports = Object.entries(rules)
      .filter(([, v]) => isRange(v) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).length > 0 && Object.values(v).every(isRange)))
      .map(([name]) => name);
    expect(rangeExports.sort()).toEqual(Object.keys(RANGE_EXPORTS).sort());
    const numberExports = Object.entries(rules).filter(([, v]) => typeof v === 'number').map(([name]) => name);
    expect(numberExports.sort()).toEqual([...Object.keys(LIMIT_NUMBERS), ...NOT_LIMITS].sort());
  });

  test.each(Object.entries(RANGE_EXPORTS))('%s equals the documented ranges, entry by entry', (name, documented) => {
    const exported = rules[name as keyof typeof rules] as rules.IntegerRange | Record<string, rules.IntegerRange>;
    const actual = isSingleRange(exported) ? { [Object.keys(documented)[0]]: exported } : exported;
    // each entry of the rules module must map to an option path, or its bounds would go untested
    expect(Object.keys(actual).sort()).toEqual(Object.keys(documented).sort());
    for (const [key, range] of Object.entries(actual)) {
      const d = documented[key];
      const said = (r: rules.IntegerRange | DocumentedRange) => ({ key, min: r.min, max: r.max, infinite: r.infinite === true });
      expect(said(range)).toEqual(said(d));
    }
  });

  test.each(Object.entries(LIMIT_NUMBERS))('%s equals the documented limit', (_name, { actual, expected }) => {
    expect(actual).toBe(expected);
  });

  test('LOG_RETENTION_DAYS equals CloudWatch Logs\' valid values', () => {
    expect([...rules.LOG_RETENTION_DAYS]).toEqual(LOG_RETENTION_LIMIT.values);
  });

  test('CAPACITY_RANGE (validate-table) equals DynamoDB\'s provisioned capacity limits', () => {
    for (const d of Object.values(CAPACITY_LIMITS)) expect({ min: CAPACITY_RANGE.min, max: CAPACITY_RANGE.max }).toEqual({ min: d.min, max: d.max });
  });

  test('the option paths and bounds under test', () => {
    const lines = [
      ...ALL_RANGES.map((r) => `${r.option}: ${r.infinite ? '-1 or ' : ''}${r.min}..${r.max}${r.step ? ` in steps of ${r.step}` : ''}`),
      `${LOG_RETENTION_LIMIT.option}: one of ${LOG_RETENTION_LIMIT.values.join(', ')}`,
    ];
    // printed for the record of what is covered (issue 24 asks for the list)
    console.log(`Option bounds under test (${lines.length}):\n${lines.join('\n')}`);
    expect(new Set(lines.map((l) => l.split(':')[0])).size).toBe(ALL_RANGES.length + 1);
  });
});

function isSingleRange(v: object): v is rules.IntegerRange {
  return typeof (v as rules.IntegerRange).min === 'number';
}

describe('the project accepts each bound and refuses one beyond, naming the option path', () => {
  const cases = ALL_RANGES.flatMap(boundCases).map((c) => [`${c.option} ${c.value} (${c.where})`, c] as const);

  test.each(cases)('%s', (_name, { option, value, accepted }) => {
    const lines = problemLines(optionsWith(option, value));
    if (accepted) {
      expect(lines).toEqual([]);
    } else {
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^  - ${escape(option)}: got ${escape(valueText(option, value))}\\. .*Allowed: `)));
    }
  });

  const retention = LOG_RETENTION_LIMIT.values.flatMap((v) => [v - 1, v, v + 1]).filter((v, i, all) => all.indexOf(v) === i);
  test.each(retention)(`${LOG_RETENTION_LIMIT.option} %i`, (value) => {
    const lines = problemLines(optionsWith(LOG_RETENTION_LIMIT.option, value));
    if ((LOG_RETENTION_LIMIT.values as readonly number[]).includes(value)) expect(lines).toEqual([]);
    else expect(lines).toEqual([expect.stringMatching(new RegExp(`^  - ${escape(LOG_RETENTION_LIMIT.option)}: got ${value}\\. Allowed: 1, 3, 5, `))]);
  });
});

// resolveOptions is the first thing the constructor runs: a project with a value beyond a bound is never made.
describe('constructing the project stops at every value beyond a bound', () => {
  const refused = ALL_RANGES.flatMap(boundCases).filter((c) => !c.accepted).map((c) => [`${c.option} ${c.value} (${c.where})`, c] as const);

  test.each(refused)('%s', (_name, { option, value }) => {
    expect(() => new DdbStreamApp({ ...optionsWith(option, value), outdir: emptyDir() })).toThrow(
      new RegExp(`\\n  - ${escape(option)}: got ${escape(valueText(option, value))}\\. `),
    );
  });
});

describe("the emulator's own validation accepts each bound of the mapping's settings and refuses one beyond", () => {
  const config: ConsumerConfig = {
    name: 'audit',
    batchSize: 100,
    maxBatchingWindowSeconds: 0,
    startingPosition: 'TRIM_HORIZON',
    retryAttempts: 5,
    maxRecordAgeSeconds: 3600,
    bisectBatchOnError: true,
    reportBatchItemFailures: true,
    parallelizationFactor: 1,
    tumblingWindowSeconds: 0,
    filters: [],
    failureDestination: 'SQS',
    enabled: true,
    eventCountMetrics: true,
    function: { memorySize: 256, timeoutSeconds: 30, architecture: 'arm64', environment: {}, logRetentionDays: 30, runtime: 'nodejs22.x' },
  } as ConsumerConfig;
  const mapping = Object.entries(MAPPING_LIMITS).flatMap(([key, r]) => boundCases(r).map((c) => [`${key} ${c.value} (${c.where})`, key, c] as const));
  const filters = boundCases(FILTERS_LIMIT).map((c) => [`filters: ${c.value} patterns (${c.where})`, 'filters', c] as const);

  test.each([...mapping, ...filters])('%s', (_name, key, { value, accepted }) => {
    const given = key === 'filters' ? Array.from({ length: value }, () => ({ eventName: ['INSERT'] })) : value;
    let problems: readonly string[] = [];
    try {
      validateConsumerConfig({ ...config, [key]: given });
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidConsumerConfigError);
      problems = (e as InvalidConsumerConfigError).problems;
    }
    if (accepted) expect(problems).toEqual([]);
    else expect(problems).toEqual([expect.stringMatching(new RegExp(`^${key} must be `))]);
  });
});

/** How the project's error quotes a value: list lengths are quoted as what was given. */
function valueText(option: string, value: number): string {
  if (option === 'consumers') return JSON.stringify(Array.from({ length: value }, (_, i) => `c${i}x`));
  if (option === 'consumers[0].filters') return JSON.stringify(`${value} filters`);
  return String(value);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
