/**
 * Fixture builders: stream records in the exact Lambda event shape, driven by the table definition.
 *
 * ```ts
 * const stream = new StreamFixtures({ table });
 * const records = [stream.insert({ orderId: 'a', createdAt: 1 }), stream.ttlRemove({ orderId: 'a', createdAt: 1 })];
 * ```
 * - The configured StreamViewType decides the images: KEYS_ONLY carries Keys only, NEW_IMAGE the new image,
 *   OLD_IMAGE the old one, NEW_AND_OLD_IMAGES both (an INSERT has no old image, a REMOVE no new image).
 * - Sequence numbers are 21-digit decimal strings that increase with gaps, like DynamoDB's.
 * - SizeBytes follows DynamoDB's item size rules for Keys and images.
 * - Nothing depends on the date or the machine: the time starts at `startTime` and moves only by `advance`.
 */
import { marshall, NumberValueImpl } from '@aws-sdk/util-dynamodb';
import type { TableConfig } from '../config';
import type { AttributeMap, AttributeValue, DynamoDBStreamRecord, StreamEventName, TtlUserIdentity } from './types';
import { FixtureError } from '../errors';

export interface StreamFixturesOptions {
  readonly table: TableConfig;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default 'orders' */
  readonly tableName?: string;
  /** @default derived from region and table name */
  readonly streamArn?: string;
  /** Epoch milliseconds of the first record. @default 2024-01-01T00:00:00Z */
  readonly startTimeMs?: number;
  /** Seconds added after each record; 0 puts every record in the same second. @default 0 */
  readonly secondsBetweenRecords?: number;
  /** @default 100000000000000000001n */
  readonly firstSequenceNumber?: bigint;
}

export type Item = Record<string, unknown>;

/**
 * What the fixtures take: any object of attribute names and values. Not `Item`, whose index signature an interface
 * lacks: a generated repository's `Item` names only the declared attributes (so a misspelt name fails its build),
 * and must fit as it is.
 */
export type ItemInput = object;

const TTL_IDENTITY: TtlUserIdentity = { type: 'Service', principalId: 'dynamodb.amazonaws.com' };
const DEFAULT_START = Date.UTC(2024, 0, 1);
// DynamoDB's sequence numbers are not contiguous; a gap keeps tests from assuming they are.
const SEQUENCE_STEP = 100n;

export class StreamFixtures {
  public readonly streamArn: string;
  private nowMs: number;
  private nextSequence: bigint;
  private readonly region: string;
  private readonly gapMs: number;

  constructor(private readonly options: StreamFixturesOptions) {
    this.region = options.region ?? 'us-east-1';
    const tableName = options.tableName ?? 'orders';
    this.streamArn = options.streamArn ?? `arn:aws:dynamodb:${this.region}:123456789012:table/${tableName}/stream/2024-01-01T00:00:00.000`;
    this.nowMs = options.startTimeMs ?? DEFAULT_START;
    this.gapMs = (options.secondsBetweenRecords ?? 0) * 1000;
    this.nextSequence = options.firstSequenceNumber ?? 100000000000000000001n;
  }

  /** Moves the fixture clock forward, e.g. to put records in different batching or tumbling windows. */
  public advance(seconds: number): this {
    this.nowMs += seconds * 1000;
    return this;
  }

  /** The time the next record gets, epoch milliseconds. */
  public get timeMs(): number {
    return this.nowMs;
  }

  public insert(item: ItemInput): DynamoDBStreamRecord {
    return this.record('INSERT', undefined, item);
  }

  public modify(oldItem: ItemInput, newItem: ItemInput): DynamoDBStreamRecord {
    return this.record('MODIFY', oldItem, newItem);
  }

  public remove(oldItem: ItemInput): DynamoDBStreamRecord {
    return this.record('REMOVE', oldItem, undefined);
  }

  /** A deletion by DynamoDB's Time to Live process: a REMOVE with `userIdentity`. */
  public ttlRemove(oldItem: ItemInput): DynamoDBStreamRecord {
    return this.record('REMOVE', oldItem, undefined, TTL_IDENTITY);
  }

  /** `count` inserts built by `item(i)`. */
  public inserts(count: number, item: (i: number) => ItemInput): DynamoDBStreamRecord[] {
    const out: DynamoDBStreamRecord[] = [];
    for (let i = 0; i < count; i++) out.push(this.insert(item(i)));
    return out;
  }

