/**
 * Tumbling windows across a stop of the mapping, on both clocks: a new engine given the windows the old one saved
 * (`onWindows` -> `resume`) and the records after the saved checkpoint ends each window with the state one
 * uninterrupted run gives, never a partial one. A runner's checkpoint file lags behind the engine, so every
 * (windows, checkpoint) pair the engine ever handed out is tried as the point of a kill -9.
 */
import { awsDefaults, table } from './helpers';
import { SystemClock } from '../../../src/runtime/emulator/clock';
import { EventSourceMappingEngine } from '../../../src/runtime/emulator/engine';
import type { EmulatedContext, EmulatedEvent, ShardResume } from '../../../src/runtime/emulator/types';
import { StreamFixtures } from '../../../src/runtime/records/fixtures';
import { compareSequenceNumbers, type DynamoDBStreamRecord } from '../../../src/runtime/records/types';
import { waitFor } from '../../conditions';

const SHARD = 'shardId-1';

interface Closed {
  /** The window's start, and its lane when the shard has several (each lane keeps its own window). */
  readonly start: string;
  readonly state: { readonly orders: number; readonly ids: readonly string[] };
}

/** A window handler that counts the orders of its window and remembers which, as onWindowEnd would report them. */
function windowHandler(closed: Closed[]) {
  return (event: EmulatedEvent, context: EmulatedContext) => {
    const prior = (event.state ?? {}) as { orders?: number; ids?: string[] };
    const state = {
      orders: (prior.orders ?? 0) + event.Records.length,
      ids: [...(prior.ids ?? []), ...event.Records.map((r) => r.dynamodb.Keys.orderId.S!)],
    };
    const lane = context.emulator.lane > 0 ? ` lane ${context.emulator.lane}` : '';
    if (event.isFinalInvokeForWindow) closed.push({ start: `${event.window!.start}${lane}`, state: prior as Closed['state'] });
    return { state };
  };
}

interface Snapshot {
  readonly windows: ShardResume | undefined;
  readonly checkpoint: string | undefined;
  /** Windows whose end the handler had reported when this pair was current. */
  readonly closedBefore: number;
}

/** An engine whose saved state is tracked as a runner's checkpoint file holds it, snapshot after each change. */
function savingEngine(config: ReturnType<typeof awsDefaults>, closed: Closed[], options: { clock?: SystemClock; resume?: Snapshot } = {}) {
  const snapshots: Snapshot[] = [];
  let windows = options.resume?.windows;
  let checkpoint = options.resume?.checkpoint;
  const engine = new EventSourceMappingEngine(config, windowHandler(closed), {
    table,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(windows ? { resume: { [SHARD]: windows } } : {}),
    onWindows: (_, w) => {
      windows = w;
      snapshots.push({ windows, checkpoint, closedBefore: closed.length });
    },
    onCheckpoint: (_, seq) => {
      checkpoint = seq;
      snapshots.push({ windows, checkpoint, closedBefore: closed.length });
    },
  });
  return { engine, snapshots, saved: (): Snapshot => ({ windows, checkpoint, closedBefore: closed.length }) };
}

function after(records: readonly DynamoDBStreamRecord[], checkpoint: string | undefined): DynamoDBStreamRecord[] {
  return checkpoint === undefined ? [...records] : records.filter((r) => compareSequenceNumbers(r.dynamodb.SequenceNumber, checkpoint) > 0);
}

