/**
 * Sample changes for a consumer, found against its real filters with the emulator's matcher: for the sample tests a
 * project gets, and for the local runner's `--seed`.
 */
import { sampleItemValues, sampleValue } from './sample-values';
import type { AttributeConfig, ConsumerConfig, FilterPattern, TableConfig } from '../config';
import { compileFilters, type RecordFilter } from '../emulator/filters';
import { StreamFixtures, type Item } from '../records/fixtures';

export type EventName = 'INSERT' | 'MODIFY' | 'REMOVE';
const EVENT_NAMES: readonly EventName[] = ['INSERT', 'MODIFY', 'REMOVE'];

/** One change to an item: its image before (MODIFY, REMOVE) and after (INSERT, MODIFY). */
export interface SampleChange {
  readonly eventName: EventName;
  readonly before?: Item;
  readonly after?: Item;
}

/**
 * The changes the sample tests write, found against the consumer's real filters with the emulator's matcher:
 * one the filters deliver, one they drop (none without filters), and which event names can reach the handler.
 */
export interface SampleScenario {
  readonly delivered: SampleChange;
  readonly filteredOut?: SampleChange;
  readonly deliverable: Readonly<Record<EventName, boolean>>;
  /** For each kind of change the filters deliver, the first such change found. */
  readonly changes: Readonly<Partial<Record<EventName, SampleChange>>>;
  /** Delivered changes stay delivered with the partition key suffixed by an index (distinct items). */
  readonly distinctKeys: boolean;
  /**
   * Delivered changes stay delivered with the sort key (string or number) suffixed by an index: distinct items of
   * one partition key. False without a sort key.
   */
  readonly distinctSortKeys: boolean;
}

type Section = 'Keys' | 'NewImage' | 'OldImage';
/** `attribute -> typed leaf rules`, as buildFilterPatterns renders a section (`{ status: { S: ["PAID"] } }`). */
type Conditions = Record<string, Record<string, unknown[]>>;

export function sampleScenario(table: TableConfig, consumer: ConsumerConfig): SampleScenario {
  const matcher = new ChangeMatcher(table, consumer.filters);
  const attributes = attributesOf(table);
  const candidates = consumer.filters.length === 0 ? [{}] : consumer.filters;
  // every filter, with each event name it lets through, and without filters every event name
  const tried = candidates.flatMap((pattern) => eventNamesOf(pattern).map((name) => buildChange(name, pattern, table)));
  const delivered = tried.find((change) => matcher.passes(change)) ?? { eventName: 'INSERT', after: sampleItemValues(attributes, 1) };
  const changes: Partial<Record<EventName, SampleChange>> = {};
  for (const change of tried) {
    if (!changes[change.eventName] && matcher.passes(change)) changes[change.eventName] = change;
  }
  const deliverable = Object.fromEntries(EVENT_NAMES.map((name) => [name, changes[name] !== undefined])) as Record<EventName, boolean>;
  const filteredOut = consumer.filters.length === 0 ? undefined : violations(delivered, consumer.filters, attributes).find((c) => !matcher.passes(c));
  const distinctKeys = [0, 1, 2].every((i) => matcher.passes(withKeySuffix(delivered, table.partitionKey, i)));
  const sortKey = table.sortKey;
  const distinctSortKeys =
    sortKey !== undefined && sortKey.type !== 'B' && [0, 1, 2].every((i) => matcher.passes(withKeySuffix(delivered, sortKey, i)));
  return { delivered, deliverable, changes, distinctKeys, distinctSortKeys, ...(filteredOut ? { filteredOut } : {}) };
}

/** The change with the partition key made distinct by an index, as the sample emulator test writes it. */
export function withKeySuffix(change: SampleChange, key: AttributeConfig, i: number): SampleChange {
  const keyed = (item?: Item) => {
    if (!item) return undefined;
    const value = item[key.name];
    return { ...item, [key.name]: key.type === 'N' ? Number(value) + i : key.type === 'S' ? `${String(value)}-${i}` : value };
  };
  return {
    eventName: change.eventName,
    ...(change.before ? { before: keyed(change.before) } : {}),
    ...(change.after ? { after: keyed(change.after) } : {}),
  };
}

/** Matches changes as Lambda would: each change made into a stream record of this table, then filtered. */
class ChangeMatcher {
  private readonly filter: RecordFilter | undefined;
  constructor(private readonly table: TableConfig, filters: readonly FilterPattern[]) {
    this.filter = compileFilters(filters);
  }

  public passes(change: SampleChange): boolean {
    if (!this.filter) return true;
    const stream = new StreamFixtures({ table: this.table });
    const record = change.eventName === 'INSERT'
      ? stream.insert(change.after!)
      : change.eventName === 'MODIFY' ? stream.modify(change.before!, change.after!) : stream.remove(change.before!);
    return this.filter(record);
  }
}

function eventNamesOf(pattern: FilterPattern): EventName[] {
  const listed = pattern.eventName as EventName[] | undefined;
  if (listed) return listed;
  // a filter on the old image reads best as a change of an existing item
  return sectionOf(pattern, 'OldImage') ? ['MODIFY', 'REMOVE', 'INSERT'] : ['INSERT', 'MODIFY', 'REMOVE'];
}

function sectionOf(pattern: FilterPattern, section: Section): Conditions | undefined {
  return (pattern.dynamodb as Partial<Record<Section, Conditions>> | undefined)?.[section];
}

