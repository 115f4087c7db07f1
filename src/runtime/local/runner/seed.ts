/**
 * `--seed N`: N sample writes shaped by the table definition and by the consumer's filters, so a fresh local table has
 * something to stream without writing a script.
 * - The writes are a mix of the kinds of change the consumer receives: inserts, modifications (an item written
 *   again with other values: a MODIFY with distinct old and new images) and removals, each with the values its
 *   filters deliver (see {@link sampleScenario}).
 * - Seeding again adds new items after those a previous seed wrote (found by a keys-only scan), so an existing
 *   table gets new stream records: a write that changes nothing would produce none.
 * - The changes counted are those DynamoDB reports making (./seed-changes.ts). Items of the user's own are
 *   `--seed-items` (./seed-items.ts).
 */
import { isDeepStrictEqual } from 'util';
// eslint-disable-next-line import/no-extraneous-dependencies -- generated repositories install the AWS SDK clients (the project type adds them)
import { type AttributeValue, BatchWriteItemCommand, type DynamoDBClient, ScanCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { deleteForSeed, putForSeed, type SeedChange, type SeedSummary, summarizeChanges } from './seed-changes';
import type { AttributeConfig, ConsumerConfig, TableConfig } from '../../config';
import type { Item } from '../../records/fixtures';
import { sampleScenario, type EventName, type SampleChange } from '../../samples/sample-scenario';
import { sampleItemValues } from '../../samples/sample-values';

/** An item with every key and declared attribute set to its index-th sample value (inserts only: `seedItems`). */
export function sampleItem(table: TableConfig, index: number): Record<string, AttributeValue> {
  return toAttributeMap(table, sampleItemValues(allAttributes(table), index));
}

/** Writes `count` sample items, 25 per BatchWriteItem, retrying what DynamoDB returns unprocessed (INSERTs only). */
export async function seedItems(client: DynamoDBClient, tableName: string, table: TableConfig, count: number, first = 0): Promise<void> {
  for (let start = first; start < first + count; start += 25) {
    const end = Math.min(start + 25, first + count);
    let requests: WriteRequest[] = [];
    for (let i = start; i < end; i++) requests.push({ PutRequest: { Item: sampleItem(table, i) } });
    while (requests.length > 0) {
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
      requests = out.UnprocessedItems?.[tableName] ?? [];
    }
  }
}

/** A seed's totals and the stream records it made, for each consumer's share (./seed-changes.ts `seedReach`). */
export interface SeedResult extends SeedSummary {
  readonly changes: readonly SeedChange[];
}

/** One write, and the stream record it makes. */
type SeedWrite = { readonly kind: EventName; readonly put?: Item; readonly delete?: Item };

/**
 * Writes `count` changes for `consumer`: items in turn get the kinds of change its filters deliver (an insert; an
 * insert then a modification; an insert then a removal), until `count` writes are done.
 */
export async function seedChanges(
  client: DynamoDBClient,
  tableName: string,
  table: TableConfig,
  consumer: ConsumerConfig,
  count: number,
): Promise<SeedResult> {
  const scenario = sampleScenario(table, consumer);
  // DynamoDB writes no stream record for a put that changes nothing: on a table whose declared attributes are its
  // keys, before and after of a modification are the same item, so it gets inserts and removals only.
  const kinds = (['INSERT', 'MODIFY', 'REMOVE'] as const).filter((kind) => {
    const change = scenario.changes[kind];
    return change !== undefined && !(kind === 'MODIFY' && isDeepStrictEqual(change.before, change.after));
  });
  const firstIndex = await nextSeedIndex(client, tableName, table, scenario.delivered);
  const changes: SeedChange[] = [];
  let unchanged = 0;
  let written = 0;
  for (let item = 0; written < count; item++) {
    const kind = kinds.length > 0 ? kinds[item % kinds.length] : 'INSERT';
    const change = scenario.changes[kind] ?? scenario.delivered;
    const writes = writesFor(kind, keyed(change, table.partitionKey, firstIndex + item)).slice(0, count - written);
    for (const write of writes) {
      const made = write.put
        ? await putForSeed(client, tableName, table, toAttributeMap(table, write.put))
        : await deleteForSeed(client, tableName, table, toAttributeMap(table, keyOf(table, write.delete!)));
      if (made) changes.push(made);
      else unchanged++;
    }
    written += writes.length;
  }
  return { ...summarizeChanges(changes, { firstIndex, ...(unchanged > 0 ? { unchanged } : {}) }), changes };
}

/** What makes one change in the stream: the item first written (INSERT), then written again or deleted. */
function writesFor(kind: EventName, change: SampleChange): SeedWrite[] {
  switch (kind) {
    case 'INSERT':
      return [{ kind: 'INSERT', put: change.after }];
    case 'MODIFY':
      return [{ kind: 'INSERT', put: change.before }, { kind: 'MODIFY', put: change.after }];
    case 'REMOVE':
      return [{ kind: 'INSERT', put: change.before }, { kind: 'REMOVE', delete: change.before }];
  }
}

/** The change made to item `index`: its partition key suffixed (strings, binary) or offset (numbers) by the index. */
function keyed(change: SampleChange, key: AttributeConfig, index: number): SampleChange {
  const withKey = (item?: Item) => (item ? { ...item, [key.name]: keyValue(key, item[key.name], index) } : undefined);
  return { eventName: change.eventName, before: withKey(change.before), after: withKey(change.after) };
}

function keyValue(key: AttributeConfig, base: unknown, index: number): unknown {
  if (key.type === 'N') return Number(base) + index;
  if (key.type === 'B') return Buffer.from(`${Buffer.from(String(base), 'base64').toString('utf8')}-${index}`, 'utf8').toString('base64');
  return `${String(base)}-${index}`;
}

/** The index that follows every item an earlier seed wrote (their keys carry it), 0 on a table without them. */
async function nextSeedIndex(client: DynamoDBClient, tableName: string, table: TableConfig, delivered: SampleChange): Promise<number> {
  const key = table.partitionKey;
  const base = (delivered.after ?? delivered.before ?? {})[key.name];
  let next = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ProjectionExpression: '#k', ExpressionAttributeNames: { '#k': key.name }, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      const index = seedIndexOf(key, base, item[key.name]);
      if (index !== undefined && index >= next) next = index + 1;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return next;
}

function seedIndexOf(key: AttributeConfig, base: unknown, value: AttributeValue | undefined): number | undefined {
  if (!value) return undefined;
  if (key.type === 'N') {
    const offset = Number(value.N) - Number(base);
    return Number.isInteger(offset) && offset >= 0 ? offset : undefined;
  }
  const text = key.type === 'B' ? Buffer.from(value.B ?? new Uint8Array()).toString('utf8') : value.S ?? '';
  const prefix = key.type === 'B' ? `${Buffer.from(String(base), 'base64').toString('utf8')}-` : `${String(base)}-`;
  if (!text.startsWith(prefix) || !/^\d+$/.test(text.slice(prefix.length))) return undefined;
  return Number(text.slice(prefix.length));
}

function allAttributes(table: TableConfig): AttributeConfig[] {
  return [table.partitionKey, ...(table.sortKey ? [table.sortKey] : []), ...table.attributes];
}

function keyOf(table: TableConfig, item: Item): Item {
  const keys = [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])];
  return Object.fromEntries(keys.map((k) => [k.name, item[k.name]]));
}

/** The item as DynamoDB stores it: declared binary attributes (base64 in the samples) as bytes. */
function toAttributeMap(table: TableConfig, item: Item): Record<string, AttributeValue> {
  const types = new Map(allAttributes(table).map((a) => [a.name, a.type]));
  const out: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    const type = types.get(name);
    if (type === 'B') out[name] = { B: Buffer.from(String(value), 'base64') };
    else if (type === 'N' || typeof value === 'number') out[name] = { N: String(value) };
    else if (type === 'BOOL' || typeof value === 'boolean') out[name] = { BOOL: Boolean(value) };
    else out[name] = { S: String(value) };
  }
  return out;
}
