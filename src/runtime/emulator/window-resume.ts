/**
 * Open tumbling windows across a stop of the mapping (the local runner's Ctrl-C, idle stop or kill -9).
 *
 * On AWS the window's state lives in the service, not in a function instance: "Each invocation receives a state",
 * until "the window completes and your final invocation completes, and then the state is dropped"
 * (services-ddb-windows). The local runner stands in for the service, so its own restarts must not lose a window. A restart reads the
 * stream again from the checkpoint, so the saved state and the records it already holds must travel together:
 * each lane saves its window and `doneThrough`, the SequenceNumber up to which every record of that lane is done
 * (folded into the saved state, into a window already closed, or discarded). On resume, a record of the lane at or
 * below it is not handed over again, so no record is folded twice and none is missed, whatever the checkpoint
 * file's lag behind the lane. Lanes are per hash of the item key (partition and sort key), so the saved lanes only fit the same
 * parallelization factor.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-windows.html
 */
import { InvalidEmulatorOptionError } from '../errors';
import type { Lane } from './lane';
import type { LaneResume, ShardResume } from './types';
import { isOverLimit, markOverLimit } from './window-state';
import { compareSequenceNumbers } from '../records/types';

/** The later of two sequence numbers, undefined meaning "none yet". */
function later(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareSequenceNumbers(a, b) >= 0 ? a : b;
}

/**
 * The lane as a restart needs it. Taken between two steps of the lane, when its state and the records it holds
 * agree (during a step a partial success may have updated the state while its batch still counts as unfinished).
 * @param lastSeq the shard's last record handed to the engine: the lane is done through it when it holds nothing.
 * @param restoredThrough the lane's `doneThrough` from the previous run, still true for records not read again.
 */
export function laneResume(lane: Lane, lastSeq: string | undefined, restoredThrough: string | undefined): LaneResume {
  const unfinished = lane.earliestUnfinished();
  const doneThrough = later(restoredThrough, unfinished ? unfinished.prevSeq : lastSeq);
  return {
    ...(doneThrough === undefined ? {} : { doneThrough }),
    ...(lane.window
      ? {
        window: {
          startMs: lane.window.startMs,
          endMs: lane.window.endMs,
          state: lane.window.state,
          ...(isOverLimit(lane.window) ? { overLimit: true } : {}),
        },
      }
      : {}),
  };
}

/**
 * Puts a saved window back on its lane. A window whose state had gone over 1 MB gets its early final invocation
 * first, as it would have without the stop.
 */
export function restoreLane(lane: Lane, saved: LaneResume): void {
  if (!saved.window) return;
  const { startMs, endMs, state, overLimit } = saved.window;
  lane.window = { startMs, endMs, state: state !== null && typeof state === 'object' ? state : {} };
  if (overLimit) {
    markOverLimit(lane.window);
    lane.current = { entries: [], retries: 0, invokeCount: 0, finalWindow: { terminatedEarly: true } };
  }
}

/** Checks that the saved lanes fit this mapping; the lanes are assigned by a hash of the item key modulo the factor. */
export function checkResume(shardId: string, resume: ShardResume, parallelizationFactor: number): void {
  if (resume.lanes.length === parallelizationFactor) return;
  throw new InvalidEmulatorOptionError(
    `the saved tumbling windows of shard ${JSON.stringify(shardId)} were kept by ${resume.lanes.length} lanes, but parallelizationFactor is ${parallelizationFactor} (allowed: ${resume.lanes.length}, records go to lanes by a hash of the item key modulo the factor): set parallelizationFactor back to ${resume.lanes.length} until the open windows have closed, or delete the checkpoint file to start the stream over`,
  );
}

/** True when the record was done in the lane before the stop, so handing it over again would fold it twice. */
export function doneBeforeStop(restoredThrough: string | undefined, sequenceNumber: string): boolean {
  return restoredThrough !== undefined && compareSequenceNumbers(sequenceNumber, restoredThrough) <= 0;
}
