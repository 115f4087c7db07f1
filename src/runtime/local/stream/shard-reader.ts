/**
 * Reads one shard page by page, keeping a valid iterator whatever happens to it.
 *
 * - Iterators expire 15 minutes after they are handed out. A long retry backoff in the handler can hold one that
 *   long, so an iterator older than {@link ITERATOR_MAX_AGE_MS} is replaced before use, and an
 *   ExpiredIteratorException is answered with a fresh one from the last sequence number read.
 * - TrimmedDataAccessException: the position fell out of the 24 h retention. Reading restarts at TRIM_HORIZON and
 *   the gap is reported (`onTrimmed`): those records are lost, as they would be in AWS.
 * - DynamoDB Local answers some iterators with ResourceNotFoundException "Invalid ShardId in ShardIterator"
 *   (LocalStack hit the same, localstack#12036): a fresh iterator from the position fixes it; if the shard is gone
 *   from DescribeStream, it is treated as ended.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html
 */
// eslint-disable-next-line import/no-extraneous-dependencies -- generated repositories install the AWS SDK clients (the project type adds them)
import {
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ResourceNotFoundException,
  type ShardIteratorType,
  TrimmedDataAccessException,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { RecordsUnavailableError } from '../../errors';

export const ITERATOR_MAX_AGE_MS = 14 * 60 * 1000;

/** Where to start: after a checkpoint, at a sequence number, or a starting position. */
export type ShardPosition =
  | { readonly type: 'AFTER_SEQUENCE_NUMBER' | 'AT_SEQUENCE_NUMBER'; readonly sequenceNumber: string }
  | { readonly type: 'TRIM_HORIZON' | 'LATEST' };

export interface ShardPage {
  readonly records: readonly _Record[];
  /** The shard is closed and this was its last page. */
  readonly ended: boolean;
  /** When GetRecords answered, on the wall clock DynamoDB Local stamps records with (absent for an empty end). */
  readonly readAtMs?: number;
}

export interface TrimmedGap {
  readonly shardId: string;
  /** Last sequence number read before the gap; undefined if none was read. */
  readonly after: string | undefined;
}

export interface ShardReaderOptions {
  readonly streams: DynamoDBStreamsClient;
  readonly streamArn: string;
  readonly shardId: string;
  readonly position: ShardPosition;
  /** @default 1000, the GetRecords maximum */
  readonly limit?: number;
  readonly onTrimmed?: (gap: TrimmedGap) => void;
  /** Asked when DynamoDB Local says the shard is invalid: is it still listed by DescribeStream? */
  readonly shardStillListed?: () => Promise<boolean>;
  /** Clock for iterator age; tests pass a fake one. @default Date.now */
  readonly now?: () => number;
}

const INVALID_SHARD = 'Invalid ShardId in ShardIterator';

export class ShardReader {
  private iterator: string | undefined;
  private iteratorAt = 0;
  private lastRead: string | undefined;
  private ended = false;
  private answered = false;
  private readonly now: () => number;

  constructor(private readonly options: ShardReaderOptions) {
    this.now = options.now ?? Date.now;
    if (options.position.type === 'AFTER_SEQUENCE_NUMBER') this.lastRead = options.position.sequenceNumber;
  }

  /** True once a GetRecords call has answered: before that, nothing is known about what lies after the position. */
  public get hasRead(): boolean {
    return this.answered;
  }

  /** The last sequence number returned by {@link next}, or the checkpoint it started after. */
  public get position(): string | undefined {
    return this.lastRead;
  }

  /** Gets the first iterator now, so that a LATEST position is pinned before anything is written. */
  public async prime(): Promise<void> {
    if (!this.iterator && !this.ended) await this.renew();
  }

  /** The next page; `ended` once the closed shard has been read to its end. */
  public async next(): Promise<ShardPage> {
    if (this.ended) return { records: [], ended: true };
    for (let attempt = 0; ; attempt++) {
      if (!this.iterator || this.now() - this.iteratorAt > ITERATOR_MAX_AGE_MS) await this.renew();
      if (this.ended) return { records: [], ended: true };
      try {
        const out = await this.options.streams.send(new GetRecordsCommand({ ShardIterator: this.iterator, Limit: this.options.limit ?? 1000 }));
        const records = out.Records ?? [];
        this.iterator = out.NextShardIterator;
        this.iteratorAt = this.now();
        this.answered = true;
        if (records.length > 0) this.lastRead = records[records.length - 1].dynamodb?.SequenceNumber ?? this.lastRead;
        if (!this.iterator) this.ended = true;
        return { records, ended: this.ended, readAtMs: Date.now() };
      } catch (error) {
        if (error instanceof ExpiredIteratorException) {
          this.iterator = undefined;
        } else if (error instanceof TrimmedDataAccessException) {
          this.options.onTrimmed?.({ shardId: this.options.shardId, after: this.lastRead });
          this.lastRead = undefined;
          await this.renew({ type: 'TRIM_HORIZON' });
        } else if (error instanceof ResourceNotFoundException && error.message.includes(INVALID_SHARD) && attempt < 5) {
          if (this.options.shardStillListed && !(await this.options.shardStillListed())) {
            this.ended = true;
            return { records: [], ended: true };
          }
          this.iterator = undefined;
          await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
        } else {
          throw error;
        }
      }
    }
  }

  private async renew(override?: ShardPosition): Promise<void> {
    const position: ShardPosition = override ?? (this.lastRead !== undefined ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: this.lastRead } : this.options.position);
    const type = position.type as ShardIteratorType;
    try {
      const out = await this.options.streams.send(
        new GetShardIteratorCommand({
          StreamArn: this.options.streamArn,
          ShardId: this.options.shardId,
          ShardIteratorType: type,
          ...('sequenceNumber' in position ? { SequenceNumber: position.sequenceNumber } : {}),
        }),
      );
      this.iterator = out.ShardIterator;
      this.iteratorAt = this.now();
      // A closed shard read to its end can hand out no iterator at all.
      if (!this.iterator) this.ended = true;
    } catch (error) {
      if (error instanceof TrimmedDataAccessException && override === undefined) {
        this.options.onTrimmed?.({ shardId: this.options.shardId, after: this.lastRead });
        this.lastRead = undefined;
        return this.renew({ type: 'TRIM_HORIZON' });
      }
      if (error instanceof ResourceNotFoundException) {
        throw new RecordsUnavailableError(
          `shard ${this.options.shardId} of stream ${this.options.streamArn} is not available (${error.message}): it is past the stream's 24 h retention, or the table was recreated`,
        );
      }
      throw error;
    }
  }
}
