/**
 * The tumbling windows a stop leaves open, as the checkpoint file keeps them (emulator/window-resume.ts): what the
 * engine resumes, and the notices that tell the user a window carries on instead of ending with the run.
 */
import type { CheckpointState } from './checkpoint-store';
import { isoSeconds } from '../../emulator/clock';
import type { ShardResume } from '../../emulator/types';

/** The saved windows per shard, for the engine's `resume`. */
export function savedWindows(state: CheckpointState): Record<string, ShardResume> {
  const out: Record<string, ShardResume> = {};
  for (const [shardId, shard] of Object.entries(state.shards)) if (shard.windows) out[shardId] = shard.windows;
  return out;
}

/** "1 tumbling window open (2026-12-04T18:01:00Z..2026-12-04T18:02:00Z, state {"orders":3})", or undefined for none. */
export function describeOpenWindows(state: CheckpointState): string | undefined {
  const open: string[] = [];
  for (const shard of Object.values(state.shards)) {
    for (const lane of shard.windows?.lanes ?? []) {
      if (lane.window) open.push(`${isoSeconds(lane.window.startMs)}..${isoSeconds(lane.window.endMs)}, state ${abbreviate(JSON.stringify(lane.window.state) ?? 'null')}`);
    }
  }
  if (open.length === 0) return undefined;
  return `${open.length} tumbling window${open.length === 1 ? '' : 's'} open (${open.join('; ')})`;
}

function abbreviate(json: string): string {
  return json.length <= 80 ? json : `${json.slice(0, 77)}...`;
}
