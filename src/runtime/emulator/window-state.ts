/**
 * The tumbling window's state as Lambda reads it from a response (services-ddb-windows):
 * - "If the response does not contain a `state` property, Lambda considers this a failed invocation."
 * - "Your state can be a maximum of 1 MB per shard. If it exceeds that size, Lambda terminates the window early."
 *   Over 1 MB is not a failure: the invocation's records are done, then the window gets its final invocation
 *   (`isWindowTerminatedEarly: true`) and the records after it continue the same window with a fresh state.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-windows.html
 */
import type { WindowState } from './lane';

export type WindowStateReading =
  | { readonly kind: 'missing' }
  | { readonly kind: 'state'; readonly state: Record<string, unknown>; readonly bytes: number };

/**
 * The `state` of a response and its size: the UTF-8 bytes of its JSON, which the engine compares with 1 MB
 * (1,048,576 bytes; our reading, AWS does not say how it measures). A state of null counts as present and carries
 * on as `{}` (our choice). What carries on is the state as its JSON reads back, as Lambda's response is JSON: a
 * `Date` comes back as its ISO string, so the next invocation gets the same state whether or not the local runner
 * saved it across a stop in between (window-resume.ts).
 */
export function readWindowState(response: unknown): WindowStateReading {
  const state = response !== null && typeof response === 'object' ? (response as { state?: unknown }).state : undefined;
  if (state === undefined) return { kind: 'missing' };
  const json = JSON.stringify(state) ?? 'null';
  const parsed: unknown = JSON.parse(json);
  const carried = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  return { kind: 'state', state: carried, bytes: Buffer.byteLength(json, 'utf8') };
}

// Windows whose state went over the limit and must terminate early before anything else runs in their lane.
const overLimit = new WeakSet<WindowState>();

export function markOverLimit(window: WindowState): void {
  overLimit.add(window);
}

export function isOverLimit(window: WindowState | undefined): boolean {
  return window !== undefined && overLimit.has(window);
}

/** After the early final invocation: the same window goes on with a fresh state. */
export function restartWindow(window: WindowState): void {
  overLimit.delete(window);
  window.state = {};
}
