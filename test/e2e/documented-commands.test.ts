import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { e2eWorkDir, packThisPackage, projenNew, run } from './scaffolded-repo';
import { waitFor } from '../conditions';
import { ROOT } from '../project/helpers';

/**
 * Every command line shown in either README (this package's "In a generated repository" section and the README a
 * generated repository gets) runs as shown in one scaffolded two-consumer repository, and exits as it should. The
 * scaffold's sample tests are grown first, as a user grows them, and must stay green (`npx projen build`, `test`).
 */
const MINUTES = 60_000;
jest.setTimeout(40 * MINUTES);

const work = e2eWorkDir('ddb-stream-commands-');
const repo = path.join(work, 'orders-consumer');
/** Lines a test cannot run here, and why. */
const NOT_RUN_LINES: Record<string, string> = { 'npx cdk deploy': 'needs an AWS account', 'npx projen deploy': 'needs an AWS account' };
/** Kinds of line a test cannot run here either: the deployed stack's outputs, and values only the user has. */
const NOT_RUN_KINDS: Array<[RegExp, string]> = [
  [/\$\(output |aws cloudformation describe-stacks/, "reads the deployed stack's outputs: needs an AWS account"],
  [/<[a-z#-]+>/, 'has a placeholder for a value of yours (<...>)'],
];
const notRun = (line: string): string | undefined => NOT_RUN_LINES[line] ?? NOT_RUN_KINDS.find(([kind]) => kind.test(line))?.[1];
/** The local runner runs until Ctrl-C unless told to stop when idle; --help returns at once. */
const runsUntilStopped = (line: string) => /^npx projen local\b/.test(line) && !/--stop-when-idle|--help|-h\b/.test(line);
const writesToRunningTable = (line: string) => /^(?:\w+=\S+ )*aws dynamodb put-item\b/.test(line);
/** A command in a code span, environment assignments before it included (`AWS_ACCESS_KEY_ID=local aws ...`). */
const COMMAND_SPAN = /`((?:[A-Z_]+=\S+ )*(?:npx|aws) [^`]+)`/g;

const TWO_CONSUMERS = `  table: {
    partitionKey: { name: "orderId", type: AttributeType.STRING },
    sortKey: { name: "createdAt", type: AttributeType.NUMBER },
    attributes: [
      { name: "status", type: AttributeType.STRING },
      { name: "total", type: AttributeType.NUMBER },
    ],
    streamViewType: StreamViewType.NEW_AND_OLD_IMAGES,
  },
  consumers: [
    {
      name: "audit",
      failureDestination: FailureDestination.SQS,
      filters: [
        {
          eventNames: [StreamEventName.MODIFY],
          newImage: [{ attribute: "status", anyOf: ["PAID"] }],
        },
      ],
    },
    {
      name: "indexer",
      tumblingWindowSeconds: 60,
      failureDestination: FailureDestination.SQS,
    },
  ],
});
`;

/** What a user adds to the sample tests: a status change through the helpers, window totals from the trace. */
const GROWN_UNIT_TEST = `
test("a change to SHIPPED is handled too", async () => {
  const shipped: Item = { ...after, status: "SHIPPED" };
  await expect(handler(event(modified(after, shipped)))).resolves.toEqual({
    batchItemFailures: [],
  });
});
`;
const GROWN_WINDOW_TEST = `
test("three changes in one window are counted once, when it closes", async () => {
  jest.spyOn(console, "log").mockImplementation(() => undefined);
  const stream = new StreamFixtures({ table: tableConfig, startTimeMs: START });
  const records = [1, 2, 3].map((i) => delivered(stream, i));

  const trace = await emulateEventSourceMapping({
    records,
    config,
    handler,
    table: tableConfig,
  });

  expect(trace.windows.map((w) => w.state)).toEqual([
    { value: { inserts: 3, modifies: 0, removes: 0 } },
  ]);
});
`;

interface Outcome {
  readonly line: string;
  readonly source: string;
  readonly exit: number | string;
  readonly output: string;
}

/** A user's shell on a machine with the AWS CLI and no AWS profile: no keys, no region, no config files. */
function userEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_CONFIG_FILE: path.join(work, 'no-aws-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'no-aws-credentials') };
  for (const name of ['CI', 'JEST_WORKER_ID', 'NODE_ENV', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION']) delete env[name];
  return env;
}

/** A line as a user types it in a shell, run to completion. */
function runLine(line: string): { exit: number | string; output: string } {
  const r = spawnSync('bash', ['-c', line], { cwd: repo, encoding: 'utf-8', env: userEnvironment(), maxBuffer: 64 * 1024 * 1024 });
  return { exit: r.status ?? String(r.signal), output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/**
 * A line that runs until Ctrl-C: started in its own process group, given `whileUp` once the runner reads its
 * stream, then stopped as Ctrl-C stops it (SIGINT to the whole group).
 */
async function runUntilStopped(line: string, whileUp: () => void): Promise<{ exit: number | string; output: string }> {
  const child = spawn('bash', ['-c', line], { cwd: repo, env: userEnvironment(), detached: true });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  // 'close', not 'exit': npx ends at the signal, the runner behind it goes on to print its last line
  const exited = new Promise<number | string>((resolve) => child.once('close', (code, signal) => resolve(code ?? String(signal))));
  let done: number | string | undefined;
  void exited.then((code) => (done = code));
  try {
    await waitFor(() => /reading shardId/.test(output) || done !== undefined, { what: `"reading shardId" from ${line}`, timeoutMs: 5 * MINUTES, everyMs: 100 });
  } catch (error) {
    // Stopped below all the same; the outcome's output then says what never came.
    output += `\n${(error as Error).message}\n`;
  }
  if (done === undefined) {
    whileUp();
    // Kept as a pause, not a wait for a condition: no assertion reads what the runner does with the writes; this
    // only gives it time to read them before the Ctrl-C.
    await sleep(5000);
    process.kill(-child.pid!, 'SIGINT');
  }
  return { exit: await exited, output };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The command lines of the package README's "In a generated repository" section, without their comments. */
function packageReadmeLines(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
  const section = readme.slice(readme.indexOf('## In a generated repository'), readme.indexOf('## Runtime kit'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1];
  const spans = [...section.matchAll(COMMAND_SPAN)].map((m) => m[1]);
  return [...block.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean), ...spans];
}

/** The command lines of the generated README: every code span that is a command. */
function generatedReadmeLines(): string[] {
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf-8');
  const spans = [...readme.matchAll(COMMAND_SPAN)].map((m) => m[1]);
  const blocks = [...readme.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n'));
  return [...spans, ...blocks.map((l) => l.replace(/\s+#.*$/, '').trim()).filter((l) => /^(npx|aws) /.test(l))];
}

beforeAll(() => {
  const tarball = packThisPackage();
  fs.mkdirSync(repo);
  const created = projenNew(repo, ['--from', `ddb-stream-template@file:${tarball}`]);
  if (created.status !== 0) throw new Error(created.output);
  const file = path.join(repo, '.projenrc.ts');
  const projenrc = fs.readFileSync(file, 'utf-8');
  const start = projenrc.indexOf('  // The table whose stream is consumed.');
  fs.writeFileSync(
    file,
    projenrc.slice(0, start).replace('  DdbStreamApp,\n', '  DdbStreamApp,\n  StreamEventName,\n') + TWO_CONSUMERS + '\nproject.synth();\n',
  );
  // New keys and a renamed consumer: the scaffold's first synth recorded that this stack was never deployed
  // (.projen/deployed-baseline.json), so nothing is refused: there is nothing in AWS to replace.
  const synth = run('npx', ['projen'], repo);
  if (synth.status !== 0) throw new Error(synth.output);
  // the scaffold's consumer is gone: synth says its sample files no longer compile; the user deletes them
  if (!synth.output.includes('src/handlers/processor.ts is no longer used')) throw new Error(synth.output);
  for (const sample of ['src/handlers/processor.ts', 'test/processor.test.ts', 'test/processor.emulator.test.ts']) fs.rmSync(path.join(repo, sample));
  fs.appendFileSync(path.join(repo, 'test/audit.test.ts'), GROWN_UNIT_TEST);
  fs.appendFileSync(path.join(repo, 'test/indexer.emulator.test.ts'), GROWN_WINDOW_TEST);
  // the items file the generated README's --seed-items line names, as a user writes it: plain items with the keys
  const items = [
    { orderId: 'o-seed-1', createdAt: 1, status: 'NEW', total: 10 },
    { orderId: 'o-seed-2', createdAt: 2, status: 'PAID', total: 25.5 },
  ];
  fs.writeFileSync(path.join(repo, 'test/seed-items.json'), `${JSON.stringify(items, undefined, 2)}\n`);
});

test('every command line of both READMEs runs as shown in a two-consumer repository', async () => {
  const lines = [
    ...packageReadmeLines().map((line) => ({ line, source: 'README.md (package)' })),
    ...generatedReadmeLines().map((line) => ({ line, source: 'README.md (generated)' })),
  ];
  const unique = lines.filter((l, i) => lines.findIndex((m) => m.line === l.line) === i);
  const writes = unique.filter((l) => writesToRunningTable(l.line));
  const outcomes: Outcome[] = [];
  for (const { line, source } of unique) {
    if (notRun(line) || writesToRunningTable(line)) continue;
    if (runsUntilStopped(line)) {
      const whileUp = () => {
        for (const write of writes) outcomes.push({ ...write, ...runLine(write.line) });
      };
      outcomes.push({ line, source, ...(await runUntilStopped(line, whileUp)) });
    } else {
      outcomes.push({ line, source, ...runLine(line) });
    }
  }

  const table = outcomes.map((o) => `exit ${String(o.exit).padEnd(6)} ${o.line}   [${o.source}]`);
  const skipped = unique.filter((l) => notRun(l.line)).map((l) => `not run     ${l.line}   [${l.source}]: ${notRun(l.line)}`);
  process.stdout.write(`${[...table, ...skipped].join('\n')}\n`);
  fs.writeFileSync(path.join(work, 'commands.txt'), outcomes.map((o) => `$ ${o.line}\n${o.output}\n`).join('\n'));

  // Ctrl-C ends the whole process group: npx and projen end by the signal, the runner stops cleanly first
  const failed = outcomes.filter((o) => (runsUntilStopped(o.line) ? !/stopped on request/.test(o.output) : o.exit !== 0));
  expect(failed.map((o) => `${o.line} -> exit ${o.exit}:\n${o.output.slice(-3000)}`)).toEqual([]);
  // every write line ran, while a runner was up (once per runner started by a line above)
  expect(new Set(outcomes.filter((o) => writesToRunningTable(o.line)).map((o) => o.line))).toEqual(new Set(writes.map((w) => w.line)));
  expect(outcomes.map((o) => o.line)).toEqual(expect.arrayContaining(['npx projen build', 'npx projen local:audit -- --seed 20 --stop-when-idle 5']));
  // the generated README's put-item line is among them, and it reached the table
  expect(writes.map((w) => w.line)).toEqual([expect.stringMatching(/^AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws dynamodb put-item --region ddblocal /)]);
});

test('the grown sample tests ran green (npx projen build and test above), and the record lists every sample', () => {
  // jest-junit's report of the last run: test names are not in the console output of a multi-file run
  const report = fs.readFileSync(path.join(repo, 'test-reports/junit.xml'), 'utf-8');
  expect(report).toContain('a change to SHIPPED is handled too');
  expect(report).toContain('three changes in one window are counted once, when it closes');
  expect(report).toMatch(/<testsuites [^>]*failures="0"/);
  expect(JSON.parse(fs.readFileSync(path.join(repo, '.projen/samples.json'), 'utf-8')).consumers).toEqual({
    audit: ['src/handlers/audit.ts', 'test/audit.test.ts', 'test/audit.emulator.test.ts'],
    indexer: ['src/handlers/indexer.ts', 'test/indexer.test.ts', 'test/indexer.emulator.test.ts'],
  });
});
