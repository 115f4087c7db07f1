/**
 * Live mode (SystemClock): with ParallelizationFactor > 1 the lanes of a shard run side by side, each in
 * partition-key order, and one lane's retry backoff does not hold the others. The checkpoint stays at the earliest
 * record not done across lanes.
 *
 * AWS, API_CreateEventSourceMapping, ParallelizationFactor: "(Kinesis and DynamoDB Streams only) The number of
 * batches to process concurrently from each shard. The default value is 1." Order is kept per partition key, so a
 * key always goes to the same lane.
 */
import { SystemClock } from '../../../src/runtime/emulator/clock';
import { EventSourceMappingEngine } from '../../../src/runtime/emulator/engine';
import type { EmulatedContext, EmulatedEvent } from '../../../src/runtime/emulator/types';
import { StreamFixtures } from '../../../src/runtime/records/fixtures';
import { awsDefaults, table } from '../emulator/helpers';

jest.setTimeout(20_000);

// With parallelizationFactor 2, orderId "g" hashes to lane 0 and "b" and "d" to lane 1 (FNV-1a, see ids.ts).
const POISON = 'g';

test('a failing lane backing off between retries does not hold the other lane; lanes run concurrently', async () => {
  // GIVEN factor 2, a poison key in lane 0 (3 retries, 300 ms apart) and 4 good records in lane 1 (batch size 1)
  const stream = new StreamFixtures({ table, startTimeMs: Date.now() });
  const records = [
    stream.insert({ orderId: POISON, createdAt: 1 }),
    stream.insert({ orderId: 'b', createdAt: 1 }),
    stream.insert({ orderId: 'd', createdAt: 1 }),
    stream.insert({ orderId: 'b', createdAt: 2 }),
    stream.insert({ orderId: 'd', createdAt: 2 }),
  ];
  const log: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const checkpointsBeforeDiscard: string[] = [];
  let discarded = false;
  const handler = async (event: EmulatedEvent, context: EmulatedContext) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 50));
    inFlight--;
    const key = event.Records[0].dynamodb.Keys.orderId.S!;
    log.push(`lane${context.emulator.lane}:${key}/${event.Records[0].dynamodb.Keys.createdAt.N}#${context.emulator.attempt}`);
    if (key === POISON) throw new Error('poison');
  };
  const engine = new EventSourceMappingEngine(
    awsDefaults({ batchSize: 1, parallelizationFactor: 2, retryAttempts: 3, failureDestination: 'SQS' }),
    handler,
    {
      clock: new SystemClock(),
      table,
      retryBackoffMs: () => 300,
      onFailure: () => {
        discarded = true;
        log.push('discard');
      },
      onCheckpoint: (_shard, seq) => {
        if (!discarded) checkpointsBeforeDiscard.push(seq);
      },
    },
  );

  // WHEN the shard is fed and ended
  await engine.processShard('shard-1', records);
  await engine.processShard('shard-1', [], { end: true });

  // THEN lane 1 finished all its records before the poison's first retry (it ran during the 300 ms backoff)
  expect(log.indexOf('lane1:d/2#1')).toBeGreaterThanOrEqual(0);
  expect(log.indexOf('lane1:d/2#1')).toBeLessThan(log.indexOf(`lane0:${POISON}/1#2`));
  // AND two invocations were in flight at once
  expect(maxInFlight).toBe(2);
  // AND per-key order held
  expect(log.filter((l) => l.startsWith('lane1:b'))).toEqual(['lane1:b/1#1', 'lane1:b/2#1']);
  expect(log.filter((l) => l.startsWith('lane1:d'))).toEqual(['lane1:d/1#1', 'lane1:d/2#1']);
  // AND the poison was invoked 4 times (3 retries) then discarded
  expect(log.filter((l) => l.startsWith(`lane0:${POISON}`))).toHaveLength(4);
  expect(log[log.length - 1]).toBe('discard');
  // AND the checkpoint never passed the poison (the first record) while it was being retried
  expect(checkpointsBeforeDiscard).toEqual([]);
  expect(engine.checkpoint('shard-1')).toBe(records[records.length - 1].dynamodb.SequenceNumber);
});
