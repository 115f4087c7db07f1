/**
 * The generated handler contract, proven by behaviour: each project below is rendered (templates → TypeScript under
 * .scratch/generated-*), its `define<Pascal>Handler` is required in-process and called with Lambda-shaped events
 * built by the runtime kit's StreamFixtures from the generated `tableConfig`. Nothing of the code under test is mocked;
 * `console.error` is silenced because the contract logs each failure.
 */
import * as fs from 'fs';
import * as path from 'path';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { writeGeneratedProject } from './generated-code';
import type { TestOptions } from './helpers';
import { AttributeType, StreamViewType } from '../../src';
import type { TableConfig } from '../../src/runtime/config';
import { StreamFixtures } from '../../src/runtime/records/fixtures';
import type { AttributeMap, DynamoDBStreamRecord } from '../../src/runtime/records/types';
import { Gate, nextTurn } from '../conditions';

// ---------------------------------------------------------------------------------------------------------------
// The generated API, typed as far as these tests use it (the compile-time shapes are proven by the type-check test
// in generated-code.test.ts).

type Image = Record<string, unknown>;
interface Change {
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly record: DynamoDBStreamRecord;
  readonly keys: Image;
  readonly sequenceNumber: string;
  readonly newImage?: Image;
  readonly oldImage?: Image;
  readonly expired?: boolean;
}
type Callback = (change: Change) => Promise<void> | void;
interface Handlers {
  onInsert?: Callback;
  onModify?: Callback;
  onRemove?: Callback;
  onExpire?: Callback;
}
interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}
interface StreamEvent {
  readonly Records: readonly DynamoDBStreamRecord[];
}
type Define<R> = (handlers: Handlers, options?: { keyConcurrency?: number }) => (event: StreamEvent) => Promise<R>;

interface WindowInfo {
  readonly start: string;
  readonly end: string;
  readonly shardId: string;
  readonly terminatedEarly: boolean;
}
interface WindowHandlers<S> {
  initialState(): S;
  reduce(state: S, change: Change, window: WindowInfo): Promise<S> | S;
  onWindowEnd?(state: S, window: WindowInfo): Promise<void> | void;
}
interface WindowEvent extends StreamEvent {
  readonly window?: { start: string; end: string };
  readonly state?: Record<string, unknown>;
  readonly shardId?: string;
  readonly isFinalInvokeForWindow?: boolean;
  readonly isWindowTerminatedEarly?: boolean;
}
interface WindowResponse<S> {
  state: { value?: S };
  batchItemFailures?: { itemIdentifier: string }[];
}
type DefineWindow = <S>(handlers: WindowHandlers<S>) => (event: WindowEvent) => Promise<WindowResponse<S>>;

// ---------------------------------------------------------------------------------------------------------------
// The rendered projects: at most two consumers each (the stream's limit).

const ORDERS_TABLE = {
  partitionKey: { name: 'orderId', type: AttributeType.STRING },
  sortKey: { name: 'createdAt', type: AttributeType.NUMBER },
  attributes: [{ name: 'status', type: AttributeType.STRING }],
  streamViewType: StreamViewType.NEW_AND_OLD_IMAGES,
  timeToLiveAttribute: 'expiresAt',
};

const PROJECTS = {
  /** Sequential, with and without batch item failures. */
  sequential: { table: ORDERS_TABLE, consumers: [{ name: 'ordered' }, { name: 'strict', reportBatchItemFailures: false }] },
  /** Per-partition-key concurrency by default, and a tumbling window with batch item failures. */
  parallel: { table: ORDERS_TABLE, consumers: [{ name: 'fanout', parallelizationFactor: 4 }, { name: 'tally', tumblingWindowSeconds: 60 }] },
  newImage: {
    table: { partitionKey: { name: 'id', type: AttributeType.STRING }, streamViewType: StreamViewType.NEW_IMAGE },
    consumers: [{ name: 'indexer' }, { name: 'strict-tally', tumblingWindowSeconds: 60, reportBatchItemFailures: false }],
  },
  oldImage: {
    table: { partitionKey: { name: 'id', type: AttributeType.STRING }, streamViewType: StreamViewType.OLD_IMAGE },
    consumers: [{ name: 'archiver' }],
  },
  keysOnly: {
    table: { partitionKey: { name: 'tenant', type: AttributeType.NUMBER }, streamViewType: StreamViewType.KEYS_ONLY },
    consumers: [{ name: 'pinger' }],
  },
} satisfies Record<string, TestOptions>;
type ProjectName = keyof typeof PROJECTS;

const rendered = new Map<ProjectName, string>();
function project(name: ProjectName): string {
  let dir = rendered.get(name);
  if (!dir) {
    dir = writeGeneratedProject(PROJECTS[name]);
    rendered.set(name, dir);
  }
  return dir;
}

function load<T>(name: ProjectName, file: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(project(name), 'src/generated', file)) as T;
}

/** The table config the project generated: the fixtures build records from the same definition. */
function fixturesTable(name: ProjectName): TableConfig {
  return load<{ tableConfig: TableConfig }>(name, 'config.ts').tableConfig;
}

function fixtures(name: ProjectName): StreamFixtures {
  return new StreamFixtures({ table: fixturesTable(name) });
}