describe('virtual clock', () => {
  // Two minutes of orders: 5 in the first window, 2 in the second; lanes by partition key (factor 2).
  const config = awsDefaults({ tumblingWindowSeconds: 60, batchSize: 2, parallelizationFactor: 2 });
  function minuteOfOrders(): DynamoDBStreamRecord[] {
    const stream = new StreamFixtures({ table, startTimeMs: Date.UTC(2026, 0, 1) });
    const records = [0, 1, 2, 3, 4].map((i) => stream.insert({ orderId: `o${i}`, createdAt: i }));
    stream.advance(60);
    return [...records, ...[5, 6].map((i) => stream.insert({ orderId: `o${i}`, createdAt: i }))];
  }

  test('a kill at any saved point, then a restart from the saved windows and checkpoint: each window ends once more at most, always with its whole state', async () => {
    // GIVEN the windows of one uninterrupted run
    const records = minuteOfOrders();
    const baseline: Closed[] = [];
    const whole = savingEngine(config, baseline);
    await whole.engine.processShard(SHARD, records, { end: true });
    const full = new Map(baseline.map((c) => [c.start, c.state]));
    expect(full.size).toBe(baseline.length);
    expect([...full.values()].reduce((sum, s) => sum + s.orders, 0)).toBe(7);

    // WHEN the first run is cut after its first 3 records arrived, at each pair it saved, and a new engine resumes
    const cut: Closed[] = [];
    const first = savingEngine(config, cut);
    await first.engine.processShard(SHARD, records.slice(0, 3));
    await first.engine.processShard(SHARD, records.slice(3));
    expect(first.snapshots.length).toBeGreaterThan(3);
    for (const snapshot of first.snapshots) {
      const closed: Closed[] = [];
      const second = savingEngine(config, closed, { resume: snapshot });
      await second.engine.processShard(SHARD, after(records, snapshot.checkpoint), { end: true });

      // THEN every window reported after the restart has the whole state of the uninterrupted run
      for (const c of closed) expect(c.state).toEqual(full.get(c.start));
      // AND together with what the first run had reported and saved, each window was reported exactly once
      const reported = [...cut.slice(0, snapshot.closedBefore), ...closed].map((c) => c.start);
      expect(reported.sort()).toEqual([...full.keys()].sort());
    }
  });

  test("a restart after the window's end: the saved window ends first, with its whole state, once", async () => {
    // GIVEN a run stopped after the first minute's 5 orders (its window still open: nothing later has arrived)
    const config1 = awsDefaults({ tumblingWindowSeconds: 60, batchSize: 2 });
    const records = minuteOfOrders();
    const cut: Closed[] = [];
    const first = savingEngine(config1, cut);
    await first.engine.processShard(SHARD, records.slice(0, 5));
    expect(cut).toEqual([]);
    const saved = first.saved();
    expect(saved.windows?.lanes[0].window).toBeDefined();

    // WHEN a new engine resumes when the next minute's orders arrive
    const closed: Closed[] = [];
    const second = savingEngine(config1, closed, { resume: saved });
    await second.engine.processShard(SHARD, after(records, saved.checkpoint), { end: true });

    // THEN the first window ends once with all 5 orders, then the second with its 2
    expect(closed.map((c) => [c.start, c.state.orders])).toEqual([
      ['2026-01-01T00:00:00Z', 5],
      ['2026-01-01T00:01:00Z', 2],
    ]);
    expect(closed[0].state.ids).toEqual(['o0', 'o1', 'o2', 'o3', 'o4']);
  });

  test('the state carries on as its JSON reads back (a Date as its ISO string), so a saved state is the state without a stop', async () => {
    // GIVEN a handler that puts a Date in the window's state
    const seen: unknown[] = [];
    const handler = (event: EmulatedEvent) => {
      seen.push(event.state);
      return { state: { since: new Date(0) } };
    };
    const stream = new StreamFixtures({ table, startTimeMs: Date.UTC(2026, 0, 1) });
    const records = [0, 1].map((i) => stream.insert({ orderId: `o${i}`, createdAt: i }));

    // WHEN two batches of one window run without a stop
    const engine = new EventSourceMappingEngine(awsDefaults({ tumblingWindowSeconds: 60, batchSize: 1 }), handler);
    await engine.processShard(SHARD, records, { end: true });

    // THEN the second batch and the window's end get what a JSON response carries, as a saved state would
    expect(seen).toEqual([{}, { since: '1970-01-01T00:00:00.000Z' }, { since: '1970-01-01T00:00:00.000Z' }]);
  });

  test('fails if the saved windows were kept by another number of lanes, naming both and the fix', () => {
    const resume = { [SHARD]: { lanes: [{}, {}] } };
    const engine = new EventSourceMappingEngine(awsDefaults({ tumblingWindowSeconds: 60 }), () => ({ state: {} }), { resume });
    return expect(engine.processShard(SHARD, [])).rejects.toThrow(
      /saved tumbling windows of shard "shardId-1" were kept by 2 lanes, but parallelizationFactor is 1 .*set parallelizationFactor back to 2/,
    );
  });
});

