import type { CheckpointStore } from './checkpoint-store';
import type { EmulatedContext, EmulatedEvent, StreamHandler } from '../../emulator/types';

/**
 * Counts redeliveries after an unclean stop: before each invocation the highest sequence number handed to the
 * handler is noted per shard; on the next start, records at or below that mark are ones the killed run may
 * already have handled.
 */
export class RedeliveryCounter {
  public count = 0;
  private readonly marks: Record<string, string>;
  private readonly through: Map<string, bigint>;
  private readonly seen = new Set<string>();

  constructor(private readonly store: CheckpointStore) {
    this.marks = store.readInflight();
    this.through = new Map();
    for (const [shardId, mark] of Object.entries(this.marks)) {
      const checkpoint = store.current.shards[shardId]?.sequenceNumber;
      if (checkpoint === undefined || BigInt(mark) > BigInt(checkpoint)) this.through.set(shardId, BigInt(mark));
    }
  }

  /** Shards with records that will be redelivered. */
  public get pending(): number {
    return this.through.size;
  }

  public wrap(handler: StreamHandler): StreamHandler {
    return (event: EmulatedEvent, context: EmulatedContext) => {
      const records = event.Records;
      if (records.length > 0) {
        const shardId = context.emulator.shardId;
        const last = records[records.length - 1].dynamodb.SequenceNumber;
        const mark = this.marks[shardId];
        if (mark === undefined || BigInt(last) > BigInt(mark)) {
          this.marks[shardId] = last;
          this.store.writeInflight(this.marks);
        }
        const through = this.through.get(shardId);
        if (through !== undefined) {
          for (const r of records) {
            const seq = r.dynamodb.SequenceNumber;
            if (BigInt(seq) <= through && !this.seen.has(seq)) {
              this.seen.add(seq);
              this.count++;
            }
          }
        }
      }
      return handler(event, context);
    };
  }
}