afterAll(() => {
  for (const dir of rendered.values()) fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  jest.restoreAllMocks();
});

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const event = (records: readonly DynamoDBStreamRecord[]): StreamEvent => ({ Records: records });
const seq = (record: DynamoDBStreamRecord): string => record.dynamodb!.SequenceNumber!;

/** A name per record: the partition key and, when present, the sort key (`a#1`). */
function label(change: Change): string {
  const { orderId, createdAt, id, tenant } = change.keys;
  return createdAt === undefined ? String(orderId ?? id ?? tenant) : `${String(orderId)}#${String(createdAt)}`;
}

/** Records what runs: starts and ends in the order they happened, and how many ran at once. */
class Trace {
  public readonly events: string[] = [];
  public readonly succeeded = new Set<string>();
  public inFlight = 0;
  public maxInFlight = 0;

  /** Runs `body` for a change, logging `start`, then `end` or `fail`. */
  public async run(change: Change, body: () => Promise<void> | void): Promise<void> {
    const name = label(change);
    this.events.push(`start ${name}`);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await body();
      this.events.push(`end ${name}`);
      this.succeeded.add(change.sequenceNumber);
    } catch (error) {
      this.events.push(`fail ${name}`);
      throw error;
    } finally {
      this.inFlight--;
    }
  }

  public started(): string[] {
    return this.events.filter((e) => e.startsWith('start ')).map((e) => e.slice(6));
  }

  public ended(): string[] {
    return this.events.filter((e) => e.startsWith('end ')).map((e) => e.slice(4));
  }
}

/**
 * Waits for a gate (a promise opened by hand, which orders concurrent callbacks without racing timers), then for a
 * turn of the event loop: by then the contract has handled whatever failed before the gate opened (its handling is
 * promise reactions only, all run before the turn ends).
 */
async function pass(gate: Gate): Promise<void> {
  await gate.opened;
  await nextTurn();
}

/**
 * Holds every callback until the test lets it end, and lets them end one at a time, always the one that started
 * last, until the handler returns: records that may overlap end in the reverse of their start order, and records
 * that must not overlap cannot (each starts only once the one before it ended), whatever the machine's speed.
 * Between two releases a turn of the event loop lets the contract start whatever the last end allowed.
 */
class LastInFirstOut {
  private readonly held: (() => void)[] = [];

  /** What a callback awaits: resolves when this turnstile lets it end. */
  public hold(): Promise<void> {
    return new Promise<void>((resolve) => this.held.push(resolve));
  }

  /** Drives `handling` (the handler's promise) to its end, releasing held callbacks last-started first. */
  public async drive<T>(handling: Promise<T>): Promise<T> {
    let settled = false;
    void handling.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (;;) {
      await nextTurn();
      if (settled) return handling;
      const last = this.held.pop();
      if (!last) throw new Error('the handler neither returned nor ran a callback within a turn of the event loop');
      last();
    }
  }
}

/** The same callback for inserts, modifies and removes. */
const every = (callback: Callback): Handlers => ({ onInsert: callback, onModify: callback, onRemove: callback });

// ---------------------------------------------------------------------------------------------------------------

