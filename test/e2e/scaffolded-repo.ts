import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from '../project/helpers';

export interface RunResult {
  readonly status: number | null;
  readonly output: string;
  readonly seconds: number;
}

/** Runs a command to completion; output is stdout and stderr together, as a user sees it. */
export function run(command: string, args: string[], cwd: string): RunResult {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, encoding: 'utf-8', env: userEnvironment(), maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}`, seconds };
}

/**
 * A developer's shell, not jest's: under CI=true projen installs with `npm ci`, which needs a lock file that a
 * repository scaffolded a minute ago does not have yet; under NODE_ENV=test projen silences its logger.
 */
function userEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['CI', 'JEST_WORKER_ID', 'NODE_ENV']) delete env[name];
  return env;
}

/**
 * A folder for one end-to-end file's repositories (about 450 MB each with node_modules), removed after the file's
 * tests; `KEEP_E2E=1` keeps it to look into.
 */
export function e2eWorkDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => {
    if (process.env.KEEP_E2E === '1') process.stdout.write(`KEEP_E2E=1: kept ${dir}\n`);
    else fs.rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** jsii-compiles and packs this checkout: what npm would publish. */
export function packThisPackage(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { pack } = require(path.join(ROOT, 'scripts', 'pack.js')) as { pack: (o: { quiet: boolean }) => string };
  return pack({ quiet: true });
}

export function projenNew(dir: string, args: string[]): RunResult {
  const projen = require.resolve('projen/bin/projen', { paths: [ROOT] });
  return run(process.execPath, [projen, 'new', ...args, '--no-git'], dir);
}

/** Build outputs, installed packages and the local runner's state: everything else in a repository is its source. */
const NOT_SOURCE = new Set(['node_modules', 'cdk.out', 'coverage', 'test-reports', '.local']);

/** Path -> sha256 of every source file, to prove what a command changed. */
export function sourceTree(dir: string): Record<string, string> {
  const tree: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (NOT_SOURCE.has(entry.name)) continue;
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else tree[path.relative(dir, p)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return tree;
}

export function changedFiles(before: Record<string, string>, after: Record<string, string>): string[] {
  const paths = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...paths].filter((p) => before[p] !== after[p]).sort();
}

/** Edits `.projenrc.ts` as a user would; fails loudly when the text to replace is not there. */
export function editProjenrc(dir: string, from: string | RegExp, to: string): void {
  const file = path.join(dir, '.projenrc.ts');
  const source = fs.readFileSync(file, 'utf-8');
  const edited = source.replace(from, to);
  if (edited === source) throw new Error(`.projenrc.ts has no ${String(from)}`);
  fs.writeFileSync(file, edited);
}

/**
 * A later version of this package whose templates differ and whose pins moved (`name -> version`, as a release that
 * moves a pin would ship them): unpack, change a template and the pins, bump, pack again.
 */
export function upgradedTarball(tarball: string, workDir: string, marker: string, pinMoves: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(workDir, 'upgrade-'));
  const untar = run('tar', ['xzf', tarball, '-C', dir], dir);
  if (untar.status !== 0) throw new Error(untar.output);
  const pkg = path.join(dir, 'package');
  const template = path.join(pkg, 'templates', 'app', 'src', 'generated', 'stack.ts.hbs');
  fs.writeFileSync(template, fs.readFileSync(template, 'utf-8').replace('{{header}}\n', `{{header}}\n${marker}\n`));
  const pins = path.join(pkg, 'lib', 'project', 'versions', 'tested-versions.js');
  let compiled = fs.readFileSync(pins, 'utf-8');
  for (const [name, version] of Object.entries(pinMoves)) {
    const moved = compiled.replace(new RegExp(`(['"]${name.replace(/[/.]/g, '\\$&')}['"]: ['"])[^'"]+`), `$1${version}`);
    if (moved === compiled) throw new Error(`no pin of ${name} in ${pins}`);
    compiled = moved;
  }
  fs.writeFileSync(pins, compiled);
  const manifest = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf-8'));
  manifest.version = '0.0.1-upgrade.0';
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify(manifest, null, 2));
  const packed = run('npm', ['pack', '--json', '--pack-destination', dir], pkg);
  if (packed.status !== 0) throw new Error(packed.output);
  return path.join(dir, 'ddb-stream-template-0.0.1-upgrade.0.tgz');
}