/**
 * A change the pattern accepts: keys from `Keys`, the new image from `NewImage`, the old image from `OldImage`.
 * Before and after differ in their declared attributes (sample values 0 and 1), as a real modification does.
 */
function buildChange(eventName: EventName, pattern: FilterPattern, table: TableConfig): SampleChange {
  const attributes = attributesOf(table);
  const keyed = satisfy(sampleItemValues(attributes, 1), sectionOf(pattern, 'Keys'), attributes);
  const after = satisfy(keyed, sectionOf(pattern, 'NewImage'), attributes);
  const keys = Object.fromEntries(keyNames(table).map((name) => [name, after[name]]));
  const before = satisfy({ ...sampleItemValues(attributes, 0), ...keys }, sectionOf(pattern, 'OldImage'), attributes);
  if (eventName === 'INSERT') return { eventName, after };
  if (eventName === 'REMOVE') return { eventName, before };
  return { eventName, before, after };
}

function attributesOf(table: TableConfig): AttributeConfig[] {
  return [table.partitionKey, ...(table.sortKey ? [table.sortKey] : []), ...table.attributes];
}

function keyNames(table: TableConfig): string[] {
  return [table.partitionKey.name, ...(table.sortKey ? [table.sortKey.name] : [])];
}

function satisfy(item: Item, conditions: Conditions | undefined, attributes: readonly AttributeConfig[]): Item {
  if (!conditions) return item;
  const out: Item = { ...item };
  for (const [name, typed] of Object.entries(conditions)) {
    const attribute = attributes.find((a) => a.name === name);
    const rules = Object.values(typed)[0] ?? [];
    const rule = rules[0];
    if (!attribute || rule === undefined) continue;
    const value = satisfying(rule, attribute, item[name]);
    if (value === undefined) delete out[name];
    else out[name] = value;
  }
  return out;
}

/** A value that meets one leaf rule (undefined: the attribute must be absent). */
function satisfying(rule: unknown, attribute: AttributeConfig, current: unknown): unknown {
  if (rule === null || typeof rule !== 'object') return native(rule, attribute);
  const [op, arg] = Object.entries(rule)[0];
  if (op === 'exists') return arg ? current ?? sampleValue(attribute, 1) : undefined;
  if (op === 'prefix') return `${String(arg)}${String(current ?? sampleValue(attribute, 1))}`;
  if (op === 'anything-but') return otherValue(attribute, (arg as unknown[]).map((v) => native(v, attribute)), current);
  return current;
}

/** A value that fails one leaf rule. */
function violating(rule: unknown, attribute: AttributeConfig, current: unknown): { value: unknown } {
  if (rule === null || typeof rule !== 'object') return { value: otherValue(attribute, [native(rule, attribute)], current) };
  const [op, arg] = Object.entries(rule)[0];
  if (op === 'exists') return { value: arg ? undefined : sampleValue(attribute, 1) };
  if (op === 'prefix') return { value: `not-${String(arg)}` };
  if (op === 'anything-but') return { value: native((arg as unknown[])[0], attribute) };
  return { value: current };
}

/** Filter patterns write numbers as strings; items carry numbers. */
function native(value: unknown, attribute: AttributeConfig): unknown {
  return attribute.type === 'N' && typeof value === 'string' ? Number(value) : value;
}

function otherValue(attribute: AttributeConfig, excluded: readonly unknown[], current: unknown): unknown {
  const options = [current, ...[0, 1, 2, 3, 4, 5].map((n) => sampleValue(attribute, n))];
  return options.find((v) => v !== undefined && !excluded.includes(v)) ?? `not-${String(excluded[0])}`;
}

/**
 * Changes close to a delivered one that the filters may drop: one condition's value broken at a time (a MODIFY to
 * another status), then the event names no filter lists.
 */
function violations(delivered: SampleChange, filters: readonly FilterPattern[], attributes: readonly AttributeConfig[]): SampleChange[] {
  const out: SampleChange[] = [];
  for (const pattern of filters) {
    for (const [section, image] of [['NewImage', 'after'], ['OldImage', 'before'], ['Keys', 'both']] as const) {
      for (const [name, typed] of Object.entries(sectionOf(pattern, section) ?? {})) {
        const attribute = attributes.find((a) => a.name === name);
        const rule = (Object.values(typed)[0] ?? [])[0];
        if (!attribute || rule === undefined) continue;
        const change = (item: Item | undefined) => {
          if (!item) return undefined;
          const { value } = violating(rule, attribute, item[name]);
          const copy: Item = { ...item };
          if (value === undefined) delete copy[name];
          else copy[name] = value;
          return copy;
        };
        const before = image === 'before' || image === 'both' ? change(delivered.before) : delivered.before;
        const after = image === 'after' || image === 'both' ? change(delivered.after) : delivered.after;
        out.push({ eventName: delivered.eventName, ...(before ? { before } : {}), ...(after ? { after } : {}) });
      }
    }
  }
  const item = delivered.after ?? delivered.before!;
  for (const eventName of EVENT_NAMES.filter((n) => n !== delivered.eventName)) {
    const other = { ...item };
    if (eventName === 'INSERT') out.push({ eventName, after: other });
    else if (eventName === 'REMOVE') out.push({ eventName, before: other });
    else out.push({ eventName, before: delivered.before ?? other, after: other });
  }
  return out;
}
