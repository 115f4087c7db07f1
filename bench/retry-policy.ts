/**
 * The default retry policy, chosen on evidence (issue 23, item 5): a downstream outage while records keep arriving,
 * and a poison record, run through the emulator on its virtual clock for several retry policies.
 * `npx ts-node --transpile-only bench/retry-policy.ts` prints the tables of docs/retry-policy.md.
 *
 * What is modelled (docs/retry-policy.md says why):
 * - one shard, ParallelizationFactor 1, batch size 100, no batching window, bisect on, SQS destination; only
 *   retryAttempts / maxRecordAgeSeconds change between policies (and bisect, in one row that shows what it does);
 * - 10 records/s spread round-robin over 20 partition keys (table key `pk` only, so a key is an item);
 * - each invocation takes 100 ms of virtual time; the emulator's retry backoff (1 s doubling, capped at 60 s);
 * - handler "reports" = the generated contract: records run in order, the first that fails stops the batch and is
 *   the only `batchItemFailures` entry; handler "throws" = the same without ReportBatchItemFailures: it throws.
 * Nothing here is an AWS measurement: the figures follow from the emulator's backoff, which AWS does not document.
 */
import { CONSUMER_DEFAULTS, FUNCTION_DEFAULTS } from '../src/runtime/rules/consumer-rules';
import type { ConsumerConfig, TableConfig } from '../src/runtime/config';
import { emulateEventSourceMapping, type EmulatedContext, type EmulatedEvent } from '../src/runtime/emulator';
import { StreamFixtures } from '../src/runtime/records/fixtures';
import type { DynamoDBStreamRecord } from '../src/runtime/records/types';

const TABLE: TableConfig = { partitionKey: { name: 'pk', type: 'S' }, attributes: [], streamViewType: 'NEW_AND_OLD_IMAGES' };
const RATE_PER_SECOND = 10;
const KEYS = 20;
const INVOCATION_MS = 100;
/** Records arrive this long before the outage starts, and this long after it ends. */
const BEFORE_S = 60;
const AFTER_S = 600;

export interface Policy {
  readonly name: string;
  readonly retryAttempts: number;
  readonly maxRecordAgeSeconds: number;
  /** @default true (our default; Solutions Constructs' too) */
  readonly bisect?: boolean;
}

export const POLICIES: readonly Policy[] = [
  { name: 'current default (5 retries, 1 h)', retryAttempts: 5, maxRecordAgeSeconds: 3600 },
  { name: 'current default without bisect (5, 3600 s, bisect off)', retryAttempts: 5, maxRecordAgeSeconds: 3600, bisect: false },
  { name: 'Solutions Constructs (500 retries, 24 h)', retryAttempts: 500, maxRecordAgeSeconds: 86400 },
  { name: 'time-bounded 15 min (-1, 900 s)', retryAttempts: -1, maxRecordAgeSeconds: 900 },
  { name: 'time-bounded 1 h (-1, 3600 s)', retryAttempts: -1, maxRecordAgeSeconds: 3600 },
  { name: 'time-bounded 6 h (-1, 21600 s)', retryAttempts: -1, maxRecordAgeSeconds: 21600 },
  { name: 'count-bounded 20 retries, 1 h (20, 3600 s)', retryAttempts: 20, maxRecordAgeSeconds: 3600 },
  { name: 'count-bounded 20 retries, 6 h (20, 21600 s)', retryAttempts: 20, maxRecordAgeSeconds: 21600 },
];

export const OUTAGES_S: readonly number[] = [30, 120, 600, 3600];

type HandlerKind = 'reports' | 'throws';

/** The template's defaults (what a new scaffold gets), with only the policy and the handler's response shape varied. */
function consumer(policy: Policy, handler: HandlerKind): ConsumerConfig {
  return {
    ...CONSUMER_DEFAULTS,
    name: 'processor',
    retryAttempts: policy.retryAttempts,
    maxRecordAgeSeconds: policy.maxRecordAgeSeconds,
    bisectBatchOnError: policy.bisect ?? CONSUMER_DEFAULTS.bisectBatchOnError,
    reportBatchItemFailures: handler === 'reports',
    function: { ...FUNCTION_DEFAULTS, runtime: 'nodejs24.x' },
  };
}

