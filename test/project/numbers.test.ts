import * as path from 'path';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { writeGeneratedProject } from './generated-code';
import { synthFiles, type TestOptions } from './helpers';
import { AttributeType, NumberMode, StreamViewType } from '../../src';
import { StreamFixtures } from '../../src/runtime/records/fixtures';

// DynamoDB numbers hold up to 38 significant digits, from 1E-130 to 9.9999999999999999999999999999999999999E+125.
// A JavaScript number holds 15 to 17 digits, and integers exactly only up to 2^53.
const EDGES = [
  '0',
  '-1',
  '0.1',
  '9007199254740991', // 2^53 - 1, the largest safe integer
  '9007199254740992', // 2^53
  '9007199254740993', // 2^53 + 1: not a double
  '-9007199254740993',
  '12345678901234567890123456789012345678', // 38 digits
  '1.2345678901234567890123456789012345678', // 38 digits, a fraction
  '9007199254740993.5', // a fraction beyond 2^53: unmarshall refuses it
  '3.14159265358979323846264338327950288',
  '1E-130',
  '9.9999999999999999999999999999999999999E+125',
];

const TABLE: TestOptions = {
  table: {
    partitionKey: { name: 'accountId', type: AttributeType.NUMBER, numberMode: NumberMode.STRING },
    sortKey: { name: 'version', type: AttributeType.NUMBER },
    attributes: [
      { name: 'amount', type: AttributeType.NUMBER, numberMode: NumberMode.STRING },
      { name: 'score', type: AttributeType.NUMBER },
    ],
    streamViewType: StreamViewType.NEW_AND_OLD_IMAGES,
  },
};

/** What `unmarshall` (default options) gives for one number, or the error it throws. */
function sdkDefault(text: string): { value?: unknown; error?: string } {
  try {
    return { value: unmarshall({ n: { N: text } }).n };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe('numbers: the contract types each declared number as it delivers it, and no legal number fails a record', () => {
  const dir = writeGeneratedProject(TABLE);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { toChange } = require(path.join(dir, 'src/generated/changes.ts'));
  const change = (text: string) =>
    toChange({
      eventName: 'MODIFY',
      dynamodb: {
        Keys: { accountId: { N: text }, version: { N: text } },
        NewImage: { accountId: { N: text }, version: { N: text }, amount: { N: text }, score: { N: text }, other: { N: text } },
        OldImage: { accountId: { N: text }, version: { N: text }, other: { NS: [text] }, nested: { M: { n: { N: text } } } },
        SequenceNumber: '1',
      },
    });

  test.each(EDGES)('%s', (text) => {
    const { keys, newImage, oldImage } = change(text);
    const wrapped = unmarshall({ n: { N: text } }, { wrapNumbers: true }).n as { value: string };
    // NumberMode.STRING: the exact text, as the SDK's wrapNumbers gives it
    expect(keys.accountId).toBe(wrapped.value);
    expect(newImage.amount).toBe(wrapped.value);
    // NumberMode.NUMBER: a number, the nearest double
    expect(newImage.score).toBe(Number(text));
    expect(keys.version).toBe(Number(text));
    // undeclared and nested numbers: as unmarshall gives them; the nearest double where unmarshall throws
    const sdk = sdkDefault(text);
    const expected = sdk.error === undefined ? sdk.value : Number(text);
    expect(newImage.other).toEqual(expected);
    expect(oldImage.other).toEqual(new Set([expected]));
    expect((oldImage.nested as { n: unknown }).n).toEqual(expected);
  });

  test('the SDK refuses the fraction beyond 2^53 that the contract delivers', () => {
    expect(sdkDefault('9007199254740993.5').error).toMatch(/can't be converted to BigInt/);
    expect(change('9007199254740993.5').newImage.other).toBe(9007199254740994);
  });

  test('the item types follow numberMode', () => {
    const item = synthFiles(TABLE)['src/generated/item.ts'];
    expect(item).toContain('  accountId: string;');
    expect(item).toContain('  version: number;');
    expect(item).toContain('  amount?: string;');
    expect(item).toContain('  score?: number;');
  });

  test('fixtures write STRING-mode values as numbers, digit for digit', () => {
    const resolvedTable = {
      partitionKey: { name: 'accountId', type: 'N' as const, numberMode: 'STRING' as const },
      attributes: [{ name: 'amount', type: 'N' as const, numberMode: 'STRING' as const }],
      streamViewType: 'NEW_IMAGE' as const,
    };
    const record = new StreamFixtures({ table: resolvedTable }).insert({ accountId: EDGES[7], amount: EDGES[8] });
    expect(record.dynamodb.Keys).toEqual({ accountId: { N: EDGES[7] } });
    expect(record.dynamodb.NewImage).toEqual({ accountId: { N: EDGES[7] }, amount: { N: EDGES[8] } });
    expect(change(EDGES[7]).keys.accountId).toBe(EDGES[7]);
  });
});
