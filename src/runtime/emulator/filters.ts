/**
 * Event filtering as Lambda applies it to DynamoDB stream records: EventBridge pattern syntax, matched against the
 * record in its Lambda event shape, several patterns OR-ed.
 *
 * Written here rather than imported: no maintained npm port of AWS's event-ruler exists (checked `event-pattern`,
 * `aws-event-matcher`, `@aws/event-ruler`, `event-ruler`, `eb-patterns`: none published), and DynamoDB's quirks
 * (typed leaves; `numeric` never matching `N` values because they are strings) would need wrapping anyway.
 *
 * Supported: exact values (string, number, boolean, null), `prefix`, `suffix`, `equals-ignore-case`,
 * `anything-but` (value, list or `{ prefix }`), `numeric` (on JSON numbers only), `exists`, `$or`, empty pattern
 * lists (never match). Other operators throw {@link InvalidFilterPatternError}.
 *
 * Matching is on leaf paths, as in EventBridge ("Exists matching only works on leaf nodes. It does not work on
 * intermediate nodes."): a path whose node is absent, or is an object, has no value, so `exists: false` matches it
 * and every other test does not; a list of maps is matched through its elements (with-ddb-filtering's
 * `{"Organizations": {"L": {"S": [{"exists": true}]}}}`). See docs/aws-semantics.md.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-ddb-filtering.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
import type { FilterPattern } from '../config';
import { InvalidFilterPatternError } from '../errors';

type Leaf = string | number | boolean | null;
type LeafTest = (value: Leaf) => boolean;

interface FieldRule {
  readonly key: string;
  /** For nested objects. */
  readonly nested?: CompiledPattern;
  /** For leaf rule lists: the field matches if any test matches (or, for `exists`, by presence). */
  readonly tests?: readonly LeafTest[];
  readonly exists?: boolean;
}

interface CompiledPattern {
  readonly fields: readonly FieldRule[];
  readonly or: readonly (readonly CompiledPattern[])[];
}

export type RecordFilter = (record: unknown) => boolean;

const SUPPORTED = 'exact values, prefix, suffix, equals-ignore-case, anything-but, numeric, exists, $or';

/** Compiles once per mapping; returns undefined when there are no filters (every record passes). */
export function compileFilters(patterns: readonly FilterPattern[]): RecordFilter | undefined {
  if (patterns.length === 0) return undefined;
  const compiled = patterns.map((p, i) => compilePattern(p, `filters[${i}]`));
  return (record) => compiled.some((p) => matches(p, record));
}

function compilePattern(pattern: unknown, path: string): CompiledPattern {
  if (pattern === null || typeof pattern !== 'object' || Array.isArray(pattern)) {
    throw new InvalidFilterPatternError(`${path} must be an object such as { "eventName": ["INSERT"] } (given ${JSON.stringify(pattern)})`);
  }
  const fields: FieldRule[] = [];
  const or: CompiledPattern[][] = [];
  for (const [key, value] of Object.entries(pattern)) {
    const at = `${path}.${key}`;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) {
        throw new InvalidFilterPatternError(`${at} must be an array of at least two patterns (given ${JSON.stringify(value)})`);
      }
      or.push(value.map((v, i) => compilePattern(v, `${at}[${i}]`)));
    } else if (Array.isArray(value)) {
      fields.push(compileLeafRules(key, value, at));
    } else {
      fields.push({ key, nested: compilePattern(value, at) });
    }
  }
  return { fields, or };
}

function compileLeafRules(key: string, rules: readonly unknown[], at: string): FieldRule {
  const tests: LeafTest[] = [];
  let exists: boolean | undefined;
  for (const rule of rules) {
    if (rule === null || typeof rule !== 'object') {
      tests.push(exact(rule as Leaf, at));
      continue;
    }
    const entries = Object.entries(rule);
    if (entries.length !== 1) throw unsupported(at, rule);
    const [op, arg] = entries[0];
    switch (op) {
      case 'exists':
        if (typeof arg !== 'boolean') throw new InvalidFilterPatternError(`${at}: exists takes true or false (given ${JSON.stringify(arg)})`);
        exists = arg;
        break;
      case 'prefix':
        tests.push(stringTest(arg, at, op, (v, a) => v.startsWith(a)));
        break;
      case 'suffix':
        tests.push(stringTest(arg, at, op, (v, a) => v.endsWith(a)));
        break;
      case 'equals-ignore-case':
        tests.push(stringTest(arg, at, op, (v, a) => v.toLowerCase() === a.toLowerCase()));
        break;
      case 'anything-but':
        tests.push(anythingBut(arg, at));
        break;
      case 'numeric':
        tests.push(numeric(arg, at));
        break;
      default:
        throw unsupported(at, rule);
    }
  }
  return exists === undefined ? { key, tests } : { key, tests, exists };
}

