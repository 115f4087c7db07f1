/**
 * A consumer's starting position, fixed once, at its first start on a stream, and kept in its checkpoint file.
 *
 * AWS takes `StartingPosition` when the event source mapping is created: LATEST is "just after the most recent stream
 * record in the shard" at that moment, and from then on the mapping keeps its own position. A mapping is created once,
 * but the local runner starts many times, so the LATEST position must be remembered: a LATEST iterator taken again at
 * every start would skip what arrived while the runner was stopped, and a shard with nothing done yet resumed from
 * TRIM_HORIZON would deliver what was written before the consumer first started.
 *
 * So at the first start (no `start` in the checkpoint state), for LATEST, each open shard is read from TRIM_HORIZON to
 * its current end, and the last sequence number seen is recorded as the shard's LATEST position (`latest.after`, and
 * as its checkpoint), or "the shard had no record yet" (`latest.after: null`: everything in it comes later, so it is
 * read from its start). A closed shard is marked ended: it holds nothing written after the start. The positions and
 * the `start` mark go to disk in one durable write before any record is read: a run killed before that write is a
 * first start again, one killed after it resumes from the positions. Shards that open later (children of a split)
 * start from their beginning, as AWS does with them.
 *
 * Why read the shard instead of a LATEST iterator: an iterator is opaque and dies with the process; the sequence number
 * it stands for is not given by any API. The end of the shard is the first empty page, which on DynamoDB Local means
 * no record after the iterator (AWS may answer empty pages mid-shard; this runs on DynamoDB Local). A record written
 * during that read counts as before the start if the read reaches it, after otherwise: both are consistent.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html
 */
// eslint-disable-next-line import/no-extraneous-dependencies -- generated repositories install the AWS SDK clients (the project type adds them)
import type { DynamoDBStreamsClient, Shard } from '@aws-sdk/client-dynamodb-streams';
import { ShardReader, type TrimmedGap } from './shard-reader';
import type { StartingPositionName } from '../../config';
import type { CheckpointStore } from '../state/checkpoint-store';

export interface FixStartOptions {
  readonly streams: DynamoDBStreamsClient;
  readonly streamArn: string;
  readonly store: CheckpointStore;
  readonly startingPosition: StartingPositionName;
  /** The shards DescribeStream lists now. */
  readonly shards: readonly Shard[];
  /** Told of each closed shard skipped (LATEST: nothing in it is newer than the start). */
  readonly onSkipped?: (shardId: string) => void;
  readonly onTrimmed?: (gap: TrimmedGap) => void;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * Records the consumer's start in the checkpoint state and writes it durably, once: does nothing when the state
 * already has a start. A state of an earlier version (shards but no start) only gets the mark: its shards keep the
 * positions they have.
 */
export async function fixStartingPositions(options: FixStartOptions): Promise<void> {
  const { store } = options;
  const state = store.current;
  if (state.start) return;
  const fresh = Object.keys(state.shards).length === 0;
  if (fresh && options.startingPosition === 'LATEST') {
    for (const shard of options.shards) {
      const id = shard.ShardId!;
      const entry = store.shard(id, shard.ParentShardId);
      if (shard.SequenceNumberRange?.EndingSequenceNumber) {
        entry.ended = true;
        options.onSkipped?.(id);
        continue;
      }
      const after = await lastSequenceNumber(options, id);
      entry.latest = { after: after ?? null };
      if (after !== undefined) entry.sequenceNumber = after;
    }
  }
  state.start = { at: (options.now?.() ?? new Date()).toISOString(), startingPosition: options.startingPosition };
  store.save();
  await store.flush();
}

/** The shard's last sequence number now, or undefined when it has no record. */
async function lastSequenceNumber(options: FixStartOptions, shardId: string): Promise<string | undefined> {
  const reader = new ShardReader({
    streams: options.streams,
    streamArn: options.streamArn,
    shardId,
    position: { type: 'TRIM_HORIZON' },
    ...(options.onTrimmed ? { onTrimmed: options.onTrimmed } : {}),
  });
  for (;;) {
    const page = await reader.next();
    if (page.records.length === 0 || page.ended) return reader.position;
  }
}