describe('system clock', () => {
  jest.setTimeout(20_000);
  const config = awsDefaults({ tumblingWindowSeconds: 2, batchSize: 10 });

  /** Orders stamped now, in a 2 s window with at least 1 s left, so they are handed over before it ends. */
  async function ordersInOpenWindow(ids: readonly number[], startMs?: number) {
    if (startMs === undefined) {
      // A wait on the wall clock itself (the windows are aligned to it), at most 1 s: kept.
      while (Date.now() % 2000 > 1000) await new Promise((r) => setTimeout(r, 20));
    }
    const stream = new StreamFixtures({ table, startTimeMs: startMs ?? Date.now() });
    return ids.map((i) => stream.insert({ orderId: `o${i}`, createdAt: i }));
  }

  /** The windows are 2 s on the wall clock: whatever is awaited here comes within a few seconds, or never. */
  async function until(condition: () => boolean, what: string): Promise<void> {
    await waitFor(condition, { what, timeoutMs: 8000, everyMs: 10 });
  }

  test('stop() in the middle of a window, a restart in the same window with more orders: the window ends with all of them', async () => {
    // GIVEN a live engine that got 3 orders of an open window, then was stopped
    const firstRecords = await ordersInOpenWindow([0, 1, 2]);
    const cut: Closed[] = [];
    const first = savingEngine(config, cut, { clock: new SystemClock() });
    await first.engine.processShard(SHARD, firstRecords);
    await until(() => first.saved().checkpoint === firstRecords[2].dynamodb.SequenceNumber, 'the first engine to checkpoint its 3 orders');
    await first.engine.stop();
    expect(cut).toEqual([]);

    // WHEN a new live engine resumes from what was saved and gets 2 more orders of the same window
    const closed: Closed[] = [];
    const second = savingEngine(config, closed, { clock: new SystemClock(), resume: first.saved() });
    const stream = new StreamFixtures({ table, startTimeMs: firstRecords[0].dynamodb.ApproximateCreationDateTime * 1000 });
    const all = [...[0, 1, 2, 3, 4].map((i) => stream.insert({ orderId: `o${i}`, createdAt: i }))];
    await second.engine.processShard(SHARD, after(all, first.saved().checkpoint));

    // THEN once the wall clock passes the window's end, it ends with all 5 orders, once
    await until(() => closed.length > 0, 'the window to end on the resumed engine');
    await second.engine.stop();
    expect(closed).toHaveLength(1);
    expect(closed[0].state).toEqual({ orders: 5, ids: ['o0', 'o1', 'o2', 'o3', 'o4'] });
  });

  test("a restart after the window's end passed: the saved window ends at once with its whole state, once", async () => {
    // GIVEN a live engine stopped with 3 orders in an open window
    const records = await ordersInOpenWindow([0, 1, 2]);
    const cut: Closed[] = [];
    const first = savingEngine(config, cut, { clock: new SystemClock() });
    await first.engine.processShard(SHARD, records);
    await until(() => first.saved().checkpoint === records[2].dynamodb.SequenceNumber, 'the first engine to checkpoint its 3 orders');
    await first.engine.stop();
    const saved = first.saved();
    const endMs = saved.windows!.lanes[0].window!.endMs;

    // WHEN a new engine starts after the window's end and polls an empty stream
    await until(() => Date.now() > endMs, `the wall clock to pass the window's end (${new Date(endMs).toISOString()})`);
    const closed: Closed[] = [];
    const second = savingEngine(config, closed, { clock: new SystemClock(), resume: saved });
    await second.engine.processShard(SHARD, []);
    await until(() => closed.length > 0, 'the saved window to end on the new engine');
    await second.engine.processShard(SHARD, []);
    await second.engine.stop();

    // THEN the window ended once, with the 3 orders, and nothing of it is saved any more
    expect(cut).toEqual([]);
    expect(closed).toEqual([{ start: new Date(endMs - 2000).toISOString().replace('.000Z', 'Z'), state: { orders: 3, ids: ['o0', 'o1', 'o2'] } }]);
    expect(second.saved().windows?.lanes[0].window).toBeUndefined();
  });
});
