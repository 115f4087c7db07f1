/**
 * Seed writes and the stream records they make, told by DynamoDB itself: every put and delete asks for the item as it
 * was (`ReturnValues: ALL_OLD`), so a put of a new item is an INSERT, a put that changes an item a MODIFY, a put that
 * changes nothing no record at all ("If you perform a PutItem or UpdateItem operation that does not change any data in
 * an item, DynamoDB Streams does not write a stream record for that operation", DynamoDB developer guide, Streams), a
 * delete of an item a REMOVE and of no item nothing. Counting from the answers keeps the summary right whatever the
 * table held before the seed.
 *
 * Then, per consumer, how many of those changes reach its handler: each change is built into the record its stream
 * carries (its view type's images), converted with the poller's own converter and matched with the engine's own filter
 * compiler, so the count is the one the run will show, not a guess from the seed's intent.
 */
import { isDeepStrictEqual } from 'util';
// eslint-disable-next-line import/no-extraneous-dependencies -- generated repositories install the AWS SDK clients (the project type adds them)
import { type AttributeValue, DeleteItemCommand, type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { ConsumerConfig, TableConfig } from '../../config';
import { compileFilters } from '../../emulator/filters';
import { fromStreamsMap, toLambdaRecord } from '../../records/convert';
import { mapSize } from '../../records/fixtures';
import type { EventName } from '../../samples/sample-scenario';
import { LOCAL_REGION } from '../local-endpoint';

export type ItemMap = Record<string, AttributeValue>;

/** One stream record a seed write made. */
export interface SeedChange {
  readonly eventName: EventName;
  readonly keys: ItemMap;
  readonly oldImage?: ItemMap;
  readonly newImage?: ItemMap;
}

export interface SeedSummary {
  /** Stream records written, by kind. */
  readonly inserts: number;
  readonly modifies: number;
  readonly removes: number;
  /** Puts that changed nothing (the item was already as given): no stream record. */
  readonly unchanged?: number;
  /** Generated seeds: the first item index of this seed (after those of earlier seeds). */
  readonly firstIndex?: number;
}

/** Each consumer's share of the seeded changes, after its filters. */
export interface ConsumerReach {
  readonly consumer: string;
  readonly receives: number;
  readonly filteredOut: number;
}

/** Puts `item`; the change it made, or undefined when it changed nothing. */
export async function putForSeed(client: DynamoDBClient, tableName: string, table: TableConfig, item: ItemMap): Promise<SeedChange | undefined> {
  const out = await client.send(new PutItemCommand({ TableName: tableName, Item: item, ReturnValues: 'ALL_OLD' }));
  const old = out.Attributes && Object.keys(out.Attributes).length > 0 ? out.Attributes : undefined;
  if (old && sameItem(old, item)) return undefined;
  return { eventName: old ? 'MODIFY' : 'INSERT', keys: keysOf(table, item), ...(old ? { oldImage: old } : {}), newImage: item };
}

/** Deletes the item with `key`; the REMOVE it made, or undefined when there was no such item. */
export async function deleteForSeed(client: DynamoDBClient, tableName: string, table: TableConfig, key: ItemMap): Promise<SeedChange | undefined> {
  const out = await client.send(new DeleteItemCommand({ TableName: tableName, Key: keysOf(table, key), ReturnValues: 'ALL_OLD' }));
  if (!out.Attributes || Object.keys(out.Attributes).length === 0) return undefined;
  return { eventName: 'REMOVE', keys: keysOf(table, key), oldImage: out.Attributes };
}

/** The totals of a seed's changes; `unchanged` puts are counted by the caller. */
export function summarizeChanges(changes: readonly SeedChange[], extra: Partial<SeedSummary> = {}): SeedSummary {
  const count = (name: EventName) => changes.filter((c) => c.eventName === name).length;
  return { inserts: count('INSERT'), modifies: count('MODIFY'), removes: count('REMOVE'), ...extra };
}

/** `5 changes (2 inserts, 2 modifications, 1 removal)`, and the puts that made no stream record, if any. */
export function describeSeed(s: SeedSummary): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [plural(s.inserts, 'insert'), plural(s.modifies, 'modification'), plural(s.removes, 'removal')].filter((p) => !p.startsWith('0 '));
  const total = plural(s.inserts + s.modifies + s.removes, 'change');
  const unchanged = s.unchanged ? `${plural(s.unchanged, 'put')} changed nothing (the item was already as given), so no stream record` : '';
  const inside = [parts.join(', '), unchanged].filter((p) => p !== '').join('; ');
  return inside === '' ? total : `${total} (${inside})`;
}

