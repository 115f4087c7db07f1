// The trace carries each tumbling window's result (bounds and the state its final invocation received), so a test
// checks a window's totals without spying on the handler.
import { awsDefaults, fixtures } from './helpers';
import { emulateEventSourceMapping, type EmulatedEvent } from '../../../src/runtime/emulator';

/** Counts a window's records in its state, as a window handler does; the final invocation resets it. */
function counting(event: EmulatedEvent) {
  const count = Number(event.state?.count ?? 0) + event.Records.length;
  return event.isFinalInvokeForWindow ? { state: {} } : { state: { count } };
}

test('each window appears once, with its bounds and the state its final invocation received', async () => {
  const stream = fixtures({ startTimeMs: Date.UTC(2026, 0, 1, 0, 0, 10) });
  const records = [
    stream.insert({ orderId: 'a', createdAt: 1, status: 'NEW' }),
    stream.insert({ orderId: 'b', createdAt: 2, status: 'NEW' }),
    stream.advance(60).insert({ orderId: 'c', createdAt: 3, status: 'NEW' }),
  ];

  const trace = await emulateEventSourceMapping({ records, config: awsDefaults({ tumblingWindowSeconds: 60 }), handler: counting });

  expect(trace.windows).toEqual([
    { shardId: trace.invocations[0].shardId, start: '2026-01-01T00:00:00Z', end: '2026-01-01T00:01:00Z', state: { count: 2 }, terminatedEarly: false },
    { shardId: trace.invocations[0].shardId, start: '2026-01-01T00:01:00Z', end: '2026-01-01T00:02:00Z', state: { count: 1 }, terminatedEarly: false },
  ]);
});

test('the windows are kept when invocations are not', async () => {
  const stream = fixtures();
  const trace = await emulateEventSourceMapping({
    records: [stream.insert({ orderId: 'a', createdAt: 1, status: 'NEW' })],
    config: awsDefaults({ tumblingWindowSeconds: 30 }),
    handler: counting,
    keepInvocations: false,
  });
  expect(trace.invocations).toEqual([]);
  expect(trace.windows.map((w) => w.state)).toEqual([{ count: 1 }]);
});

test('without a tumbling window the trace has no windows', async () => {
  const stream = fixtures();
  const trace = await emulateEventSourceMapping({
    records: [stream.insert({ orderId: 'a', createdAt: 1, status: 'NEW' })],
    config: awsDefaults(),
    handler: () => undefined,
  });
  expect(trace.windows).toEqual([]);
});
