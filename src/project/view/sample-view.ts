import type { AttributeConfig, ConsumerConfig, TableConfig } from '../../runtime/config';
import { poisonOutcome } from '../../runtime/rules/consumer-rules';
import { sampleScenario, type EventName, type SampleChange } from '../../runtime/samples/sample-scenario';
import { sampleItemValues } from '../../runtime/samples/sample-values';
import { sampleLiteral } from '../render/sample-literal';
import { propertyKey, tsString } from '../render/ts-literal';

/** Where the sample emulator test's records start: window bounds are printed from it. */
export const SAMPLE_START_MS = Date.UTC(2026, 0, 1);
const PRINT_WIDTH = 80;

interface ChangeView {
  readonly eventName: string;
  /** `onInsert`, `onModify` or `onRemove`: the callback that receives it. */
  readonly callback: string;
  readonly insert: boolean;
  readonly modify: boolean;
  readonly remove: boolean;
  /** Top-level `Item` literals, printed after `const <name>: Item = `. */
  readonly before: string | false;
  readonly after: string | false;
}

/**
 * What the sample tests and handler of one consumer need beyond the shared view model: the changes its real
 * filters deliver and drop, the callbacks worth implementing, and what a poison record does under its policy.
 */
export interface SampleView {
  readonly delivered: ChangeView;
  readonly filteredOut: ChangeView | false;
  readonly handles: { readonly insert: boolean; readonly modify: boolean; readonly remove: boolean; readonly expire: boolean; readonly all: boolean };
  /** The unit test's items: an item before and after a change, with the same key. */
  readonly itemBefore: string;
  readonly itemAfter: string;
  /** The unit test's expected `change.keys`. */
  readonly keyObject: string;
  /** The sample window handler's state after one change of each kind it counts. */
  readonly oneOfEach: string;
  /** `const key = { ... };` giving item i a distinct partition key, or false when that would fail the filters. */
  readonly keyStatement: string | false;
  /**
   * `const key = { ... };` giving item i of one partition key a distinct sort key, for the test that shows items of
   * one partition key handled out of order (parallelizationFactor > 1; not with a tumbling window); false otherwise.
   */
  readonly sortKeyStatement: string | false;
  readonly poison: {
    readonly isolated: boolean;
    readonly discardsBatch: boolean;
    readonly expiresWithFollowers: boolean;
    readonly blocks: boolean;
  };
  /** `const batch = event(...)` of the unit test: one record per kind of change the sample handler handles. */
  readonly unitBatch: string;
  /** `const batch = windowEvent([...])` of the unit test, the same records in one window. */
  readonly windowBatch: string;
  /** `const records = [...]` of the window emulator test: two delivered changes (and the dropped one). */
  readonly windowRecords: string;
  /** The sample window handler's first state, e.g. `{ modifies: 0 }`, and after two delivered changes. */
  readonly initialTotals: string;
  readonly windowTotals: string;
  readonly windowStart: string;
  readonly windowEnd: string;
}

export function sampleView(table: TableConfig, consumer: ConsumerConfig): SampleView {
  const scenario = sampleScenario(table, consumer);
  const attributes = [table.partitionKey, ...(table.sortKey ? [table.sortKey] : []), ...table.attributes];
  const d = scenario.deliverable;
  const outcome = poisonOutcome(consumer);
  const keys = keyItem(table, scenario.delivered);
  const windowEnd = SAMPLE_START_MS + consumer.tumblingWindowSeconds * 1000;
  return {
    delivered: changeView(scenario.delivered, 'delivered'),
    filteredOut: scenario.filteredOut ? changeView(scenario.filteredOut, 'skipped') : false,
    handles: {
      insert: d.INSERT,
      modify: d.MODIFY,
      remove: d.REMOVE,
      expire: d.REMOVE && table.timeToLiveAttribute !== undefined,
      all: d.INSERT && d.MODIFY && d.REMOVE,
    },
    itemBefore: literal({ ...sampleItemValues(attributes, 0), ...keys }, 'const before: Item = '),
    itemAfter: literal({ ...sampleItemValues(attributes, 1), ...keys }, 'const after: Item = '),
    keyObject: sampleLiteral(keys, 6, '      keys: '.length, 1),
    oneOfEach: totals(d, () => 1),
    keyStatement: scenario.distinctKeys ? keyStatement(table.partitionKey, scenario.delivered) : false,
    sortKeyStatement:
      consumer.enabled && table.sortKey && scenario.distinctSortKeys && consumer.parallelizationFactor > 1 && consumer.tumblingWindowSeconds === 0
        ? keyStatement(table.sortKey, scenario.delivered)
        : false,
    poison: {
      isolated: outcome === 'isolated',
      discardsBatch: outcome === 'discardsBatch',
      expiresWithFollowers: outcome === 'expiresWithFollowers',
      blocks: outcome === 'blocks',
    },
    unitBatch: layoutList('  const batch = event(', handledRecords(d), ');'),
    windowBatch: layoutList('  const batch = windowEvent([', handledRecords(d), ']);'),
    windowRecords: layoutList('  const records = [', windowRecords(scenario.distinctKeys, scenario.filteredOut !== undefined), '];'),
    initialTotals: totals(d, () => 0),
    windowTotals: totals(d, (name) => (name === scenario.delivered.eventName ? 2 : 0)),
    windowStart: isoSeconds(SAMPLE_START_MS),
    windowEnd: isoSeconds(windowEnd),
  };
}