/** `audit receives 3 (2 filtered out), stats receives 5`. */
export function describeReach(reach: readonly ConsumerReach[]): string {
  return reach.map((r) => `${r.consumer} receives ${r.receives}${r.filteredOut > 0 ? ` (${r.filteredOut} filtered out)` : ''}`).join(', ');
}

/** How many of `changes` each consumer's filters let through, matched as the engine matches the records read. */
export function seedReach(
  changes: readonly SeedChange[],
  table: TableConfig,
  consumers: readonly ConsumerConfig[],
  streamArn: string,
): ConsumerReach[] {
  const records = changes.map((change, i) => toLambdaRecord(streamRecord(change, table, i), { streamArn }));
  return consumers.map((consumer) => {
    const filter = compileFilters(consumer.filters);
    const receives = filter ? records.filter((r) => filter(r)).length : records.length;
    return { consumer: consumer.name, receives, filteredOut: records.length - receives };
  });
}

/** The record the stream carries for `change`, in the shape GetRecords returns it (images by the view type). */
function streamRecord(change: SeedChange, table: TableConfig, index: number) {
  const view = table.streamViewType;
  const newImage = change.newImage && (view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES') ? change.newImage : undefined;
  const oldImage = change.oldImage && (view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES') ? change.oldImage : undefined;
  const size = [change.keys, newImage, oldImage].reduce((n, map) => n + (map ? mapSize(fromStreamsMap(map)) : 0), 0);
  return {
    eventID: `seed-${index}`,
    eventName: change.eventName,
    awsRegion: LOCAL_REGION,
    dynamodb: {
      ApproximateCreationDateTime: new Date(),
      Keys: change.keys,
      ...(newImage ? { NewImage: newImage } : {}),
      ...(oldImage ? { OldImage: oldImage } : {}),
      SequenceNumber: String(index + 1),
      SizeBytes: size,
      StreamViewType: view,
    },
  };
}

function keysOf(table: TableConfig, item: ItemMap): ItemMap {
  const keys = [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])];
  return Object.fromEntries(keys.map((k) => [k.name, item[k.name]]));
}

/**
 * Whether DynamoDB holds `item` exactly as `stored`: binary values compared by their bytes (the SDK answers
 * Uint8Array, the seed writes Buffers), numbers by their value (DynamoDB answers `1.5` for a written `1.50`).
 */
function sameItem(stored: ItemMap, item: ItemMap): boolean {
  return isDeepStrictEqual(canonical(fromStreamsMap(stored)), canonical(fromStreamsMap(item)));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, k === 'N' && typeof v === 'string' ? canonicalNumber(v) : k === 'NS' && Array.isArray(v) ? v.map(String).map(canonicalNumber).sort() : canonical(v)]),
    );
  }
  return value;
}

/** Plain decimal text without redundant zeros or sign; text with an exponent is left as it is. */
function canonicalNumber(text: string): string {
  const m = /^([+-]?)0*(\d*?)(?:\.(\d*?)0*)?$/.exec(text.trim());
  if (!m) return text;
  const whole = m[2] === '' ? '0' : m[2];
  const fraction = m[3] ?? '';
  const digits = fraction === '' ? whole : `${whole}.${fraction}`;
  return m[1] === '-' && digits !== '0' ? `-${digits}` : digits;
}
