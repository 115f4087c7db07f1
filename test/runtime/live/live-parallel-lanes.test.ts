/**
 * Live mode (SystemClock): with ParallelizationFactor > 1 the lanes of a shard run side by side, each in
 * item order, and one lane's retry backoff does not hold the others. The checkpoint stays at the earliest
 * record not done across lanes.
 *
 * AWS, API_CreateEventSourceMapping, ParallelizationFactor: "(Kinesis and DynamoDB Streams only) The number of
 * batches to process concurrently from each shard. The default value is 1." with-ddb: "Lambda still ensures in-order
 * processing at the item (partition and sort key) level", so an item always goes to the same lane.
 */
import { SystemClock } from '../../../src/runtime/emulator/clock';
import { EventSourceMappingEngine } from '../../../src/runtime/emulator/engine';
import type { EmulatedContext, EmulatedEvent } from '../../../src/runtime/emulator/types';
import { StreamFixtures } from '../../../src/runtime/records/fixtures';
import { Gate } from '../../conditions';
import { awsDefaults, table } from '../emulator/helpers';

jest.setTimeout(20_000);

// With parallelizationFactor 2, the item (orderId "g", createdAt 1) hashes to lane 1, and ("b", 1) and ("e", 1) to
// lane 0 (see ids.ts).
const POISON = 'g';

test('a failing lane backing off between retries does not hold the other lane; lanes run concurrently', async () => {
  // GIVEN factor 2, a poison item in lane 1 (3 retries, 100 ms apart) and 4 good records of 2 items in lane 0 (batch size 1)
  const stream = new StreamFixtures({ table, startTimeMs: Date.now() });
  const records = [
    stream.insert({ orderId: POISON, createdAt: 1 }),
    stream.insert({ orderId: 'b', createdAt: 1 }),
    stream.insert({ orderId: 'e', createdAt: 1 }),
    stream.modify({ orderId: 'b', createdAt: 1 }, { orderId: 'b', createdAt: 1, v: 2 }),
    stream.modify({ orderId: 'e', createdAt: 1 }, { orderId: 'e', createdAt: 1, v: 2 }),
  ];
  const log: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const checkpointsBeforeDiscard: string[] = [];
  let discarded = false;
  // Gates order the lanes, not timers: each lane's first invocation waits until the other lane's has started (two in
  // flight at once); lane 0's later records wait until lane 1 has failed and is backing off; lane 1's retries wait
  // until lane 0 is done. A lane held by the other lane's backoff or retries never gets there, and its wait fails.
  const firstStarted = [new Gate(), new Gate()];
  const backingOff = new Gate();
  const laneZeroDone = new Gate();
  const stalls: string[] = [];
  const handler = async (event: EmulatedEvent, context: EmulatedContext) => {
    const { lane, attempt } = context.emulator;
    const key = event.Records[0].dynamodb.Keys.orderId.S!;
    const version = event.Records[0].eventName === 'INSERT' ? 1 : 2;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      if (!firstStarted[lane].isOpened) {
        firstStarted[lane].open();
        await firstStarted[1 - lane].wait({ what: `lane ${1 - lane}'s first invocation to start while lane ${lane}'s runs`, timeoutMs: 3000 });
      } else if (lane === 0) {
        await backingOff.wait({ what: `lane 1 to fail and back off, before lane 0 runs ${key}/${version}`, timeoutMs: 3000 });
      } else {
        await laneZeroDone.wait({ what: `lane 0 to finish while lane 1 retries (attempt ${attempt})`, timeoutMs: 3000 });
      }
    } catch (error) {
      stalls.push((error as Error).message);
      throw error;
    } finally {
      inFlight--;
    }
    log.push(`lane${lane}:${key}/${version}#${attempt}`);
    if (lane === 0 && key === 'e' && version === 2) laneZeroDone.open();
    if (key === POISON) throw new Error('poison');
  };
  const engine = new EventSourceMappingEngine(
    awsDefaults({ batchSize: 1, parallelizationFactor: 2, retryAttempts: 3, failureDestination: 'SQS' }),
    handler,
    {
      clock: new SystemClock(),
      table,
      // Asked as the poison's retry is scheduled: lane 1 is backing off from here (for a real 100 ms, SystemClock).
      retryBackoffMs: () => {
        backingOff.open();
        return 100;
      },
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

  // THEN no lane waited in vain for the other: lane 0 went on while lane 1 backed off and retried, and finished
  // before the poison's first retry did
  expect(stalls).toEqual([]);
  expect(log.indexOf('lane0:e/2#1')).toBeGreaterThanOrEqual(0);
  expect(log.indexOf('lane0:e/2#1')).toBeLessThan(log.indexOf(`lane1:${POISON}/1#2`));
  // AND two invocations were in flight at once
  expect(maxInFlight).toBe(2);
  // AND per-item order held
  expect(log.filter((l) => l.startsWith('lane0:b'))).toEqual(['lane0:b/1#1', 'lane0:b/2#1']);
  expect(log.filter((l) => l.startsWith('lane0:e'))).toEqual(['lane0:e/1#1', 'lane0:e/2#1']);
  // AND the poison was invoked 4 times (3 retries) then discarded
  expect(log.filter((l) => l.startsWith(`lane1:${POISON}`))).toHaveLength(4);
  expect(log[log.length - 1]).toBe('discard');
  // AND the checkpoint never passed the poison (the first record) while it was being retried
  expect(checkpointsBeforeDiscard).toEqual([]);
  expect(engine.checkpoint('shard-1')).toBe(records[records.length - 1].dynamodb.SequenceNumber);
});
