/**
 * A shard as the mapping reads it: its lanes, its position in the stream and its checkpoint. Both schedulers drive
 * the same state; what only one of them needs (the system clock's lane workers and their wake-ups) stays with it.
 */
import { Lane } from './lane';
import type { LaneResume, ShardResume } from './types';
import { checkResume, restoreLane } from './window-resume';

export interface ShardState {
  readonly id: string;
  readonly lanes: readonly Lane[];
  nextIndex: number;
  lastSeq: string | undefined;
  checkpoint: string | undefined;
  streamArn: string;
  ended: boolean;
  /** Tumbling windows: each lane's `doneThrough` from the previous run (see window-resume.ts). */
  readonly restoredThrough: readonly (string | undefined)[];
  /** Tumbling windows: each lane as it stood after its last step, when its state and its records agree. */
  readonly laneResumes: LaneResume[];
  windowsChanged: boolean;
}

/** A shard's lanes all start at `startMs`; a saved `resume` puts its open windows back on them. */
export function newShard(id: string, laneCount: number, startMs: number, resume: ShardResume | undefined): ShardState {
  const lanes: Lane[] = [];
  for (let i = 0; i < laneCount; i++) lanes.push(new Lane(i, startMs));
  if (resume) {
    checkResume(id, resume, lanes.length);
    resume.lanes.forEach((saved, i) => restoreLane(lanes[i], saved));
  }
  return {
    id,
    lanes,
    nextIndex: 0,
    lastSeq: undefined,
    checkpoint: undefined,
    streamArn: '',
    ended: false,
    restoredThrough: lanes.map((_, i) => resume?.lanes[i].doneThrough),
    laneResumes: lanes.map((_, i) => resume?.lanes[i] ?? {}),
    windowsChanged: false,
  };
}
