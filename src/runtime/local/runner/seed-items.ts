/**
 * `--seed-items <file[#export]>`: the items to seed, from a file the user owns, instead of generated samples, so a
 * handler that validates its input gets values it accepts.
 *
 * - `items.json`: a JSON array of plain items (`{ "orderId": "o-1", "createdAt": 1, "status": "PAID" }`), written
 *   whole, in order.
 * - a module (`.ts`, `.js`, loaded as handlers are: ./module-loader.ts): its export `items` (or `default`, or the one
 *   named after `#`) is an array of plain items, or a function `({ count, table }) => items` (may be async), called
 *   with `--seed <n>` as `count` (undefined without it), so the user's code decides what n items look like.
 *
 * Plain values are written as DynamoDB's document mapping writes them (string S, number N, boolean BOOL, null NULL,
 * array L, object M); attributes the table declares take their declared type (`B` as base64 text, `N` also as
 * decimal text). Every item is checked before anything is written (an object, with the table's keys, declared
 * attributes of their type, under DynamoDB's 400 KB), so a bad item stops the seed with one error naming the source,
 * the item's index and the attribute, and the table gets nothing from it.
 */
import { existsSync, readFileSync } from 'fs';
import { resolve } from 'path';
// eslint-disable-next-line import/no-extraneous-dependencies -- generated repositories install the AWS SDK clients (the project type adds them)
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, NumberValueImpl } from '@aws-sdk/util-dynamodb';
import { loadModule } from './module-loader';
import type { ItemMap } from './seed-changes';
import type { AttributeConfig, TableConfig } from '../../config';
import { SeedItemsError } from '../../errors';
import { fromStreamsMap } from '../../records/convert';
import { mapSize } from '../../records/fixtures';

/** What a seed-items function is called with. */
export interface SeedItemsContext {
  /** `--seed <n>`, or undefined without it. */
  readonly count: number | undefined;
  readonly table: TableConfig;
}

export type SeedItemsFunction = (context: SeedItemsContext) => readonly unknown[] | Promise<readonly unknown[]>;

/** DynamoDB's item size limit. */
const MAX_ITEM_BYTES = 400 * 1024;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Reads the items `spec` names (see the file header), checked against `table`: the plain items, ready for
 * `seedItems`. Throws a {@link SeedItemsError} naming `--seed-items <spec>` for anything that cannot be written.
 */
export async function readSeedItems(
  spec: string,
  table: TableConfig,
  count: number | undefined,
  cwd: string = process.cwd(),
): Promise<readonly unknown[]> {
  const flag = `--seed-items ${spec}`;
  const [file] = spec.split('#');
  let value: unknown;
  if (/\.json$/i.test(file)) {
    value = readJson(flag, resolve(cwd, file), cwd);
  } else {
    const { exports, exportName } = loadModule(spec, 'seed items', '--seed-items', cwd);
    const name = exportName ?? ['items', 'default'].find((n) => exports[n] !== undefined) ?? 'items';
    value = exports[name];
    if (value === undefined) {
      throw new SeedItemsError(
        `${flag}: the module has no export "${name}" (exports: ${Object.keys(exports).join(', ') || 'none'}): export the items (an array, or a function returning them) as \`items\`, or name the export with path#exportName`,
      );
    }
  }
  if (typeof value === 'function') {
    try {
      value = await (value as SeedItemsFunction)({ count, table });
    } catch (error) {
      throw new SeedItemsError(`${flag}: the seed items function threw: ${(error as Error).message?.split('\n')[0] ?? String(error)}; nothing was written`);
    }
  } else if (count !== undefined) {
    throw new SeedItemsError(
      `--seed ${count} with ${flag}: the items given are written whole (${Array.isArray(value) ? `${value.length} of them` : 'not a function'}), so there is no count to apply: drop --seed, or export a function ({ count }) => items to make n items`,
    );
  }
  if (!Array.isArray(value)) {
    throw new SeedItemsError(`${flag}: expected an array of items, got ${describe(value)}: give a JSON array such as [{ "${table.partitionKey.name}": ... }]`);
  }
  prepareSeedItems(value, table, flag);
  return value;
}

/**
 * Checks every item against the table and converts it for PutItem; throws a {@link SeedItemsError} at the first
 * item that cannot be written, before any is. `source` names where the items came from in the message.
 */
