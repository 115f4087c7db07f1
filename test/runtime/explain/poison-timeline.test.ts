/**
 * The picture of a poison record (issue 21, item 8): the emulator's synchronous driver runs the same rules as the
 * engine, and the timeline drawn from it says what each retry policy does: isolated, its batch discarded, expired
 * with its followers, or blocking its shard until the stream trims it at 24 h.
 */
import type { ConsumerConfig } from '../../../src/runtime/config';
import { InvalidEmulatorOptionError } from '../../../src/runtime/emulator';
import { poisonDiagram, poisonText, poisonTimeline, type PoisonTimeline } from '../../../src/runtime/explain';
import { CONSUMER_DEFAULTS, FUNCTION_DEFAULTS, poisonOutcome, POISON_OUTCOME_WORDS } from '../../../src/runtime/rules/consumer-rules';

/** What a new scaffold gets, named as the starter names its consumer. */
const defaults = (overrides: Partial<ConsumerConfig> = {}): ConsumerConfig => ({
  ...CONSUMER_DEFAULTS,
  name: 'processor',
  function: { ...FUNCTION_DEFAULTS, runtime: 'nodejs24.x' },
  ...overrides,
});

const UNBOUNDED_RETRIES = { retryAttempts: -1, maxRecordAgeSeconds: 7200, bisectBatchOnError: false };

describe('the default policy', () => {
  const timeline = poisonTimeline(defaults());

  test('the handler reports record 50 of 100, which is retried alone 5 times, then goes to the queue alone after 31 s', () => {
    expect(timeline.rows).toEqual([
      { kind: 'invoke', atMs: 0, range: { first: 1, last: 100 }, reason: { kind: 'first' }, result: { kind: 'reported', record: 50 } },
      { kind: 'invoke', atMs: 0, range: { first: 50, last: 50 }, reason: { kind: 'fromReport' }, result: { kind: 'reported', record: 50 } },
      {
        kind: 'retries',
        fromMs: 1000,
        toMs: 31_000,
        firstRetry: 1,
        retries: 5,
        range: { first: 50, last: 50 },
        result: { kind: 'reported', record: 50 },
        waitMs: { min: 1000, max: 16_000 },
      },
      { kind: 'discard', atMs: 31_000, range: { first: 50, last: 50 }, condition: 'RetryAttemptsExhausted', destination: 'SQS', invocations: 6 },
      { kind: 'invoke', atMs: 31_000, range: { first: 51, last: 100 }, reason: { kind: 'rest' }, result: { kind: 'done' } },
    ]);
    expect(timeline).toMatchObject({ heldMs: 31_000, processed: 99, toDestination: 1, lost: 0, outcome: 'isolated' });
  });

  test('the README diagram is exactly this, and the same on every run (virtual clock, fixed ids)', () => {
    const diagram = poisonDiagram(timeline);
    expect(diagram).toBe(poisonDiagram(poisonTimeline(defaults())));
    expect(diagram).toBe(
      [
        'sequenceDiagram',
        '  participant Stream as Stream shard',
        '  participant Mapping as Event source mapping',
        '  participant Handler as processor function',
        '  participant Failures as SQS failure queue',
        '  Note over Stream,Handler: 100 records written at once, record 50 always fails',
        '  Mapping->>Handler: 0 s: records 1–100',
        '  Handler-->>Mapping: reports record 50 (records 1–49 done)',
        '  Mapping->>Handler: 0 s: record 50, from the reported record on',
        '  Handler-->>Mapping: reports record 50',
        '  loop retries 1–5 of record 50, 1 s to 31 s, waiting 1 s to 16 s',
        '    Mapping->>Handler: record 50',
        '    Handler-->>Mapping: reports record 50',
        '  end',
        '  Mapping-)Failures: 31 s: record 50 to the SQS failure queue (RetryAttemptsExhausted, 6 invocations)',
        '  Mapping->>Handler: 31 s: records 51–100, the rest of the batch',
        '  Handler-->>Mapping: succeeds',
        '  Note over Stream,Failures: Record 50 held the shard 31 s. Of 100 records: 99 processed, 1 sent to the SQS failure queue, 0 lost.',
        '  Note over Stream,Failures: batchSize 100, retryAttempts 5, maxRecordAgeSeconds 3600, bisectBatchOnError true, reportBatchItemFailures true, failureDestination SQS',
        '',
      ].join('\n'),
    );
  });

  test('the terminal text has the same rows, and ends with the outcome in the rules module\'s words', () => {
    const text = poisonText(timeline);
    expect(text).toContain('        0 s  invoke records 1–100 -> reports record 50 (records 1–49 done)\n');
    expect(text).toContain('  1 s to 31 s  retries 1–5 of record 50, waiting 1 s to 16 s -> each reports record 50\n');
    expect(text).toContain('       31 s  discard record 50 to the SQS failure queue (RetryAttemptsExhausted, 6 invocations)\n');
    expect(text).toContain(`Outcome (isolated): ${POISON_OUTCOME_WORDS.isolated}.\n`);
  });
});

