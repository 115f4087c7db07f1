/**
 * One poison record through a consumer's real retry policy: the emulator (its synchronous driver, on the virtual
 * clock) runs a batch of records, one of which the handler always fails on, and the trace becomes a timeline of
 * what the event source mapping did. Deterministic (virtual time, fixed ids and sequence numbers), so the README's
 * picture of it (mermaid.ts) is the same on every synth, and `npx projen explain:<consumer>` (text.ts) prints the
 * same rows.
 */
import type { ConsumerConfig, FailureDestinationName, TableConfig } from '../config';
import { emulateEventSourceMappingSync } from '../emulator/emulate';
import type { DiscardCondition, EmulatedEvent, FailureDelivery, InvocationTrace, InvocationVerdict } from '../emulator/types';
import { InvalidEmulatorOptionError } from '../errors';
import { StreamFixtures } from '../records/fixtures';
import { MAPPING_RANGES, POISON_OUTCOME_WORDS, poisonOutcome, STREAM_RETENTION_SECONDS, type PoisonOutcome } from '../rules/consumer-rules';

/** What is written to the stream: `records` records at once, of which the `poisonAt`-th (1-based) always fails. */
export interface PoisonScenario {
  readonly records: number;
  readonly poisonAt: number;
}

/** Records by their 1-based position in the scenario, inclusive. */
export interface RecordRange {
  readonly first: number;
  readonly last: number;
}

/** Why the mapping invoked a range: its first delivery, a retry, or a part of a failed batch. */
export type InvokeReason =
  | { readonly kind: 'first' }
  | { readonly kind: 'retry'; readonly retry: number }
  /** A half of a batch that threw, split by BisectBatchOnFunctionError. */
  | { readonly kind: 'bisected' }
  /** The rest of a batch whose handler reported a record, from that record on. */
  | { readonly kind: 'fromReport' }
  /** The records of a failed batch after those split off or discarded. */
  | { readonly kind: 'rest' };

export type InvokeResult =
  | { readonly kind: 'done' }
  | { readonly kind: 'reported'; readonly record: number }
  | { readonly kind: 'threw'; readonly record: number };

export type TimelineRow =
  | { readonly kind: 'invoke'; readonly atMs: number; readonly range: RecordRange; readonly reason: InvokeReason; readonly result: InvokeResult }
  /** Retries of one range with one result, drawn as one loop: `retries` retries from `fromMs` to `toMs`. */
  | {
    readonly kind: 'retries';
    readonly fromMs: number;
    readonly toMs: number;
    readonly firstRetry: number;
    readonly retries: number;
    readonly range: RecordRange;
    readonly result: InvokeResult;
    /** The shortest and the longest wait between two of them (the retry backoff). */
    readonly waitMs: { readonly min: number; readonly max: number };
  }
  | {
    readonly kind: 'discard';
    readonly atMs: number;
    readonly range: RecordRange;
    readonly condition: DiscardCondition;
    readonly destination: FailureDestinationName;
    readonly invocations: number;
  }
  /** Records the stream's 24 h retention trimmed while the shard was blocked: lost. */
  | { readonly kind: 'trim'; readonly atMs: number; readonly range: RecordRange };

export interface PoisonTimeline {
  readonly consumer: string;
  readonly scenario: PoisonScenario;
  /** The options that decide what a poison record does, as `.projenrc.ts` names them. */
  readonly policy: Readonly<Record<string, number | boolean | string>>;
  readonly destination: FailureDestinationName;
  readonly rows: readonly TimelineRow[];
  /** From the first invocation holding the poison record until the shard moved past it. */
  readonly heldMs: number;
  readonly processed: number;
  readonly toDestination: number;
  /** Discarded with no failure destination, or trimmed. */
  readonly lost: number;
  readonly outcome: PoisonOutcome;
  readonly outcomeWords: string;
}

/** Retries of one range drawn one by one up to this many; more become one loop. */
const RETRIES_DRAWN_SINGLY = 2;
const RETENTION_MS = STREAM_RETENTION_SECONDS * 1000;
/** One partition key (sort key `n`): every record is on one lane, whatever the parallelizationFactor. */
const TABLE: TableConfig = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'n', type: 'N' },
  attributes: [],
  streamViewType: 'KEYS_ONLY',
};

/** The scenario the README draws: a full batch, its middle record poison. */
export function defaultPoisonScenario(config: Pick<ConsumerConfig, 'batchSize'>): PoisonScenario {
  return { records: config.batchSize, poisonAt: Math.ceil(config.batchSize / 2) };
}

/** The most records a scenario may write: AWS's largest batch. */
export const MAX_SCENARIO_RECORDS = MAPPING_RANGES.batchSize.max;

/**
 * Runs the scenario through the consumer's policy. The handler behaves as the generated contract: records run in
 * order and the poison record fails; with `reportBatchItemFailures` it is reported, otherwise the handler throws.
 * Filters are left out (the records are ones the consumer receives) and a disabled mapping is drawn as enabled.
 */