/** `seconds` of arrivals at RATE_PER_SECOND, keys round-robin; returns the records and the first arrival (ms). */
function arrivals(seconds: number): { records: DynamoDBStreamRecord[]; startMs: number } {
  const startMs = Date.UTC(2024, 0, 1);
  const stream = new StreamFixtures({ table: TABLE, startTimeMs: startMs });
  const records: DynamoDBStreamRecord[] = [];
  let n = 0;
  for (let s = 0; s < seconds; s++) {
    for (let i = 0; i < RATE_PER_SECOND; i++, n++) records.push(stream.insert({ pk: `k${n % KEYS}`, n }));
    stream.advance(1);
  }
  return { records, startMs };
}

export interface Row {
  readonly policy: string;
  readonly handler: HandlerKind;
  readonly scenario: string;
  readonly records: number;
  readonly toDestination: number;
  readonly lost: number;
  /** Records handled after a later record of their key, or sent to the destination while a later one was handled. */
  readonly outOfOrder: number;
  readonly keysOutOfOrder: number;
  /** Longest time one record held the shard: from its first invocation to the shard moving past it. */
  readonly longestHoldS: number;
  readonly maxIteratorAgeS: number;
  readonly invocations: number;
}

/** A retry delay model: the emulator's default, or another to see how much the figures depend on it. */
export interface Backoff {
  readonly name: string;
  readonly delayMs?: (retry: number) => number;
}
export const EMULATOR_BACKOFF: Backoff = { name: 'emulator default: 1 s doubling, capped at 60 s' };
export const FIXED_1S_BACKOFF: Backoff = { name: 'fixed 1 s', delayMs: () => 1000 };

async function run(
  policy: Policy,
  handler: HandlerKind,
  scenario: string,
  records: DynamoDBStreamRecord[],
  fails: (rec: DynamoDBStreamRecord, nowMs: number) => boolean,
  backoff: Backoff,
): Promise<Row> {
  const indexOf = new Map<string, number>(records.map((r, i) => [r.dynamodb.SequenceNumber, i]));
  const keyOf = (r: DynamoDBStreamRecord) => r.dynamodb.Keys.pk.S!;
  /** Per key: the highest record index handled successfully so far. */
  const lastDone = new Map<string, number>();
  const doneEver = new Set<number>();
  let lateHandled = 0;
  const lateKeys = new Set<string>();
  /** Per record index: first invocation time (ms). */
  const firstSeen = new Map<number, number>();
  let longestHoldMs = 0;

  const settle = (i: number, atMs: number) => {
    const first = firstSeen.get(i);
    if (first !== undefined) longestHoldMs = Math.max(longestHoldMs, atMs - first);
  };
  const fn = (event: EmulatedEvent, context: EmulatedContext) => {
    const nowMs = context.emulator.nowMs;
    for (const r of event.Records) {
      const i = indexOf.get(r.dynamodb.SequenceNumber)!;
      if (!firstSeen.has(i)) firstSeen.set(i, nowMs);
    }
    for (const r of event.Records) {
      const i = indexOf.get(r.dynamodb.SequenceNumber)!;
      if (fails(r, nowMs)) {
        if (handler === 'throws') throw new Error('downstream unavailable');
        return { batchItemFailures: [{ itemIdentifier: r.dynamodb.SequenceNumber }] };
      }
      if (handler === 'reports' && !doneEver.has(i)) {
        // With "reports", a record before the reported one is done now; with "throws", only a batch that returns is.
        markDone(i, r, nowMs);
      }
    }
    if (handler === 'throws') {
      for (const r of event.Records) {
        const i = indexOf.get(r.dynamodb.SequenceNumber)!;
        if (!doneEver.has(i)) markDone(i, r, nowMs);
      }
    }
    return { batchItemFailures: [] };
  };
  const markDone = (i: number, r: DynamoDBStreamRecord, nowMs: number) => {
    doneEver.add(i);
    settle(i, nowMs + INVOCATION_MS);
    const key = keyOf(r);
    const last = lastDone.get(key) ?? -1;
    if (last > i) {
      lateHandled++;
      lateKeys.add(key);
    } else {
      lastDone.set(key, i);
    }
  };

  const discarded: { i: number; atMs: number }[] = [];
  const trace = await emulateEventSourceMapping({
    records,
    config: consumer(policy, handler),
    handler: fn,
    table: TABLE,
    invocationDurationMs: INVOCATION_MS,
    keepInvocations: false,
    ...(backoff.delayMs ? { retryBackoffMs: backoff.delayMs } : {}),
    onFailure: (f) => {
      const atMs = Date.parse(f.message.timestamp);
      for (const r of f.records) {
        const i = indexOf.get(r.dynamodb.SequenceNumber)!;
        discarded.push({ i, atMs });
        settle(i, atMs);
      }
    },
  });
  // A discarded record is out of order when a later record of its key was handled (it is missing from the key's history).
  let lostOrder = 0;
  for (const { i } of discarded) {
    const key = keyOf(records[i]);
    if ((lastDone.get(key) ?? -1) > i) {
      lostOrder++;
      lateKeys.add(key);
    }
  }
  return {
    policy: policy.name,
    handler,
    scenario,
    records: records.length,
    toDestination: trace.metrics.deliveredToDestinationEvents,
    lost: trace.metrics.trimmedEvents + trace.metrics.droppedEvents,
    outOfOrder: lateHandled + lostOrder,
    keysOutOfOrder: lateKeys.size,
    longestHoldS: Math.round(longestHoldMs / 100) / 10,
    maxIteratorAgeS: Math.round(trace.metrics.maxIteratorAgeMs / 100) / 10,
    invocations: trace.metrics.invocations,
  };
}

