/**
 * Ctrl-C in a terminal sends SIGINT to the whole foreground process group, not only to the runner. DynamoDB Local
 * must not stop with it: the runner promises to finish the batch in flight and write its checkpoints first, and
 * then stops DynamoDB Local itself.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { readHandlerLog, runCli, tempDir, writeVersions } from './helpers';
import { freePort, localClients } from '../../../src/runtime/local';
import { isAlive } from '../../../src/runtime/local/state/process-identity';
import { waitFor } from '../../conditions';

jest.setTimeout(300_000);

test('Ctrl-C to the process group: DynamoDB Local outlives the batch in flight, then the runner stops it and exits 0', async () => {
  // GIVEN the runner CLI in its own process group, as a terminal starts a foreground job, with a slow handler (its
  // 4 s batch is the scenario: the batch in flight when Ctrl-C comes) that notes, as it finishes, whether DynamoDB
  // Local is alive
  const stateDir = tempDir('ctrl-c');
  const log = join(stateDir, 'handler.log');
  const witness = join(stateDir, 'witness.log');
  const pidFile = join(stateDir, 'ddb', 'dynamodb-local.pid');
  const port = await freePort();
  const runner = runCli(
    'local',
    ['--config', 'test/runtime/local/fixtures/app-config.ts', '--consumer', 'audit', '--handler', 'test/runtime/local/fixtures/handler.ts', '--state-dir', stateDir, '--port', String(port)],
    { HANDLER_LOG: log, HANDLER_DELAY_MS: '4000', HANDLER_WITNESS_PID_FILE: pidFile, HANDLER_WITNESS_LOG: witness },
    undefined,
    { detached: true },
  );
  await runner.waitFor(/reading shardId/, 180_000);
  const jvm = Number(readFileSync(pidFile, 'utf8'));
  const clients = localClients(`http://127.0.0.1:${port}`);
  await writeVersions(clients.dynamodb, 'local-table', 3, 1);
  clients.destroy();
  await waitFor(() => readHandlerLog(log).length > 0, { what: 'the handler to receive its first batch', timeoutMs: 60_000, detail: runner.stderr });

  // WHEN the terminal's Ctrl-C reaches every process of the group while the handler works on its batch
  process.kill(-runner.child.pid!, 'SIGINT');
  await runner.waitFor(/SIGINT: finishing the batch in flight/);

  // THEN DynamoDB Local was still up when the batch in flight finished (the handler saw it as it returned); the
  // runner stops cleanly, and stops DynamoDB Local
  expect(await runner.exited).toBe(0);
  const seenAtBatchEnd = existsSync(witness) ? readFileSync(witness, 'utf8').split('\n').filter((l) => l !== '') : [];
  expect(seenAtBatchEnd).toContain('alive');
  expect(seenAtBatchEnd).not.toContain('gone');
  expect(runner.stderr()).toMatch(/stopped on request/);
  expect(runner.stderr()).not.toMatch(/unexpected error|ECONNREFUSED/);
  await waitFor(() => !isAlive(jvm), { what: `DynamoDB Local (pid ${jvm}) to exit after the runner stopped it`, timeoutMs: 10_000, everyMs: 100 });
});
