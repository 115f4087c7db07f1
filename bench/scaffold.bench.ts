/**
 * A scaffolded two-consumer repo versus a plain `projen new awscdk-app-ts` repo: `projen new` itself (wall time,
 * including its npm install; once each), re-synth (`npx projen`, median of several runs), `npx projen build` (once
 * each: heavy), and the installed node_modules size of both.
 * Run: npx ts-node --transpile-only bench/scaffold.bench.ts   (BENCH_SYNTH_RUNS=3)
 */
import { execFileSync, execSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface ScaffoldResult {
  /** `projen new` wall time: ours from the packed tarball, plain `awscdk-app-ts`. Ours runs first (colder npm cache). */
  readonly scaffoldMs: { ours: number; plain: number };
  readonly resynthMs: { ours: number; plain: number };
  readonly buildMs: { ours: number; plain: number };
  readonly nodeModulesBytes: { ours: number; plain: number };
  readonly largest: string;
  readonly dirs: { ours: string; plain: string };
}

const ROOT = path.join(__dirname, '..');
const PROJEN = require.resolve('projen/bin/projen', { paths: [ROOT] });
const RUNS = Number(process.env.BENCH_SYNTH_RUNS ?? 3);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs `projen` with `args` in `cwd` and returns the wall time in milliseconds. */
function timedProjen(args: string[], cwd: string): number {
  const start = Date.now();
  execFileSync(process.execPath, [PROJEN, ...args], { cwd, stdio: 'pipe' });
  return Date.now() - start;
}

function timed(command: string, cwd: string): number {
  const start = Date.now();
  execSync(command, { cwd, stdio: 'pipe', env: { ...process.env, CI: 'true' } });
  return Date.now() - start;
}

function duBytes(dir: string): number {
  return Number(execFileSync('du', ['-sb', dir], { encoding: 'utf-8' }).split('\t')[0]);
}

export function benchScaffold(log: (line: string) => void = console.log): ScaffoldResult {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { pack } = require('../scripts/pack') as { pack: (o: { quiet: boolean }) => string };
  const tarball = pack({ quiet: true });
  const ours = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ours-'));
  const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-plain-'));
  log(`scaffolding ${ours} from ${path.basename(tarball)}; plain awscdk-app-ts in ${plain}`);
  const scaffoldMs = {
    ours: timedProjen(['new', '--from', `ddb-stream-template@file:${tarball}`, '--no-git'], ours),
    plain: timedProjen(['new', 'awscdk-app-ts', '--no-git', '--prettier', 'true'], plain),
  };
  log(`projen new: ours ${scaffoldMs.ours} ms, plain ${scaffoldMs.plain} ms`);
  const rcFile = path.join(ours, '.projenrc.ts');
  const rc = fs.readFileSync(rcFile, 'utf-8');
  if (!rc.includes('  consumers: [\n')) throw new Error('.projenrc.ts has no consumers block to extend');
  fs.writeFileSync(rcFile, rc.replace('  consumers: [\n', '  consumers: [\n    { name: "audit" },\n'));
  execSync('npx projen', { cwd: ours, stdio: 'pipe' });

  const synth = { ours: [] as number[], plain: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    synth.ours.push(timed('npx projen', ours));
    synth.plain.push(timed('npx projen', plain));
  }
  const resynthMs = { ours: median(synth.ours), plain: median(synth.plain) };
  log(`re-synth: ours ${JSON.stringify(synth.ours)} ms, plain ${JSON.stringify(synth.plain)} ms`);
  const buildMs = { ours: timed('npx projen build', ours), plain: timed('npx projen build', plain) };
  log(`build: ours ${buildMs.ours} ms, plain ${buildMs.plain} ms`);
  const nodeModulesBytes = { ours: duBytes(path.join(ours, 'node_modules')), plain: duBytes(path.join(plain, 'node_modules')) };
  const largest = execSync('du -sh node_modules/* node_modules/@*/* 2>/dev/null | sort -h | tail -12', { cwd: ours, encoding: 'utf-8', shell: '/bin/bash' });
  log(`node_modules: ours ${nodeModulesBytes.ours} B, plain ${nodeModulesBytes.plain} B\n${largest}`);
  return { scaffoldMs, resynthMs, buildMs, nodeModulesBytes, largest, dirs: { ours, plain } };
}

if (require.main === module) benchScaffold();
