/**
 * Ctrl-C in a terminal sends SIGINT to the whole foreground process group, not only to the runner. DynamoDB Local
 * must not stop with it: the runner promises to finish the batch in flight and write its checkpoints first, and
 * then stops DynamoDB Local itself.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { readHandlerLog, runCli, tempDir, writeVersions } from './helpers';
import { freePort, localClients } from '../../../src/runtime/local';
import { isAlive } from '../../../src/runtime/local/state/process-identity';

jest.setTimeout(300_000);

test('Ctrl-C to the process group: DynamoDB Local outlives the batch in flight, then the runner stops it and exits 0', async () => {
  // GIVEN the runner CLI in its own process group, as a terminal starts a foreground job, with a slow handler
  const stateDir = tempDir('ctrl-c');
  const log = join(stateDir, 'handler.log');
  const port = await freePort();
  const runner = runCli(
    'local',
    ['--config', 'test/runtime/local/fixtures/app-config.ts', '--consumer', 'audit', '--handler', 'test/runtime/local/fixtures/handler.ts', '--state-dir', stateDir, '--port', String(port)],
    { HANDLER_LOG: log, HANDLER_DELAY_MS: '4000' },
    undefined,
    { detached: true },
  );
  await runner.waitFor(/reading shardId/, 180_000);
  const jvm = Number(readFileSync(join(stateDir, 'ddb', 'dynamodb-local.pid'), 'utf8'));
  const clients = localClients(`http://127.0.0.1:${port}`);
  await writeVersions(clients.dynamodb, 'local-table', 3, 1);
  clients.destroy();
  while (readHandlerLog(log).length === 0) await new Promise((r) => setTimeout(r, 20));

  // WHEN the terminal's Ctrl-C reaches every process of the group while the handler works on its batch
  process.kill(-runner.child.pid!, 'SIGINT');
  await new Promise((r) => setTimeout(r, 1000));

  // THEN DynamoDB Local is still up while the batch finishes; the runner stops cleanly, and stops DynamoDB Local
  expect(isAlive(jvm)).toBe(true);
  expect(await runner.exited).toBe(0);
  expect(runner.stderr()).toMatch(/stopped on request/);
  expect(runner.stderr()).not.toMatch(/unexpected error|ECONNREFUSED/);
  const deadline = Date.now() + 10_000;
  while (isAlive(jvm) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(isAlive(jvm)).toBe(false);
});
