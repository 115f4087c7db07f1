import { hashString } from './ids';
import type { DynamoDBStreamRecord } from '../records/types';

/** A record as the mapping tracks it: where it sits in its shard, and what the checkpoint becomes once it is done. */
export interface Entry {
  readonly record: DynamoDBStreamRecord;
  /** Position in the shard, for finding the earliest unfinished record across lanes. */
  readonly index: number;
  /** SequenceNumber of the shard's previous record (filtered or not): the checkpoint while this one is unfinished. */
  readonly prevSeq: string | undefined;
  readonly arrivalMs: number;
  /**
   * When the mapping had the record in hand: its arrival on a virtual clock; on the system clock the later of its
   * arrival and the moment the poller handed it over. A partial batch's batching window counts from here.
   */
  readonly readyMs: number;
  /** At least the record's JSON size in UTF-8 bytes (see json-size.ts), for the 6 MB payload limit. */
  readonly boundBytes: number;
  /** The record's JSON size in UTF-8 bytes, once a batch near the limit needed it. */
  exactBytes?: number;
}

export interface WindowState {
  readonly startMs: number;
  readonly endMs: number;
  state: unknown;
}

/** The batch a lane is working on, across its retries. */
export interface BatchState {
  entries: readonly Entry[];
  /** Retries consumed so far (invocations = retries + 1 for a batch that never shrinks). */
  retries: number;
  /** Invocations of this batch: the destination's approximateInvokeCount. */
  invokeCount: number;
  /** From the last invocation, for the destination's responseContext. */
  lastFunctionError?: 'Unhandled' | null;
  /** Set for the tumbling window's final invocation (no records). */
  finalWindow?: { readonly terminatedEarly: boolean };
}

export interface PendingBatch {
  readonly entries: readonly Entry[];
  readonly retries: number;
}

/**
 * One ordered stream of batches. Parallelization factor N gives a shard N lanes, records assigned by item (see
 * {@link itemLane}), so per-item order holds while lanes run side by side. Each lane keeps its own time cursor.
 */
export class Lane {
  public timeMs: number;
  public current: BatchState | undefined;
  /** Bisected halves still to run; the top of the stack is the earliest. */
  public readonly pending: PendingBatch[] = [];
  public window: WindowState | undefined;
  private queue: Entry[] = [];
  private head = 0;

  constructor(public readonly id: number, startMs: number) {
    this.timeMs = startMs;
  }

  public enqueue(entry: Entry): void {
    this.queue.push(entry);
  }

  public get queued(): number {
    return this.queue.length - this.head;
  }

  public peek(offset = 0): Entry | undefined {
    return this.queue[this.head + offset];
  }

  /** Removes and returns the next `count` queued entries. */
  public take(count: number): Entry[] {
    const taken = this.queue.slice(this.head, this.head + count);
    this.head += count;
    // Compact now and then so a long-running lane does not keep every record it has ever seen.
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return taken;
  }

  /** The earliest record this lane has not finished with. */
  public earliestUnfinished(): Entry | undefined {
    const first = this.current?.entries[0];
    if (first) return first;
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const e = this.pending[i].entries[0];
      if (e) return e;
    }
    return this.peek();
  }

  public get idle(): boolean {
    return this.current === undefined && this.pending.length === 0 && this.queued === 0;
  }
}

/**
 * The lane of a record's item. with-ddb: "When you increase the number of concurrent batches per shard, Lambda still
 * ensures in-order processing at the item (partition and sort key) level." So lanes go by item, not by partition
 * key: two items of one partition key may be processed out of order, as on AWS.
 * @param itemKey the table's key attributes (partition key, and sort key when there is one).
 */
export function itemLane(record: DynamoDBStreamRecord, itemKey: readonly string[], laneCount: number): number {
  const keys = record.dynamodb.Keys;
  const text = itemKey.map((name) => {
    const value = keys?.[name];
    return value === undefined ? '' : value.S ?? value.N ?? value.B ?? JSON.stringify(value);
  }).join('\u0000');
  return hashString(text) % laneCount;
}
