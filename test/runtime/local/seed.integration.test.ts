/**
 * `--seed` on a real DynamoDB Local: the writes exercise every kind of change the consumer receives, with the
 * values its filters deliver, and seeding an existing table again adds new stream records.
 */
import { existsSync } from 'fs';
import { join } from 'path';
import { consumerConfig } from './fixtures/app-config';
import { tempDir } from './helpers';
import type { ConsumerConfig, TableConfig } from '../../../src/runtime/config';
import type { EmulatedEvent } from '../../../src/runtime/emulator/types';
import { describeReach, describeSeed, startLocalRunner } from '../../../src/runtime/local';

jest.setTimeout(300_000);

const table: TableConfig = {
  partitionKey: { name: 'orderId', type: 'S' },
  sortKey: { name: 'createdAt', type: 'N' },
  attributes: [{ name: 'status', type: 'S' }, { name: 'total', type: 'N' }],
  streamViewType: 'NEW_AND_OLD_IMAGES',
};

interface Seen {
  readonly eventName: string;
  readonly orderId: string;
  readonly oldStatus?: string;
  readonly newStatus?: string;
}

/** One run of the local runner with `--seed n`, until idle; what the handler saw and what was logged. */
async function seedRun(stateDir: string, consumer: ConsumerConfig, seed: number, onTable: TableConfig = table) {
  const seen: Seen[] = [];
  const logs: string[] = [];
  const handler = (event: EmulatedEvent) => {
    for (const r of event.Records) {
      seen.push({
        eventName: r.eventName,
        orderId: r.dynamodb.Keys.orderId.S!,
        ...(r.dynamodb.OldImage ? { oldStatus: r.dynamodb.OldImage.status?.S } : {}),
        ...(r.dynamodb.NewImage ? { newStatus: r.dynamodb.NewImage.status?.S } : {}),
      });
    }
  };
  const runner = await startLocalRunner({
    app: { table: onTable, consumers: [consumer] },
    handler,
    stateDir,
    port: 0,
    seed,
    progress: false,
    log: (m) => logs.push(m),
    stopWhenIdleMs: 1500,
  });
  const summary = await runner.done;
  return { seen, logs, summary };
}

test('without filters, a seed writes inserts, modifications with distinct images, and removals', async () => {
  const { seen, logs, summary } = await seedRun(tempDir('seed-all'), consumerConfig(), 6);

  expect(logs).toContain('seeded 6 changes (4 inserts, 1 modification, 1 removal) into "local-table": audit receives 6');
  expect(seen.map((s) => s.eventName)).toEqual(['INSERT', 'INSERT', 'MODIFY', 'INSERT', 'REMOVE', 'INSERT']);
  const modify = seen.find((s) => s.eventName === 'MODIFY')!;
  expect(modify.oldStatus).not.toEqual(modify.newStatus);
  expect(summary.metrics).toMatchObject({ polledEvents: 6, invokedEvents: 6, filteredOutEvents: 0 });
});

test("on a table with keys only (the scaffold's default), a seed inserts and removes: a put that changes nothing makes no stream record", async () => {
  const keysOnly: TableConfig = { partitionKey: { name: 'orderId', type: 'S' }, attributes: [], streamViewType: 'NEW_AND_OLD_IMAGES' };

  const { seen, logs, summary } = await seedRun(tempDir('seed-keys-only'), consumerConfig(), 3, keysOnly);

  expect(logs).toContain('seeded 3 changes (2 inserts, 1 removal) into "local-table": audit receives 3');
  expect(seen.map((s) => s.eventName)).toEqual(['INSERT', 'INSERT', 'REMOVE']);
  expect(summary.metrics).toMatchObject({ polledEvents: 3, invokedEvents: 3 });
});

test('with a filter on MODIFY to "PAID", the seeded modifications reach the handler and the rest is filtered', async () => {
  const consumer = consumerConfig({ filters: [{ eventName: ['MODIFY'], dynamodb: { NewImage: { status: { S: ['PAID'] } } } }] });
  const stateDir = tempDir('seed-filtered');

  const first = await seedRun(stateDir, consumer, 6);

  // the line says how many of the changes pass the filter: as many as reach the handler
  expect(first.logs).toContain('seeded 6 changes (3 inserts, 3 modifications) into "local-table": audit receives 3 (3 filtered out)');
  expect(first.seen).toHaveLength(3);
  for (const s of first.seen) expect(s).toMatchObject({ eventName: 'MODIFY', newStatus: 'PAID' });
  expect(first.summary.metrics).toMatchObject({ polledEvents: 6, invokedEvents: 3, filteredOutEvents: 3 });
  // AND a clean stop leaves no in-flight marks behind
  expect(existsSync(join(stateDir, 'checkpoints', 'audit.inflight.json'))).toBe(false);
  expect(existsSync(join(stateDir, 'checkpoints', 'audit.json'))).toBe(true);

  // WHEN seeding the same (existing) table again THEN new items are written, so new records reach the handler
  const second = await seedRun(stateDir, consumer, 4);

  expect(second.logs).toContain('seeded 4 changes (2 inserts, 2 modifications) into "local-table": audit receives 2 (2 filtered out)');
  expect(second.seen).toHaveLength(2);
  const before = new Set(first.seen.map((s) => s.orderId));
  for (const s of second.seen) expect(before.has(s.orderId)).toBe(false);
});

test('describeSeed says what was written, leaving out kinds with none, and the puts that made no stream record', () => {
  expect(describeSeed({ inserts: 1, modifies: 0, removes: 0, firstIndex: 0 })).toBe('1 change (1 insert)');
  expect(describeSeed({ inserts: 2, modifies: 1, removes: 1, firstIndex: 4 })).toBe('4 changes (2 inserts, 1 modification, 1 removal)');
  expect(describeSeed({ inserts: 0, modifies: 0, removes: 0, unchanged: 1 })).toBe('0 changes (1 put changed nothing (the item was already as given), so no stream record)');
});

test('describeReach names each consumer with what it receives, and what its filters drop when they drop some', () => {
  expect(describeReach([{ consumer: 'audit', receives: 3, filteredOut: 2 }, { consumer: 'stats', receives: 5, filteredOut: 0 }])).toBe('audit receives 3 (2 filtered out), stats receives 5');
});
