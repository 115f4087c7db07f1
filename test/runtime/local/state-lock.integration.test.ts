/**
 * A state folder has one live user. A pid file naming a foreign process leaves that process alone; a second runner
 * on a live runner's folder refuses in one line, naming it, and never touches its DynamoDB Local; a lock left by a
 * killed runner (or naming a recycled pid) is taken over; two consumers run by one runner each see every record.
 */
import { spawn } from 'child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { consumerConfig, tableConfig } from './fixtures/app-config';
import { readHandlerLog, runCli, tempDir, tempRepoWithHandlers, writeVersions } from './helpers';
import type { EmulatedEvent } from '../../../src/runtime/emulator/types';
import { localClients, startLocalRunner } from '../../../src/runtime/local';
import { isAlive } from '../../../src/runtime/local/state/process-identity';
import { waitFor } from '../../conditions';

jest.setTimeout(120_000);

const FIXTURES = join(__dirname, 'fixtures');

function collecting() {
  const seen: string[] = [];
  const handler = (event: EmulatedEvent) => {
    for (const r of event.Records) seen.push(r.dynamodb.SequenceNumber);
  };
  return { seen, handler };
}

test('a pid file naming a process that is not our DynamoDB Local: the process is left alone, and the runner says so', async () => {
  // GIVEN a state folder whose DynamoDB Local pid file names a live foreign process (as after a reboot)
  const stateDir = tempDir('foreign-pid');
  const foreign = spawn('sleep', ['300'], { stdio: 'ignore' });
  mkdirSync(join(stateDir, 'ddb'), { recursive: true });
  writeFileSync(join(stateDir, 'ddb', 'dynamodb-local.pid'), String(foreign.pid));
  const notices: string[] = [];
  try {
    // WHEN a runner starts on it
    const { handler } = collecting();
    const runner = await startLocalRunner({
      app: { table: tableConfig, consumers: [consumerConfig()] },
      handler,
      stateDir,
      port: 0,
      progress: false,
      log: (m) => notices.push(m),
    });
    await runner.stop();

    // THEN the foreign process is still running, and a notice says it was left alone
    expect(isAlive(foreign.pid!)).toBe(true);
    const notice = notices.find((n) => n.includes(`named pid ${foreign.pid}`));
    process.stdout.write(`notice: ${notice}\n`);
    expect(notice).toMatch(new RegExp(`dynamodb-local.pid named pid ${foreign.pid}, which is not a DynamoDB Local on .*/ddb \\(it runs: sleep 300\\): left it alone$`));
  } finally {
    foreign.kill('SIGKILL');
  }
});

test('a second runner on a live runner\'s state folder refuses in one line naming it; the first goes on', async () => {
  // GIVEN a running runner (this process) on a state folder
  const stateDir = tempDir('two-runners');
  const first = collecting();
  const runner = await startLocalRunner({
    app: { table: tableConfig, consumers: [consumerConfig()] },
    handler: first.handler,
    stateDir,
    port: 0,
    progress: false,
    log: () => undefined,
  });
  const pidFile = join(stateDir, 'ddb', 'dynamodb-local.pid');
  const ddbPid = Number(readFileSync(pidFile, 'utf8'));
  try {
    // WHEN a second runner starts on the same folder (as `npx projen local` in another terminal)
    const second = runCli('local', [
      '--config', join(FIXTURES, 'app-config.ts'), '--handler', join(FIXTURES, 'handler.ts'), '--state-dir', stateDir, '--port', '0',
    ]);
    const code = await second.exited;

    // THEN it refuses in one line naming the running one and what to do
    process.stdout.write(`second runner -> exit ${code}: ${second.stderr()}`);
    expect(code).toBe(1);
    expect(second.stderr().trim().split('\n')).toHaveLength(1);
    expect(second.stderr()).toMatch(
      new RegExp(`^ddb-stream-local: state dir .* is in use by a running ddb-stream-local \\(pid ${process.pid}, consumer audit, since .*\\): stop it first \\(Ctrl-C in its terminal\\), run all consumers in one runner with \`npx projen local\`, or pass --state-dir <another folder> --port 0`),
    );
    // AND the first runner's DynamoDB Local was not touched: same pid, and the first goes on handling new items
    expect(isAlive(ddbPid)).toBe(true);
    expect(readFileSync(pidFile, 'utf8')).toBe(String(ddbPid));
    const clients = localClients(runner.endpoint);
    const written = await writeVersions(clients.dynamodb, runner.tableName, 5, 4);
    clients.destroy();
    await waitFor(() => first.seen.length >= written, { what: `the first runner to handle the ${written} new items`, timeoutMs: 60_000, everyMs: 50 });
    expect(new Set(first.seen).size).toBe(written);
  } finally {
    await runner.stop();
  }
  // AND the lock goes with the runner
  expect(existsSync(join(stateDir, 'runner.lock'))).toBe(false);
});

