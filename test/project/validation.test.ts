import { LogLevel } from 'projen';
import { emptyDir, snapshotTree, testApp, type TestOptions } from './helpers';
import { consumer, INVALID, pk, table } from './invalid-options';
import { DdbStreamApp, FailureDestination, StartingPosition } from '../../src';

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
