/**
 * The checks `--seed-items` runs on every item before anything is written: each error names the source, the item's
 * index, the attribute, what is allowed and how to fix it. (Through the CLI on DynamoDB Local:
 * seed-items.integration.test.ts.)
 */
import type { TableConfig } from '../../../src/runtime/config';
import { prepareSeedItems, SeedItemsError } from '../../../src/runtime/local';

const table: TableConfig = {
  partitionKey: { name: 'orderId', type: 'S' },
  sortKey: { name: 'createdAt', type: 'N' },
  attributes: [{ name: 'status', type: 'S' }, { name: 'photo', type: 'B' }, { name: 'paid', type: 'BOOL' }],
  streamViewType: 'NEW_AND_OLD_IMAGES',
};

const error = (items: unknown[]) => {
  try {
    prepareSeedItems(items, table, 'items.json');
  } catch (e) {
    expect(e).toBeInstanceOf(SeedItemsError);
    return (e as Error).message;
  }
  throw new Error('no error');
};

test('plain items become DynamoDB items: declared types first (N as text, B as base64), the rest as the document mapping writes them', () => {
  const [item] = prepareSeedItems([{ orderId: 'o-1', createdAt: '12.50', photo: 'aGk=', paid: true, lines: [{ sku: 'a' }], note: null }], table, 'items.json');

  expect(item.orderId).toEqual({ S: 'o-1' });
  expect(item.createdAt).toEqual({ N: '12.50' });
  expect(Buffer.from(item.photo.B!).toString('utf8')).toBe('hi');
  expect(item.paid).toEqual({ BOOL: true });
  expect(item.lines).toEqual({ L: [{ M: { sku: { S: 'a' } } }] });
  expect(item.note).toEqual({ NULL: true });
});

test.each([
  ['no items', [], 'items.json: holds no items: add at least one item with the table\'s keys (orderId S, createdAt N), or drop it'],
  ['not an object', [{ orderId: 'a', createdAt: 1 }, 'o-2'], 'items.json: item 1 is string "o-2", not an item: each item is an object of attribute values with the table\'s keys (orderId S, createdAt N); nothing was written'],
  ['no sort key', [{ orderId: 'a' }], 'items.json: item 0 has no "createdAt" (the table\'s sort key, type N): every item needs the table\'s keys (orderId S, createdAt N); nothing was written'],
  ['a key of the wrong type', [{ orderId: 7, createdAt: 1 }], 'items.json: item 0 has "orderId": 7, but the table\'s partition key is of type S: give a non-empty string; nothing was written'],
  ['a declared number that is no number', [{ orderId: 'a', createdAt: 'soon' }], 'items.json: item 0 has "createdAt": "soon", but the table\'s sort key is of type N: give a number (or its decimal text, e.g. "12.50"); nothing was written'],
  ['binary that is not base64', [{ orderId: 'a', createdAt: 1, photo: 'not base64!' }], 'items.json: item 0 has "photo": "not base64!", but table.attributes declares it as type B: give the bytes as base64 text, e.g. "aGVsbG8="; nothing was written'],
  ['a declared boolean given as text', [{ orderId: 'a', createdAt: 1, paid: 'yes' }], 'items.json: item 0 has "paid": "yes", but table.attributes declares it as type BOOL: give true or false; nothing was written'],
])('%s', (_, items, message) => {
  expect(error(items)).toBe(message);
});

test('an item over 400 KB is refused before any is written (DynamoDB would refuse it after the ones before it)', () => {
  expect(error([{ orderId: 'a', createdAt: 1 }, { orderId: 'b', createdAt: 2, body: 'x'.repeat(410_000) }])).toMatch(
    /^items\.json: item 1 is about \d+ bytes, over DynamoDB's item limit of 409600 \(400 KB\): make it smaller; nothing was written$/,
  );
});
