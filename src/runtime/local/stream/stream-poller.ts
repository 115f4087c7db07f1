/**
 * Polls every shard of a stream the way Lambda's event source mapping does: one reader per shard, a child shard
 * only after its parent was read to its end and its last batch was done (lineage), each page fed in order to the
 * engine, and an idle shard polled about four times a second.
 *
 * Shard discovery is DescribeStream, repeated so that shards opened while running are picked up. A parent that is
 * no longer listed was trimmed away (24 h) and no longer holds its children back. The first discovery of a consumer's
 * first start also fixes its starting position for good (./starting-position.ts); after that every shard resumes
 * after its checkpoint, or starts at its beginning.
 */
import { setImmediate } from 'timers/promises';
// eslint-disable-next-line import/no-extraneous-dependencies -- generated repositories install the AWS SDK clients (the project type adds them)
import { DescribeStreamCommand, type DynamoDBStreamsClient, type Shard } from '@aws-sdk/client-dynamodb-streams';
import { type ShardPage, type ShardPosition, ShardReader, type TrimmedGap } from './shard-reader';
import { fixStartingPositions } from './starting-position';
import type { StartingPositionName } from '../../config';
import type { ProcessShardOptions } from '../../emulator/types';
import { toLambdaRecord } from '../../records/convert';
import type { DynamoDBStreamRecord } from '../../records/types';
import type { CheckpointStore } from '../state/checkpoint-store';

/** What the poller needs from the engine: `EventSourceMappingEngine` fits. */
export interface RecordSink {
  processShard(shardId: string, records: readonly DynamoDBStreamRecord[], options?: ProcessShardOptions): Promise<void>;
  /** Starts no more invocations and resolves once those in flight are done (the engine's live-mode stop). */
  stop?(): Promise<void>;
}

export type PollerNotice =
  | {
    readonly kind: 'shard-started';
    readonly shardId: string;
    readonly position: ShardPosition;
    /** The position is LATEST as fixed at the consumer's first start (`at`), nothing done since. */
    readonly latest?: { readonly at: string; readonly after: string | null };
  }
  | { readonly kind: 'shard-ended'; readonly shardId: string }
  | { readonly kind: 'shard-skipped'; readonly shardId: string; readonly reason: string }
  | ({ readonly kind: 'trimmed' } & TrimmedGap);

export interface StreamPollerOptions {
  readonly streams: DynamoDBStreamsClient;
  readonly streamArn: string;
  readonly store: CheckpointStore;
  readonly sink: RecordSink;
  /** Applied at the consumer's first start on the stream only, then kept in the checkpoint state. */
  readonly startingPosition: StartingPositionName;
  /** Records fed to the engine per call, so a stop request is honoured between batches. */
  readonly sliceSize: number;
  /** @default 250 (Lambda polls each shard about 4 times per second) */
  readonly idlePollMs?: number;
  /** @default 5000 */
  readonly discoverEveryMs?: number;
  readonly onNotice?: (notice: PollerNotice) => void;
  /** Records read from the stream (before filtering). */
  readonly onRead?: (count: number) => void;
}

export class StreamPoller {
  private stopping = false;
  private readonly running = new Map<string, Promise<void>>();
  private readonly readers = new Map<string, ShardReader>();
  private listed = new Set<string>();
  private failure: unknown;
  private sinkStopped: Promise<void> | undefined;
  /** The first DescribeStream answered and the shards it listed have readers. */
  private discovered = false;
  private wake: (() => void) | undefined;
  private lastRecordAt = Date.now();
  private markReady!: () => void;
  /** Resolves once the first shards have their iterators (so items written from now on are seen, even with LATEST). */
  public readonly ready = new Promise<void>((resolve) => {
    this.markReady = resolve;
  });

  constructor(private readonly options: StreamPollerOptions) {}

  /** Runs until {@link stop}; rejects if a shard reader fails for a reason other than those it handles. */
  public async run(): Promise<void> {
    while (!this.stopping) {
      await this.discover();
      this.discovered = true;
      this.markReady();
      if (this.failure) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.discoverEveryMs ?? 5000);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
    this.stopping = true;
    await Promise.all([...this.running.values(), this.sinkStopped]);
    if (this.failure) throw this.failure;
  }

  /**
   * Stops reading; the invocations in flight finish and their checkpoints are written before `run` resolves. A
   * batch waiting out a retry backoff is not retried again: it stays after the checkpoint and is read next time.
   */
  public stop(): void {
    this.stopping = true;
    this.sinkStopped ??= this.options.sink.stop?.();
    this.wake?.();
  }

  /** Milliseconds since a record was last read. */
  public get idleMs(): number {
    return Date.now() - this.lastRecordAt;
  }

  /**
   * True when every record read has been done (the checkpoint caught up with the reading position). Before the first
   * discovery, or while a shard's first GetRecords has not answered, it is not: on a slow start an idle stop would
   * otherwise come before the first page is read.
   */
  public get caughtUp(): boolean {
    if (!this.discovered) return false;
    for (const [shardId, reader] of this.readers) {
      if (!reader.hasRead) return false;
      const checkpoint = this.options.store.current.shards[shardId]?.sequenceNumber;
      if (reader.position !== undefined && reader.position !== checkpoint) return false;
    }
    return true;
  }