describe('sequential consumer with reportBatchItemFailures (the default)', () => {
  let defineOrdered: Define<BatchResponse>;
  let stream: StreamFixtures;
  beforeAll(() => {
    defineOrdered = load<{ defineOrderedHandler: Define<BatchResponse> }>('sequential', 'ordered/contract.ts').defineOrderedHandler;
  });
  beforeEach(() => {
    stream = fixtures('sequential');
  });

  const item = (orderId: string, createdAt: number, status = 'NEW') => ({ orderId, createdAt, status });

  test('records run one at a time in stream order, each to the callback of its event name', async () => {
    const records = [
      stream.insert(item('a', 1)),
      stream.insert(item('b', 2)),
      stream.modify(item('a', 1), item('a', 1, 'PAID')),
      stream.remove(item('b', 2)),
      stream.insert(item('c', 3)),
    ];
    const trace = new Trace();
    const calls: string[] = [];
    // The record started last ends first: any overlap would reorder the ends.
    const turnstile = new LastInFirstOut();
    const callback = (kind: string) => (change: Change) =>
      trace.run(change, async () => {
        calls.push(`${kind} ${label(change)}`);
        await turnstile.hold();
      });
    const handler = defineOrdered({ onInsert: callback('insert'), onModify: callback('modify'), onRemove: callback('remove') });

    await expect(turnstile.drive(handler(event(records)))).resolves.toEqual({ batchItemFailures: [] });

    expect(calls).toEqual(['insert a#1', 'insert b#2', 'modify a#1', 'remove b#2', 'insert c#3']);
    expect(trace.ended()).toEqual(['a#1', 'b#2', 'a#1', 'b#2', 'c#3']);
    expect(trace.maxInFlight).toBe(1);
  });

  test.each([
    ['a synchronous throw', (): void => {
      throw new Error('boom');
    }],
    ['a rejected promise', async (): Promise<void> => {
      await nextTurn();
      throw new Error('boom');
    }],
  ])('at the first failure (%s) the batch stops and reports exactly that record\'s sequence number', async (_kind, fail) => {
    const records = stream.inserts(5, (i) => item(`k${i}`, i));
    const trace = new Trace();
    const handler = defineOrdered({ onInsert: (change) => trace.run(change, change.keys.createdAt === 2 ? fail : () => undefined) });

    const response = await handler(event(records));

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: seq(records[2]) }] });
    expect(trace.events).toEqual(['start k0#0', 'end k0#0', 'start k1#1', 'end k1#1', 'start k2#2', 'fail k2#2']);
  });

  test('the failure reports the sequence number, not the eventID', async () => {
    const records = [stream.insert(item('a', 1))];
    const handler = defineOrdered({
      onInsert: () => {
        throw new Error('boom');
      },
    });

    const response = await handler(event(records));

    expect(records[0].eventID).not.toBe(seq(records[0]));
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([seq(records[0])]);
  });

  test('an empty batch returns no failures and calls nothing', async () => {
    const trace = new Trace();
    const handler = defineOrdered(every((change) => trace.run(change, () => undefined)));

    await expect(handler(event([]))).resolves.toEqual({ batchItemFailures: [] });
    expect(trace.events).toEqual([]);
  });

  test('a change without a callback counts as processed', async () => {
    const records = [stream.insert(item('a', 1)), stream.modify(item('a', 1), item('a', 1, 'PAID')), stream.insert(item('b', 2))];
    const trace = new Trace();
    const handler = defineOrdered({ onInsert: (change) => trace.run(change, () => undefined) });

    await expect(handler(event(records))).resolves.toEqual({ batchItemFailures: [] });
    expect(trace.ended()).toEqual(['a#1', 'b#2']);
  });

  test('a record without an image the view type promises fails at that record, naming the view type', async () => {
    const keysOnly = new StreamFixtures({ table: { ...fixturesTable('sequential'), streamViewType: 'KEYS_ONLY' }, firstSequenceNumber: 200000000000000000001n });
    const good = stream.insert(item('a', 1));
    const bad = keysOnly.insert(item('b', 2));
    const trace = new Trace();
    const handler = defineOrdered({ onInsert: (change) => trace.run(change, () => undefined) });

    const response = await handler(event([good, bad]));

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: seq(bad) }] });
    expect(trace.ended()).toEqual(['a#1']);
    expect(console.error).toHaveBeenCalledWith(
      expect.any(String),
      expect.objectContaining({
        itemIdentifier: seq(bad),
        error: expect.objectContaining({
          message: expect.stringContaining("The record has no NewImage, though the table's stream view type (NEW_AND_OLD_IMAGES) delivers it"),
        }),
      }),
    );
  });
});

describe('sequential consumer with reportBatchItemFailures off', () => {
  let defineStrict: Define<void>;
  let stream: StreamFixtures;
  beforeAll(() => {
    defineStrict = load<{ defineStrictHandler: Define<void> }>('sequential', 'strict/contract.ts').defineStrictHandler;
  });
  beforeEach(() => {
    stream = fixtures('sequential');
  });

  test('the handler throws the callback\'s own error, so the event source mapping retries or bisects the batch', async () => {
    const records = stream.inserts(4, (i) => ({ orderId: `k${i}`, createdAt: i }));
    const error = new Error('poison');
    const trace = new Trace();
    const handler = defineStrict({
      onInsert: (change) =>
        trace.run(change, async () => {
          await nextTurn();
          if (change.keys.createdAt === 1) throw error;
        }),
    });

    await expect(handler(event(records))).rejects.toBe(error);
    expect(trace.events).toEqual(['start k0#0', 'end k0#0', 'start k1#1', 'fail k1#1']);
  });

  test('a batch without failures resolves to nothing', async () => {
    const handler = defineStrict(every(() => undefined));

    await expect(handler(event(stream.inserts(3, (i) => ({ orderId: `k${i}`, createdAt: i }))))).resolves.toBeUndefined();
  });

  test('with keyConcurrency, the error thrown is that of the earliest failed record, even when it fails last', async () => {
    const records = [stream.insert({ orderId: 'a', createdAt: 1 }), stream.insert({ orderId: 'b', createdAt: 2 })];
    const early = new Error('a failed');
    const late = new Error('b failed');
    const bFailed = new Gate();
    const handler = defineStrict(
      {
        onInsert: async (change) => {
          if (change.keys.orderId === 'a') {
            await pass(bFailed);
            throw early;
          }
          bFailed.open();
          throw late;
        },
      },
      { keyConcurrency: 2 },
    );

    await expect(handler(event(records))).rejects.toBe(early);
  });
});

