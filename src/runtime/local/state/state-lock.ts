/**
 * One live user per state folder: `<stateDir>/runner.lock` names the process that uses the folder (its pid, its
 * command line, the consumers it runs and the DynamoDB Local endpoint it started).
 *
 * Two runners on one folder would share DynamoDB Local's database file and its pid file: the second would stop
 * the first's DynamoDB Local (it looks left over) and the first would die on ECONNREFUSED. So the second refuses,
 * naming the first. A lock whose process is gone (kill -9, a crash, a reboot) is stale and is taken over; a pid
 * counts as the holder only while its command line is still the one recorded, so a recycled pid is not mistaken
 * for a live runner.
 *
 * The lock is created complete and atomically: written to a temp file, then hard-linked to its name, which fails
 * if the name exists (a reader never sees a half-written lock, and two starters cannot both win).
 */
import { randomUUID } from 'crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'fs';
import { isAbsolute, join, relative } from 'path';
import { commandLineOf, isAlive, ownCommandLine } from './process-identity';
import { StateDirInUseError, StateFileError } from '../../errors';

export const LOCK_FILE = 'runner.lock';

export interface LockHolder {
  readonly pid: number;
  /** What the holder does: the local runner or a redrive that started its own DynamoDB Local. */
  readonly purpose: 'local' | 'redrive';
  readonly consumers: readonly string[];
  readonly commandLine: readonly string[];
  readonly startedAt: string;
  /** The DynamoDB Local the holder started or uses, once known. */
  readonly endpoint?: string;
  /** Tells this holder's lock from one a later process wrote. */
  readonly token: string;
}

export interface AcquireOptions {
  readonly purpose: LockHolder['purpose'];
  readonly consumers: readonly string[];
  /** Told when a stale lock is taken over. */
  readonly onNotice?: (message: string) => void;
}

export class StateLock {
  /** Takes the folder's lock, or throws {@link StateDirInUseError} naming the live holder. */
  public static acquire(stateDir: string, options: AcquireOptions): StateLock {
    mkdirSync(stateDir, { recursive: true });
    const path = join(stateDir, LOCK_FILE);
    const holder: LockHolder = {
      pid: process.pid,
      purpose: options.purpose,
      consumers: [...options.consumers],
      commandLine: ownCommandLine(),
      startedAt: new Date().toISOString(),
      token: randomUUID(),
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      if (tryCreate(path, holder)) return new StateLock(path, holder);
      const current = readLock(path);
      if (current === undefined) continue; // removed between our attempt and the read
      if (isLive(current)) throw inUse(stateDir, current);
      options.onNotice?.(`taking over ${path}: its runner (pid ${current.pid}, ${describeConsumers(current)}) is no longer running`);
      removeIfUnchanged(path, current);
    }
    throw new StateFileError(`${path} keeps changing while this runner starts: another runner is starting on ${stateDir}; start one at a time`);
  }

  private constructor(
    public readonly path: string,
    private holder: LockHolder,
  ) {}

  /** Records the endpoint, so a redrive on the same folder reads records from it instead of starting another. */
  public setEndpoint(endpoint: string): void {
    this.holder = { ...this.holder, endpoint };
    const temp = `${this.path}.${this.holder.token}.tmp`;
    writeFileSync(temp, JSON.stringify(this.holder));
    // rename over our own lock: still complete at every instant.
    renameSync(temp, this.path);
  }

  /** Removes the lock if it is still ours. */
  public release(): void {
    removeIfUnchanged(this.path, this.holder);
  }
}

/** The live holder of the folder's lock, if any (for redrive, which then uses the holder's DynamoDB Local). */
export function liveHolder(stateDir: string): LockHolder | undefined {
  const current = readLock(join(stateDir, LOCK_FILE));
  return current && isLive(current) ? current : undefined;
}

/** Live when its pid exists and still runs the command line it recorded (a recycled pid runs another). */
export function isLive(holder: LockHolder): boolean {
  if (!isAlive(holder.pid)) return false;
  const now = commandLineOf(holder.pid);
  // Unreadable (another user's process): assume it is the holder rather than risk two runners on one database.
  if (now === undefined) return true;
  return now.join('\0') === holder.commandLine.join('\0');
}

export function describeConsumers(holder: LockHolder): string {
  const what = holder.purpose === 'redrive' ? 'redrive of ' : '';
  return `${what}consumer${holder.consumers.length === 1 ? '' : 's'} ${holder.consumers.join(', ')}`;
}

function inUse(stateDir: string, holder: LockHolder): StateDirInUseError {
  const inside = relative(process.cwd(), stateDir);
  const folder = inside === '' ? '.' : inside.startsWith('..') || isAbsolute(inside) ? stateDir : inside;
  return new StateDirInUseError(
    `state dir ${folder} is in use by a running ${holder.purpose === 'redrive' ? 'ddb-stream-redrive' : 'ddb-stream-local'} (pid ${holder.pid}, ${describeConsumers(holder)}, since ${holder.startedAt}): ` +
      'stop it first (Ctrl-C in its terminal), run all consumers in one runner with `npx projen local`, or pass --state-dir <another folder> --port 0',
    holder,
  );
}

function tryCreate(path: string, holder: LockHolder): boolean {
  const temp = `${path}.${holder.token}.tmp`;
  writeFileSync(temp, JSON.stringify(holder));
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(temp, { force: true });
  }
}

function readLock(path: string): LockHolder | undefined {
  if (!existsSync(path)) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const holder = JSON.parse(text) as LockHolder;
    if (Number.isInteger(holder.pid) && Array.isArray(holder.commandLine) && typeof holder.token === 'string') return holder;
  } catch {
    // fall through
  }
  throw new StateFileError(`lock file ${path} is not one this runner wrote (${JSON.stringify(text.slice(0, 80))}): if no runner uses that folder, delete the file`);
}

/**
 * Removes the lock only if it still holds `expected` (compared by token): a runner that took over a stale lock a
 * moment ago must not lose its fresh one.
 */
function removeIfUnchanged(path: string, expected: LockHolder): void {
  let current: LockHolder | undefined;
  try {
    current = readLock(path);
  } catch {
    return;
  }
  if (current?.token === expected.token) rmSync(path, { force: true });
}
