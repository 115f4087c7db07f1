/**
 * Batch assembly: a batch closes at BatchSize records, at the 6 MB payload limit, when the batching window has
 * elapsed (the next record arrives after it, or, on the system clock, the wall clock passes it), or at a
 * tumbling-window boundary. AWS (invocation-eventsourcemapping, Batching behavior): Lambda invokes when "The
 * batching window reaches its maximum value", "The batch size is met" or "The payload size reaches 6 MB".
 *
 * The payload is the event's JSON, as Lambda measures it (services-dynamodb-eventsourcemapping: "as long as the
 * total size of the events doesn't exceed the payload limit for synchronous invocation (6 MB)"): the event's own
 * fields, each record's JSON and the commas between them, in UTF-8 bytes. A record larger than the limit on its
 * own is invoked alone (our choice, AWS is silent; docs/emulator.md).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html
 */
import { jsonByteLength } from './json-size';
import type { Entry, Lane } from './lane';

/** `{"Records":[]}`. */
export const EMPTY_EVENT_BYTES = 14;

export interface BatchLimits {
  readonly batchSize: number;
  readonly windowMs: number;
  readonly payloadLimitBytes: number;
  /** 0 when no tumbling window. */
  readonly tumblingMs: number;
}

export interface AssembledBatch {
  readonly entries: Entry[];
  /** When the batch is invoked. */
  readonly atMs: number;
}

/**
 * When the lane starts gathering its next batch: "the next batching window begins as soon as the previous function
 * invocation completes" (invocation-eventsourcemapping, Batching behavior, for DynamoDB), and not before the
 * first record is there. The lane's time is when its previous invocation completed; it is never moved by polls, so
 * the window's close does not move while records wait.
 */
function batchStartMs(lane: Lane, first: Entry): number {
  return Math.max(lane.timeMs, first.readyMs);
}

/** When the batching window of the lane's queued records closes; undefined if nothing is queued. */
export function batchingWindowCloseMs(lane: Lane, limits: BatchLimits): number | undefined {
  const first = lane.peek();
  return first ? batchStartMs(lane, first) + limits.windowMs : undefined;
}

/** The record's JSON size, measured once. */
function exactBytes(e: Entry): number {
  return (e.exactBytes ??= jsonByteLength(e.record));
}

/**
 * Takes the next batch off the lane's queue, or returns undefined if it must wait for more records.
 * @param flush no more records will come (end of input): release a partial batch.
 * @param nowMs time known to have passed (the wall clock; -Infinity when only records tell time): a partial batch
 * whose window has closed by then is released without waiting for a later record.
 * @param envelopeBytes the JSON size of the event with an empty `Records` array (its other fields included).
 */
export function assembleBatch(
  lane: Lane,
  limits: BatchLimits,
  flush: boolean,
  nowMs: number,
  envelopeBytes: number = EMPTY_EVENT_BYTES,
): AssembledBatch | undefined {
  const first = lane.peek();
  if (!first) return undefined;
  const startMs = batchStartMs(lane, first);
  const closeMs = startMs + limits.windowMs;
  const bucket = limits.tumblingMs > 0 ? Math.floor(first.arrivalMs / limits.tumblingMs) : 0;
  const available = lane.queued;
  let count = 0;
  let bytes = envelopeBytes;
  // The bounds prove most batches fit; past the limit by bound, the batch is measured exactly from then on.
  let exact = false;
  let closedBy: 'size' | 'window' | undefined;
  while (count < available) {
    if (count >= limits.batchSize) {
      closedBy = 'size';
      break;
    }
    const e = lane.peek(count)!;
    if (e.arrivalMs > closeMs) {
      closedBy = 'window';
      break;
    }
    if (limits.tumblingMs > 0 && Math.floor(e.arrivalMs / limits.tumblingMs) !== bucket) {
      closedBy = 'size';
      break;
    }
    const comma = count > 0 ? 1 : 0;
    let size = exact ? exactBytes(e) : e.boundBytes;
    if (!exact && bytes + comma + size > limits.payloadLimitBytes) {
      exact = true;
      bytes = envelopeBytes + Math.max(0, count - 1);
      for (let i = 0; i < count; i++) bytes += exactBytes(lane.peek(i)!);
      size = exactBytes(e);
    }
    if (count > 0 && bytes + comma + size > limits.payloadLimitBytes) {
      closedBy = 'size';
      break;
    }
    bytes += comma + size;
    count++;
  }
  if (closedBy === undefined && count >= limits.batchSize) closedBy = 'size';
  if (closedBy === undefined) {
    if (flush || nowMs >= closeMs) closedBy = 'window';
    else return undefined;
  }
  const entries = lane.take(count);
  // A full batch goes as soon as its last record is there; otherwise Lambda waited out the whole window.
  const atMs = closedBy === 'size' ? Math.max(startMs, entries[entries.length - 1].arrivalMs) : closeMs;
  return { entries, atMs };
}