function changeView(change: SampleChange, name: string): ChangeView {
  const prefix = (image: string) => `const ${name}${image}: Item = `;
  return {
    eventName: change.eventName,
    callback: { INSERT: 'onInsert', MODIFY: 'onModify', REMOVE: 'onRemove' }[change.eventName],
    insert: change.eventName === 'INSERT',
    modify: change.eventName === 'MODIFY',
    remove: change.eventName === 'REMOVE',
    before: change.before ? literal(change.before, prefix('Before')) : false,
    after: change.after ? literal(change.after, prefix('After')) : false,
  };
}

function literal(item: object, prefix: string): string {
  return sampleLiteral(item, 0, prefix.length, 1);
}

function keyItem(table: TableConfig, change: SampleChange): Record<string, unknown> {
  const item = change.after ?? change.before ?? {};
  const names = [table.partitionKey.name, ...(table.sortKey ? [table.sortKey.name] : [])];
  return Object.fromEntries(names.map((n) => [n, item[n]]));
}

/** `const key = { orderId: `order-1001-${i}` };`, broken over lines as prettier would when it is too long. */
function keyStatement(key: AttributeConfig, change: SampleChange): string {
  const base = (change.after ?? change.before ?? {})[key.name];
  const value =
    key.type === 'N'
      ? `${String(base)} + i`
      : key.type === 'S'
        ? // tsString's escapes are valid in a template literal too (it escapes the backtick and `${`)
        `\`${tsString(String(base)).slice(1, -1)}-\${i}\``
        : 'Buffer.from(`item-${i}`).toString("base64")';
  const member = `${propertyKey(key.name)}: ${value}`;
  const oneLine = `  const key = { ${member} };`;
  return oneLine.length <= PRINT_WIDTH ? oneLine : `  const key = {\n    ${member},\n  };`;
}

const TOTAL_FIELDS = { INSERT: 'inserts', MODIFY: 'modifies', REMOVE: 'removes' } as const;

/** The sample window handler's state: a count per kind of change its filters deliver. */
function totals(deliverable: Record<EventName, boolean>, count: (name: EventName) => number): string {
  const fields = (Object.keys(TOTAL_FIELDS) as EventName[])
    .filter((name) => deliverable[name])
    .map((name) => `${TOTAL_FIELDS[name]}: ${count(name)}`);
  return `{ ${fields.join(', ')} }`;
}

function handledRecords(d: Record<EventName, boolean>): string[] {
  return [d.INSERT && 'inserted(before)', d.MODIFY && 'modified(before, after)', d.REMOVE && 'removed(after)'].filter(
    (r): r is string => r !== false,
  );
}

function windowRecords(keyed: boolean, withSkipped: boolean): string[] {
  const delivered = keyed ? ['delivered(stream, 1)', 'delivered(stream, 2)'] : ['delivered(stream)', 'delivered(stream)'];
  return withSkipped ? [...delivered, 'skipped(stream)'] : delivered;
}

/** A bracketed list on one line when it fits, else one item per line with trailing commas, as prettier prints it. */
function layoutList(head: string, items: readonly string[], tail: string): string {
  const oneLine = `${head}${items.join(', ')}${tail}`;
  if (oneLine.length <= PRINT_WIDTH) return oneLine;
  const indent = head.length - head.trimStart().length;
  const pad = ' '.repeat(indent + 2);
  return `${head}\n${items.map((item) => `${pad}${item},`).join('\n')}\n${' '.repeat(indent)}${tail}`;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
