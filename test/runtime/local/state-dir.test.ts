/**
 * `--reset` deletes only the runner's own state folder, on real folders: never the current folder, a parent of
 * it, the home folder or the root, never a folder holding anything the runner does not write, and never a folder a
 * live runner uses. A refusal is one line and deletes nothing.
 */
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'fs';
import { join } from 'path';
import { runCli, tempDir } from './helpers';
import { prepareStateDir, resetStateDir, STATE_MARKER, StateDirResetError, StateLock } from '../../../src/runtime/local';

/** A folder that looks like a user's repository. */
function userRepo(): string {
  const repo = tempDir('user-repo');
  mkdirSync(join(repo, 'src'));
  mkdirSync(join(repo, '.git'));
  writeFileSync(join(repo, 'package.json'), '{}');
  writeFileSync(join(repo, 'src', 'main.ts'), 'export {};\n');
  return repo;
}

function entries(dir: string): string[] {
  return readdirSync(dir).sort();
}

describe('resetStateDir', () => {
  test('deletes a folder the runner created (it carries the marker), whatever the runner put in it', () => {
    // GIVEN a state folder prepared by the runner, with its database and checkpoints
    const repo = userRepo();
    const state = join(repo, '.local');
    prepareStateDir(state);
    mkdirSync(join(state, 'ddb'));
    writeFileSync(join(state, 'ddb', 'shared-local-instance.db'), 'x');
    mkdirSync(join(state, 'checkpoints'));
    expect(existsSync(join(state, STATE_MARKER))).toBe(true);

    // WHEN it is reset from the repository
    const outcome = resetStateDir('.local', { cwd: repo });

    // THEN the state folder is gone and the repository is intact
    expect(outcome).toBe('deleted');
    expect(existsSync(state)).toBe(false);
    expect(entries(repo)).toEqual(['.git', 'package.json', 'src']);
  });

  test('deletes a state folder from before the marker when it holds only the runner layout', () => {
    const repo = userRepo();
    const state = join(repo, '.local');
    for (const dir of ['ddb', 'checkpoints', 'failures']) mkdirSync(join(state, dir), { recursive: true });
    expect(resetStateDir('.local', { cwd: repo })).toBe('deleted');
    expect(existsSync(state)).toBe(false);
  });

  test('says absent (and does nothing) for a folder that does not exist', () => {
    const repo = userRepo();
    expect(resetStateDir('.local', { cwd: repo })).toBe('absent');
    expect(entries(repo)).toEqual(['.git', 'package.json', 'src']);
  });

  test.each([
    ['the current folder', '.', /is the current folder/],
    ['a parent of the current folder', '..', /is a parent of the current folder/],
    ['the root folder', '/', /is the root folder/],
  ])('fails on %s, deleting nothing', (_what, stateDir, why) => {
    // GIVEN a repository that also holds the runner's layout (so only the position protects it)
    const repo = userRepo();
    prepareStateDir(join(repo, '.local'));
    const cwd = join(repo, 'src');
    const before = entries(repo);
    // WHEN --reset is asked for it THEN it is refused with the reason, and nothing is deleted
    expect(() => resetStateDir(stateDir, { cwd: stateDir === '.' ? repo : cwd, home: tempDir('home') })).toThrow(why);
    expect(entries(repo)).toEqual(before);
    expect(existsSync(join(repo, 'src', 'main.ts'))).toBe(true);
  });

  test('fails on the home folder and on a parent of it, deleting nothing', () => {
    const home = userRepo();
    const cwd = tempDir('elsewhere');
    expect(() => resetStateDir(home, { cwd, home })).toThrow(/is the home folder/);
    const inner = join(home, 'inner-home');
    mkdirSync(inner);
    expect(() => resetStateDir(home, { cwd, home: inner })).toThrow(/is a parent of the home folder/);
    expect(entries(home)).toEqual(['.git', 'inner-home', 'package.json', 'src']);
  });

  test('fails on a folder that holds anything the runner never writes, naming it', () => {
    // GIVEN a folder passed as --state-dir that is the user's (no marker), though it has a ddb/ folder
    const repo = userRepo();
    const docs = join(repo, 'docs');
    mkdirSync(join(docs, 'ddb'), { recursive: true });
    writeFileSync(join(docs, 'notes.md'), '# mine\n');
    // WHEN it is reset THEN one line names the foreign entry, and nothing is deleted
    let error: unknown;
    try {
      resetStateDir('docs', { cwd: repo, flag: '--state-dir docs' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StateDirResetError);
    expect((error as Error).message).toMatch(
      /^--reset refused: --state-dir docs \(.*\/docs\) is not a runner state folder \(no \.ddb-stream-state marker, and it holds notes\.md, which the runner never writes\); nothing was deleted: /,
    );
    expect((error as Error).message.split('\n')).toHaveLength(1);
    expect(entries(docs)).toEqual(['ddb', 'notes.md']);
  });

  test('follows a symlink to the folder it names, and protects that folder the same way', () => {
    const repo = userRepo();
    const link = join(tempDir('links'), 'state-link');
    symlinkSync(repo, link);
    expect(() => resetStateDir(link, { cwd: repo })).toThrow(/is the current folder/);
    expect(entries(repo)).toEqual(['.git', 'package.json', 'src']);
  });

  test('prepareStateDir marks a folder it creates or finds empty, never one that holds other things', () => {
    const repo = userRepo();
    prepareStateDir(repo);
    expect(existsSync(join(repo, STATE_MARKER))).toBe(false);
    const empty = tempDir('empty-state');
    prepareStateDir(empty);
    expect(existsSync(join(empty, STATE_MARKER))).toBe(true);
  });

  test('fails on a folder a live runner holds, naming it, and deletes nothing', () => {
    const state = join(tempDir('locked'), '.local');
    prepareStateDir(state);
    const lock = StateLock.acquire(state, { purpose: 'local', consumers: ['audit'] });
    try {
      expect(() => resetStateDir(state)).toThrow(new RegExp(`in use by a running ddb-stream-local \\(pid ${process.pid}, consumer audit\\)`));
      expect(existsSync(join(state, STATE_MARKER))).toBe(true);
    } finally {
      lock.release();
    }
    expect(resetStateDir(state)).toBe('deleted');
  });
});

describe('ddb-stream-local --reset', () => {
  const CONFIG = [
    '--config', join(__dirname, 'fixtures', 'app-config.ts'),
    '--handler', join(__dirname, 'fixtures', 'handler.ts'),
  ];

  test.each([['.'], ['..']])('--state-dir %s --reset is refused in one line (exit 2) and the repository is intact', async (stateDir) => {
    // GIVEN a user's repository, the runner started from its src/ folder for '..'
    const repo = userRepo();
    const cwd = stateDir === '.' ? repo : join(repo, 'src');
    // WHEN the runner is asked to reset it
    const run = runCli('local', [...CONFIG, '--state-dir', stateDir, '--reset', '--port', '0'], {}, cwd);
    const code = await run.exited;
    // THEN one line says why, nothing was deleted and no runner started
    process.stdout.write(`$ (cd ${cwd} && ddb-stream-local --state-dir ${stateDir} --reset)  -> exit ${code}\n${run.stderr()}`);
    expect(code).toBe(2);
    expect(run.stderr().trim().split('\n')).toHaveLength(1);
    expect(run.stderr()).toMatch(new RegExp(`^ddb-stream-local: --reset refused: --state-dir \\${stateDir} \\(${repo}\\) is (the current folder|a parent of the current folder); nothing was deleted`));
    expect(entries(repo)).toEqual(['.git', 'package.json', 'src']);
    expect(entries(join(repo, 'src'))).toEqual(['main.ts']);
  });
});