describe('per-partition-key concurrency (parallelizationFactor 4)', () => {
  let defineFanout: Define<BatchResponse>;
  let stream: StreamFixtures;
  beforeAll(() => {
    defineFanout = load<{ defineFanoutHandler: Define<BatchResponse> }>('parallel', 'fanout/contract.ts').defineFanoutHandler;
  });
  beforeEach(() => {
    stream = fixtures('parallel');
  });

  /** a#1 b#1 c#1 d#1 a#2 b#2 …: the keys interleave in the stream. */
  const interleaved = (keys: string[], perKey: number) => {
    const records: DynamoDBStreamRecord[] = [];
    for (let n = 1; n <= perKey; n++) for (const key of keys) records.push(stream.insert({ orderId: key, createdAt: n }));
    return records;
  };
  /** Each callback held until the turnstile lets it end: the record started last ends first. */
  const held = (trace: Trace, turnstile: LastInFirstOut): Callback => (change) => trace.run(change, () => turnstile.hold());

  /** For each key, its records' events in the order they happened. */
  const perKey = (trace: Trace, key: string) => trace.events.filter((e) => e.split(' ')[1].startsWith(`${key}#`));

  test('by default keys overlap while each key\'s records run one after another in stream order', async () => {
    const records = interleaved(['a', 'b', 'c', 'd'], 3);
    const trace = new Trace();
    const turnstile = new LastInFirstOut();

    await expect(turnstile.drive(defineFanout(every(held(trace, turnstile)))(event(records)))).resolves.toEqual({ batchItemFailures: [] });

    for (const key of ['a', 'b', 'c', 'd']) {
      expect(perKey(trace, key)).toEqual([`start ${key}#1`, `end ${key}#1`, `start ${key}#2`, `end ${key}#2`, `start ${key}#3`, `end ${key}#3`]);
    }
    expect(trace.maxInFlight).toBe(4);
    // The turnstile did provoke interleaving: completion order is not stream order.
    expect(trace.ended()).not.toEqual(records.map((r) => `${r.dynamodb!.Keys!.orderId.S}#${r.dynamodb!.Keys!.createdAt.N}`));
    expect(trace.ended()).toHaveLength(12);
  });

  test('keyConcurrency caps the keys in flight; 1 runs the batch in stream order', async () => {
    const records = interleaved(['a', 'b', 'c', 'd'], 2);
    const capped = new Trace();
    const cappedTurnstile = new LastInFirstOut();
    await cappedTurnstile.drive(defineFanout(every(held(capped, cappedTurnstile)), { keyConcurrency: 2 })(event(records)));
    const serial = new Trace();
    const serialTurnstile = new LastInFirstOut();
    await serialTurnstile.drive(defineFanout(every(held(serial, serialTurnstile)), { keyConcurrency: 1 })(event(records)));

    expect(capped.maxInFlight).toBe(2);
    expect(serial.maxInFlight).toBe(1);
    expect(serial.ended()).toEqual(['a#1', 'b#1', 'c#1', 'd#1', 'a#2', 'b#2', 'c#2', 'd#2']);
  });

  test('records of one key stay in stream order even when that key\'s records are far apart in the batch', async () => {
    const records = [
      stream.insert({ orderId: 'a', createdAt: 1 }),
      ...Array.from({ length: 6 }, (_, i) => stream.insert({ orderId: 'b', createdAt: i + 1 })),
      stream.modify({ orderId: 'a', createdAt: 1 }, { orderId: 'a', createdAt: 1, status: 'PAID' }),
      stream.remove({ orderId: 'a', createdAt: 1 }),
    ];
    const seen: string[] = [];
    // a's first record waits for b's last one: a gate, not a longer timer, which a loaded machine can outrun.
    const bDone = new Gate();
    const handler = defineFanout({
      onInsert: async (change) => {
        if (label(change) === 'a#1') await bDone.opened;
        seen.push(`insert ${label(change)}`);
        if (label(change) === 'b#6') bDone.open();
      },
      onModify: (change) => void seen.push(`modify ${label(change)}`),
      onRemove: (change) => void seen.push(`remove ${label(change)}`),
    });

    await handler(event(records));

    expect(seen.filter((s) => s.includes(' a#'))).toEqual(['insert a#1', 'modify a#1', 'remove a#1']);
    // b's six records ran while a's first one was still running.
    expect(seen.indexOf('insert a#1')).toBe(6);
  });

  // The contract: after a failure no record starts (running ones finish); the record reported is the batch's first
  // that did not succeed, so its sequence number is <= the lowest failed one and every record before it in the batch
  // succeeded. Records after it may have succeeded too: the retry from the checkpoint runs them again.
  test('after a failure no record starts; the checkpoint is the first record that did not succeed', async () => {
    // Lanes a [0,3,6], b [1,4,7], c [2,5,8]; two workers take a and b, b#2 fails while a#1 runs, c never starts.
    const records = interleaved(['a', 'b', 'c'], 3);
    const trace = new Trace();
    const bFailed = new Gate();
    const handler = defineFanout(
      every((change) =>
        trace.run(change, async () => {
          if (label(change) === 'a#1') await pass(bFailed);
          if (label(change) === 'b#2') {
            bFailed.open();
            throw new Error('b#2 failed');
          }
        }),
      ),
      { keyConcurrency: 2 },
    );

    const response = await handler(event(records));

    const firstFailure = trace.events.findIndex((e) => e.startsWith('fail '));
    expect(trace.events.slice(firstFailure + 1).filter((e) => e.startsWith('start '))).toEqual([]);
    // a#1 was running when b#2 failed: it finished.
    expect(trace.events.slice(firstFailure + 1)).toEqual(['end a#1']);
    expect(trace.started()).not.toContain('c#1');

    const [{ itemIdentifier }] = response.batchItemFailures;
    expect(response.batchItemFailures).toHaveLength(1);
    expect(itemIdentifier).toBe(seq(records[2])); // c#1: never ran
    assertCheckpoint(records, trace, itemIdentifier, [seq(records[4])]);
  });

  test('with several failures the checkpoint is at or before the lowest failed sequence number', async () => {
    // a#1 fails late (after b#1 failed): the lower sequence number wins.
    const records = interleaved(['a', 'b', 'c', 'd'], 2);
    const trace = new Trace();
    const bFailed = new Gate();
    const handler = defineFanout(
      every((change) =>
        trace.run(change, async () => {
          if (label(change) === 'a#1') {
            await pass(bFailed);
            throw new Error('a#1 failed');
          }
          if (label(change) === 'b#1') {
            bFailed.open();
            throw new Error('b#1 failed');
          }
        }),
      ),
    );

    const response = await handler(event(records));

    expect(trace.events.filter((e) => e.startsWith('fail '))).toEqual(['fail b#1', 'fail a#1']);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: seq(records[0]) }] });
    assertCheckpoint(records, trace, seq(records[0]), [seq(records[0]), seq(records[1])]);
  });

  test('records after the checkpoint that succeeded run again on the retry: at least once, not exactly once', async () => {
    // Lanes a [0,3], b [1], c [2]; two workers: a's records run, then c#1 starts before b#1 fails and finishes after.
    const records = [
      stream.insert({ orderId: 'a', createdAt: 1 }),
      stream.insert({ orderId: 'b', createdAt: 1 }),
      stream.insert({ orderId: 'c', createdAt: 1 }),
      stream.insert({ orderId: 'a', createdAt: 2 }),
    ];
    const runs: string[] = [];
    let poisoned = true;
    const cStarted = new Gate();
    const bFailed = new Gate();
    const handler = defineFanout(
      {
        onInsert: async (change) => {
          await nextTurn();
          if (poisoned && change.keys.orderId === 'b') {
            await cStarted.opened;
            bFailed.open();
            throw new Error('b failed');
          }
          if (poisoned && change.keys.orderId === 'c') {
            cStarted.open();
            await pass(bFailed);
          }
          runs.push(label(change));
        },
      },
      { keyConcurrency: 2 },
    );

    const first = await handler(event(records));
    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: seq(records[1]) }] });
    expect(runs.sort()).toEqual(['a#1', 'a#2', 'c#1']);

    // The event source mapping retries from the reported record.
    poisoned = false;
    const from = records.findIndex((r) => seq(r) === first.batchItemFailures[0].itemIdentifier);
    await expect(handler(event(records.slice(from)))).resolves.toEqual({ batchItemFailures: [] });
    expect(runs.filter((r) => r === 'c#1' || r === 'a#2').sort()).toEqual(['a#2', 'a#2', 'c#1', 'c#1']);
    expect(runs.filter((r) => r === 'a#1')).toEqual(['a#1']);
  });
});

