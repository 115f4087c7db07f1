/**
 * A local table made from an older table definition: the runner refuses it in one line and offers its own safe
 * `--reset`, in the form of the task the user ran, and that command does start afresh.
 */
import { runCli, tempDir } from './helpers';

// Three DynamoDB Local starts: minutes on a loaded machine.
jest.setTimeout(400_000);

const FIXTURE = 'test/runtime/local/fixtures/app-config.ts';
const HANDLER = ['--consumer', 'audit', '--handler', 'test/runtime/local/fixtures/handler.ts'];
const TASK = { DDB_STREAM_TASK: 'local:audit' };

test('GIVEN a local table streaming NEW_AND_OLD_IMAGES WHEN the options say NEW_IMAGE THEN the runner offers --reset as the task the user ran, which works', async () => {
  const stateDir = tempDir('table-mismatch');
  const args = (config: string) => ['--config', `${FIXTURE}#${config}`, ...HANDLER, '--state-dir', stateDir, '--port', '0', '--stop-when-idle', '1'];
  expect(await runCli('local', args('appConfig'), TASK).exited).toBe(0);

  const refused = runCli('local', args('newImageConfig'), TASK);
  expect(await refused.exited).toBe(1);
  expect(refused.stderr().trim()).toBe(
    'ddb-stream-local: local table "local-table" streams NEW_AND_OLD_IMAGES but table.streamViewType is NEW_IMAGE: ' +
      `start again with --reset, which deletes only the runner's state folder ${stateDir} (its table, checkpoints and ` +
      'failure files: redrive failures you still need first) and creates the table from the definition: npx projen local:audit -- --reset',
  );

  const reset = runCli('local', [...args('newImageConfig'), '--reset'], TASK);
  expect(await reset.exited).toBe(0);
});