  private record(
    eventName: StreamEventName,
    oldItem: ItemInput | undefined,
    newItem: ItemInput | undefined,
    userIdentity?: TtlUserIdentity,
  ): DynamoDBStreamRecord {
    const view = this.options.table.streamViewType;
    const source = (newItem ?? oldItem)!;
    const keys = this.keysOf(source);
    const newImage = newItem && (view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES') ? toLambdaMap(newItem, this.options.table) : undefined;
    const oldImage = oldItem && (view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES') ? toLambdaMap(oldItem, this.options.table) : undefined;
    const sequence = this.nextSequence;
    this.nextSequence += SEQUENCE_STEP;
    const seconds = Math.floor(this.nowMs / 1000);
    this.nowMs += this.gapMs;
    const size = mapSize(keys) + (newImage ? mapSize(newImage) : 0) + (oldImage ? mapSize(oldImage) : 0);
    return {
      eventID: sequence.toString(16).padStart(32, '0'),
      eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: this.region,
      dynamodb: {
        ApproximateCreationDateTime: seconds,
        Keys: keys,
        ...(newImage ? { NewImage: newImage } : {}),
        ...(oldImage ? { OldImage: oldImage } : {}),
        SequenceNumber: sequence.toString(),
        SizeBytes: size,
        StreamViewType: view,
      },
      eventSourceARN: this.streamArn,
      ...(userIdentity ? { userIdentity } : {}),
    };
  }

  private keysOf(item: ItemInput): AttributeMap {
    const { partitionKey, sortKey } = this.options.table;
    const keyItem: Item = {};
    for (const key of sortKey ? [partitionKey, sortKey] : [partitionKey]) {
      const value = (item as Item)[key.name];
      if (value === undefined) {
        throw new FixtureError(
          `item ${JSON.stringify(item)} lacks the key attribute "${key.name}" (type ${key.type}) that table.${key === partitionKey ? 'partitionKey' : 'sortKey'} declares: add it to the item`,
        );
      }
      keyItem[key.name] = value;
    }
    return toLambdaMap(keyItem, this.options.table);
  }
}

/**
 * Marshalls with the SDK, then turns binary values into base64 as the Lambda event carries them. Declared number
 * attributes given as strings (`numberMode: 'STRING'`, exact decimal text) are marshalled as numbers.
 */
export function toLambdaMap(item: ItemInput, table?: TableConfig): AttributeMap {
  const declared = table ? [table.partitionKey, ...(table.sortKey ? [table.sortKey] : []), ...table.attributes] : [];
  const exact = new Set(declared.filter((a) => a.type === 'N' && a.numberMode === 'STRING').map((a) => a.name));
  const prepared: Item = {};
  for (const [name, value] of Object.entries(item)) {
    prepared[name] = exact.has(name) && typeof value === 'string' ? NumberValueImpl.from(value) : value;
  }
  return fromSdk(marshall(prepared, { removeUndefinedValues: true, convertClassInstanceToMap: true })) as AttributeMap;
}

function fromSdk(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(fromSdk);
  if (value instanceof Set) return [...value].map(fromSdk);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = fromSdk(v);
    return out;
  }
  return value;
}

/**
 * DynamoDB's item size: attribute names plus values (strings in UTF-8 bytes, numbers about one byte per two
 * digits plus one, binary by length, one byte for BOOL and NULL, three bytes of overhead per list or map).
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 */
export function mapSize(map: AttributeMap): number {
  let size = 0;
  for (const [name, value] of Object.entries(map)) size += Buffer.byteLength(name, 'utf8') + valueSize(value);
  return size;
}

function valueSize(v: AttributeValue): number {
  if (v.S !== undefined) return Buffer.byteLength(v.S, 'utf8');
  if (v.N !== undefined) return numberSize(v.N);
  if (v.B !== undefined) return Buffer.from(v.B, 'base64').length;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS !== undefined) return v.SS.reduce((n, s) => n + Buffer.byteLength(s, 'utf8'), 0);
  if (v.NS !== undefined) return v.NS.reduce((n, s) => n + numberSize(s), 0);
  if (v.BS !== undefined) return v.BS.reduce((n, s) => n + Buffer.from(s, 'base64').length, 0);
  if (v.L !== undefined) return 3 + v.L.reduce((n, e) => n + 1 + valueSize(e), 0);
  if (v.M !== undefined) return 3 + mapSize(v.M) + Object.keys(v.M).length;
  return 0;
}

function numberSize(n: string): number {
  const digits = n.replace(/^-/, '').replace('.', '').replace(/^0+/, '').length;
  return Math.ceil(digits / 2) + 1;
}
