import { StreamEventName, type ConsumerFilter, type FilterCondition } from './options';
import type { AttributeConfig, FilterPattern, StreamViewTypeName, TableConfig } from '../../runtime/config';
import type { ProblemCollector } from '../shared/checks';

type Section = 'keys' | 'newImage' | 'oldImage';

const SECTION_FIELD: Record<Section, string> = { keys: 'Keys', newImage: 'NewImage', oldImage: 'OldImage' };
const SECTION_VIEWS: Record<Section, readonly StreamViewTypeName[]> = {
  keys: ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'],
  newImage: ['NEW_IMAGE', 'NEW_AND_OLD_IMAGES'],
  oldImage: ['OLD_IMAGE', 'NEW_AND_OLD_IMAGES'],
};
const OPERATORS = ['anyOf', 'noneOf', 'prefix', 'exists'] as const;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * Turns the typed filter options into DynamoDB filter patterns. Leaves carry the attribute's type (`{"S": [...]}`)
 * because DynamoDB filters match the marshalled record: a pattern without the type never matches anything.
 */
export function buildFilterPatterns(
  problems: ProblemCollector,
  option: string,
  filters: readonly ConsumerFilter[],
  table: TableConfig,
): FilterPattern[] {
  const keyNames = new Set([table.partitionKey.name, table.sortKey?.name].filter((n): n is string => n !== undefined));
  const types = new Map<string, AttributeConfig>();
  for (const attribute of [table.partitionKey, ...(table.sortKey ? [table.sortKey] : []), ...table.attributes]) {
    types.set(attribute.name, attribute);
  }
  return filters.map((filter, i) => buildPattern(problems, `${option}[${i}]`, filter, { table, keyNames, types }));
}

/** What a filter is checked against: the stream view type, the key names and every declared attribute's type. */
interface FilterContext {
  readonly table: TableConfig;
  readonly keyNames: ReadonlySet<string>;
  readonly types: ReadonlyMap<string, AttributeConfig>;
}

/** One filter's pattern: its event names and a typed leaf per condition, section by section. */
function buildPattern(problems: ProblemCollector, at: string, filter: ConsumerFilter, context: FilterContext): FilterPattern {
  const pattern: Record<string, unknown> = {};
  if (filter.eventNames !== undefined) {
    const events = Object.values(StreamEventName);
    const wrong = filter.eventNames.filter((e) => !events.includes(e));
    if (wrong.length > 0 || filter.eventNames.length === 0) {
      problems.add({
        option: `${at}.eventNames`,
        value: filter.eventNames,
        allowed: 'a non-empty list of StreamEventName.INSERT, MODIFY, REMOVE',
        fix: 'list the event names that should reach the function',
      });
    }
    pattern.eventName = [...filter.eventNames];
  }
  const dynamodb: Record<string, unknown> = {};
  for (const section of ['keys', 'newImage', 'oldImage'] as const) {
    const conditions = filter[section];
    if (conditions === undefined) continue;
    const { streamViewType } = context.table;
    if (!SECTION_VIEWS[section].includes(streamViewType)) {
      problems.add({
        option: `${at}.${section}`,
        value: conditions.map((c) => c.attribute),
        reason: `The stream view type ${streamViewType} does not deliver ${SECTION_FIELD[section]}, so this filter would drop every record`,
        allowed: `${section} filters with table.streamViewType ${SECTION_VIEWS[section].join(' or ')}`,
        fix: 'change table.streamViewType, or filter on keys instead',
      });
      continue;
    }
    dynamodb[SECTION_FIELD[section]] = sectionFields(problems, `${at}.${section}`, section, conditions, context);
  }
  if (Object.keys(dynamodb).length > 0) pattern.dynamodb = dynamodb;
  if (Object.keys(pattern).length === 0) {
    problems.add({
      option: at,
      value: filter,
      allowed: 'a filter with eventNames, keys, newImage or oldImage',
      fix: 'remove the empty filter (no filters means every record is delivered)',
    });
  }
  return pattern;
}

/** The typed leaves of one section (`Keys`, `NewImage` or `OldImage`), one per attribute. */
function sectionFields(
  problems: ProblemCollector,
  at: string,
  section: Section,
  conditions: readonly FilterCondition[],
  { keyNames, types }: FilterContext,
): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  conditions.forEach((condition, j) => {
    const where = `${at}[${j}]`;
    const attribute = types.get(condition.attribute);
    if (section === 'keys' && !keyNames.has(condition.attribute)) {
      problems.add({
        option: `${where}.attribute`,
        value: condition.attribute,
        allowed: [...keyNames].map((n) => JSON.stringify(n)).join(', '),
        fix: 'filter keys on a key attribute, or move the condition to newImage/oldImage',
      });
      return;
    }
    if (!attribute) {
      problems.add({
        option: `${where}.attribute`,
        value: condition.attribute,
        reason: 'Filters need the attribute type to build a typed pattern',
        allowed: `a key or a declared attribute (${[...types.keys()].map((n) => JSON.stringify(n)).join(', ')})`,
        fix: 'declare it in table.attributes with its type',
      });
      return;
    }
    if (condition.attribute in fields) {
      problems.add({
        option: `${where}.attribute`,
        value: condition.attribute,
        allowed: 'one condition per attribute in a filter',
        fix: 'merge the values into one condition, or write a second filter (filters are OR-ed)',
      });
      return;
    }
    const leaf = buildLeaf(problems, where, condition, attribute);
    if (leaf !== undefined) fields[condition.attribute] = { [attribute.type]: leaf };
  });
  return fields;
}

function buildLeaf(
  problems: ProblemCollector,
  where: string,
  condition: FilterCondition,
  attribute: AttributeConfig,
): unknown[] | undefined {
  const given = OPERATORS.filter((op) => condition[op] !== undefined);
  if (given.length !== 1) {
    problems.add({
      option: where,
      value: condition,
      allowed: 'exactly one of anyOf, noneOf, prefix, exists',
      fix: 'keep one operator per condition; write another filter for alternatives',
    });
    return undefined;
  }
  const op = given[0];
  if (op === 'exists') return [{ exists: condition.exists }];
  if (op === 'prefix') {
    if (attribute.type !== 'S') {
      problems.add({
        option: `${where}.prefix`,
        value: condition.prefix,
        reason: `"${attribute.name}" is of type ${attribute.type}`,
        allowed: 'prefix on string attributes only',
        fix: 'use anyOf or noneOf',
      });
      return undefined;
    }
    return [{ prefix: condition.prefix }];
  }
  const values = condition[op] ?? [];
  if (values.length === 0) {
    problems.add({ option: `${where}.${op}`, value: values, allowed: 'at least one value', fix: 'list the values to match' });
    return undefined;
  }
  const typed = values.map((v) => typedValue(problems, `${where}.${op}`, v, attribute));
  return op === 'anyOf' ? typed : [{ 'anything-but': typed }];
}

function typedValue(problems: ProblemCollector, option: string, value: string, attribute: AttributeConfig): unknown {
  if (attribute.type === 'N' && !NUMBER.test(value)) {
    problems.add({
      option,
      value,
      reason: `"${attribute.name}" is a number`,
      allowed: 'decimal strings such as "42" or "3.5"',
      fix: 'write the number as a string',
    });
  }
  if (attribute.type === 'BOOL') {
    if (value !== 'true' && value !== 'false') {
      problems.add({ option, value, reason: `"${attribute.name}" is a boolean`, allowed: '"true" or "false"', fix: 'write "true" or "false"' });
    }
    return value === 'true';
  }
  return value;
}