export function prepareSeedItems(items: readonly unknown[], table: TableConfig, source: string): ItemMap[] {
  if (items.length === 0) throw new SeedItemsError(`${source}: holds no items: add at least one item with the table's keys (${keyList(table)}), or drop it`);
  const keys = [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])];
  const declared = new Map(table.attributes.map((a) => [a.name, a]));
  return items.map((item, index) => {
    const at = `${source}: item ${index}`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new SeedItemsError(`${at} is ${describe(item)}, not an item: each item is an object of attribute values with the table's keys (${keyList(table)}); nothing was written`);
    }
    const plain = item as Record<string, unknown>;
    for (const key of keys) {
      const role = key === table.partitionKey ? 'partition key' : 'sort key';
      if (plain[key.name] === undefined || plain[key.name] === null) {
        throw new SeedItemsError(`${at} has no "${key.name}" (the table's ${role}, type ${key.type}): every item needs the table's keys (${keyList(table)}); nothing was written`);
      }
      checkType(at, key, plain[key.name], `the table's ${role} is of type ${key.type}`, true);
    }
    for (const [name, value] of Object.entries(plain)) {
      const attribute = declared.get(name);
      if (attribute && value !== undefined) checkType(at, attribute, value, `table.attributes declares it as type ${attribute.type}`, false);
    }
    let map: ItemMap;
    try {
      const options = { removeUndefinedValues: true, convertClassInstanceToMap: true };
      map = marshall(typed(plain, [...keys, ...table.attributes]), options) as Record<string, AttributeValue>;
    } catch (error) {
      throw new SeedItemsError(`${at} cannot be written as a DynamoDB item (${(error as Error).message}): use strings, numbers, booleans, null, arrays and objects; nothing was written`);
    }
    const bytes = mapSize(fromStreamsMap(map));
    // checked here, or DynamoDB would refuse the item after the ones before it were written
    if (bytes > MAX_ITEM_BYTES) {
      throw new SeedItemsError(`${at} is about ${bytes} bytes, over DynamoDB's item limit of ${MAX_ITEM_BYTES} (400 KB): make it smaller; nothing was written`);
    }
    return map;
  });
}

function checkType(at: string, attribute: AttributeConfig, value: unknown, why: string, isKey: boolean): void {
  const given = `"${attribute.name}": ${JSON.stringify(value) ?? String(value)}`;
  const fail = (allowed: string) => {
    throw new SeedItemsError(`${at} has ${given}, but ${why}: give ${allowed}; nothing was written`);
  };
  switch (attribute.type) {
    case 'S':
      if (typeof value !== 'string' || (isKey && value === '')) fail(isKey ? 'a non-empty string' : 'a string');
      break;
    case 'N':
      if (!((typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && DECIMAL.test(value)))) fail('a number (or its decimal text, e.g. "12.50")');
      break;
    case 'B':
      if (typeof value !== 'string' || !BASE64.test(value) || (isKey && value === '')) fail('the bytes as base64 text, e.g. "aGVsbG8="');
      break;
    case 'BOOL':
      if (typeof value !== 'boolean') fail('true or false');
      break;
  }
}

/** Declared binary attributes as bytes and declared numbers given as text as exact numbers, the rest as given. */
function typed(item: Record<string, unknown>, attributes: readonly AttributeConfig[]): Record<string, unknown> {
  const types = new Map(attributes.map((a) => [a.name, a.type]));
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) {
    const type = types.get(name);
    if (type === 'B' && typeof value === 'string') out[name] = Buffer.from(value, 'base64');
    else if (type === 'N' && typeof value === 'string') out[name] = NumberValueImpl.from(value);
    else out[name] = value;
  }
  return out;
}

function readJson(flag: string, path: string, cwd: string): unknown {
  if (!existsSync(path)) throw new SeedItemsError(`${flag}: file ${path} does not exist: pass the path of a JSON array of items (or of a module exporting them), relative to ${cwd}`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SeedItemsError(`${flag}: ${path} is not valid JSON (${(error as Error).message}): write a JSON array of items, e.g. [{ "pk": "a" }]`);
  }
}

function keyList(table: TableConfig): string {
  return [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])].map((k) => `${k.name} ${k.type}`).join(', ');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