  private async discover(): Promise<void> {
    const shards = await this.describe();
    this.listed = new Set(shards.map((s) => s.ShardId!));
    const store = this.options.store;
    await fixStartingPositions({
      streams: this.options.streams,
      streamArn: this.options.streamArn,
      store,
      startingPosition: this.options.startingPosition,
      shards,
      onSkipped: (shardId) => this.options.onNotice?.({ kind: 'shard-skipped', shardId, reason: 'closed before the consumer first started (startingPosition LATEST)' }),
      onTrimmed: (gap) => this.options.onNotice?.({ kind: 'trimmed', ...gap }),
    });
    const primed: Promise<void>[] = [];
    for (const shard of shards) {
      const id = shard.ShardId!;
      const saved = store.current.shards[id];
      if (saved?.ended || this.running.has(id)) continue;
      const parent = shard.ParentShardId;
      // Lineage: wait for a listed parent that is not done. An unlisted parent was trimmed: nothing to wait for.
      if (parent && this.listed.has(parent) && !store.current.shards[parent]?.ended) continue;
      const checkpoint = saved?.sequenceNumber;
      const position: ShardPosition = checkpoint !== undefined ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: checkpoint } : { type: 'TRIM_HORIZON' };
      store.shard(id, parent);
      let primedShard!: () => void;
      primed.push(new Promise<void>((resolve) => (primedShard = resolve)));
      const task = this.readShard(id, parent, position, primedShard)
        .catch((error: unknown) => {
          this.failure ??= error;
          this.stop();
        })
        .finally(() => {
          primedShard();
          this.running.delete(id);
        });
      this.running.set(id, task);
    }
    await Promise.all(primed);
  }

  /** The shard's LATEST position as fixed at the first start, while nothing has been done after it. */
  private latestNotice(shardId: string): { at: string; after: string | null } | undefined {
    const { start, shards } = this.options.store.current;
    const latest = shards[shardId]?.latest;
    if (!start || !latest || (shards[shardId].sequenceNumber ?? null) !== latest.after) return undefined;
    return { at: start.at, after: latest.after };
  }

  private async readShard(shardId: string, parentShardId: string | undefined, position: ShardPosition, primed: () => void): Promise<void> {
    const { sink, store, streamArn } = this.options;
    const reader = new ShardReader({
      streams: this.options.streams,
      streamArn,
      shardId,
      position,
      onTrimmed: (gap) => this.options.onNotice?.({ kind: 'trimmed', ...gap }),
      shardStillListed: async () => (await this.describe()).some((s) => s.ShardId === shardId),
    });
    this.readers.set(shardId, reader);
    await reader.prime();
    primed();
    const latest = this.latestNotice(shardId);
    this.options.onNotice?.({ kind: 'shard-started', shardId, position, ...(latest ? { latest } : {}) });
    const feed = parentShardId ? { parentShardId } : {};
    let nextPage: Promise<ShardPage> | undefined;
    while (!this.stopping) {
      const page = await (nextPage ?? reader.next());
      nextPage = undefined;
      // Fetch the next page while the engine works on this one: reading and handling overlap, as in Lambda's
      // poller. A prefetched page that is never processed is simply read again after the checkpoint next time.
      if (page.records.length > 0 && !page.ended) {
        nextPage = reader.next();
        nextPage.catch(() => undefined);
        // Node writes the request to its socket from a later tick, and handling the page is one long promise chain
        // that would hold that tick back to its end: let the request go out first, or the two do not overlap.
        await setImmediate();
      }
      if (page.records.length > 0) {
        this.lastRecordAt = Date.now();
        this.options.onRead?.(page.records.length);
        const records = page.records.map((r) => toLambdaRecord(r, { streamArn, readAtMs: page.readAtMs }));
        for (let i = 0; i < records.length; i += this.options.sliceSize) {
          await sink.processShard(shardId, records.slice(i, i + this.options.sliceSize), feed);
          if (this.stopping && i + this.options.sliceSize < records.length) return;
        }
      }
      if (page.ended) {
        await sink.processShard(shardId, [], { ...feed, end: true, closed: true });
        // A stop during the flush leaves the shard's last batches undone: it is not ended yet.
        if (this.stopping) return;
        store.shard(shardId, parentShardId).ended = true;
        store.save();
        this.readers.delete(shardId);
        this.options.onNotice?.({ kind: 'shard-ended', shardId });
        // Its children may start now rather than at the next discovery.
        this.wake?.();
        return;
      }
      if (page.records.length === 0) {
        // Surfaces a failure of the engine's lane workers; batching windows are timed by the engine itself.
        await sink.processShard(shardId, [], feed);
        await new Promise((r) => setTimeout(r, this.options.idlePollMs ?? 250));
      }
    }
  }

  private async describe(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const out = await this.options.streams.send(
        new DescribeStreamCommand({
          StreamArn: this.options.streamArn,
          ...(exclusiveStartShardId ? { ExclusiveStartShardId: exclusiveStartShardId } : {}),
        }),
      );
      shards.push(...(out.StreamDescription?.Shards ?? []));
      exclusiveStartShardId = out.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return shards;
  }
}
