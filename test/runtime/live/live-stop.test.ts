/**
 * Live mode stop: the invocation in flight finishes, a retry backoff is cut short (a Ctrl-C does not sit out a 60 s
 * backoff), nothing more is invoked, and the checkpoint stays before the record not done, so the next run reads it
 * again (at-least-once).
 */
import { SystemClock } from '../../../src/runtime/emulator/clock';
import { EventSourceMappingEngine } from '../../../src/runtime/emulator/engine';
import type { EmulatedEvent } from '../../../src/runtime/emulator/types';
import { StreamFixtures } from '../../../src/runtime/records/fixtures';
import { awsDefaults, table } from '../emulator/helpers';

jest.setTimeout(20_000);

test('stop() during a 60 s retry backoff resolves without another invocation; the failing record stays after the checkpoint', async () => {
  // GIVEN a live engine whose handler fails the second record, with a 60 s backoff
  const stream = new StreamFixtures({ table, startTimeMs: Date.now() });
  const records = [stream.insert({ orderId: 'a', createdAt: 1 }), stream.insert({ orderId: 'p', createdAt: 1 })];
  const invoked: string[] = [];
  let failedOnce!: () => void;
  const failed = new Promise<void>((r) => (failedOnce = r));
  const handler = (event: EmulatedEvent) => {
    const ids = event.Records.map((r) => r.dynamodb.Keys.orderId.S!);
    invoked.push(ids.join());
    if (ids.includes('p')) {
      setImmediate(failedOnce);
      throw new Error('poison');
    }
  };
  const engine = new EventSourceMappingEngine(awsDefaults({ batchSize: 1, retryAttempts: 5 }), handler, {
    clock: new SystemClock(),
    retryBackoffMs: () => 60_000,
  });
  const feeding = engine.processShard('shard-1', records);

  // WHEN it is stopped while the poison record waits for its first retry
  await failed;
  await engine.stop();
  await feeding;

  // THEN the poison record was invoked once, nothing after the stop, and the checkpoint is the record before it
  expect(invoked).toEqual(['a', 'p']);
  expect(engine.checkpoint('shard-1')).toBe(records[0].dynamodb.SequenceNumber);
  // AND the shard is not marked ended by a flush that the stop cut short
  await engine.processShard('shard-1', [], { end: true });
  expect(engine.isEnded('shard-1')).toBe(false);
});