/** Outage of `outageS` seconds starting BEFORE_S after the first record; every record fails while it lasts. */
export function outageRow(policy: Policy, handler: HandlerKind, outageS: number, backoff = EMULATOR_BACKOFF): Promise<Row> {
  const { records, startMs } = arrivals(BEFORE_S + outageS + AFTER_S);
  const from = startMs + BEFORE_S * 1000;
  const to = from + outageS * 1000;
  return run(policy, handler, `outage ${label(outageS)}`, records, (_r, nowMs) => nowMs >= from && nowMs < to, backoff);
}

/** One record (the 600th, key k19) always fails; no outage; arrivals for BEFORE_S + AFTER_S seconds. */
export function poisonRow(policy: Policy, handler: HandlerKind, backoff = EMULATOR_BACKOFF): Promise<Row> {
  const { records } = arrivals(BEFORE_S + AFTER_S);
  const poison = records[BEFORE_S * RATE_PER_SECOND - 1].dynamodb.SequenceNumber;
  return run(policy, handler, 'poison record', records, (r) => r.dynamodb.SequenceNumber === poison, backoff);
}

function label(seconds: number): string {
  return seconds < 60 ? `${seconds} s` : seconds < 3600 ? `${seconds / 60} min` : `${seconds / 3600} h`;
}

export function toMarkdown(rows: readonly Row[]): string {
  const head =
    '| policy | scenario | records | to destination | lost (trimmed) | out of order (records / keys) | longest hold of the shard | max iterator age | invocations |';
  const sep = '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |';
  const dur = (s: number) => (s < 120 ? `${s} s` : s < 7200 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(2)} h`);
  const body = rows.map(
    (r) =>
      `| ${r.policy} | ${r.scenario} | ${r.records} | ${r.toDestination} | ${r.lost} | ${r.outOfOrder} / ${r.keysOutOfOrder} | ${dur(r.longestHoldS)} | ${dur(r.maxIteratorAgeS)} | ${r.invocations} |`,
  );
  return [head, sep, ...body].join('\n');
}

async function main(): Promise<void> {
  for (const handler of ['reports', 'throws'] as const) {
    const rows: Row[] = [];
    for (const policy of POLICIES) {
      for (const outage of OUTAGES_S) rows.push(await outageRow(policy, handler, outage));
      rows.push(await poisonRow(policy, handler));
    }
    console.log(`\nHandler ${handler === 'reports' ? 'reports the first failed record (the generated contract, ReportBatchItemFailures on)' : 'throws at the first failed record (ReportBatchItemFailures off)'}:\n`);
    console.log(toMarkdown(rows));
  }
  // AWS does not document its retry delay: the same runs with a fast one, for the policies the choice is between.
  const rows: Row[] = [];
  for (const policy of [0, 2, 4, 7].map((i) => POLICIES[i])) {
    for (const outage of OUTAGES_S) rows.push(await outageRow(policy, 'reports', outage, FIXED_1S_BACKOFF));
    rows.push(await poisonRow(policy, 'reports', FIXED_1S_BACKOFF));
  }
  console.log(`\nSensitivity: handler reports, retry delay ${FIXED_1S_BACKOFF.name} instead of the emulator's default:\n`);
  console.log(toMarkdown(rows));
}

if (require.main === module) {
  const t0 = Date.now();
  void main().then(() => console.log(`\n(${((Date.now() - t0) / 1000).toFixed(1)} s)`));
}