function unsupported(at: string, rule: unknown): InvalidFilterPatternError {
  return new InvalidFilterPatternError(`${at}: unsupported filter rule ${JSON.stringify(rule)}; supported: ${SUPPORTED}`);
}

function exact(expected: Leaf, at: string): LeafTest {
  if (!['string', 'number', 'boolean'].includes(typeof expected) && expected !== null) {
    throw new InvalidFilterPatternError(`${at}: ${JSON.stringify(expected)} is not a string, number, boolean or null`);
  }
  return (v) => v === expected;
}

function stringTest(arg: unknown, at: string, op: string, test: (v: string, a: string) => boolean): LeafTest {
  if (typeof arg !== 'string') throw new InvalidFilterPatternError(`${at}: ${op} takes a string (given ${JSON.stringify(arg)})`);
  return (v) => typeof v === 'string' && test(v, arg);
}

function anythingBut(arg: unknown, at: string): LeafTest {
  if (Array.isArray(arg)) {
    const excluded = new Set<unknown>(arg);
    return (v) => !excluded.has(v);
  }
  if (arg !== null && typeof arg === 'object') {
    const entries = Object.entries(arg);
    if (entries.length === 1 && entries[0][0] === 'prefix' && typeof entries[0][1] === 'string') {
      const prefix = entries[0][1];
      return (v) => typeof v === 'string' && !v.startsWith(prefix);
    }
    throw unsupported(at, { 'anything-but': arg });
  }
  return (v) => v !== arg;
}

const COMPARATORS: Readonly<Record<string, (a: number, b: number) => boolean>> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '=': (a, b) => a === b,
  '>=': (a, b) => a >= b,
  '>': (a, b) => a > b,
};

function numeric(arg: unknown, at: string): LeafTest {
  if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0) {
    throw new InvalidFilterPatternError(`${at}: numeric takes [operator, number, ...] such as [">", 0, "<=", 5] (given ${JSON.stringify(arg)})`);
  }
  const checks: ((v: number) => boolean)[] = [];
  for (let i = 0; i < arg.length; i += 2) {
    const compare = COMPARATORS[String(arg[i])];
    const bound = arg[i + 1];
    if (!compare || typeof bound !== 'number') {
      throw new InvalidFilterPatternError(`${at}: numeric takes operators ${Object.keys(COMPARATORS).join(' ')} each followed by a number (given ${JSON.stringify(arg)})`);
    }
    checks.push((v) => compare(v, bound));
  }
  // DynamoDB's N values are strings in the record, so numeric never matches them: faithful, if surprising.
  return (v) => typeof v === 'number' && checks.every((c) => c(v));
}

function matches(pattern: CompiledPattern, node: unknown): boolean {
  const obj = node !== null && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>) : undefined;
  for (const field of pattern.fields) {
    const value = obj?.[field.key];
    if (field.nested) {
      if (!matchesNested(field.nested, value)) return false;
      continue;
    }
    if (!matchesLeaf(field, leafValues(value))) return false;
  }
  return pattern.or.every((alternatives) => alternatives.some((alt) => matches(alt, node)));
}

/**
 * Matching is on leaf paths (event-ruler): an absent intermediate node means every leaf below it is absent, so
 * `exists: false` below it matches. An array of objects matches when one of its elements does.
 */
function matchesNested(pattern: CompiledPattern, value: unknown): boolean {
  if (Array.isArray(value)) {
    const objects = value.filter((v) => v !== null && typeof v === 'object');
    if (objects.length > 0) return objects.some((v) => matches(pattern, v));
  }
  return matches(pattern, value);
}

/**
 * The leaf values at a path: a string, number, boolean or null, or the leaf elements of an array (SS, NS, BS).
 * An object is not a leaf, so a path naming one (`NewImage.status` rather than `NewImage.status.S`) has no value.
 */
function leafValues(value: unknown): readonly Leaf[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.filter((v): v is Leaf => v === null || typeof v !== 'object');
  return value !== null && typeof value === 'object' ? [] : [value as Leaf];
}

function matchesLeaf(field: FieldRule, values: readonly Leaf[]): boolean {
  const present = values.length > 0;
  if (field.exists !== undefined && present === field.exists) return true;
  if (!present || field.tests === undefined) return false;
  return values.some((v) => field.tests!.some((t) => t(v)));
}
