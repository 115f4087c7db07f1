/**
 * `npm run bench [-- --only handler,idempotency,emulator,local,scaffold]`: runs the benchmarks of the project's budgets and writes
 * BENCHMARKS.md. Each comparison is measured side by side in one run; each section's latest result is kept in
 * .scratch/bench-results/, so running one section rewrites the page with the others' last figures (and their dates).
 * Timings are never asserted in tests: they depend on the machine. `--only none` only re-renders the page.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { benchHandler } from './handler.bench';
import { renderIdempotency, summaryLines } from './idempotency/report';
import { benchIdempotency, type IdempotencyResult } from './idempotency.bench';
import { benchScaffold, type ScaffoldResult } from './scaffold.bench';

const ROOT = path.join(__dirname, '..');
const RESULTS = path.join(ROOT, '.scratch', 'bench-results');
const SECTIONS = ['handler', 'idempotency', 'emulator', 'local', 'scaffold'] as const;
type Section = (typeof SECTIONS)[number];

interface Stored<T = any> {
  readonly at: string;
  readonly machine: string;
  readonly result: T;
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`;
}

function runScript(file: string, env: Record<string, string> = {}, nodeFlags: string[] = []): string[] {
  const out = execFileSync(process.execPath, [...nodeFlags, require.resolve('ts-node/dist/bin.js'), '--transpile-only', file], {
    cwd: ROOT,
    encoding: 'utf-8',
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out.split('\n').filter((l) => l.trim() && !l.startsWith('👾'));
}

async function measure(section: Section): Promise<unknown> {
  switch (section) {
    case 'handler':
      return benchHandler();
    case 'idempotency': {
      // needs Java 17+ for DynamoDB Local, as the local section does
      const result = await benchIdempotency();
      summaryLines(result).forEach((line) => console.log(line));
      return result;
    }
    case 'emulator':
      // throughput, then the 1,000,000-record stream alone under a heap cap that would fail if memory grew with it
      return {
        lines: [
          ...runScript('bench/emulator.bench.ts', { BENCH_STREAMED: '0' }),
          ...runScript('bench/emulator.bench.ts', { BENCH_RECORDS: '0' }, ['--expose-gc', '--max-old-space-size=160']).map(
            (line) => `${line} [node --max-old-space-size=160]`,
          ),
        ],
      };
    case 'local':
      if (!fs.existsSync(path.join(__dirname, 'local-runner.bench.ts'))) return { lines: ['bench/local-runner.bench.ts is absent'] };
      return { lines: runScript('bench/local-runner.bench.ts') };
    case 'scaffold':
      return benchScaffold();
  }
}

const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');

function render(results: Partial<Record<Section, Stored>>): string {
  const out: string[] = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (`bench/run.ts`); each section states its budget. Each comparison is measured side by',
    'side in one run on the machine named with it; ratios matter more than absolute figures. Never asserted in tests.',
    '',
  ];
  const h = results.handler;
  if (h) {
    const r = h.result as Awaited<ReturnType<typeof benchHandler>>;
    const size = r.bundleBytes.ours / r.bundleBytes.powertools;
    out.push(
      '## Generated handler vs Powertools BatchProcessor',
      '',
      `${h.at}, ${h.machine}. \`npx ts-node --transpile-only bench/handler.bench.ts\``,
      '',
      'Same user logic (read the key, the new and old images, sum a field) on identical NEW_AND_OLD_IMAGES batches from',
      'the fixture builders (a third each inserts, modifies, removes; items with a map, a list, a boolean). Ours: the',
      'generated `defineBenchHandler` (sequential, reportBatchItemFailures). Powertools: `BatchProcessor(EventType.DynamoDBStreams)`',
      'with `processPartialResponse(..., { processInParallel: false })` and `unmarshall` from `@aws-sdk/util-dynamodb`.',
      'Both bundled by esbuild (platform node, target node24, minify, nothing external) and run from the bundles;',
      'medians of interleaved rounds. The AWS SDK v3 is in the Lambda runtime, but both bundles include what they use',
      '(util-dynamodb for Powertools; ours needs none: the generated code unmarshalls the Lambda event itself).',
      '',
      '| measure | ours | Powertools | ratio | target | |',
      '| --- | ---: | ---: | ---: | --- | --- |',
      ...r.rows.map(
        (row) =>
          `| records/s, batch of ${fmt(row.batch)} | ${fmt(row.ours)} | ${fmt(row.powertools)} | ${ratio(row.ours, row.powertools)} | >= 2x | ${verdict(row.ours >= 2 * row.powertools)} |`,
      ),
      `| minified bundle | ${fmt(r.bundleBytes.ours)} B | ${fmt(r.bundleBytes.powertools)} B | ${size.toFixed(2)} | <= 0.33 | ${verdict(size <= 1 / 3)} |`,
      '',
    );
  }
  if (results.idempotency) out.push(...renderIdempotency(results.idempotency as Stored<IdempotencyResult>));
  const s = results.scaffold;
  if (s) {
    // Results stored before `projen new` was timed lack scaffoldMs.
    const r = s.result as Omit<ScaffoldResult, 'scaffoldMs' | 'dirs'> & Partial<Pick<ScaffoldResult, 'scaffoldMs'>>;
    const scaffoldRow = r.scaffoldMs
      ? `| \`projen new\` (with its npm install) | ${fmt(r.scaffoldMs.ours)} ms | ${fmt(r.scaffoldMs.plain)} ms | ${ratio(r.scaffoldMs.ours, r.scaffoldMs.plain)} | none set | |`
      : '| `projen new` (with its npm install) | not measured | not measured | | none set | |';
    out.push(
      '## Scaffolded two-consumer repo vs plain awscdk-app-ts',
      '',
      `${s.at}, ${s.machine}. \`npx ts-node --transpile-only bench/scaffold.bench.ts\``,
      '',
      'Ours: `projen new --from ddb-stream-template@file:<packed tarball>`, a second consumer added in `.projenrc.ts`.',
      'Plain: `projen new awscdk-app-ts --prettier true`. `projen new` is timed once each, wall clock including its',
      'npm install; ours runs first, so the plain one meets the warmer npm cache. Re-synth is the median of 3 runs of',
      '`npx projen` (interleaved); build is one `npx projen build` each (compile, lint, tests, cdk synth); sizes by',
      '`du -sb node_modules`.',
      '',
      '| measure | ours | plain | ratio | target | |',
      '| --- | ---: | ---: | ---: | --- | --- |',
      scaffoldRow,
      `| re-synth (\`npx projen\`) | ${fmt(r.resynthMs.ours)} ms | ${fmt(r.resynthMs.plain)} ms | ${ratio(r.resynthMs.ours, r.resynthMs.plain)} | <= 1.25x | ${verdict(r.resynthMs.ours <= 1.25 * r.resynthMs.plain)} |`,
      `| \`npx projen build\` | ${fmt(r.buildMs.ours)} ms | ${fmt(r.buildMs.plain)} ms | ${ratio(r.buildMs.ours, r.buildMs.plain)} | <= 1.6x | ${verdict(r.buildMs.ours <= 1.6 * r.buildMs.plain)} |`,
      `| node_modules | ${mb(r.nodeModulesBytes.ours)} | ${mb(r.nodeModulesBytes.plain)} | ${ratio(r.nodeModulesBytes.ours, r.nodeModulesBytes.plain)} | <= 1.1x | ${verdict(r.nodeModulesBytes.ours <= 1.1 * r.nodeModulesBytes.plain)} |`,
      '',
      'What bounds them: the build runs far more than the plain app\'s single test (per consumer a sample test and an',
      'emulator test, plus one managed test file with the stack, alarm, encryption and cdk-nag assertions over a single',
      'synthesis) and `cdk synth` bundles two NodejsFunctions with esbuild; the plain app has no Lambda. node_modules: the DynamoDB and Streams',
      'clients of the local runner (`@aws-sdk` + `@smithy`, about 10 MB), cdk-nag (4 MB) and the template package itself',
      '(7 MB) make the difference. DynamoDB Local (60 MB) and redrive\'s SQS, S3 and Lambda clients are not in it: the',
      'first `npx projen local` / `redrive` that needs one installs it into a shared cache (docs/local-runner.md).',
      '',
      'Largest entries of the scaffolded repo\'s node_modules:',
      '',
      '```',
      r.largest.trim(),
      '```',
      '',
    );
  }
  for (const [key, title, command] of [
    ['emulator', 'Emulator throughput, no-op handler (target >= 1,000,000 records/s)', 'bench/emulator.bench.ts'],
    ['local', 'Local runner vs a bare GetRecords loop (targets >= 0.9x, Node RSS < 250 MB)', 'bench/local-runner.bench.ts'],
  ] as const) {
    const e = results[key];
    if (!e) continue;
    out.push(`## ${title}`, '', `${e.at}, ${e.machine}. \`npx ts-node --transpile-only ${command}\``, '', '```', ...(e.result as { lines: string[] }).lines, '```', '');
  }
  if (!results.local) {
    out.push('## Local runner', '', 'Not measured in the last run (`npm run bench -- --only local` needs Java 17+ and DynamoDB Local).', '');
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' } } });
  // `--only none` re-renders BENCHMARKS.md from the stored results without measuring.
  const chosen = values.only ? (values.only.split(',').filter((s) => s !== 'none') as Section[]) : [...SECTIONS];
  for (const section of chosen) if (!SECTIONS.includes(section)) throw new Error(`--only: unknown section "${section}" (allowed: ${SECTIONS.join(', ')})`);
  fs.mkdirSync(RESULTS, { recursive: true });
  for (const section of chosen) {
    console.log(`== ${section}`);
    const result = await measure(section);
    const stored: Stored = { at: new Date().toISOString().slice(0, 10), machine: machine(), result };
    fs.writeFileSync(path.join(RESULTS, `${section}.json`), JSON.stringify(stored, null, 2));
  }
  const results: Partial<Record<Section, Stored>> = {};
  for (const section of SECTIONS) {
    const file = path.join(RESULTS, `${section}.json`);
    if (fs.existsSync(file)) results[section] = JSON.parse(fs.readFileSync(file, 'utf-8'));
  }
  fs.writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), render(results));
  console.log('wrote BENCHMARKS.md');
}

void main();
