/**
 * `startingPosition: LATEST` through the real CLI on DynamoDB Local: the position is fixed at the consumer's first
 * start and kept, across clean stops and kill -9, so no run delivers what was written before that first start, and
 * every run delivers what was written after it (also while the runner was stopped).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { tableConfig } from './fixtures/app-config';
import { type CliRun, readHandlerLog, runCli, tempDir } from './helpers';
import { type CheckpointState, type DynamoDbLocal, ensureTable, freePort, localClients, openLocalSession, startDynamoDbLocal } from '../../../src/runtime/local';

// DynamoDB Local starts (the kill -9 test's runner starts its own, as a user's does): minutes on a loaded machine.
jest.setTimeout(600_000);

/** Where a run's DynamoDB Local is: the one the runner starts on a port, or one this file shares, with a table per test. */
type Target = { readonly port: number } | { readonly endpoint: string; readonly table: string };

let shared: DynamoDbLocal;
beforeAll(async () => {
  shared = await startDynamoDbLocal({ dbPath: join(tempDir('latest-ddb'), 'ddb'), port: await freePort() });
});
afterAll(async () => {
  await shared?.stop();
});

/** Writes items with no runner running, into the table the runner reads (created as the runner creates it). */
async function writeWithoutRunner(stateDir: string, target: Target, keys: readonly string[]): Promise<void> {
  const session = 'port' in target ? await openLocalSession({ stateDir, lock: { purpose: 'local', consumers: [] }, port: target.port }) : undefined;
  const clients = session?.clients ?? localClients((target as { endpoint: string }).endpoint);
  const table = 'table' in target ? target.table : 'local-table';
  try {
    await ensureTable(clients.dynamodb, table, tableConfig, stateDir);
    for (const pk of keys) await clients.dynamodb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, version: { N: '1' } } }));
  } finally {
    if (session) await session.release();
    else clients.destroy();
  }
}

function cliArgs(stateDir: string, target: Target): string[] {
  return [
    '--config', 'test/runtime/local/fixtures/latest-config.ts',
    '--handler', 'test/runtime/local/fixtures/handler.ts',
    '--state-dir', stateDir,
    ...('port' in target ? ['--port', String(target.port)] : ['--endpoint', target.endpoint, '--table', target.table]),
  ];
}

/** A run until idle: its exit code, and its notices and summary (without the progress lines). */
async function idleRun(stateDir: string, target: Target, log: string): Promise<{ code: number | null; lines: string[] }> {
  const run = runCli('local', [...cliArgs(stateDir, target), '--stop-when-idle', '2'], { HANDLER_LOG: log });
  const code = await run.exited;
  return { code, lines: notices(run) };
}

function notices(run: CliRun): string[] {
  return run.stderr().split('\n').filter((l) => /reading shardId|skipping|stopped|seeded/.test(l));
}

const handled = (log: string) => readHandlerLog(log).map((l) => l.pk);

test('LATEST is fixed at the first start: runs 1 and 2 read nothing written before it, run 3 gets only what came between runs', async () => {
  // GIVEN two items written before the consumer first started
  const stateDir = tempDir('latest-clean');
  const log = join(stateDir, 'handler.log');
  const target = { endpoint: shared.endpoint, table: 'latest-clean' };
  await writeWithoutRunner(stateDir, target, ['before-1', 'before-2']);

  // WHEN it runs a first time and a second time, stopping cleanly each time
  const run1 = await idleRun(stateDir, target, log);
  const run2 = await idleRun(stateDir, target, log);
  // AND an item is written while no runner runs, then it runs a third time
  await writeWithoutRunner(stateDir, target, ['between']);
  const run3 = await idleRun(stateDir, target, log);
  process.stdout.write(`run 1:\n${run1.lines.join('\n')}\nrun 2:\n${run2.lines.join('\n')}\nrun 3:\n${run3.lines.join('\n')}\n`);

  // THEN runs 1 and 2 read from the LATEST position taken at the first start, after the two items, and read nothing
  for (const run of [run1, run2]) {
    expect(run.code).toBe(0);
    expect(run.lines.join('\n')).toMatch(/reading shardId\S+ from LATEST as fixed at the consumer's first start \(\S+\): after \d+, the shard's last record then/);
    expect(run.lines.join('\n')).toMatch(/stopped \(idle\): read 0 records/);
  }
  // AND run 3 delivers the item written between runs and nothing written before the first start
  expect(run3.code).toBe(0);
  expect(run3.lines.join('\n')).toMatch(/stopped \(idle\): read 1 record;/);
  expect(handled(log)).toEqual(['between']);
  // AND the checkpoint state says where LATEST was taken, and when
  const state = JSON.parse(readFileSync(join(stateDir, 'checkpoints', 'audit.json'), 'utf8')) as CheckpointState;
  expect(state.start).toMatchObject({ startingPosition: 'LATEST' });
  const shards = Object.values(state.shards);
  expect(shards.some((s) => s.latest?.after !== undefined && s.latest.after !== null)).toBe(true);
});

