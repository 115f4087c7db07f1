/**
 * The scenario table run on both clocks (see two-clocks.test.ts). Each scenario is writes to the table (items named
 * `<pk>#<v>`), a consumer configuration, a handler that decides by record labels alone (so both runs decide alike)
 * and, where AWS documents the result, `expect` with the AWS page and sentence.
 */
import { type Observed, type Outcome, type SeenInvocation, labelOf } from './outcome';
import type { ConsumerConfig } from '../../../../src/runtime/config';
import type { EmulatedEvent } from '../../../../src/runtime/emulator/types';

export type Step =
  | { readonly put: string; readonly extra?: Record<string, unknown> }
  | { readonly del: string }
  /** Seconds: the fixture clock moves on (virtual); the test waits that long before the next write (system). */
  | { readonly pause: number };

export interface Scenario {
  readonly name: string;
  readonly consumer: Partial<ConsumerConfig>;
  readonly steps: readonly Step[];
  /** A fresh handler per run. */
  readonly handler: () => (event: EmulatedEvent) => unknown;
  /** Retry backoff on both clocks. @default 100 ms */
  readonly retryBackoffMs?: number;
  /** Each invocation takes this long on the mapping's clock (virtual: invocationDurationMs; system: the clock jumps). */
  readonly invocationTakesMs?: number;
  /** Writes start at the beginning of a tumbling window (system clock), so every record falls in one window. */
  readonly alignToTumblingWindow?: boolean;
  /** The system-clock run is over only once this holds (besides every record being read and a quiet spell). */
  readonly until?: (seen: readonly SeenInvocation[]) => boolean;
  readonly facts?: (observed: Observed) => Record<string, unknown>;
  /** What AWS's documentation implies, checked on the virtual outcome (the system outcome must equal it). */
  readonly expect?: (outcome: Outcome) => void;
}

export const BASE_CONSUMER: ConsumerConfig = {
  name: 'two-clocks',
  batchSize: 10,
  maxBatchingWindowSeconds: 0,
  startingPosition: 'TRIM_HORIZON',
  retryAttempts: 2,
  maxRecordAgeSeconds: 3600,
  bisectBatchOnError: false,
  reportBatchItemFailures: false,
  parallelizationFactor: 1,
  tumblingWindowSeconds: 0,
  filters: [],
  failureDestination: 'SQS',
  enabled: true,
  eventCountMetrics: true,
  function: { memorySize: 128, timeoutSeconds: 30, architecture: 'arm64', runtime: 'nodejs24.x', environment: {}, logRetentionDays: 7 },
};

const puts = (...labels: string[]): Step[] => labels.map((put) => ({ put }));
const ok = () => () => undefined;
const throwsOn = (...poison: string[]) => () => (event: EmulatedEvent) => {
  if (event.Records.some((r) => poison.includes(labelOf(r)))) throw new Error(`poison ${poison.join(', ')}`);
};
/** Reports the poison records' sequence numbers as batch item failures. */
const reports = (...poison: string[]) => () => (event: EmulatedEvent) => ({
  batchItemFailures: event.Records.filter((r) => poison.includes(labelOf(r))).map((r) => ({ itemIdentifier: r.dynamodb.SequenceNumber })),
});
/** An itemIdentifier that is not a string: the response cannot be read. */
const malformedOn = (poison: string) => () => (event: EmulatedEvent) =>
  event.Records.some((r) => labelOf(r) === poison) ? { batchItemFailures: [{ itemIdentifier: 123 }] } : undefined;
const delivered = (o: Outcome) => Object.values(o.perKey).flat().sort();

/** The filter scenarios: one operator each, records that pass and records that do not. */
function filterScenario(operator: string, filters: Record<string, unknown>[], steps: Step[], passing: string[]): Scenario {
  return {
    name: `filter ${operator}`,
    consumer: { filters },
    steps,
    handler: ok,
    expect: (o) => {
      // with-ddb-filtering: "Lambda ... only processes the records that match your filter criteria"; the others are
      // dropped and the checkpoint moves past them.
      expect(delivered(o)).toEqual([...passing].sort());
      expect(o.checkpoint).toBe(lastLabel(steps));
    },
  };
}

