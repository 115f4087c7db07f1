/**
 * Durability of the local runner as a real command-line program: kill -9 mid-stream, restart, and nothing is lost;
 * what ran twice is counted and reported, and matches what the handler really saw twice. Then a clean Ctrl-C.
 */
import { join } from 'path';
import { firstSeenOrder, readHandlerLog, runCli, tempDir, writeVersions } from './helpers';
import { freePort, localClients } from '../../../src/runtime/local';
import { waitFor } from '../../conditions';

// Three DynamoDB Local starts: minutes on a loaded machine.
jest.setTimeout(400_000);

test('kill -9 of the runner mid-stream and a restart lose nothing; duplicates are counted and reported', async () => {
  // GIVEN the runner CLI with a slow handler
  const stateDir = tempDir('kill-restart');
  const log = join(stateDir, 'handler.log');
  const port = await freePort();
  const args = [
    '--config', 'test/runtime/local/fixtures/app-config.ts',
    '--consumer', 'audit',
    '--handler', 'test/runtime/local/fixtures/handler.ts',
    '--state-dir', stateDir,
    '--port', String(port),
  ];
  const first = runCli('local', args, { HANDLER_LOG: log, HANDLER_DELAY_MS: '100' });
  await first.waitFor(/local: DynamoDB Local at/, 180_000);

  // WHEN 400 items are written and the runner is killed with SIGKILL while handling them
  const clients = localClients(`http://127.0.0.1:${port}`);
  const writing = writeVersions(clients.dynamodb, 'local-table', 40, 10);
  await waitFor(() => readHandlerLog(log).length >= 100, { what: 'the handler to log 100 records before the kill', timeoutMs: 300_000, detail: first.stderr });
  first.child.kill('SIGKILL');
  await first.exited;
  const beforeKill = readHandlerLog(log).length;
  // The killed runner's DynamoDB Local is still up, so the writes complete.
  const written = await writing;
  clients.destroy();
  expect(beforeKill).toBeLessThan(written);

  // AND it is started again on the same state dir (its DynamoDB Local, left running by the kill, is replaced)
  const second = runCli('local', [...args, '--stop-when-idle', '5'], { HANDLER_LOG: log });
  const code = await second.exited;
  process.stdout.write(`restart:\n${second.stderr().split('\n').filter((l) => !/^polled /.test(l)).join('\n')}\n`);
  expect(code).toBe(0);

  // THEN every item was handled, each key's versions in order
  const lines = readHandlerLog(log);
  const unique = new Set(lines.map((l) => l.seq));
  expect(unique.size).toBe(written);
  for (const versions of firstSeenOrder(lines).values()) expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  // AND the redeliveries the runner reports are exactly the records the handler saw twice
  const duplicates = lines.length - unique.size;
  const reported = Number(/(\d+) redelivered after the previous unclean stop/.exec(second.stderr())?.[1] ?? 0);
  expect(reported).toBe(duplicates);
  expect(second.stderr()).toMatch(/previous run stopped uncleanly/);
  process.stdout.write(`kill -9 after ${beforeKill} handled records of ${written}: ${duplicates} redelivered on restart (reported ${reported})\n`);

  // AND a clean stop (SIGINT) after more writes leaves nothing to redeliver
  const third = runCli('local', args, { HANDLER_LOG: log });
  await third.waitFor(/reading shardId/, 180_000);
  const more = localClients(`http://127.0.0.1:${port}`);
  await writeVersions(more.dynamodb, 'local-table', 5, 1, () => ({ version: { N: '11' } }));
  more.destroy();
  await waitFor(() => new Set(readHandlerLog(log).map((l) => l.seq)).size >= written + 5, {
    what: `the third run to handle the 5 new records (${written + 5} distinct in all)`,
    timeoutMs: 120_000,
    everyMs: 50,
    detail: third.stderr,
  });
  third.child.kill('SIGINT');
  expect(await third.exited).toBe(0);
  expect(third.stderr()).toMatch(/SIGINT: finishing the batch in flight/);
  expect(third.stderr()).toMatch(/stopped on request.*\b0 redelivered after the previous unclean stop/);
});
