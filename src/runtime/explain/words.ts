/**
 * The phrases of a poison timeline, shared by its two pictures (the README's Mermaid diagram and the terminal's
 * text), so that both say the same thing in the same words. Plain text: no `;` or `#`, which Mermaid reads as syntax.
 */
import type { FailureDestinationName } from '../config';
import type { InvokeReason, InvokeResult, PoisonTimeline, RecordRange, TimelineRow } from './poison-timeline';

/** A virtual time or a length of it: `0 s`, `31 s`, `2 min 3 s`, `1 h 59 min`, `24 h`. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 === 0 ? `${s / 60} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
  const minutes = Math.round((s % 3600) / 60);
  return minutes === 0 ? `${Math.floor(s / 3600)} h` : `${Math.floor(s / 3600)} h ${minutes} min`;
}

export function records(range: RecordRange): string {
  return range.first === range.last ? `record ${range.first}` : `records ${range.first}–${range.last}`;
}

export const DESTINATION_NAMES: Readonly<Record<FailureDestinationName, string>> = {
  SQS: 'SQS failure queue',
  SNS: 'SNS failure topic',
  S3: 'S3 failure bucket',
  NONE: 'no failure destination',
};

/** What the mapping sends: the records and why (`records 1–50, bisected`). */
export function request(range: RecordRange, reason: InvokeReason): string {
  const why = {
    first: '',
    retry: `, retry ${(reason as { retry?: number }).retry}`,
    bisected: ', a half of the bisected batch',
    fromReport: ', from the reported record on',
    rest: ', the rest of the batch',
  }[reason.kind];
  return `${records(range)}${why}`;
}

/** What the handler answers. */
export function response(range: RecordRange, result: InvokeResult): string {
  switch (result.kind) {
    case 'done':
      return 'succeeds';
    case 'reported':
      return result.record > range.first ? `reports record ${result.record} (${records({ first: range.first, last: result.record - 1 })} done)` : `reports record ${result.record}`;
    case 'threw':
      return `throws at record ${result.record}`;
  }
}

/**
 * A run of retries: `retries 1–5 of record 50, 1 s to 31 s, waiting 1 s to 16 s`; without the times where they are
 * shown beside it (the terminal's left column).
 */
export function retries(row: Extract<TimelineRow, { kind: 'retries' }>, times = true): string {
  const waits = row.waitMs.min === row.waitMs.max ? `every ${duration(row.waitMs.min)}` : `waiting ${duration(row.waitMs.min)} to ${duration(row.waitMs.max)}`;
  const when = times ? `, ${duration(row.fromMs)} to ${duration(row.toMs)}` : '';
  return `retries ${row.firstRetry}–${row.firstRetry + row.retries - 1} of ${records(row.range)}${when}, ${waits}`;
}

/** A discard: where the records went, and why (`record 50 to the SQS failure queue (RetryAttemptsExhausted, 6 invocations)`). */
export function discard(row: Extract<TimelineRow, { kind: 'discard' }>): string {
  const where = row.destination === 'NONE' ? 'dropped: no failure destination' : `to the ${DESTINATION_NAMES[row.destination]}`;
  const tried = row.invocations === 0 ? 'never invoked' : `${row.invocations} invocation${row.invocations === 1 ? '' : 's'}`;
  return `${records(row.range)} ${where} (${row.condition}, ${tried})`;
}

export function trim(row: Extract<TimelineRow, { kind: 'trim' }>): string {
  return `${records(row.range)} trimmed by the stream's 24 h retention: lost, no destination gets them`;
}

/** The scenario in words: `100 records written at once, record 50 always fails`. */
export function scenario(t: PoisonTimeline): string {
  const { records: n, poisonAt } = t.scenario;
  return `${n === 1 ? '1 record' : `${n} records`} written at once, record ${poisonAt} always fails`;
}

/** The end of the story: how long the shard was held, where the records went. */
export function summary(t: PoisonTimeline): string {
  const sent = t.destination === 'NONE' ? '' : `, ${t.toDestination} sent to the ${DESTINATION_NAMES[t.destination]}`;
  const written = t.scenario.records === 1 ? 'record' : 'records';
  return `Record ${t.scenario.poisonAt} held the shard ${duration(t.heldMs)}. Of ${t.scenario.records} ${written}: ${t.processed} processed${sent}, ${t.lost} lost.`;
}

/** The options the picture depends on, as `.projenrc.ts` names them. */
export function policy(t: PoisonTimeline): string {
  return Object.entries(t.policy).map(([name, value]) => `${name} ${value}`).join(', ');
}