function lastLabel(steps: readonly Step[]): string {
  const writes = steps.filter((s) => !('pause' in s));
  const last = writes[writes.length - 1];
  if ('put' in last) return last.put;
  // A REMOVE carries the old image: the label of the last version put.
  const removed = 'del' in last ? last.del : '';
  const lastPut = writes.filter((s): s is { put: string } => 'put' in s && s.put.startsWith(`${removed}#`)).pop();
  return `${lastPut?.put}-del`;
}

const image = (status: string, extra: Record<string, unknown> = {}) => ({ status, ...extra });

const windowCount = () => (event: EmulatedEvent) => {
  const count = ((event.state as { count?: number } | undefined)?.count ?? 0) + event.Records.length;
  return { state: { count } };
};

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'retries exhausted: the whole batch goes to the destination',
    consumer: { retryAttempts: 2 },
    steps: puts('a#1', 'p#1', 'b#1'),
    handler: throwsOn('p#1'),
    expect: (o) => {
      // services-ddb-params MaximumRetryAttempts; AWS recorded approximateInvokeCount = retries + 1.
      expect(o.perKey.a).toEqual(['a#1', 'a#1', 'a#1']);
      expect(o.destination).toMatchObject([{ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3, first: 'a#1', last: 'b#1', batchSize: 3 }]);
      expect(o.checkpoint).toBe('b#1');
    },
  },
  {
    name: 'bisect isolates a poison record',
    consumer: { retryAttempts: 1, bisectBatchOnError: true },
    steps: puts('a#1', 'b#1', 'p#1', 'c#1'),
    handler: throwsOn('p#1'),
    expect: (o) => {
      // services-ddb-params BisectBatchOnFunctionError: "If the function returns an error, split the batch in two and retry."
      expect(o.destination).toMatchObject([{ condition: 'RetryAttemptsExhausted', first: 'p#1', last: 'p#1', batchSize: 1 }]);
      expect(o.checkpoint).toBe('c#1');
    },
  },
  {
    name: 'batch item failure moves the checkpoint to the reported record',
    consumer: { retryAttempts: 1, reportBatchItemFailures: true },
    steps: puts('a#1', 'b#1', 'p#1', 'c#1'),
    handler: reports('p#1'),
    expect: (o) => {
      // services-ddb-batchfailurereporting: Lambda retries from the lowest reported sequence number; the records
      // before it are done and not delivered again.
      expect(o.perKey.a).toEqual(['a#1']);
      expect(o.perKey.b).toEqual(['b#1']);
      expect(o.destination).toMatchObject([{ first: 'p#1' }]);
      expect(o.checkpoint).toBe('c#1');
    },
  },
  {
    name: 'malformed response fails the whole batch',
    consumer: { retryAttempts: 1, reportBatchItemFailures: true },
    steps: puts('a#1', 'p#1', 'b#1'),
    handler: malformedOn('p#1'),
    expect: (o) => {
      // services-ddb-batchfailurereporting: an itemIdentifier that is not a valid sequence number fails the batch.
      expect(o.perKey.a).toEqual(['a#1', 'a#1']);
      expect(o.destination).toMatchObject([{ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2, first: 'a#1', last: 'b#1' }]);
    },
  },
  {
    name: 'malformed response: the on-failure record says the function returned (functionError null)',
    consumer: { retryAttempts: 1, reportBatchItemFailures: true },
    steps: puts('a#1', 'p#1'),
    handler: malformedOn('p#1'),
    expect: (o) => {
      // AWS recordings (LocalStack test_dynamodb_report_batch_item_failures snapshots): functionError is null when
      // the function returned, even an unreadable response; "Unhandled" only when it threw.
      expect(o.destination).toMatchObject([{ responseContext: { functionError: null } }]);
    },
  },
  {
    name: 'batch size: 5 records with batchSize 2 make batches of 2, 2 and 1',
    consumer: { batchSize: 2 },
    steps: puts('a#1', 'b#1', 'c#1', 'd#1', 'e#1'),
    handler: ok,
    expect: (o) => expect(o.batches).toEqual(['a#1,b#1', 'c#1,d#1', 'e#1']),
  },
  {
    name: 'batching window releases a partial batch with no further traffic',
    consumer: { batchSize: 100, maxBatchingWindowSeconds: 2 },
    steps: [...puts('a#1', 'b#1', 'c#1'), { pause: 5 }, ...puts('d#1')],
    handler: ok,
    // invocation-eventsourcemapping: Lambda invokes when "The batching window reaches its maximum value".
    expect: (o) => expect(o.batches).toEqual(['a#1,b#1,c#1', 'd#1']),
  },
  {
    name: 'batching window: a full batch goes at once, the rest when the window closes',
    consumer: { batchSize: 3, maxBatchingWindowSeconds: 2 },
    steps: puts('a#1', 'b#1', 'c#1', 'd#1'),
    handler: ok,
    // invocation-eventsourcemapping: Lambda invokes when "The batch size is met".
    expect: (o) => expect(o.batches).toEqual(['a#1,b#1,c#1', 'd#1']),
  },
  {
    name: 'record age: records older than maxRecordAgeSeconds are discarded',
    consumer: { retryAttempts: -1, maxRecordAgeSeconds: 60 },
    steps: puts('a#1', 'p#1'),
    handler: throwsOn('p#1'),
    invocationTakesMs: 61_000,
    expect: (o) => {
      // services-ddb-params MaximumRecordAgeInSeconds: "Discard records older than the specified age."
      expect(o.batches).toEqual(['a#1,p#1']);
      expect(o.destination).toMatchObject([{ condition: 'RecordAgeExceeded', approximateInvokeCount: 1, first: 'a#1', last: 'p#1' }]);
    },
  },
  filterScenario(
    'exact value',
    [{ dynamodb: { NewImage: { status: { S: ['PAID'] } } } }],
    [{ put: 'a#1', extra: image('PAID') }, { put: 'b#1', extra: image('NEW') }],
    ['a#1'],
  ),
  filterScenario(
    'prefix',
    [{ dynamodb: { NewImage: { status: { S: [{ prefix: 'EU-' }] } } } }],
    [{ put: 'a#1', extra: image('EU-west') }, { put: 'b#1', extra: image('US-east') }],
    ['a#1'],
  ),
  filterScenario(
    'suffix',
    [{ dynamodb: { NewImage: { status: { S: [{ suffix: '.png' }] } } } }],
    [{ put: 'a#1', extra: image('logo.png') }, { put: 'b#1', extra: image('logo.gif') }],
    ['a#1'],
  ),
  filterScenario(
    'equals-ignore-case',
    [{ dynamodb: { NewImage: { status: { S: [{ 'equals-ignore-case': 'paid' }] } } } }],
    [{ put: 'a#1', extra: image('PAID') }, { put: 'b#1', extra: image('unpaid') }],
    ['a#1'],
  ),
  filterScenario(
    'anything-but',
    [{ dynamodb: { NewImage: { status: { S: [{ 'anything-but': ['CANCELLED'] }] } } } }],
    [{ put: 'a#1', extra: image('PAID') }, { put: 'b#1', extra: image('CANCELLED') }],
    ['a#1'],
  ),
  filterScenario(
    'numeric (never matches N, which is a string)',
    [{ dynamodb: { NewImage: { total: { N: [{ numeric: ['>', 10] }] } } } }],
    [{ put: 'a#1', extra: image('PAID', { total: 50 }) }, { put: 'b#1', extra: image('PAID', { total: 5 }) }],
    [],
  ),
  filterScenario(
    'exists: true',
    [{ dynamodb: { NewImage: { archived: { BOOL: [{ exists: true }] } } } }],
    [{ put: 'a#1', extra: image('PAID', { archived: true }) }, { put: 'b#1', extra: image('PAID') }],
    ['a#1'],
  ),
  filterScenario(
    'exists: false on a missing attribute',
    [{ dynamodb: { NewImage: { archived: { BOOL: [{ exists: false }] } } } }],
    [{ put: 'a#1', extra: image('PAID', { archived: true }) }, { put: 'b#1', extra: image('PAID') }],
    ['b#1'],
  ),
  filterScenario(
    'eventName and $or',
    [{ $or: [{ eventName: ['REMOVE'] }, { dynamodb: { NewImage: { status: { S: ['PAID'] } } } }] }],
    [{ put: 'a#1', extra: image('PAID') }, { put: 'b#1', extra: image('NEW') }, { del: 'b' }],
    ['a#1', 'b#1-del'],
  ),
  filterScenario(
    'two filters are OR-ed',
    [{ eventName: ['INSERT'], dynamodb: { NewImage: { status: { S: ['PAID'] } } } }, { eventName: ['MODIFY'] }],
    [{ put: 'a#1', extra: image('PAID') }, { put: 'b#1', extra: image('NEW') }, { put: 'b#2', extra: image('NEW') }],
    ['a#1', 'b#2'],
  ),
  {
    name: 'tumbling window carries state across invocations, then a final invocation',
    consumer: { tumblingWindowSeconds: 2, batchSize: 2 },
    steps: puts('a#1', 'b#1', 'c#1', 'd#1', 'e#1'),
    handler: () => windowCount(),
    alignToTumblingWindow: true,
    until: (seen) => seen.some((s) => s.window?.final === true),
    expect: (o) =>
      // services-ddb-windows: the state returned is passed to the next invocation of the window; the last one has
      // isFinalInvokeForWindow.
      expect(o.batches).toEqual(['(none) state={"count":5} final', 'a#1,b#1 state={}', 'c#1,d#1 state={"count":2}', 'e#1 state={"count":4}']),
  },
  {
    name: 'tumbling window: a response without state fails the invocation',
    consumer: { tumblingWindowSeconds: 2, batchSize: 10, retryAttempts: 1 },
    steps: puts('a#1', 'b#1'),
    handler: ok,
    alignToTumblingWindow: true,
    until: (seen) => seen.some((s) => s.window?.final === true),
    expect: (o) => {
      // services-ddb-windows: "If the response does not contain a state property, Lambda considers this a failed
      // invocation."
      expect(o.destination).toMatchObject([{ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2, first: 'a#1', last: 'b#1' }]);
    },
  },
  {
    name: 'parallel lanes keep per-item order; a failing lane does not hold the others',
    // With factor 3, item "k1" hashes to lane 0, "d" and "g" to lane 1, "f" and "e" to lane 2.
    consumer: { parallelizationFactor: 3, batchSize: 1, retryAttempts: 2 },
    steps: puts('k1#1', 'd#1', 'f#1', 'g#1', 'e#1', 'k1#2', 'd#2', 'f#2', 'g#2', 'e#2'),
    handler: throwsOn('k1#1'),
    retryBackoffMs: 400,
    facts: (observed) => {
      const lastPoisonAttempt = observed.invocations.map((i) => i.labels.join()).lastIndexOf('k1#1');
      const lastGood = Math.max(...observed.invocations.map((inv, i) => (inv.labels.some((l) => !l.startsWith('k1#')) ? i : -1)));
      return { otherLanesDoneBeforeFailingLaneGaveUp: lastGood < lastPoisonAttempt };
    },
    expect: (o) => {
      // API_CreateEventSourceMapping ParallelizationFactor: "The number of batches to process concurrently from each
      // shard."; with-ddb: "Lambda still ensures in-order processing at the item (partition and sort key) level."
      expect(o.perKey.k1).toEqual(['k1#1', 'k1#1', 'k1#1', 'k1#2']);
      expect(o.perKey.d).toEqual(['d#1', 'd#2']);
      expect(o.perKey.e).toEqual(['e#1', 'e#2']);
      expect(o.facts.otherLanesDoneBeforeFailingLaneGaveUp).toBe(true);
      expect(o.destination).toMatchObject([{ first: 'k1#1', last: 'k1#1' }]);
      expect(o.checkpoint).toBe('e#2');
    },
  },
];

