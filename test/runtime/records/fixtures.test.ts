import type { TableConfig } from '../../../src/runtime/config';
import { FixtureError } from '../../../src/runtime/emulator';
import { mapSize, StreamFixtures } from '../../../src/runtime/records/fixtures';
import { compareSequenceNumbers } from '../../../src/runtime/records/types';

const base: Omit<TableConfig, 'streamViewType'> = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'N' },
  attributes: [],
};
const oldItem = { pk: 'a', sk: 1, status: 'NEW' };
const newItem = { pk: 'a', sk: 1, status: 'PAID' };

describe('StreamFixtures', () => {
  test.each([
    ['KEYS_ONLY', [false, false], [false, false], [false, false]],
    ['NEW_IMAGE', [true, false], [true, false], [false, false]],
    ['OLD_IMAGE', [false, false], [false, true], [false, true]],
    ['NEW_AND_OLD_IMAGES', [true, false], [true, true], [false, true]],
  ] as const)('%s carries the images that view type carries (insert, modify, remove)', (view, ins, mod, rem) => {
    const s = new StreamFixtures({ table: { ...base, streamViewType: view } });
    const images = (r: ReturnType<typeof s.insert>) => [r.dynamodb.NewImage !== undefined, r.dynamodb.OldImage !== undefined];
    expect(images(s.insert(newItem))).toEqual(ins);
    expect(images(s.modify(oldItem, newItem))).toEqual(mod);
    expect(images(s.remove(oldItem))).toEqual(rem);
  });

  test('records have the Lambda event shape, with marshalled keys and typed images', () => {
    const s = new StreamFixtures({ table: { ...base, streamViewType: 'NEW_AND_OLD_IMAGES' } });
    const r = s.modify(oldItem, newItem);
    expect(r).toEqual({
      eventID: expect.stringMatching(/^[0-9a-f]{32}$/),
      eventName: 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        ApproximateCreationDateTime: 1704067200,
        Keys: { pk: { S: 'a' }, sk: { N: '1' } },
        NewImage: { pk: { S: 'a' }, sk: { N: '1' }, status: { S: 'PAID' } },
        OldImage: { pk: { S: 'a' }, sk: { N: '1' }, status: { S: 'NEW' } },
        SequenceNumber: '100000000000000000001',
        SizeBytes: 40,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000',
    });
  });

  test('sequence numbers are 21-digit strings that increase; time moves only by advance or the gap', () => {
    const s = new StreamFixtures({ table: { ...base, streamViewType: 'KEYS_ONLY' }, secondsBetweenRecords: 2 });
    const a = s.insert(newItem);
    const b = s.insert(newItem);
    s.advance(10);
    const c = s.insert(newItem);
    for (const r of [a, b, c]) expect(r.dynamodb.SequenceNumber).toMatch(/^\d{21}$/);
    expect(compareSequenceNumbers(a.dynamodb.SequenceNumber, b.dynamodb.SequenceNumber)).toBeLessThan(0);
    expect([a, b, c].map((r) => r.dynamodb.ApproximateCreationDateTime - a.dynamodb.ApproximateCreationDateTime)).toEqual([0, 2, 14]);
  });

  test('a TTL removal carries the DynamoDB service identity; a user removal does not', () => {
    const s = new StreamFixtures({ table: { ...base, streamViewType: 'OLD_IMAGE' } });
    expect(s.ttlRemove(oldItem).userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
    expect(s.remove(oldItem).userIdentity).toBeUndefined();
  });

  test('binary values are base64 as in the Lambda event', () => {
    const s = new StreamFixtures({ table: { ...base, streamViewType: 'NEW_IMAGE' } });
    const r = s.insert({ pk: 'a', sk: 1, blob: new Uint8Array([1, 2, 3]) });
    expect(r.dynamodb.NewImage!.blob).toEqual({ B: 'AQID' });
  });

  test('SizeBytes follows DynamoDB item size rules', () => {
    expect(mapSize({ name: { S: 'héllo' } })).toBe(4 + 6);
    expect(mapSize({ n: { N: '12345' } })).toBe(1 + 4);
    expect(mapSize({ f: { BOOL: true }, z: { NULL: true } })).toBe(4);
  });

  test('fails if an item lacks a key attribute, naming the key and the fix', () => {
    const s = new StreamFixtures({ table: { ...base, streamViewType: 'KEYS_ONLY' } });
    expect(() => s.insert({ pk: 'a' })).toThrow(FixtureError);
    expect(() => s.insert({ pk: 'a' })).toThrow('lacks the key attribute "sk" (type N) that table.sortKey declares: add it to the item');
  });
});
