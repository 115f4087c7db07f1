/**
 * kill -9 of the local runner (the real CLI) mid-stream, then a restart that runs to idle, on a generated project
 * whose handler appends a line per record (see side-effect-project.ts). Returns what the runner reported and what
 * the side-effect file holds.
 */
import { createHash } from 'crypto';
import { existsSync, readFileSync, rmSync } from 'fs';
import { join } from 'path';
import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CONSUMER, repeatedRuns, SIDE_EFFECTS_ENV, WORK_MS_ENV, type SideEffectProject } from './side-effect-project';
import { commandLineOf, freePort, isDynamoDbLocalOn, localClients } from '../../../src/runtime/local';
import { LOCAL_IDEMPOTENCY_TABLE } from '../../../src/runtime/local/database/idempotency-store';
import { isAlive } from '../../../src/runtime/local/state/process-identity';
import { waitFor } from '../../conditions';
import { type CliRun, type LogLine, readHandlerLog, runCli, tempDir, writeVersions } from '../local/helpers';

export interface KillRestartRun {
  /** The command lines, as one would type them (`ddb-stream-local` is src/runtime/cli/local.ts). */
  readonly commands: readonly string[];
  readonly written: number;
  /** Lines in the side-effect file when the runner was killed. */
  readonly effectsAtKill: number;
  /** The last record whose side effect was written before the kill. */
  readonly lastBeforeKill: LogLine;
  /** Sequence numbers of the records whose idempotency record was INPROGRESS at the kill (callback started, not completed). */
  readonly inProgressAtKill: readonly string[];
  /** As the restarted runner reports them. */
  readonly redelivered: number;
  readonly releasedLocks: number;
  readonly effects: readonly LogLine[];
  /** Runs beyond each record's first. */
  readonly repeated: readonly LogLine[];
  /** The restart's log, without the progress lines. */
  readonly restartLog: string;
}

export interface KillRestartOptions {
  readonly keys: number;
  readonly versions: number;
  /** The kill comes once the file holds this many lines, plus a random delay below `killJitterMs`. */
  readonly killAfter: number;
  /**
   * Without it the kill would come just after an append, always at the same point of a record's run (while the
   * COMPLETED write is on its way): about one record's run time lets it land anywhere in one.
   */
  readonly killJitterMs: number;
  readonly workMs: number;
}

export async function killAndRestart(project: SideEffectProject, options: KillRestartOptions): Promise<KillRestartRun> {
  const stateDir = tempDir(`kill-${project.idempotency ? 'idempotent' : 'plain'}`);
  const file = join(stateDir, 'side-effects.log');
  const port = await freePort();
  const args = ['--config', project.config, '--handler', project.handler, '--state-dir', stateDir, '--port', String(port)];
  const restartArgs = [...args, '--stop-when-idle', '5'];
  const env = { [SIDE_EFFECTS_ENV]: file, [WORK_MS_ENV]: String(options.workMs) };

  const killDelayMs = Math.floor(Math.random() * options.killJitterMs);
  const first = runCli('local', args, env);
  let atKill: LogLine[];
  let locked: Set<string>;
  let written: number;
  let log: string;
  try {
    await first.waitFor(/local: DynamoDB Local at/, 180_000);
    const clients = localClients(`http://127.0.0.1:${port}`);
    const writing = writeVersions(clients.dynamodb, 'local-table', options.keys, options.versions);
    await linesReach(file, options.killAfter, first);
    // The random delay is the scenario (where in the handler's work the kill lands), not a wait for something.
    await new Promise((r) => setTimeout(r, killDelayMs));
    first.child.kill('SIGKILL');
    await first.exited;
    atKill = readHandlerLog(file);
    // The killed runner's DynamoDB Local is still up: its idempotency table shows what the killed run left open.
    locked = project.idempotency ? await inProgressKeys(clients.dynamodb) : new Set<string>();
    written = await writing;
    clients.destroy();

    // The restart replaces that DynamoDB Local with its own on the same database.
    const second = runCli('local', restartArgs, env);
    const code = await second.exited;
    log = second.stderr();
    if (code !== 0) throw new Error(`the restarted runner exited with ${code}:\n${log}`);
  } finally {
    first.child.kill('SIGKILL');
    stopLeftoverDynamoDbLocal(join(stateDir, 'ddb'));
  }
  const effects = readHandlerLog(file);
  const envText = Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ');
  const run: KillRestartRun = {
    commands: [`${envText} ddb-stream-local ${args.join(' ')}  # kill -9 ${killDelayMs} ms after ${options.killAfter} side effects`, `${envText} ddb-stream-local ${restartArgs.join(' ')}`],
    written,
    effectsAtKill: atKill.length,
    lastBeforeKill: atKill[atKill.length - 1],
    inProgressAtKill: [...new Set(effects.filter((e) => locked.has(idempotencyKey(e.eventID!))).map((e) => e.seq))],
    redelivered: Number(/(\d+) redelivered after the previous unclean stop/.exec(log)?.[1] ?? 0),
    releasedLocks: Number(/released (\d+) idempotency locks?/.exec(log)?.[1] ?? 0),
    effects,
    repeated: repeatedRuns(effects),
    restartLog: log.split('\n').filter((l) => !/^polled /.test(l)).join('\n'),
  };
  rmSync(stateDir, { recursive: true, force: true });
  return run;
}

/**
 * When the scenario fails between the kill and a restart that ran to its end, the killed runner's DynamoDB Local
 * is still running: stopped here, if its pid file names a DynamoDB Local on this database (a clean stop removed it).
 */
function stopLeftoverDynamoDbLocal(dbPath: string): void {
  const pidFile = join(dbPath, 'dynamodb-local.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!isAlive(pid) || !isDynamoDbLocalOn(commandLineOf(pid), dbPath)) return;
  process.kill(pid, 'SIGKILL');
}

async function linesReach(file: string, lines: number, run: CliRun): Promise<void> {
  let exited = false;
  void run.exited.then(() => (exited = true));
  await waitFor(
    () => {
      if (readHandlerLog(file).length >= lines) return true;
      if (exited) throw new Error(`the runner exited before ${lines} side effects:\n${run.stderr()}`);
      return false;
    },
    { what: `${lines} side effects in ${file}`, timeoutMs: 300_000, detail: run.stderr },
  );
}

async function inProgressKeys(client: DynamoDBClient): Promise<Set<string>> {
  // a few hundred small items: one page
  const out = await client.send(new ScanCommand({ TableName: LOCAL_IDEMPOTENCY_TABLE }));
  return new Set((out.Items ?? []).filter((item) => item.status?.S === 'INPROGRESS').map((item) => item.id.S!));
}

/**
 * The id Powertools stores a record under (BasePersistenceLayer.getHashedIdempotencyKey): the key prefix (the
 * consumer's name, as the generated oncePerRecord sets it), then the MD5 of the JSON of the eventID, in base64.
 */
function idempotencyKey(eventID: string): string {
  return `${CONSUMER}#${createHash('md5').update(JSON.stringify(eventID)).digest('base64')}`;
}
