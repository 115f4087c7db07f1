/**
 * Tumbling windows survive a stop of the local runner (issue 19, item 6). A 60 s window gets 3 orders, the runner is
 * stopped in the middle of the window (Ctrl-C, --stop-when-idle, kill -9) and started again, and 2 more orders come
 * in the same window: the window's end must report the 5 orders, as a run without a stop does. And a restart after
 * the window's end has passed reports the saved window once, with its whole state.
 *
 * Every scenario runs the CLI as a user does, each on its own table and state dir of one DynamoDB Local (started
 * here, so a restart of the runner does not wait for a JVM), all in the same window: the runners restart while it is
 * open. WINDOW_SECONDS widens the window on a machine too slow to stop and restart a runner within 60 s.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { tableConfig } from './fixtures/app-config';
import type { WindowLogLine } from './fixtures/window-handler';
import { type CliRun, runCli, tempDir } from './helpers';
import { type CheckpointState, type DynamoDbLocal, ensureTable, freePort, localClients, parseJsonLines, startDynamoDbLocal } from '../../../src/runtime/local';
import { compareSequenceNumbers } from '../../../src/runtime/records/types';
import { waitFor } from '../../conditions';

// A DynamoDB Local start, up to a minute of waiting for a window to begin, and a window.
jest.setTimeout(600_000);

const WINDOW_MS = Number(process.env.WINDOW_SECONDS ?? 60) * 1000;

type StopKind = 'no stop' | 'Ctrl-C' | '--stop-when-idle' | 'kill -9' | 'restart after the window ended';

interface Scenario {
  readonly kind: StopKind;
  readonly stateDir: string;
  readonly table: string;
  readonly log: string;
  /** The run in progress: the first, then the restarted one. */
  run?: CliRun;
  first?: CliRun;
}

let ddb: DynamoDbLocal;

beforeAll(async () => {
  ddb = await startDynamoDbLocal({ dbPath: join(tempDir('window-stop-ddb'), 'ddb'), port: await freePort() });
});

afterAll(async () => {
  await ddb?.stop();
});

function start(s: Scenario, extra: readonly string[] = []): CliRun {
  const args = [
    '--config', 'test/runtime/local/fixtures/window-orders.ts',
    '--consumer', 'orders',
    '--handler', 'test/runtime/local/fixtures/window-handler.ts',
    '--state-dir', s.stateDir,
    '--table', s.table,
    '--endpoint', ddb.endpoint,
    ...extra,
  ];
  s.run = runCli('local', args, { WINDOW_LOG: s.log, WINDOW_SECONDS: String(WINDOW_MS / 1000) });
  s.first ??= s.run;
  return s.run;
}

/** The handler's log; a line the handler is still appending is left for the next look. */
function lines(s: Scenario): WindowLogLine[] {
  if (!existsSync(s.log)) return [];
  return parseJsonLines(readFileSync(s.log, 'utf8')).values as WindowLogLine[];
}

function received(s: Scenario): number {
  return lines(s).reduce((n, l) => n + (l.records?.length ?? 0), 0);
}

/** True once the checkpoint file names the last record the handler got: the checkpoint has passed the window's records. */
function checkpointPassed(s: Scenario, count: number): boolean {
  const seqs = lines(s).flatMap((l) => l.records ?? []).map((r) => r.seq);
  const file = join(s.stateDir, 'checkpoints', 'orders.json');
  if (seqs.length < count || !existsSync(file)) return false;
  const last = seqs.sort(compareSequenceNumbers)[seqs.length - 1];
  const state = JSON.parse(readFileSync(file, 'utf8')) as CheckpointState;
  return Object.values(state.shards).some((shard) => shard.sequenceNumber === last);
}

async function until(condition: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  await waitFor(condition, { what, timeoutMs, everyMs: 50 });
}

async function putOrders(s: Scenario, pks: readonly string[]): Promise<void> {
  const clients = localClients(ddb.endpoint);
  try {
    for (const pk of pks) await clients.dynamodb.send(new PutItemCommand({ TableName: s.table, Item: { pk: { S: pk }, version: { N: '1' } } }));
  } finally {
    clients.destroy();
  }
}

/** Stops the scenario's first run in the middle of the window, the way its kind says. */
async function stopMidWindow(s: Scenario): Promise<void> {
  const run = s.run!;
  switch (s.kind) {
    case 'no stop':
      await until(() => received(s) >= 3, 'the handler to get 3 orders');
      return;
    case 'Ctrl-C':
      await until(() => received(s) >= 3, 'the handler to get 3 orders');
      run.child.kill('SIGINT');
      expect(await run.exited).toBe(0);
      return;
    case '--stop-when-idle':
    case 'restart after the window ended':
      expect(await run.exited).toBe(0);
      expect(run.stderr()).toMatch(/stopped \(idle\)/);
      return;
    case 'kill -9':
      // The point where a runner that kept no window state lost it: the checkpoint has passed the window's records.
      await until(() => checkpointPassed(s, 3), 'the checkpoint file to pass the 3 orders');
      run.child.kill('SIGKILL');
      await run.exited;
      return;
  }
}