test('a lock naming a recycled pid (another command line) is taken over, and that process is not signalled', async () => {
  // GIVEN a lock left by a runner whose pid now belongs to an unrelated process
  const stateDir = tempDir('stale-lock');
  const foreign = spawn('sleep', ['300'], { stdio: 'ignore' });
  const stale = { pid: foreign.pid, purpose: 'local', consumers: ['audit'], commandLine: ['node', 'ddb-stream-local'], startedAt: '2026-01-01T00:00:00.000Z', token: 'old' };
  writeFileSync(join(stateDir, 'runner.lock'), JSON.stringify(stale));
  const notices: string[] = [];
  try {
    // WHEN a runner starts
    const runner = await startLocalRunner({
      app: { table: tableConfig, consumers: [consumerConfig()] },
      handler: collecting().handler,
      stateDir,
      port: 0,
      progress: false,
      log: (m) => notices.push(m),
    });
    // THEN it took the lock over, with a notice, and holds it while it runs
    expect(notices).toContain(`taking over ${join(stateDir, 'runner.lock')}: its runner (pid ${foreign.pid}, consumer audit) is no longer running`);
    expect(JSON.parse(readFileSync(join(stateDir, 'runner.lock'), 'utf8')).pid).toBe(process.pid);
    await runner.stop();
    expect(isAlive(foreign.pid!)).toBe(true);
  } finally {
    foreign.kill('SIGKILL');
  }
});

test('`npx projen local` with two consumers runs both at once on one DynamoDB Local; each handles every record', async () => {
  // GIVEN a config with two consumers and no --consumer (what the generated `local` task runs)
  const stateDir = tempDir('two-consumers');
  const log = join(stateDir, '{consumer}.log');
  const run = runCli('local', ['--config', join(FIXTURES, 'two-consumers.ts'), '--state-dir', stateDir, '--port', '0', '--seed', '40', '--stop-when-idle', '2'], {
    HANDLER_LOG: log,
    // --handler is not allowed with several consumers: each loads src/handlers/<consumer>.ts, here the fixture
  }, tempRepoWithHandlers(['audit', 'notify']));
  const code = await run.exited;
  const stderr = run.stderr();
  process.stdout.write(code === 0 ? stderr.split('\n').filter((l) => /DynamoDB Local at|stopped/.test(l)).join('\n') + '\n' : stderr);
  expect(code).toBe(0);

  // THEN one DynamoDB Local served both consumers
  const endpoints = new Set([...stderr.matchAll(/local: DynamoDB Local at (\S+),.*consumer "(\w+)"/g)].map((m) => `${m[1]}`));
  expect(endpoints.size).toBe(1);
  expect([...stderr.matchAll(/consumer "(\w+)", starting at TRIM_HORIZON/g)].map((m) => m[1]).sort()).toEqual(['audit', 'notify']);
  // AND each consumer handled all 40 records, with its own batch size, checkpoint file and summary
  const audit = readHandlerLog(join(stateDir, 'audit.log'));
  const notify = readHandlerLog(join(stateDir, 'notify.log'));
  expect(new Set(audit.map((l) => l.seq)).size).toBe(40);
  expect(new Set(notify.map((l) => l.seq))).toEqual(new Set(audit.map((l) => l.seq)));
  // (how many invocations depends on how the live stream delivered the records, so it is not asserted)
  expect(stderr).toMatch(/ddb-stream-local: audit: stopped \(idle\): read 40 records; the handler got 40 in \d+ invocations?; none failed/);
  expect(stderr).toMatch(/ddb-stream-local: notify: stopped \(idle\): read 40 records; the handler got 40 in \d+ invocations?; none failed/);
  for (const name of ['audit', 'notify']) {
    const checkpoint = JSON.parse(readFileSync(join(stateDir, 'checkpoints', `${name}.json`), 'utf8'));
    expect(checkpoint.consumer).toBe(name);
  }
});
