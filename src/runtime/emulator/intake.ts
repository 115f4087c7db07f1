/**
 * Reading the stream: the shards and their lineage (a child only after its parent's end, starting at its end
 * time), and each record into its lane, unless the mapping skips it (before a LATEST mapping existed, filtered out,
 * or already folded into a window saved before a restart). Both schedulers hand records over through here.
 */
import type { ConsumerConfig } from '../config';
import { InvalidEmulatorOptionError, InvalidRecordError, ShardLineageError } from '../errors';
import { compileFilters, type RecordFilter } from './filters';
import { recordByteBound } from './json-size';
import { itemLane } from './lane';
import { newShard, type ShardState } from './shard';
import type { EmulatorMetrics, EngineOptions } from './types';
import { doneBeforeStop } from './window-resume';
import type { DynamoDBStreamRecord } from '../records/types';

export class ShardIntake {
  public readonly shards = new Map<string, ShardState>();
  private readonly filter: RecordFilter | undefined;
  /** The table's key attributes (partition key, and sort key when there is one): what names an item. */
  private readonly itemKey: readonly string[] | undefined;

  /** @param now where a new shard's lanes start their time cursors. */
  constructor(
    private readonly config: ConsumerConfig,
    private readonly options: EngineOptions,
    private readonly now: () => number,
    private readonly metrics: EmulatorMetrics,
  ) {
    this.filter = compileFilters(config.filters);
    const table = options.table;
    this.itemKey = table && [table.partitionKey.name, ...(table.sortKey ? [table.sortKey.name] : [])];
    if (config.parallelizationFactor > 1 && this.itemKey === undefined) {
      throw new InvalidEmulatorOptionError(
        `options.table is required when parallelizationFactor is ${config.parallelizationFactor} (allowed without it: 1): pass the TableConfig so records can be assigned to lanes by item key`,
      );
    }
  }

  /** The shard, opened at its first call; a new child starts at its parent's end, and only after it. */
  public openShard(shardId: string, parentShardId: string | undefined): ShardState {
    const existing = this.shards.get(shardId);
    if (existing) {
      if (existing.ended) throw new ShardLineageError(`shardId ${JSON.stringify(shardId)} was already ended: feed each shard once up to { end: true }`);
      return existing;
    }
    let startMs = this.now();
    if (parentShardId !== undefined) {
      const parent = this.shards.get(parentShardId);
      if (parent && !parent.ended) {
        throw new ShardLineageError(
          `shard ${JSON.stringify(shardId)} was fed before its parent ${JSON.stringify(parentShardId)} ended: Lambda reads a parent shard to its end before its children; call processShard(parent, records, { end: true }) first`,
        );
      }
      if (parent) startMs = Math.max(startMs, ...parent.lanes.map((l) => l.timeMs));
    }
    const resume = this.config.tumblingWindowSeconds > 0 ? this.options.resume?.[shardId] : undefined;
    const shard = newShard(shardId, this.config.parallelizationFactor, startMs, resume);
    this.shards.set(shardId, shard);
    return shard;
  }

  /**
   * Hands records to their lanes, in shard order.
   * @param nowMs when the poller handed them over: a record's batching window counts from the later of this and
   * its arrival.
   */
  public ingest(shard: ShardState, records: readonly DynamoDBStreamRecord[], nowMs: number): void {
    for (const record of records) this.ingestOne(shard, record, nowMs);
  }

  private ingestOne(shard: ShardState, record: DynamoDBStreamRecord, nowMs: number): void {
    const data = record?.dynamodb;
    const seq = data?.SequenceNumber;
    if (typeof seq !== 'string' || typeof data.ApproximateCreationDateTime !== 'number') {
      throw new InvalidRecordError(
        `record ${shard.nextIndex} of shard ${JSON.stringify(shard.id)} lacks dynamodb.SequenceNumber (string) or dynamodb.ApproximateCreationDateTime (epoch seconds): build records with the fixtures or convert GetRecords output to the Lambda event shape first`,
      );
    }
    if (shard.streamArn === '') shard.streamArn = record.eventSourceARN ?? '';
    const arrivalMs = data.ApproximateCreationDateTime * 1000;
    const prevSeq = shard.lastSeq;
    const index = shard.nextIndex++;
    shard.lastSeq = seq;
    if (this.config.startingPosition === 'LATEST' && this.options.mappingCreatedAtMs !== undefined && arrivalMs < this.options.mappingCreatedAtMs) {
      return;
    }
    const lane = shard.lanes.length === 1 ? shard.lanes[0] : shard.lanes[itemLane(record, this.itemKey!, shard.lanes.length)];
    // Read again after a restart, but already in the lane's saved window state (or in a window closed since):
    // handing it over would count it twice. Not polled again either, so the runs add up to one run's figures.
    if (doneBeforeStop(shard.restoredThrough[lane.id], seq)) return;
    this.metrics.polledEvents++;
    if (this.filter && !this.filter(record)) {
      this.metrics.filteredOutEvents++;
      return;
    }
    const readyMs = Math.max(arrivalMs, nowMs);
    lane.enqueue({ record, index, prevSeq, arrivalMs, readyMs, boundBytes: recordByteBound(record) });
  }
}
