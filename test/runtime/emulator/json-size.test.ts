/**
 * The payload measure behind the 6 MB limit (src/runtime/emulator/json-size.ts): exact where it says exact, never
 * below the JSON where it says bound, against `JSON.stringify` itself.
 */
import { fixtures } from './helpers';
import { jsonByteBound, jsonByteLength, recordByteBound } from '../../../src/runtime/emulator/json-size';
import { StreamFixtures } from '../../../src/runtime/records/fixtures';

const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v) ?? '', 'utf8');

const TRICKY: unknown[] = [
  '',
  'plain',
  '"quoted" \\ back\\slash',
  '\b\f\n\r\t\u0000\u0001\u001f\u007f',
  'é ñ 中文 😀 \u{10FFFF}',
  '\ud800 lone high, lone low \udc00, reversed \udc00\ud800',
  0, -0, 1, -1, 3.14, 1e21, 1e-7, -1.2345678901234567e-300, Number.MAX_SAFE_INTEGER, NaN, Infinity,
  true, false, null,
  [], [1, 'a', null, undefined, () => 1],
  {},
  { 'a': undefined, 'b': () => 1, 'c': 1, 'k"e\\y': 'v', 'ключ': [{ x: [] }] },
  { date: new Date(0), nested: { toJSON: () => 'custom' } },
  new Uint8Array([1, 2, 3]),
];

test('jsonByteLength is the UTF-8 length of JSON.stringify, escapes, surrogates, numbers and omitted members included', () => {
  for (const value of TRICKY) expect([value, jsonByteLength(value)]).toEqual([value, bytes(value)]);
});

test('jsonByteBound is never below the JSON', () => {
  for (const value of TRICKY) expect(jsonByteBound(value)).toBeGreaterThanOrEqual(bytes(value));
});

test('recordByteBound is never below a record\'s JSON, for the worst JSON per byte of DynamoDB item size', () => {
  const stream = fixtures();
  const table = { partitionKey: { name: '\u0001', type: 'S' as const }, attributes: [], streamViewType: 'NEW_AND_OLD_IMAGES' as const };
  const odd = new StreamFixtures({ table });
  const records = [
    ...stream.inserts(3, (i) => ({ orderId: `o${i}`, createdAt: i, status: 'NEW' })),
    stream.insert({ orderId: 'q', createdAt: 1, status: '"\\\u0001'.repeat(1000) }),
    // Attributes named by one control character, holding false, null, an empty string or a tiny number.
    odd.modify(
      Object.fromEntries([['\u0001', 'k'], ...Array.from({ length: 200 }, (_, i) => [String.fromCharCode(2 + (i % 30)) + i, i % 2 === 0 ? false : null])]),
      Object.fromEntries([['\u0001', 'k'], ...Array.from({ length: 200 }, (_, i) => [String.fromCharCode(2 + (i % 30)) + i, i % 2 === 0 ? '' : 7])]),
    ),
    odd.insert({ '\u0001': 'k', 'l': Array.from({ length: 500 }, (_, i) => (i % 3 === 0 ? null : i % 3 === 1 ? '' : true)) }),
  ];
  for (const record of records) expect(recordByteBound(record)).toBeGreaterThanOrEqual(bytes(record));
  // Without a SizeBytes it walks the record instead.
  const { SizeBytes: _, ...data } = records[3].dynamodb;
  const bare = { ...records[3], dynamodb: data };
  expect(recordByteBound(bare)).toBeGreaterThanOrEqual(bytes(bare));
});
