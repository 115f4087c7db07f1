/**
 * Live mode (SystemClock, as the local runner drives the engine): a partial batch is released once its batching
 * window has elapsed, with or without further polls, and not before.
 *
 * AWS, "How Lambda processes records from stream and queue-based event sources" (invocation-eventsourcemapping),
 * Batching behavior: "Lambda doesn't wait for the configured batching window to elapse if ... The batching window
 * reaches its maximum value" is one of the three triggers, with "The batch size is met" and "The payload size
 * reaches 6 MB"; and for DynamoDB: "If you configure a MaximumBatchingWindowInSeconds, the next batching window
 * begins as soon as the previous function invocation completes."
 */
import { SystemClock } from '../../../src/runtime/emulator/clock';
import { EventSourceMappingEngine } from '../../../src/runtime/emulator/engine';
import type { EmulatedEvent } from '../../../src/runtime/emulator/types';
import { StreamFixtures } from '../../../src/runtime/records/fixtures';
import { waitFor } from '../../conditions';
import { awsDefaults, table } from '../emulator/helpers';

jest.setTimeout(20_000);

interface Seen {
  readonly records: number;
  readonly atMs: number;
}

function liveEngine(seen: Seen[]): EventSourceMappingEngine {
  const handler = (event: EmulatedEvent) => {
    seen.push({ records: event.Records.length, atMs: Date.now() });
  };
  return new EventSourceMappingEngine(awsDefaults({ batchSize: 100, maxBatchingWindowSeconds: 1 }), handler, { clock: new SystemClock() });
}

function threeRecordsNow() {
  const stream = new StreamFixtures({ table, startTimeMs: Date.now() });
  return stream.inserts(3, (i) => ({ orderId: `o${i}`, createdAt: i }));
}

test('a partial batch (3 of batchSize 100) is released when its 1 s window elapses, while the poller keeps polling empty pages', async () => {
  // GIVEN a live engine with batchSize 100 and a 1 s batching window, fed 3 records
  const seen: Seen[] = [];
  const engine = liveEngine(seen);
  const fedAt = Date.now();
  await engine.processShard('shard-1', threeRecordsNow());

  // WHEN the poller goes on polling empty pages (every 50 ms, as an idle shard is polled) for up to 6 s
  let polling = true;
  const poller = (async () => {
    while (polling && seen.length === 0) {
      await engine.processShard('shard-1', []);
      // The scenario's own pause, not a wait for something: the poll interval of an idle shard, on the wall clock
      // the batching window is measured on.
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  try {
    await waitFor(() => seen.length > 0, { what: 'the handler to get the partial batch (its 1 s window elapsed)', timeoutMs: 6000 });
  } finally {
    polling = false;
    await poller;
  }

  // THEN the handler got the 3 records in one invocation, not before the window closed
  expect(seen.map((s) => s.records)).toEqual([3]);
  expect(seen[0].atMs).toBeGreaterThanOrEqual(fedAt + 1000 - 5);
  expect(engine.checkpoint('shard-1')).toBeDefined();
});

test('a partial batch is released when its window elapses with no further traffic and no further polls', async () => {
  // GIVEN a live engine fed 3 records once
  const seen: Seen[] = [];
  const engine = liveEngine(seen);
  await engine.processShard('shard-1', threeRecordsNow());

  // WHEN nothing else happens for up to 6 s
  await waitFor(() => seen.length > 0, { what: 'the handler to get the partial batch (its 1 s window elapsed, no poll since)', timeoutMs: 6000 });

  // THEN the window alone released the batch
  expect(seen.map((s) => s.records)).toEqual([3]);
});