export function poisonTimeline(config: ConsumerConfig, scenario: PoisonScenario = defaultPoisonScenario(config)): PoisonTimeline {
  checkScenario(scenario);
  const stream = new StreamFixtures({ table: TABLE, startTimeMs: 0 });
  const records = Array.from({ length: scenario.records }, (_, i) => stream.insert({ pk: 'item', n: i + 1 }));
  const position = new Map(records.map((r, i) => [r.dynamodb.SequenceNumber, i + 1]));
  const poison = records[scenario.poisonAt - 1].dynamodb.SequenceNumber;
  const windowed = config.tumblingWindowSeconds > 0;
  const handler = (event: EmulatedEvent) => {
    // A tumbling window's handler returns its state; the picture needs none.
    const state = windowed ? { state: {} } : {};
    if (!event.Records.some((r) => r.dynamodb.SequenceNumber === poison)) return { ...state, batchItemFailures: [] };
    if (!config.reportBatchItemFailures) throw new Error(`record ${scenario.poisonAt} is poison`);
    return { ...state, batchItemFailures: [{ itemIdentifier: poison }] };
  };

  // In the order the mapping did them: an invocation, the discard it led to, the next batch.
  const happened: ({ readonly invocation: InvocationTrace } | { readonly failure: FailureDelivery })[] = [];
  emulateEventSourceMappingSync({
    config: { ...config, filters: [], enabled: true },
    handler,
    records,
    table: TABLE,
    // Only what the picture needs: a tumbling window's closing invocations carry no record and are left out.
    keepInvocations: false,
    onInvocation: (invocation) => {
      if (invocation.event.Records.length > 0) happened.push({ invocation });
    },
    onFailure: (failure) => {
      happened.push({ failure });
    },
  });

  const rangeOf = (seqs: readonly string[]): RecordRange => ({ first: position.get(seqs[0])!, last: position.get(seqs[seqs.length - 1])! });
  const steps: (InvokeRow | DiscardRow)[] = happened.map((h) =>
    'invocation' in h
      ? invokeRow(h.invocation, rangeOf(h.invocation.event.Records.map((r) => r.dynamodb.SequenceNumber)), scenario.poisonAt)
      : {
        kind: 'discard',
        atMs: Date.parse(h.failure.message.timestamp),
        range: rangeOf(h.failure.records.map((r) => r.dynamodb.SequenceNumber)),
        condition: h.failure.condition,
        destination: h.failure.destination,
        invocations: h.failure.message.requestContext.approximateInvokeCount,
      },
  );
  const rows = [...groupRetries(labelled(steps)), ...trimRows(records.length, steps)];

  const left = leftAt(rows, scenario.poisonAt);
  const firstHold = steps.find((row) => row.kind === 'invoke' && row.range.first <= scenario.poisonAt && scenario.poisonAt <= row.range.last)!;
  const gone = rows.filter((r): r is Extract<TimelineRow, { kind: 'discard' | 'trim' }> => r.kind === 'discard' || r.kind === 'trim');
  const count = (some: readonly { range: RecordRange }[]) => some.reduce((n, r) => n + r.range.last - r.range.first + 1, 0);
  const toDestination = count(gone.filter((r) => r.kind === 'discard' && r.destination !== 'NONE'));
  const outcome = poisonOutcome(config);
  return {
    consumer: config.name,
    scenario,
    policy: {
      batchSize: config.batchSize,
      retryAttempts: config.retryAttempts,
      maxRecordAgeSeconds: config.maxRecordAgeSeconds,
      bisectBatchOnError: config.bisectBatchOnError,
      reportBatchItemFailures: config.reportBatchItemFailures,
      failureDestination: config.failureDestination,
    },
    destination: config.failureDestination,
    rows,
    heldMs: left - firstHold.atMs,
    processed: records.length - count(gone),
    toDestination,
    lost: count(gone) - toDestination,
    outcome,
    outcomeWords: POISON_OUTCOME_WORDS[outcome],
  };
}

function checkScenario(s: PoisonScenario): void {
  if (!Number.isInteger(s.records) || s.records < 1 || s.records > MAX_SCENARIO_RECORDS) {
    throw new InvalidEmulatorOptionError(`records ${s.records} is not an integer between 1 and ${MAX_SCENARIO_RECORDS}: pass the size of the batch to draw, e.g. 100`);
  }
  if (!Number.isInteger(s.poisonAt) || s.poisonAt < 1 || s.poisonAt > s.records) {
    throw new InvalidEmulatorOptionError(`poisonAt ${s.poisonAt} is not an integer between 1 and ${s.records} (the records written): pass the position of the poison record among them`);
  }
}

type InvokeRow = Extract<TimelineRow, { kind: 'invoke' }> & { readonly attempt: number; readonly verdict: InvocationVerdict };
type DiscardRow = Extract<TimelineRow, { kind: 'discard' }>;