/** The checkpoint is <= every failed sequence number and every record before it in the batch succeeded. */
function assertCheckpoint(records: DynamoDBStreamRecord[], trace: Trace, checkpoint: string, failed: string[]): void {
  for (const f of failed) expect(BigInt(checkpoint) <= BigInt(f)).toBe(true);
  const at = records.findIndex((r) => seq(r) === checkpoint);
  expect(at).toBeGreaterThanOrEqual(0);
  for (const record of records.slice(0, at)) expect(trace.succeeded.has(seq(record))).toBe(true);
  expect(trace.succeeded.has(checkpoint)).toBe(false);
}

describe('Time to Live deletions', () => {
  let defineOrdered: Define<BatchResponse>;
  let stream: StreamFixtures;
  const order = { orderId: 'a', createdAt: 1, status: 'NEW', expiresAt: 1704067200 };
  beforeAll(() => {
    defineOrdered = load<{ defineOrderedHandler: Define<BatchResponse> }>('sequential', 'ordered/contract.ts').defineOrderedHandler;
  });
  beforeEach(() => {
    stream = fixtures('sequential');
  });

  test('go to onExpire when given, with expired: true and the old image', async () => {
    const calls: [string, Change][] = [];
    const handler = defineOrdered({ onRemove: (c) => void calls.push(['remove', c]), onExpire: (c) => void calls.push(['expire', c]) });
    const record = stream.ttlRemove(order);

    await expect(handler(event([record]))).resolves.toEqual({ batchItemFailures: [] });

    expect(calls).toEqual([['expire', { record, keys: { orderId: 'a', createdAt: 1 }, sequenceNumber: seq(record), eventName: 'REMOVE', oldImage: order, expired: true }]]);
  });

  test('go to onRemove with expired: true when there is no onExpire', async () => {
    const calls: Change[] = [];
    const handler = defineOrdered({ onRemove: (c) => void calls.push(c) });

    await handler(event([stream.ttlRemove(order)]));

    expect(calls.map((c) => [c.eventName, c.expired])).toEqual([['REMOVE', true]]);
  });

  test('a user\'s delete goes to onRemove with expired: false, never to onExpire', async () => {
    const calls: [string, boolean | undefined][] = [];
    const handler = defineOrdered({ onRemove: (c) => void calls.push(['remove', c.expired]), onExpire: (c) => void calls.push(['expire', c.expired]) });

    await handler(event([stream.remove(order), stream.ttlRemove(order), stream.remove(order)]));

    expect(calls).toEqual([['remove', false], ['expire', true], ['remove', false]]);
  });
});

