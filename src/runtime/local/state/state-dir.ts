/**
 * The state folder (`.local` by default) and the one way the runtime kit deletes it: `--reset`.
 *
 * `--reset` deletes a folder only when it is recognisably the runner's own, and never one that holds the user's
 * work by position: the current folder, one of its parents, the home folder or the root. Recognisably ours means
 * the marker file the runner writes when it creates the folder (or finds it empty), or, for folders made before
 * the marker existed, nothing in it but the runner's own layout (`ddb/`, `checkpoints/`, `failures/`,
 * `redriven/`, the lock). Anything else is refused with one line, and nothing is deleted.
 */
import { existsSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'fs';
import { homedir } from 'os';
import { isAbsolute, join, parse, relative, resolve } from 'path';
import { describeConsumers, liveHolder, LOCK_FILE } from './state-lock';
import { StateDirInUseError, StateDirResetError } from '../../errors';

/** Written by the runner into a state folder it created; its presence is what `--reset` looks for. */
export const STATE_MARKER = '.ddb-stream-state';

/** Everything the runner and redrive ever write at the top of a state folder. */
const LAYOUT = new Set(['ddb', 'checkpoints', 'failures', 'redriven', LOCK_FILE, STATE_MARKER]);

/** Creates the folder and marks it as the runner's; a folder that already holds other things is left unmarked. */
export function prepareStateDir(stateDir: string): void {
  const fresh = !existsSync(stateDir);
  if (fresh) mkdirSync(stateDir, { recursive: true });
  if (fresh || readdirSync(stateDir).length === 0) {
    writeFileSync(join(stateDir, STATE_MARKER), `${JSON.stringify({ createdBy: 'ddb-stream-template local runner', createdAt: new Date().toISOString() })}\n`);
  }
}

export interface ResetContext {
  /** @default process.cwd() */
  readonly cwd?: string;
  /** @default os.homedir() */
  readonly home?: string;
  /** How the folder was named on the command line, for the message. @default the path given */
  readonly flag?: string;
}

/** What {@link resetStateDir} did. */
export type ResetOutcome = 'deleted' | 'absent';

/** Deletes the state folder if it is recognisably the runner's and nobody uses it; otherwise throws, deleting nothing. */
export function resetStateDir(stateDir: string, context: ResetContext = {}): ResetOutcome {
  const given = context.flag ?? `--state-dir ${stateDir}`;
  const absolute = resolve(context.cwd ?? process.cwd(), stateDir);
  if (!existsSync(absolute)) return 'absent';
  const real = realpathSync(absolute);
  const refuse = (why: string) =>
    new StateDirResetError(`--reset refused: ${given} (${real}) ${why}; nothing was deleted: pass the runner's own state folder (default .local), or delete it yourself`);
  const protectedWhy = protectedReason(real, realpathSync(context.cwd ?? process.cwd()), realOrSelf(context.home ?? homedir()));
  if (protectedWhy) throw refuse(protectedWhy);
  if (!statSync(real).isDirectory()) throw refuse('is a file, not a state folder');
  const holder = liveHolder(real);
  if (holder) {
    throw new StateDirInUseError(
      `--reset refused: ${given} is in use by a running ${holder.purpose === 'redrive' ? 'ddb-stream-redrive' : 'ddb-stream-local'} (pid ${holder.pid}, ${describeConsumers(holder)}); nothing was deleted: stop it first (Ctrl-C in its terminal), then reset`,
      holder,
    );
  }
  const foreign = foreignEntries(real);
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? ` and ${foreign.length - 3} more` : '');
    throw refuse(`is not a runner state folder (no ${STATE_MARKER} marker, and it holds ${shown}, which the runner never writes)`);
  }
  rmSync(real, { recursive: true, force: true });
  return 'deleted';
}

/** Why deleting `folder` would take the user's work with it, or undefined. */
function protectedReason(folder: string, cwd: string, home: string): string | undefined {
  if (folder === parse(folder).root) return 'is the root folder';
  if (folder === home) return 'is the home folder';
  if (folder === cwd) return 'is the current folder';
  const fromFolder = relative(folder, cwd);
  if (!fromFolder.startsWith('..') && !isAbsolute(fromFolder)) return 'is a parent of the current folder';
  const fromHome = relative(folder, home);
  if (!fromHome.startsWith('..') && !isAbsolute(fromHome)) return 'is a parent of the home folder';
  return undefined;
}

/** Entries that show the folder is not (only) the runner's; empty when it carries the marker. */
function foreignEntries(folder: string): string[] {
  const entries = readdirSync(folder);
  if (entries.includes(STATE_MARKER)) return [];
  // Lock temp files (`runner.lock.<token>.tmp`) are left by a runner killed while taking the lock.
  return entries.filter((name) => !LAYOUT.has(name) && !name.startsWith(`${LOCK_FILE}.`)).sort();
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
