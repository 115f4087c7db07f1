import { LogLevel } from 'projen';
import { emptyDir, snapshotTree, testApp, type TestOptions } from './helpers';
import { AttributeType, DdbStreamApp, FailureDestination, NumberMode, StartingPosition, StreamViewType, TableBillingMode } from '../../src';

const pk = { name: 'orderId', type: AttributeType.STRING };
const table = (extra: object = {}) => ({ partitionKey: pk, ...extra }) as TestOptions['table'];
const consumer = (extra: object = {}) => ({ consumers: [{ name: 'audit', ...extra }] }) as TestOptions;

/** [what is wrong, options, option path the message must name, value the message must quote] */
const INVALID: Array<[string, TestOptions, string, string]> = [
  ['a missing partition key', { table: {} as TestOptions['table'] }, 'table.partitionKey', 'nothing (missing)'],
  ['a partition key without a name', { table: table({ partitionKey: { type: AttributeType.STRING } }) }, 'table.partitionKey.name', 'nothing (missing)'],
  ['a partition key of type BOOL', { table: table({ partitionKey: { name: 'id', type: AttributeType.BOOLEAN } }) }, 'table.partitionKey.type', '"BOOL"'],
  ['a partition key name over 255 bytes', { table: table({ partitionKey: { name: 'é'.repeat(128), type: AttributeType.STRING } }) }, 'table.partitionKey.name', '"éé'],
  ['a number mode on a string attribute', { table: table({ attributes: [{ name: 'status', type: AttributeType.STRING, numberMode: NumberMode.STRING }] }) }, 'table.attributes[0].numberMode', '"STRING"'],
  ['a sort key equal to the partition key', { table: table({ sortKey: pk }) }, 'table.sortKey.name', '"orderId"'],
  ['an unknown stream view type', { table: table({ streamViewType: 'ALL' }) }, 'table.streamViewType', '"ALL"'],
  ['a declared attribute twice', { table: table({ attributes: [{ name: 'status', type: 'S' }, { name: 'status', type: 'S' }] }) }, 'table.attributes[1].name', '"status"'],
  ['a key redeclared with another type', { table: table({ attributes: [{ name: 'orderId', type: 'N' }] }) }, 'table.attributes[0].type', '"N"'],
  ['capacity on an on-demand table', { table: table({ readCapacity: 5 }) }, 'table.readCapacity', '5'],
  ['provisioned capacity out of range', { table: table({ billingMode: TableBillingMode.PROVISIONED, writeCapacity: 0 }) }, 'table.writeCapacity', '0'],
  ['a string TTL attribute', { table: table({ timeToLiveAttribute: 'ttl', attributes: [{ name: 'ttl', type: 'S' }] }) }, 'table.timeToLiveAttribute', '"ttl"'],
  ['a table ARN without a stream ARN', { table: table({ tableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders' }) }, 'table.streamArn', 'nothing (missing)'],
  ['a malformed table ARN', { table: table({ tableArn: 'orders', streamArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/x' }) }, 'table.tableArn', '"orders"'],
  ['a stream of another table', { table: table({ tableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders', streamArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/users/stream/x' }) }, 'table.streamArn', 'table/users'],
  ['a too short table name', { table: table({ tableName: 'ab' }) }, 'table.tableName', '"ab"'],
  ['no consumers', { consumers: [] }, 'consumers', '[]'],
  ['three consumers on one stream', { consumers: [{ name: 'a1' }, { name: 'b2' }, { name: 'c3' }] }, 'consumers', '["a1","b2","c3"]'],
  ['a consumer name in camelCase', consumer({ name: 'orderAudit' }), 'consumers[0].name', '"orderAudit"'],
  ['a consumer name with a trailing hyphen', consumer({ name: 'audit-' }), 'consumers[0].name', '"audit-"'],
  ['a reserved consumer name', consumer({ name: 'config' }), 'consumers[0].name', '"config"'],
  ['duplicate consumer names', { consumers: [{ name: 'audit' }, { name: 'audit' }] }, 'consumers[1].name', '"audit"'],
  ['batch size 0', consumer({ batchSize: 0 }), 'consumers[0].batchSize', '0'],
  ['batch size above 10000', consumer({ batchSize: 10001 }), 'consumers[0].batchSize', '10001'],
  ['a fractional batch size', consumer({ batchSize: 2.5 }), 'consumers[0].batchSize', '2.5'],
  ['a batching window above 300 s', consumer({ maxBatchingWindowSeconds: 301 }), 'consumers[0].maxBatchingWindowSeconds', '301'],
  ['AT_TIMESTAMP, which DynamoDB streams do not support', consumer({ startingPosition: 'AT_TIMESTAMP' }), 'consumers[0].startingPosition', '"AT_TIMESTAMP"'],
  ['retry attempts above 10000', consumer({ retryAttempts: 20000 }), 'consumers[0].retryAttempts', '20000'],
  ['retry attempts -2', consumer({ retryAttempts: -2 }), 'consumers[0].retryAttempts', '-2'],
  ['a record age below 60 s', consumer({ maxRecordAgeSeconds: 30 }), 'consumers[0].maxRecordAgeSeconds', '30'],
  ['a record age above 7 days', consumer({ maxRecordAgeSeconds: 604801 }), 'consumers[0].maxRecordAgeSeconds', '604801'],
  ['parallelization factor 11', consumer({ parallelizationFactor: 11 }), 'consumers[0].parallelizationFactor', '11'],
  ['a tumbling window above 900 s', consumer({ tumblingWindowSeconds: 901 }), 'consumers[0].tumblingWindowSeconds', '901'],
  ['bisect given as a string', consumer({ bisectBatchOnError: 'yes' }), 'consumers[0].bisectBatchOnError', '"yes"'],
  ['an unknown failure destination', consumer({ failureDestination: 'KINESIS' }), 'consumers[0].failureDestination', '"KINESIS"'],
  ['memory below 128 MB', consumer({ memorySize: 64 }), 'consumers[0].memorySize', '64'],
  ['a timeout above 900 s', consumer({ timeoutSeconds: 901 }), 'consumers[0].timeoutSeconds', '901'],
  ['a log retention CloudWatch does not offer', consumer({ logRetentionDays: 10 }), 'consumers[0].logRetentionDays', '10'],
  ['an environment value with a lone surrogate', consumer({ environment: { NAME: 'a\uD800' } }), 'consumers[0].environment.NAME', 'lone UTF-16 surrogate'],
  ['a reserved environment variable', consumer({ environment: { AWS_REGION: 'x' } }), 'consumers[0].environment.AWS_REGION', '"AWS_REGION"'],
  ['six filters', consumer({ filters: Array.from({ length: 6 }, () => ({ eventNames: ['INSERT'] })) }), 'consumers[0].filters', '"6 filters"'],
  ['a filter on an undeclared attribute', consumer({ filters: [{ newImage: [{ attribute: 'status', anyOf: ['PAID'] }] }] }), 'consumers[0].filters[0].newImage[0].attribute', '"status"'],
  ['a keys filter on a non-key attribute', { table: table({ attributes: [{ name: 'status', type: 'S' }] }), ...consumer({ filters: [{ keys: [{ attribute: 'status', anyOf: ['x'] }] }] }) }, 'consumers[0].filters[0].keys[0].attribute', '"status"'],
  ['an image filter on a KEYS_ONLY stream', { table: table({ streamViewType: StreamViewType.KEYS_ONLY }), ...consumer({ filters: [{ newImage: [{ attribute: 'orderId', anyOf: ['1'] }] }] }) }, 'consumers[0].filters[0].newImage', '["orderId"]'],
  ['a prefix on a number attribute', { table: table({ attributes: [{ name: 'total', type: 'N' }] }), ...consumer({ filters: [{ newImage: [{ attribute: 'total', prefix: '1' }] }] }) }, 'consumers[0].filters[0].newImage[0].prefix', '"1"'],
  ['a non-numeric value for a number attribute', { table: table({ attributes: [{ name: 'total', type: 'N' }] }), ...consumer({ filters: [{ newImage: [{ attribute: 'total', anyOf: ['ten'] }] }] }) }, 'consumers[0].filters[0].newImage[0].anyOf', '"ten"'],
  ['two operators in one condition', { table: table(), ...consumer({ filters: [{ keys: [{ attribute: 'orderId', anyOf: ['1'], prefix: 'x' }] }] }) }, 'consumers[0].filters[0].keys[0]', '"prefix":"x"'],
  ['an empty filter', consumer({ filters: [{}] }), 'consumers[0].filters[0]', '{}'],
  ['an unknown event name', consumer({ filters: [{ eventNames: ['UPDATE'] }] }), 'consumers[0].filters[0].eventNames', '["UPDATE"]'],
  ['a CDK version older than the generated code needs', { cdkVersion: '2.100.0' }, 'cdkVersion', '"2.100.0"'],
  ['idempotency given as a boolean', { consumers: [{ name: 'payments', idempotency: true as never }] }, 'consumers[0].idempotency', 'true'],
  ['an idempotency expiry under a minute', { consumers: [{ name: 'payments', idempotency: { enabled: true, expirySeconds: 30 } }] }, 'consumers[0].idempotency.expirySeconds', '30'],
  [
    'an idempotency expiry shorter than the record age (a retry would run the callback again)',
    { consumers: [{ name: 'payments', maxRecordAgeSeconds: 7200, idempotency: { enabled: true, expirySeconds: 3600 } }] },
    'consumers[0].idempotency.expirySeconds',
    '3600',
  ],
  [
    'an idempotency expiry shorter than a day with unbounded record age',
    { consumers: [{ name: 'payments', maxRecordAgeSeconds: -1, idempotency: { enabled: true, expirySeconds: 3600 } }] },
    'consumers[0].idempotency.expirySeconds',
    '3600',
  ],
  ['a misspelt consumer option', consumer({ retyrAttempts: 3 }), 'consumers[0].retyrAttempts', 'did you mean retryAttempts?'],
  ['a misspelt table option', { table: table({ streamViewtype: 'NEW_IMAGE' }) }, 'table.streamViewtype', 'did you mean streamViewType?'],
  ['a misspelt top-level option', { consumer: [{ name: 'audit' }] } as TestOptions, 'consumer', 'did you mean consumers?'],
  ['a misspelt alarm option', consumer({ alarms: { functionError: 2 } }), 'consumers[0].alarms.functionError', 'did you mean functionErrors?'],
  ['a misspelt idempotency option', consumer({ idempotency: { enabled: true, expiresSeconds: 600 } }), 'consumers[0].idempotency.expiresSeconds', 'did you mean expirySeconds?'],
  ['a misspelt filter option', consumer({ filters: [{ eventName: ['INSERT'] }] }), 'consumers[0].filters[0].eventName', 'did you mean eventNames?'],
  ['idempotency on a tumbling-window consumer', { consumers: [{ name: 'totals', tumblingWindowSeconds: 60, idempotency: { enabled: true } }] }, 'consumers[0].idempotency.enabled', 'true'],
];

describe('invalid options stop synth before anything is written', () => {
  test(`the matrix has at least 30 cases (${INVALID.length})`, () => {
    expect(INVALID.length).toBeGreaterThanOrEqual(30);
  });

  test.each(INVALID)('fails on %s', (_what, options, option, value) => {
    const outdir = emptyDir();
    const before = snapshotTree(outdir);

    let error: Error | undefined;
    try {
      testApp(options, outdir).synth();
    } catch (e) {
      error = e as Error;
    }

    expect(error?.name).toBe('DdbStreamOptionsError');
    const line = error!.message.split('\n').find((l) => l.startsWith(`  - ${option}: `));
    expect(line).toBeDefined();
    expect(line).toContain(value);
    expect(line).toMatch(/Allowed: .+\. Fix: .+\.$/);
    // The user edits .projenrc.ts; frames inside this package would only hide the message.
    expect(error!.stack).not.toMatch(/\n\s+at /);
    expect(snapshotTree(outdir)).toEqual(before);
  });
});

test('GIVEN a misspelt option name WHEN synthesized THEN one line names it and the closest valid name, nothing else is said', () => {
  const error = captureError(() => testApp({ consumers: [{ name: 'audit', retyrAttempts: 3 } as never] }));
  expect(error.message).toBe(
    [
      'DdbStreamApp options (.projenrc.ts) have 1 problem; nothing was written:',
      '  - consumers[0].retyrAttempts: got 3. ConsumerOptions has no option "retyrAttempts": it would be ignored. ' +
        'Allowed: the options of ConsumerOptions: ' +
        'alarms, architecture, batchSize, bisectBatchOnError, enabled, environment, eventCountMetrics, failureDestination, filters, idempotency, ' +
        'logRetentionDays, maxBatchingWindowSeconds, maxRecordAgeSeconds, memorySize, name, parallelizationFactor, reportBatchItemFailures, ' +
        'retryAttempts, runtime, startingPosition, timeoutSeconds, tumblingWindowSeconds. Fix: did you mean retryAttempts? Rename it.',
    ].join('\n'),
  );
});

test('GIVEN projen options of the base project type and a name nothing resembles THEN only the unknown one is reported, without a guess', () => {
  const error = captureError(() => testApp({ consumers: [{ name: 'audit' }], gitignore: ['.env'], context: { a: 1 }, zzzQuux: 1 } as TestOptions));
  expect(error.message.split('\n').slice(1)).toEqual([
    "  - zzzQuux: got 1. DdbStreamAppOptions has no option \"zzzQuux\": it would be ignored. Allowed: the options of DdbStreamAppOptions, projen's AwsCdkTypeScriptAppOptions included (API.md). Fix: remove it, or write one of the allowed names.",
  ]);
});

test('every problem is listed at once', () => {
  const error = captureError(() =>
    testApp({
      table: table({ sortKey: pk }),
      consumers: [{ name: 'Bad_Name', batchSize: 0, retryAttempts: 99999, startingPosition: 'AT_TIMESTAMP' as StartingPosition }],
    }),
  );
  expect(error.message).toMatch(/have 5 problems; nothing was written/);
  for (const option of ['table.sortKey.name', 'consumers[0].name', 'consumers[0].batchSize', 'consumers[0].retryAttempts', 'consumers[0].startingPosition']) {
    expect(error.message).toContain(`  - ${option}: `);
  }
});

// Range, name and filter problems, on both consumers, in one message: fixing one never reveals another.
test('range, name and filter problems of every consumer are listed together in one pass', () => {
  const error = captureError(() =>
    testApp({
      table: table({ attributes: [{ name: 'total', type: 'N' }] }),
      consumers: [
        { name: 'Order_Audit', batchSize: 0, retryAttempts: 20000, filters: [{ newImage: [{ attribute: 'status', anyOf: ['PAID'] }] }] },
        { name: 'stats', batchSize: 10.5, filters: [{ newImage: [{ attribute: 'total', prefix: '1' }] }] },
      ],
    }),
  );
  const listed = error.message.split('\n').filter((l) => l.startsWith('  - ')).map((l) => l.slice(4, l.indexOf(':')));
  expect(listed.sort()).toEqual(
    [
      'consumers[0].batchSize',
      'consumers[0].filters[0].newImage[0].attribute',
      'consumers[0].name',
      'consumers[0].retryAttempts',
      'consumers[1].batchSize',
      'consumers[1].filters[0].newImage[0].prefix',
    ].sort(),
  );
  expect(error.message).toMatch(/have 6 problems; nothing was written/);
});

test('a retry value out of range names the allowed range and the infinite value', () => {
  const error = captureError(() => testApp(consumer({ retryAttempts: 20000 })));
  expect(error.message).toContain(
    'consumers[0].retryAttempts: got 20000. Allowed: -1 (infinite) or an integer 0..10000. Fix: set retryAttempts within that range',
  );
});

test('a third consumer is refused with the reason: two readers per shard', () => {
  const error = captureError(() => testApp({ consumers: [{ name: 'a1' }, { name: 'b2' }, { name: 'c3' }] }));
  expect(error.message).toContain('at most two simultaneous readers per shard');
});

describe('risky but legal settings are accepted with a warning that says what can happen', () => {
  const cases: Array<[string, TestOptions, RegExp]> = [
    ['infinite retries with infinite age', consumer({ retryAttempts: -1, maxRecordAgeSeconds: -1 }), /block its shard for up to 24 hours/],
    ['no failure destination', consumer({ failureDestination: FailureDestination.NONE }), /lost without a trace/],
    ['a record age beyond the retention', consumer({ maxRecordAgeSeconds: 172800 }), /beyond the stream's 24 h retention/],
    ['a batching window as long as the timeout', consumer({ maxBatchingWindowSeconds: 30, timeoutSeconds: 30 }), /not shorter than timeoutSeconds/],
  ];
  test.each(cases)('%s', (_what, options, message) => {
    const warnings: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void warnings.push(args.join(' ')));
    const spyLog = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void warnings.push(args.join(' ')));
    try {
      // projen silences its logger under jest unless asked
      expect(testApp({ ...options, logging: { level: LogLevel.WARN } })).toBeInstanceOf(DdbStreamApp);
    } finally {
      spy.mockRestore();
      spyLog.mockRestore();
    }
    expect(warnings.join('\n')).toMatch(message);
  });
});

function captureError(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}