test('retryAttempts -1 with 7200 s and no bisect: the record and those behind it wait 2 h, then go to the queue together', () => {
  const timeline = poisonTimeline(defaults(UNBOUNDED_RETRIES));

  expect(timeline.rows.map((r) => r.kind)).toEqual(['invoke', 'invoke', 'retries', 'discard']);
  expect(timeline.rows[2]).toMatchObject({ kind: 'retries', retries: 124, range: { first: 50, last: 100 }, waitMs: { min: 1000, max: 60_000 } });
  expect(timeline.rows[3]).toEqual({
    kind: 'discard',
    atMs: 7_203_000,
    range: { first: 50, last: 100 },
    condition: 'RecordAgeExceeded',
    destination: 'SQS',
    invocations: 125,
  });
  expect(timeline).toMatchObject({ processed: 49, toDestination: 51, lost: 0, outcome: 'expiresWithFollowers' });
  expect(poisonDiagram(timeline)).toContain('  loop retries 1–124 of records 50–100, 1 s to 1 h 59 min, waiting 1 s to 1 min\n');
});

test('retries and age both infinite: the picture ends where the stream trims the records, at 24 h, and they are lost', () => {
  const forever = { retryAttempts: -1, maxRecordAgeSeconds: -1, bisectBatchOnError: false, reportBatchItemFailures: false };
  const timeline = poisonTimeline(defaults(forever));

  expect(timeline.rows[timeline.rows.length - 1]).toEqual({ kind: 'trim', atMs: 86_400_000, range: { first: 1, last: 100 } });
  expect(timeline).toMatchObject({ heldMs: 86_400_000, processed: 0, toDestination: 0, lost: 100, outcome: 'blocks' });
  expect(poisonText(timeline)).toContain("trim records 1–100 trimmed by the stream's 24 h retention: lost, no destination gets them");
});

describe.each([
  ['bisect, batch item failures', {}],
  ['bisect only, the handler throws', { reportBatchItemFailures: false }],
  ['batch item failures only', { bisectBatchOnError: false }],
  ['neither', { bisectBatchOnError: false, reportBatchItemFailures: false }],
  ['no destination', { failureDestination: 'NONE' as const }],
  ['infinite retries, 15 min', { retryAttempts: -1, maxRecordAgeSeconds: 900 }],
  ['infinite retries and age', { retryAttempts: -1, maxRecordAgeSeconds: -1 }],
  ['a tumbling window', { tumblingWindowSeconds: 60 }],
  ['parallelizationFactor 4', { parallelizationFactor: 4 }],
])('%s', (_name, overrides: Partial<ConsumerConfig>) => {
  const config = defaults(overrides);
  const timeline: PoisonTimeline = poisonTimeline(config, { records: 20, poisonAt: 7 });

  test('what the picture shows agrees with poisonOutcome, the rules module\'s verdict on the policy', () => {
    const outcome = poisonOutcome(config);
    expect(timeline.outcome).toBe(outcome);
    const gone = timeline.scenario.records - timeline.processed;
    const expected = { isolated: 1, discardsBatch: 20, expiresWithFollowers: 14, blocks: 14 }[outcome];
    expect(gone).toBe(expected);
    expect(timeline.lost).toBe(config.failureDestination === 'NONE' || outcome === 'blocks' ? gone : 0);
  });
});

test('a scenario outside the records written is refused, naming the value and the range', () => {
  expect(() => poisonTimeline(defaults(), { records: 10, poisonAt: 11 })).toThrow(
    new InvalidEmulatorOptionError('poisonAt 11 is not an integer between 1 and 10 (the records written): pass the position of the poison record among them'),
  );
  expect(() => poisonTimeline(defaults(), { records: 0, poisonAt: 1 })).toThrow(/^records 0 is not an integer between 1 and 10000/);
});