function invokeRow(inv: InvocationTrace, range: RecordRange, poisonAt: number): InvokeRow {
  const result: InvokeResult =
    inv.verdict === 'success' ? { kind: 'done' } : inv.verdict === 'partial-failure' ? { kind: 'reported', record: poisonAt } : { kind: 'threw', record: poisonAt };
  return { kind: 'invoke', atMs: inv.atMs, range, reason: { kind: 'first' }, result, attempt: inv.attempt, verdict: inv.verdict };
}

/** Why each invocation happened: a retry by its attempt, otherwise by the failed invocation whose records it takes up. */
function labelled(steps: readonly (InvokeRow | DiscardRow)[]): (InvokeRow | DiscardRow)[] {
  return steps.map((row, i) => {
    if (row.kind === 'discard') return row;
    if (row.attempt > 1) return { ...row, reason: { kind: 'retry', retry: row.attempt - 1 } };
    const parent = steps
      .slice(0, i)
      .reverse()
      .find((p): p is InvokeRow => p.kind === 'invoke' && p.verdict !== 'success' && p.range.first <= row.range.first && row.range.last <= p.range.last);
    if (!parent) return row;
    if (parent.verdict === 'failure') return { ...row, reason: { kind: 'bisected' } };
    const reported = parent.result.kind === 'reported' && parent.result.record === row.range.first;
    return { ...row, reason: reported ? { kind: 'fromReport' } : { kind: 'rest' } };
  });
}

/** Runs of more than RETRIES_DRAWN_SINGLY retries of one range with one result become one `retries` row. */
function groupRetries(steps: readonly (InvokeRow | DiscardRow)[]): TimelineRow[] {
  const rows: TimelineRow[] = [];
  let i = 0;
  while (i < steps.length) {
    const row = steps[i];
    if (row.kind === 'discard' || row.reason.kind !== 'retry') {
      rows.push(row.kind === 'discard' ? row : { kind: 'invoke', atMs: row.atMs, range: row.range, reason: row.reason, result: row.result });
      i++;
      continue;
    }
    const same = (next: InvokeRow | DiscardRow) =>
      next.kind === 'invoke' && next.reason.kind === 'retry' && next.range.first === row.range.first && next.range.last === row.range.last && next.result.kind === row.result.kind;
    let j = i;
    while (j + 1 < steps.length && same(steps[j + 1])) j++;
    const run = steps.slice(i, j + 1) as InvokeRow[];
    if (run.length > RETRIES_DRAWN_SINGLY) {
      // A retry follows the invocation before it (the first try, or the retry before), so i > 0.
      const waits = run.map((r, k) => r.atMs - (k === 0 ? steps[i - 1].atMs : run[k - 1].atMs));
      rows.push({
        kind: 'retries',
        fromMs: run[0].atMs,
        toMs: run[run.length - 1].atMs,
        firstRetry: row.reason.retry,
        retries: run.length,
        range: row.range,
        result: row.result,
        waitMs: { min: Math.min(...waits), max: Math.max(...waits) },
      });
    } else {
      for (const r of run) rows.push({ kind: 'invoke', atMs: r.atMs, range: r.range, reason: r.reason, result: r.result });
    }
    i = j + 1;
  }
  return rows;
}

/**
 * Records neither processed nor discarded were trimmed: the stream keeps a record 24 h, then trims it whatever its
 * retries (the emulator notices at the next attempt; AWS trims at 24 h, so that is when the picture says it).
 */
function trimRows(total: number, steps: readonly (InvokeRow | DiscardRow)[]): TimelineRow[] {
  const settled = new Uint8Array(total + 1);
  const mark = (range: RecordRange) => settled.fill(1, range.first, range.last + 1);
  for (const row of steps) {
    if (row.kind === 'discard' || row.verdict === 'success') mark(row.range);
    else if (row.result.kind === 'reported' && row.result.record > row.range.first) mark({ first: row.range.first, last: row.result.record - 1 });
  }
  const first = settled.indexOf(0, 1);
  if (first < 0) return [];
  const last = settled.lastIndexOf(0);
  // Every record was written at 0 ms, so all of them reach the retention at once.
  return [{ kind: 'trim', atMs: RETENTION_MS, range: { first, last } }];
}

/** When the shard moved past the poison record: its discard or its trim. */
function leftAt(rows: readonly TimelineRow[], poisonAt: number): number {
  const gone = rows.find((r) => (r.kind === 'discard' || r.kind === 'trim') && r.range.first <= poisonAt && poisonAt <= r.range.last);
  if (!gone || gone.kind === 'invoke' || gone.kind === 'retries') {
    // The emulator discards or trims every record it cannot process: this is a bug, not a user's mistake.
    throw new Error(`poison record ${poisonAt} was neither discarded nor trimmed in the emulator's trace`);
  }
  return gone.atMs;
}
