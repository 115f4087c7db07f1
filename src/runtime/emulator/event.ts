/**
 * What the handler receives: the event (records, and with a tumbling window its bounds and state) and the context.
 * The event's size without its records also bounds how many records fit under the payload limit (batch.ts).
 */
import type { ConsumerConfig } from '../config';
import { EMPTY_EVENT_BYTES } from './batch';
import { isoSeconds } from './clock';
import { jsonByteLength } from './json-size';
import type { BatchState, Lane } from './lane';
import type { ShardState } from './shard';
import type { EmulatedContext, EmulatedEvent } from './types';
import type { DynamoDBStreamRecord } from '../records/types';

/**
 * The JSON size of the lane's next event without its records: `{"Records":[]}`, plus, with a tumbling window, the
 * window's fields and its state as it stands (up to 1 MB), which travel in the same payload.
 */
export function envelopeBytes(shard: ShardState, lane: Lane, tumblingMs: number): number {
  if (tumblingMs === 0) return EMPTY_EVENT_BYTES;
  // A window's bounds are ISO strings of one length, whichever window it is.
  const startMs = lane.window?.startMs ?? 0;
  return jsonByteLength({
    Records: [],
    window: { start: isoSeconds(startMs), end: isoSeconds(startMs + tumblingMs) },
    state: lane.window?.state ?? {},
    shardId: shard.id,
    eventSourceARN: shard.streamArn,
    isFinalInvokeForWindow: false,
    isWindowTerminatedEarly: false,
  });
}

export function buildEvent(
  shard: ShardState,
  lane: Lane,
  batch: BatchState,
  records: readonly DynamoDBStreamRecord[],
  tumblingMs: number,
): EmulatedEvent {
  if (tumblingMs === 0 || !lane.window) return { Records: records };
  return {
    Records: records,
    window: { start: isoSeconds(lane.window.startMs), end: isoSeconds(lane.window.endMs) },
    state: lane.window.state as Record<string, unknown>,
    shardId: shard.id,
    eventSourceARN: shard.streamArn,
    isFinalInvokeForWindow: batch.finalWindow !== undefined,
    isWindowTerminatedEarly: batch.finalWindow?.terminatedEarly === true,
  };
}

export interface ContextInput {
  readonly requestId: string;
  readonly nowMs: number;
  readonly shardId: string;
  readonly lane: number;
  readonly attempt: number;
}

export function buildContext(config: ConsumerConfig, functionArn: string, input: ContextInput): EmulatedContext {
  const timeoutMs = config.function.timeoutSeconds * 1000;
  const { requestId, nowMs, shardId, lane, attempt } = input;
  return {
    awsRequestId: requestId,
    functionName: config.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn,
    memoryLimitInMB: String(config.function.memorySize),
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => timeoutMs,
    emulator: { nowMs, shardId, lane, attempt },
  };
}
