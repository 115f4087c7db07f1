/**
 * The local runner against a real DynamoDB Local (started and stopped by the runner): every item written is
 * handled, in order per item key, with the consumer's batch size, and the checkpoint ends at the last record.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { consumerConfig, tableConfig } from './fixtures/app-config';
import { tempDir, writeVersions } from './helpers';
import type { EmulatedEvent } from '../../../src/runtime/emulator/types';
import { localClients, startLocalRunner } from '../../../src/runtime/local';

// One DynamoDB Local start: up to a minute or more on a loaded machine.
jest.setTimeout(180_000);

test('N items written are all processed, in order per item key', async () => {
  // GIVEN a runner on a fresh state dir with a handler that records what it sees
  const stateDir = tempDir('local-runner');
  const seen: { pk: string; version: number }[] = [];
  const batchSizes: number[] = [];
  const handler = (event: EmulatedEvent) => {
    batchSizes.push(event.Records.length);
    for (const r of event.Records) seen.push({ pk: r.dynamodb.Keys.pk.S!, version: Number(r.dynamodb.NewImage!.version.N) });
  };
  const runner = await startLocalRunner({
    app: { table: tableConfig, consumers: [consumerConfig({ batchSize: 25 })] },
    handler,
    stateDir,
    port: 0,
    progress: false,
    log: () => undefined,
    stopWhenIdleMs: 1500,
  });

  // WHEN 30 keys get 10 versions each (300 items) while it runs
  const clients = localClients(runner.endpoint);
  const written = await writeVersions(clients.dynamodb, runner.tableName, 30, 10);
  clients.destroy();
  const summary = await runner.done;

  // THEN every item was handled once, each key's versions in write order, in batches of at most 25
  expect(summary.reason).toBe('idle');
  expect(seen).toHaveLength(written);
  const byKey = new Map<string, number[]>();
  for (const s of seen) byKey.set(s.pk, [...(byKey.get(s.pk) ?? []), s.version]);
  expect(byKey.size).toBe(30);
  for (const versions of byKey.values()) expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  expect(Math.max(...batchSizes)).toBeLessThanOrEqual(25);
  expect(summary.metrics).toMatchObject({ polledEvents: 300, invokedEvents: 300, failedInvokeEvents: 0, droppedEvents: 0 });
  expect(summary.redelivered).toBe(0);
  // AND the durable checkpoint names the last record of the shard
  const checkpoint = JSON.parse(readFileSync(summary.checkpointFile, 'utf8'));
  const shards = Object.values(checkpoint.shards) as { sequenceNumber: string }[];
  expect(shards).toHaveLength(1);
  expect(BigInt(shards[0].sequenceNumber)).toBeGreaterThanOrEqual(300n);
  expect(existsSync(join(stateDir, 'ddb', 'shared-local-instance.db'))).toBe(true);
  // AND DynamoDB Local was stopped (its pid file is gone)
  expect(existsSync(join(stateDir, 'ddb', 'dynamodb-local.pid'))).toBe(false);
});