test('a kill -9 during the first run keeps the LATEST position: the restart delivers only what was written after the first start', async () => {
  // GIVEN two items written before the consumer first started
  const stateDir = tempDir('latest-kill');
  const log = join(stateDir, 'handler.log');
  const port = await freePort();
  const target = { port };
  await writeWithoutRunner(stateDir, target, ['before-1', 'before-2']);

  // WHEN the first run has taken its position and is killed with SIGKILL
  const first = runCli('local', cliArgs(stateDir, target), { HANDLER_LOG: log });
  await first.waitFor(/reading shardId\S+ from LATEST/, 180_000);
  first.child.kill('SIGKILL');
  await first.exited;
  // AND an item is written to its DynamoDB Local, which the kill left running
  const clients = localClients(`http://127.0.0.1:${port}`);
  await clients.dynamodb.send(new PutItemCommand({ TableName: 'local-table', Item: { pk: { S: 'after-kill' }, version: { N: '1' } } }));
  clients.destroy();
  // AND it is started again (twice: the second restart must not go back either)
  const second = await idleRun(stateDir, target, log);
  const third = await idleRun(stateDir, target, log);
  process.stdout.write(`kill -9 run 1:\n${notices(first).join('\n')}\nrestart:\n${second.lines.join('\n')}\nrestart again:\n${third.lines.join('\n')}\n`);

  // THEN the restart delivers the item written after the first start, and none written before it
  expect(second.code).toBe(0);
  expect(second.lines.join('\n')).toMatch(/reading shardId\S+ from LATEST as fixed at the consumer's first start/);
  expect(second.lines.join('\n')).toMatch(/stopped \(idle\): read 1 record;/);
  expect(third.lines.join('\n')).toMatch(/stopped \(idle\): read 0 records/);
  expect(handled(log)).toEqual(['after-kill']);
});

test('a LATEST consumer first started on a stream with no record yet reads, on the next run, everything written after that start', async () => {
  // GIVEN a table with no item when the consumer first starts
  const stateDir = tempDir('latest-empty');
  const log = join(stateDir, 'handler.log');
  const target = { endpoint: shared.endpoint, table: 'latest-empty' };
  await writeWithoutRunner(stateDir, target, []);
  const run1 = await idleRun(stateDir, target, log);

  // WHEN items are written while no runner runs, and it starts again
  await writeWithoutRunner(stateDir, target, ['later-1', 'later-2']);
  const run2 = await idleRun(stateDir, target, log);
  process.stdout.write(`empty at first start, run 1:\n${run1.lines.join('\n')}\nrun 2:\n${run2.lines.join('\n')}\n`);

  // THEN nothing is skipped: the shard had nothing before the first start, so all of it comes after
  expect(run1.code).toBe(0);
  expect(run1.lines.join('\n')).toMatch(/stopped \(idle\): read 0 records/);
  expect(run2.code).toBe(0);
  expect(run2.lines.join('\n')).toMatch(/stopped \(idle\): read 2 records;/);
  expect(handled(log)).toEqual(['later-1', 'later-2']);
});