test('a stop in the middle of a tumbling window loses nothing: Ctrl-C, --stop-when-idle and kill -9 report the same window total as no stop', async () => {
  // GIVEN one table and state dir per kind of stop
  const kinds: StopKind[] = ['no stop', 'Ctrl-C', '--stop-when-idle', 'kill -9', 'restart after the window ended'];
  const scenarios: Scenario[] = kinds.map((kind, i) => {
    const stateDir = tempDir(`window-stop-${i}`);
    return { kind, stateDir, table: `orders-${i}`, log: join(stateDir, 'window.log') };
  });
  const clients = localClients(ddb.endpoint);
  for (const s of scenarios) await ensureTable(clients.dynamodb, s.table, tableConfig, s.stateDir);
  clients.destroy();

  // WHEN a window begins, 3 orders are written to each table and a runner handles them
  await until(() => Date.now() % WINDOW_MS < 1000, 'a tumbling window to begin', WINDOW_MS + 5000);
  await Promise.all(scenarios.map((s) => putOrders(s, ['o1', 'o2', 'o3'])));
  for (const s of scenarios) start(s, s.kind === '--stop-when-idle' || s.kind === 'restart after the window ended' ? ['--stop-when-idle', '5'] : []);

  // AND each runner but one is stopped in the middle of the window
  await Promise.all(scenarios.map((s) => stopMidWindow(s)));
  const stoppedAt = Date.now();

  // AND started again: in the same window with 2 more orders, or after the window's end with none
  const windowEnd = Math.floor(stoppedAt / WINDOW_MS) * WINDOW_MS + WINDOW_MS;
  await Promise.all(
    scenarios.map(async (s) => {
      if (s.kind === 'restart after the window ended') {
        await until(() => Date.now() > windowEnd + 1000, 'the window to end', WINDOW_MS + 5000);
        await start(s).waitFor(/reading shardId/, 120_000);
        return;
      }
      if (s.kind !== 'no stop') await start(s).waitFor(/reading shardId/, 120_000);
      await putOrders(s, ['o4', 'o5']);
    }),
  );
  // THEN each window ends; the runners are stopped with Ctrl-C once it has
  await Promise.all(
    scenarios.map(async (s) => {
      await until(() => lines(s).some((l) => l.kind === 'end'), 'the window to end', WINDOW_MS + 60_000);
      s.run!.child.kill('SIGINT');
      expect(await s.run!.exited).toBe(0);
    }),
  );

  const report: string[] = ['stop | window | onWindowEnd state'];
  for (const s of scenarios) {
    const all = lines(s);
    const ends = all.filter((l) => l.kind === 'end');
    report.push(`${s.kind} | ${ends.map((e) => `${e.window.start}..${e.window.end}`).join(', ')} | ${ends.map((e) => JSON.stringify(e.state)).join(', ')}`);
  }
  process.stdout.write(`${report.join('\n')}\n`);
  for (const s of scenarios) {
    const all = lines(s);
    const expected = s.kind === 'restart after the window ended' ? ['o1', 'o2', 'o3'] : ['o1', 'o2', 'o3', 'o4', 'o5'];
    // The orders all fell into one window (a machine too slow for that needs a larger WINDOW_SECONDS) ...
    const created = all.flatMap((l) => l.records ?? []).map((r) => Math.floor((r.createdAt * 1000) / WINDOW_MS));
    expect({ kind: s.kind, windows: new Set(created).size }).toEqual({ kind: s.kind, windows: 1 });
    // ... and that window ended once, with every order in its state, each once
    const ends = all.filter((l) => l.kind === 'end');
    expect({ kind: s.kind, ends: ends.length, orders: ends[0].state!.orders, pks: [...ends[0].state!.pks].sort() }).toEqual({
      kind: s.kind,
      ends: 1,
      orders: expected.length,
      pks: expected,
    });
  }
  // AND a clean stop said the window carries on; every restart said it resumed the window with its state
  for (const s of scenarios.filter((x) => x.kind !== 'no stop' && x.kind !== 'kill -9')) {
    expect(s.first!.stderr()).toMatch(/1 tumbling window open \(.*state \{"orders":3,.*\): saved in .*orders\.json; the window carries on at the next start/);
  }
  for (const s of scenarios.filter((x) => x.kind !== 'no stop')) {
    expect(s.run!.stderr()).toMatch(/resuming 1 tumbling window open \(.*state \{"orders":3,.*\), saved by the previous run/);
  }
});
