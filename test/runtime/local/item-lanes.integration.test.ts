/**
 * The local runner on a real DynamoDB Local assigns parallelization lanes by item, as AWS states it (with-ddb: "When
 * you increase the number of concurrent batches per shard, Lambda still ensures in-order processing at the item
 * (partition and sort key) level."): the items of one partition key spread over lanes, each item stays in order.
 */
import { consumerConfig } from './fixtures/app-config';
import { tempDir, writeVersions } from './helpers';
import type { TableConfig } from '../../../src/runtime/config';
import type { EmulatedContext, EmulatedEvent } from '../../../src/runtime/emulator/types';
import { localClients, startLocalRunner } from '../../../src/runtime/local';

// One DynamoDB Local start per test: up to a minute or more on a loaded machine.
jest.setTimeout(180_000);

// one partition key ("tenant-1"), 20 sort keys (`pk` holds key-0 .. key-19): 20 items of one partition key
const table: TableConfig = {
  partitionKey: { name: 'tenant', type: 'S' },
  sortKey: { name: 'pk', type: 'S' },
  attributes: [{ name: 'version', type: 'N' }],
  streamViewType: 'NEW_AND_OLD_IMAGES',
};

async function runWithFactor(parallelizationFactor: number): Promise<{ lanes: Set<number>; versionsOf: Map<string, number[]> }> {
  const lanes = new Set<number>();
  const versionsOf = new Map<string, number[]>();
  const handler = (event: EmulatedEvent, context: EmulatedContext) => {
    lanes.add(context.emulator.lane);
    for (const r of event.Records) {
      const item = `${r.dynamodb.Keys.tenant.S}/${r.dynamodb.Keys.pk.S}`;
      versionsOf.set(item, [...(versionsOf.get(item) ?? []), Number(r.dynamodb.NewImage!.version.N)]);
    }
  };
  const runner = await startLocalRunner({
    app: { table, consumers: [consumerConfig({ parallelizationFactor, batchSize: 5 })] },
    handler,
    stateDir: tempDir('item-lanes'),
    port: 0,
    progress: false,
    log: () => undefined,
    stopWhenIdleMs: 1500,
  });
  const clients = localClients(runner.endpoint);
  await writeVersions(clients.dynamodb, runner.tableName, 20, 2, () => ({ tenant: { S: 'tenant-1' } }));
  clients.destroy();
  const summary = await runner.done;
  expect(summary.reason).toBe('idle');
  process.stdout.write(`local runner, 20 items of one partition key, factor ${parallelizationFactor}: lanes used ${[...lanes].sort().join(', ')}\n`);
  return { lanes, versionsOf };
}

test('GIVEN 20 items of one partition key, each written twice WHEN parallelizationFactor is 4 THEN more than one lane handles them, each item in order', async () => {
  const { lanes, versionsOf } = await runWithFactor(4);
  expect(lanes.size).toBeGreaterThan(1);
  expect(versionsOf.size).toBe(20);
  for (const versions of versionsOf.values()) expect(versions).toEqual([1, 2]);
});

test('WHEN parallelizationFactor is 1 THEN one lane handles them all', async () => {
  const { lanes, versionsOf } = await runWithFactor(1);
  expect([...lanes]).toEqual([0]);
  expect(versionsOf.size).toBe(20);
});
