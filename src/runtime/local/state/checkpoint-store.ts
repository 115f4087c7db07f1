/**
 * Where each shard's reading stopped, per consumer: `<stateDir>/checkpoints/<consumer>.json`.
 *
 * The file is written durably (temp file + fsync + rename + folder fsync), so a restart (even after kill -9) resumes
 * after the last record it names. What ran after that point runs again: at-least-once, as in AWS.
 *
 * Writes are coalesced (see {@link CheckpointStore.save}): the engine moves the in-memory checkpoint after every batch,
 * and the file follows at most `intervalMs` later, written off the event loop. Profiling showed the synchronous
 * write + two fsyncs after every batch took about 45 % of the runner's read path. A file that lags behind only means
 * more duplicates after a crash, never a lost record, because every write is a snapshot of the in-memory state, which
 * only ever names records the handler completed (and failure records are appended durably before that). A clean
 * stop calls {@link CheckpointStore.close}, which writes the latest state.
 *
 * To count those duplicates, the runner also notes, before each invocation, the last sequence number it is about
 * to hand to the handler (`<consumer>.inflight.json`, a plain write: a killed process cannot lose it, only a power
 * cut can, which then undercounts). On restart, records at or below that mark and above the checkpoint are
 * redeliveries.
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'fs';
import { dirname, join } from 'path';
import { writeFileDurablyAsync } from './durable-file';
import type { StartingPositionName } from '../../config';
import type { ShardResume } from '../../emulator/types';
import { StateFileError } from '../../errors';

export interface ShardCheckpoint {
  readonly parentShardId?: string;
  /** Last SequenceNumber done (it and everything before it in the shard). */
  sequenceNumber?: string;
  /** The shard is closed and was read to its end; its children may start. */
  ended: boolean;
  /**
   * Tumbling windows: the open windows and, per lane, the records they already hold, written in the same file as
   * `sequenceNumber` so a restart never pairs a checkpoint with older windows (see emulator/window-resume.ts).
   */
  windows?: ShardResume;
  /**
   * `startingPosition: LATEST`, for a shard open at the consumer's first start: where LATEST was taken then. `after`
   * is the shard's last sequence number at that moment (also the first `sequenceNumber`, so reading resumes after it),
   * or null when the shard had no record yet (everything in it came later, so it is read from its start). Kept so that
   * no later run, clean stop or kill -9, delivers what was written before the first start (see
   * ../stream/starting-position.ts).
   */
  latest?: { readonly after: string | null };
}

/** The consumer's first start on this stream, written durably before anything is read (see ../stream/starting-position.ts). */
export interface ConsumerStart {
  /** ISO time. */
  readonly at: string;
  readonly startingPosition: StartingPositionName;
}

export interface CheckpointState {
  readonly version: 1;
  readonly consumer: string;
  readonly tableName: string;
  readonly streamArn: string;
  readonly shards: Record<string, ShardCheckpoint>;
  /** Absent until the first start's positions are on disk (and in files of earlier versions). */
  start?: ConsumerStart;
  /** Totals across runs, for the report. */
  readonly totals: { redelivered: number; failedBatches: number };
}

export interface CheckpointStoreOptions {
  /** Least time between two checkpoint file writes (more duplicates after a crash, never a loss). @default 200 */
  readonly intervalMs?: number;
}

export class CheckpointStore {
  public readonly path: string;
  public readonly inflightPath: string;
  private state: CheckpointState | undefined;
  private readonly intervalMs: number;
  private dirty = false;
  private writing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastWriteAt = 0;
  private flushing = false;
  private writeError: unknown;
  private inflightFd: number | undefined;
  private inflightBytes = 0;

  constructor(stateDir: string, consumer: string, options: CheckpointStoreOptions = {}) {
    this.intervalMs = options.intervalMs ?? 200;
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

  /**
   * Asks for the current state to be written durably, soon and in the background: at most one write in flight (they
   * share a temp file, and a later write must not be overtaken by an earlier one), at most one started every
   * `intervalMs`, and each one takes its snapshot when it starts, so it holds every change made before it. Throws
   * the error of an earlier write that failed (disk full, ...), so the runner stops instead of silently not
   * checkpointing.
   */
  public save(): void {
    if (this.writeError) throw this.writeError;
    this.dirty = true;
    this.schedule();
  }

  /** Writes what {@link save} has pending, now, and resolves once it is on disk. */
  public async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.writing || this.timer || (this.dirty && !this.writeError)) {
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        this.schedule();
        await this.writing;
      }
    } finally {
      this.flushing = false;
    }
    if (this.writeError) throw this.writeError;
  }

  /**
   * {@link flush}, then closes the in-flight marks file; after a clean stop (every batch handed to the handler has
   * finished) it is deleted, since no record can be redelivered for want of a checkpoint.
   */
  public async close(options: { readonly clean?: boolean } = {}): Promise<void> {
    try {
      await this.flush();
    } finally {
      if (this.inflightFd !== undefined) closeSync(this.inflightFd);
      this.inflightFd = undefined;
    }
    if (options.clean) rmSync(this.inflightPath, { force: true });
  }

  private schedule(): void {
    if (this.writing || this.timer || !this.dirty || this.writeError) return;
    const wait = this.flushing ? 0 : this.lastWriteAt + this.intervalMs - Date.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, wait);
      return;
    }
    this.dirty = false;
    this.lastWriteAt = Date.now();
    const content = serialize(this.current);
    this.writing = writeFileDurablyAsync(this.path, content)
      .catch((error: unknown) => {
        this.writeError ??= error;
      })
      .finally(() => {
        this.writing = undefined;
        this.schedule();
      });
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

  /**
   * One write(2) at offset 0 of a file kept open (open + truncate + close on every invocation cost about 1 ms here),
   * never truncated: a shorter text is padded with spaces, which JSON.parse ignores. A killed process cannot leave
   * the file empty or half-written (a write of less than a page is not torn by a signal).
   */
  public writeInflight(marks: Record<string, string>): void {
    if (this.inflightFd === undefined) {
      mkdirSync(dirname(this.inflightPath), { recursive: true });
      this.inflightFd = openSync(this.inflightPath, existsSync(this.inflightPath) ? 'r+' : 'w');
      this.inflightBytes = fstatSync(this.inflightFd).size;
    }
    let text = Buffer.from(JSON.stringify(marks), 'utf8');
    if (text.length < this.inflightBytes) text = Buffer.concat([text, Buffer.alloc(this.inflightBytes - text.length, ' ')]);
    writeSync(this.inflightFd, text, 0, text.length, 0);
    this.inflightBytes = text.length;
  }
}

function serialize(state: CheckpointState): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}
