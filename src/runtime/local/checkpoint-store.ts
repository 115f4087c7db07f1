/**
 * Where each shard's reading stopped, per consumer: `<stateDir>/checkpoints/<consumer>.json`.
 *
 * The file is rewritten durably after every batch the engine finishes, so a restart (even after kill -9) resumes
 * after the last record that was done. What ran after that point runs again: at-least-once, as in AWS.
 *
 * To count those duplicates, the runner also notes, before each invocation, the last sequence number it is about
 * to hand to the handler (`<consumer>.inflight.json`, a plain write: a killed process cannot lose it, only a power
 * cut can, which then undercounts). On restart, records at or below that mark and above the checkpoint are
 * redeliveries.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { writeFileDurably } from './durable-file';
import { StateFileError } from './errors';

export interface ShardCheckpoint {
  readonly parentShardId?: string;
  /** Last SequenceNumber done (it and everything before it in the shard). */
  sequenceNumber?: string;
  /** The shard is closed and was read to its end; its children may start. */
  ended: boolean;
}

export interface CheckpointState {
  readonly version: 1;
  readonly consumer: string;
  readonly tableName: string;
  readonly streamArn: string;
  readonly shards: Record<string, ShardCheckpoint>;
  /** Totals across runs, for the report. */
  readonly totals: { redelivered: number; failedBatches: number };
}

export class CheckpointStore {
  public readonly path: string;
  public readonly inflightPath: string;
  private state: CheckpointState | undefined;

  constructor(stateDir: string, consumer: string) {
    this.path = join(stateDir, 'checkpoints', `${consumer}.json`);
    this.inflightPath = join(stateDir, 'checkpoints', `${consumer}.inflight.json`);
  }

  /**
   * Loads the state for this stream. A file written for another stream (the table was recreated) is replaced:
   * its sequence numbers mean nothing on the new stream.
   */
  public load(consumer: string, tableName: string, streamArn: string): { state: CheckpointState; resumed: boolean; replacedStream?: string } {
    mkdirSync(dirname(this.path), { recursive: true });
    const fresh: CheckpointState = { version: 1, consumer, tableName, streamArn, shards: {}, totals: { redelivered: 0, failedBatches: 0 } };
    if (!existsSync(this.path)) {
      this.state = fresh;
      return { state: fresh, resumed: false };
    }
    let parsed: CheckpointState;
    try {
      parsed = JSON.parse(readFileSync(this.path, 'utf8')) as CheckpointState;
    } catch (error) {
      throw new StateFileError(`checkpoint file ${this.path} is not valid JSON (${(error as Error).message}): delete it to start from the consumer's startingPosition`);
    }
    if (parsed.streamArn !== streamArn) {
      this.state = fresh;
      return { state: fresh, resumed: false, replacedStream: parsed.streamArn };
    }
    this.state = parsed;
    return { state: parsed, resumed: true };
  }

  public get current(): CheckpointState {
    if (!this.state) throw new StateFileError('checkpoint store used before load()');
    return this.state;
  }

  public shard(shardId: string, parentShardId?: string): ShardCheckpoint {
    const shards = this.current.shards;
    shards[shardId] ??= { ...(parentShardId ? { parentShardId } : {}), ended: false };
    return shards[shardId];
  }

  public save(): void {
    writeFileDurably(this.path, `${JSON.stringify(this.current, null, 2)}\n`);
  }

  /** Last sequence number per shard handed to the handler but maybe not checkpointed (see file header). */
  public readInflight(): Record<string, string> {
    if (!existsSync(this.inflightPath)) return {};
    try {
      return JSON.parse(readFileSync(this.inflightPath, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  public writeInflight(marks: Record<string, string>): void {
    writeFileSync(this.inflightPath, JSON.stringify(marks));
  }
}