describe('view types deliver what they promise and nothing more', () => {
  type Case = [ProjectName, string, string, Record<string, unknown>];
  const cases: Case[] = [
    ['sequential', 'ordered', 'NEW_AND_OLD_IMAGES', { orderId: 'a', createdAt: 1 }],
    ['newImage', 'indexer', 'NEW_IMAGE', { id: 'a' }],
    ['oldImage', 'archiver', 'OLD_IMAGE', { id: 'a' }],
    ['keysOnly', 'pinger', 'KEYS_ONLY', { tenant: 42 }],
  ];
  const EXPECTED: Record<string, Record<'INSERT' | 'MODIFY' | 'REMOVE', ('newImage' | 'oldImage')[]>> = {
    NEW_AND_OLD_IMAGES: { INSERT: ['newImage'], MODIFY: ['newImage', 'oldImage'], REMOVE: ['oldImage'] },
    NEW_IMAGE: { INSERT: ['newImage'], MODIFY: ['newImage'], REMOVE: [] },
    OLD_IMAGE: { INSERT: [], MODIFY: ['oldImage'], REMOVE: ['oldImage'] },
    KEYS_ONLY: { INSERT: [], MODIFY: [], REMOVE: [] },
  };

  test.each(cases)('%s (%s, %s)', async (name, consumer, view, key) => {
    const pascal = consumer[0].toUpperCase() + consumer.slice(1);
    const define = load<Record<string, Define<BatchResponse>>>(name, `${consumer}/contract.ts`)[`define${pascal}Handler`];
    const stream = fixtures(name);
    const before = { ...key, status: 'NEW', nested: { n: 1 } };
    const after = { ...key, status: 'PAID', nested: { n: 2 } };
    const changes: Change[] = [];
    const handler = define(every((c) => void changes.push(c)));

    const records = [stream.insert(before), stream.modify(before, after), stream.remove(after)];
    await expect(handler(event(records))).resolves.toEqual({ batchItemFailures: [] });

    const base = ['eventName', 'keys', 'record', 'sequenceNumber'];
    const shape = (eventName: 'INSERT' | 'MODIFY' | 'REMOVE') => [...base, ...EXPECTED[view][eventName], ...(eventName === 'REMOVE' ? ['expired'] : [])].sort();
    expect(changes.map((c) => c.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    for (const change of changes) {
      expect(Object.keys(change).sort()).toEqual(shape(change.eventName));
      expect(change.keys).toEqual(key);
    }
    const [insert, modify, remove] = changes;
    expect([insert.newImage, insert.oldImage]).toEqual([EXPECTED[view].INSERT.includes('newImage') ? before : undefined, undefined]);
    expect([modify.newImage, modify.oldImage]).toEqual([
      EXPECTED[view].MODIFY.includes('newImage') ? after : undefined,
      EXPECTED[view].MODIFY.includes('oldImage') ? before : undefined,
    ]);
    expect([remove.newImage, remove.oldImage]).toEqual([undefined, EXPECTED[view].REMOVE.includes('oldImage') ? after : undefined]);
  });

  // The contract promises order per key only ("The records of one key always run one after another, in stream order");
  // which key finishes first depends on the callbacks' own timing. Timers once ordered the keys here and the test
  // failed under load and on Node 24, so a gate orders them: tenant 1's first record waits for tenant 2's last one.
  test('a number partition key groups records per key under keyConcurrency', async () => {
    const define = load<{ definePingerHandler: Define<BatchResponse> }>('keysOnly', 'pinger/contract.ts').definePingerHandler;
    const stream = fixtures('keysOnly');
    const records = [1, 2, 1, 2, 1].map((tenant) => stream.insert({ tenant }));
    const trace = new Trace();
    const tenantTwoDone = new Gate();
    const handler = define(
      {
        onInsert: (c) =>
          trace.run(c, async () => {
            if (c.sequenceNumber === seq(records[0])) await tenantTwoDone.opened;
            if (c.sequenceNumber === seq(records[3])) tenantTwoDone.open();
          }),
      },
      { keyConcurrency: 2 },
    );

    await expect(handler(event(records))).resolves.toEqual({ batchItemFailures: [] });

    // Tenant 2 ran beside tenant 1's blocked record, and each tenant's records finished in stream order. Were the
    // numbers not grouped into one lane per key, tenant 1's second record would have started beside its first.
    expect(trace.maxInFlight).toBe(2);
    expect([...trace.succeeded]).toEqual([1, 3, 0, 2, 4].map((i) => seq(records[i])));
    expect(trace.ended()).toEqual(['2', '2', '1', '1', '1']);
  });
});

describe('unmarshalling agrees with @aws-sdk/util-dynamodb on Lambda-shaped images', () => {
  let toChange: (record: DynamoDBStreamRecord) => Change;
  let stream: StreamFixtures;
  beforeAll(() => {
    toChange = load<{ toChange: typeof toChange }>('sequential', 'changes.ts').toChange;
  });
  beforeEach(() => {
    stream = fixtures('sequential');
  });

  /** An INSERT whose NewImage is exactly `image`, as the Lambda event carries it. */
  const withImage = (image: AttributeMap): DynamoDBStreamRecord => {
    const record = stream.insert({ orderId: 'a', createdAt: 1 });
    return { ...record, dynamodb: { ...record.dynamodb, NewImage: { orderId: { S: 'a' }, createdAt: { N: '1' }, ...image } } };
  };
  const sdk = (image: AttributeMap | undefined) => unmarshall(image as never);

  const EDGE_IMAGE: AttributeMap = {
    maxSafe: { N: '9007199254740991' },
    minSafe: { N: '-9007199254740991' },
    twoTo53: { N: '9007199254740992' },
    beyond: { N: '9007199254740993' },
    negativeBeyond: { N: '-9007199254740993' },
    huge: { N: '123456789012345678901234567890123456789' },
    decimal: { N: '0.1' },
    negativeZero: { N: '-0' },
    tiny: { N: '1E-130' },
    empty: { S: '' },
    unicode: { S: 'zürich 🦆' },
    yes: { BOOL: true },
    no: { BOOL: false },
    nothing: { NULL: true },
    binary: { B: 'AAEC/w==' },
    strings: { SS: ['b', 'a'] },
    numbers: { NS: ['1', '2.5', '9007199254740993'] },
    binaries: { BS: ['AA==', 'AQ=='] },
    list: { L: [{ S: 'x' }, { N: '1' }, { NULL: true }, { L: [] }, { M: { deep: { BOOL: false } } }] },
    map: { M: { inner: { M: { list: { L: [{ N: '18446744073709551616' }] }, set: { SS: ['s'] } } }, emptyMap: { M: {} } } },
  };

  test('every type and edge value of a NewImage matches the SDK exactly', () => {
    const record = withImage(EDGE_IMAGE);

    const newImage = toChange(record).newImage;

    expect(newImage).toEqual(sdk(record.dynamodb!.NewImage));
    expect(Object.keys(newImage!).sort()).toEqual(Object.keys(sdk(record.dynamodb!.NewImage)).sort());
  });

  test('as documented: numbers beyond 2^53 become bigint, safe ones stay numbers, sets become Set, binary stays base64', () => {
    const image = toChange(withImage(EDGE_IMAGE)).newImage!;

    expect(image.maxSafe).toBe(Number.MAX_SAFE_INTEGER);
    expect(image.minSafe).toBe(Number.MIN_SAFE_INTEGER);
    expect(image.twoTo53).toBe(9007199254740992n);
    expect(image.beyond).toBe(9007199254740993n);
    expect(image.negativeBeyond).toBe(-9007199254740993n);
    expect(image.huge).toBe(123456789012345678901234567890123456789n);
    expect(Object.is(image.negativeZero, -0)).toBe(true);
    expect(image.numbers).toEqual(new Set([1, 2.5, 9007199254740993n]));
    expect(image.strings).toEqual(new Set(['b', 'a']));
    expect(image.binary).toBe('AAEC/w==');
    expect(image.binaries).toEqual(new Set(['AA==', 'AQ==']));
    expect(image.nothing).toBeNull();
    expect(image.no).toBe(false);
    expect((image.map as { inner: { list: unknown[] } }).inner.list).toEqual([18446744073709551616n]);
  });

  test('a non-integer beyond 2^53 (legal in DynamoDB: 38 digits) does not fail the record, where the SDK throws on it', () => {
    const record = withImage({ big: { N: '12345678901234567890.5' } });

    expect(() => sdk(record.dynamodb!.NewImage)).toThrow(/can't be converted to BigInt/);
    // undeclared numbers: as unmarshall gives them, the nearest double where it throws (docs/generated-code.md)
    expect((toChange(record) as unknown as { newImage: { big: unknown } }).newImage.big).toBe(Number('12345678901234567890.5'));
  });

  test('keys, old and new images built by the fixtures (from JavaScript items) round-trip like the SDK', () => {
    const before = { orderId: 'a', createdAt: 1, status: 'NEW', tags: new Set(['x']), blob: new Uint8Array([1, 2, 3]), n: 2n ** 60n };
    const after = { ...before, status: 'PAID', lines: [{ sku: 'k', qty: 2 }], gone: null };
    const record = stream.modify(before, after);

    const change = toChange(record);

    expect(change.keys).toEqual(sdk(record.dynamodb!.Keys));
    expect(change.oldImage).toEqual(sdk(record.dynamodb!.OldImage));
    expect(change.newImage).toEqual(sdk(record.dynamodb!.NewImage));
    expect(change.newImage).toEqual({ ...after, blob: Buffer.from([1, 2, 3]).toString('base64') });
  });
});

describe('tumbling window reducer', () => {
  interface Totals {
    count: number;
    keys: string[];
  }
  const WINDOW = { start: '2024-01-01T00:00:00Z', end: '2024-01-01T00:01:00Z' };
  let defineTally: DefineWindow;
  let stream: StreamFixtures;
  beforeAll(() => {
    defineTally = load<{ defineTallyHandler: DefineWindow }>('parallel', 'tally/contract.ts').defineTallyHandler;
  });
  beforeEach(() => {
    stream = fixtures('parallel');
  });

  const windowEvent = (records: DynamoDBStreamRecord[], state: Record<string, unknown> = {}, final = false): WindowEvent => ({
    Records: records,
    window: WINDOW,
    state,
    shardId: 'shardId-00000001',
    isFinalInvokeForWindow: final,
    isWindowTerminatedEarly: false,
  });
  const inserts = (from: number, count: number) => Array.from({ length: count }, (_, i) => stream.insert({ orderId: `k${from + i}`, createdAt: from + i }));

  function tally(options: { failOn?: Set<string>; ends?: [Totals, WindowInfo][] } = {}): WindowHandlers<Totals> {
    return {
      initialState: () => ({ count: 0, keys: [] }),
      reduce: async (state, change) => {
        await nextTurn();
        if (options.failOn?.has(label(change))) throw new Error(`${label(change)} failed`);
        return { count: state.count + 1, keys: [...state.keys, String(change.keys.orderId)] };
      },
      onWindowEnd: (state, window) => void options.ends?.push([state, window]),
    };
  }

  test('state is carried across invocations, and the final invocation calls onWindowEnd and returns an empty state', async () => {
    const ends: [Totals, WindowInfo][] = [];
    const handler = defineTally(tally({ ends }));

    const first = await handler(windowEvent(inserts(0, 2)));
    const second = await handler(windowEvent(inserts(2, 2), first.state));
    const final = await handler(windowEvent(inserts(4, 1), second.state, true));

    expect(first).toEqual({ state: { value: { count: 2, keys: ['k0', 'k1'] } }, batchItemFailures: [] });
    expect(second).toEqual({ state: { value: { count: 4, keys: ['k0', 'k1', 'k2', 'k3'] } }, batchItemFailures: [] });
    expect(final).toStrictEqual({ state: {}, batchItemFailures: [] });
    expect(ends).toEqual([
      [{ count: 5, keys: ['k0', 'k1', 'k2', 'k3', 'k4'] }, { ...WINDOW, shardId: 'shardId-00000001', terminatedEarly: false }],
    ]);
  });

  test('a final invocation without records ends the window with the carried state', async () => {
    const ends: [Totals, WindowInfo][] = [];
    const handler = defineTally(tally({ ends }));

    const response = await handler(windowEvent([], { value: { count: 7, keys: [] } }, true));

    expect(response).toStrictEqual({ state: {}, batchItemFailures: [] });
    expect(ends.map(([s]) => s)).toEqual([{ count: 7, keys: [] }]);
  });

  test('a failure returns the state from before the failed record and reports it; nothing after it is folded, the window does not end', async () => {
    const ends: [Totals, WindowInfo][] = [];
    const records = inserts(0, 4);
    const handler = defineTally(tally({ failOn: new Set(['k2#2']), ends }));

    const response = await handler(windowEvent(records, { value: { count: 10, keys: ['earlier'] } }, true));

    expect(response).toStrictEqual({
      state: { value: { count: 12, keys: ['earlier', 'k0', 'k1'] } },
      batchItemFailures: [{ itemIdentifier: seq(records[2]) }],
    });
    expect(ends).toEqual([]);
  });

  test('retrying from the reported record with the returned state folds every record exactly once', async () => {
    const ends: [Totals, WindowInfo][] = [];
    const records = inserts(0, 5);
    const failOn = new Set(['k3#3']);
    const handler = defineTally(tally({ failOn, ends }));

    const failed = await handler(windowEvent(records, {}, true));
    failOn.clear();
    const from = records.findIndex((r) => seq(r) === failed.batchItemFailures![0].itemIdentifier);
    const retried = await handler(windowEvent(records.slice(from), failed.state, true));

    expect(retried).toStrictEqual({ state: {}, batchItemFailures: [] });
    expect(ends.map(([s]) => s)).toEqual([{ count: 5, keys: ['k0', 'k1', 'k2', 'k3', 'k4'] }]);
  });

  test('an event without a window is refused', async () => {
    await expect(defineTally(tally())({ Records: [] })).rejects.toThrow('The event has no tumbling window: is tumblingWindowSeconds deployed?');
  });

  test('with reportBatchItemFailures off, a failure throws and a success returns only the state', async () => {
    const defineStrictTally = load<{ defineStrictTallyHandler: DefineWindow }>('newImage', 'strict-tally/contract.ts').defineStrictTallyHandler;
    const idStream = fixtures('newImage');
    const records = [idStream.insert({ id: 'a' }), idStream.insert({ id: 'b' })];
    const error = new Error('b failed');
    const handler = defineStrictTally<number>({
      initialState: () => 0,
      reduce: (state, change) => {
        if (change.keys.id === 'b') throw error;
        return state + 1;
      },
    });

    await expect(handler({ ...windowEvent(records) })).rejects.toBe(error);
    await expect(handler(windowEvent(records.slice(0, 1), { value: 3 }))).resolves.toStrictEqual({ state: { value: 4 } });
  });
});
