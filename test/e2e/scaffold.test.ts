import * as fs from 'fs';
import * as path from 'path';
import { changedFiles, e2eWorkDir, editProjenrc, packThisPackage, projenNew, run, sourceTree, upgradedTarball } from './scaffolded-repo';

// One scaffold, then the life of a repository: build, rebuild, bad input, option edits, a removed consumer and a
// template upgrade, in order. Each step takes about a minute on two cores (npm install, tsc, jest, cdk synth).
const MINUTES = 60_000;
jest.setTimeout(12 * MINUTES);

const work = e2eWorkDir('ddb-stream-e2e-');
const repo = path.join(work, 'orders-consumer');
let tarball: string;

const read = (file: string) => fs.readFileSync(path.join(repo, file), 'utf-8');
const exists = (file: string) => fs.existsSync(path.join(repo, file));
const npx = (...args: string[]) => run('npx', args, repo);

function expectSuccess(result: { status: number | null; output: string }) {
  if (result.status !== 0) throw new Error(`exit ${result.status}:\n${result.output.slice(-6000)}`);
}

function synthesizedTemplate(): { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> } {
  const out = path.join(repo, 'cdk.out');
  const file = fs.readdirSync(out).find((f) => f.endsWith('.template.json'))!;
  return JSON.parse(fs.readFileSync(path.join(out, file), 'utf-8'));
}

beforeAll(() => {
  tarball = packThisPackage();
  fs.mkdirSync(repo);
});

test('projen new --from the packed template scaffolds a repository with the table and consumer blocks', () => {
  const created = projenNew(repo, ['--from', `ddb-stream-template@file:${tarball}`]);
  expectSuccess(created);
  console.log(`projen new --from ddb-stream-template: ${created.seconds.toFixed(1)} s`);

  const projenrc = read('.projenrc.ts');
  expect(projenrc).toContain('partitionKey: { name: "pk", type: AttributeType.STRING },');
  expect(projenrc).toContain('name: "processor",');
  expect(projenrc).toContain('retryAttempts: 5,');
  for (const file of ['src/main.ts', 'src/handlers/processor.ts', 'test/processor.test.ts', 'src/generated/stack.ts', 'test/generated/stack.test.ts']) {
    expect(exists(file)).toBe(true);
  }
});

test('npx projen build is green: compile, eslint, jest and cdk synth', () => {
  const build = npx('projen', 'build');
  expectSuccess(build);
  console.log(`npx projen build: ${build.seconds.toFixed(1)} s`);

  const { Resources } = synthesizedTemplate();
  const table = Object.values(Resources).find((r) => r.Type === 'AWS::DynamoDB::Table')!;
  expect(table.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
  const mapping = Object.values(Resources).find((r) => r.Type === 'AWS::Lambda::EventSourceMapping')!;
  const queueId = Object.entries(Resources).find(([, r]) => r.Type === 'AWS::SQS::Queue')![0];
  expect(mapping.Properties).toMatchObject({
    MaximumRetryAttempts: 5,
    MaximumRecordAgeInSeconds: 3600,
    BisectBatchOnFunctionError: true,
    FunctionResponseTypes: ['ReportBatchItemFailures'],
    DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
  });
});

test('a second build changes no file', () => {
  const before = sourceTree(repo);
  expectSuccess(npx('projen', 'build'));
  expect(changedFiles(before, sourceTree(repo))).toEqual([]);
});

test('npx projen local runs the consumer on DynamoDB Local: seeded items reach the handler', () => {
  const local = npx('projen', 'local', '--seed', '3', '--stop-when-idle', '10', '--port', '0');
  expectSuccess(local);
  expect(local.output).toContain('seeded 3 changes (2 inserts, 1 removal)');
  expect(local.output).toMatch(/stopped \(idle\): read 3 records; the handler got 3 in \d+ invocations?; none failed, none filtered out; checkpoints in /);
  expect(exists('.local/checkpoints/processor.json')).toBe(true);
  // .local/ is ignored: the run leaves no trace in the repository's source
  expect(read('.gitignore')).toContain('/.local/');
});

test('bad input stops synth with the option, value and allowed range, no stack trace, and writes nothing', () => {
  const original = read('.projenrc.ts');
  editProjenrc(repo, 'name: "processor",', 'name: "Order_Audit",');
  editProjenrc(repo, 'retryAttempts: 5,', 'retryAttempts: 20000,');
  const before = sourceTree(repo);

  const synth = npx('projen');

  expect(synth.status).not.toBe(0);
  expect(synth.output).toContain('consumers[0].name: got "Order_Audit". Allowed: kebab-case');
  expect(synth.output).toContain('consumers[0].retryAttempts: got 20000. Allowed: -1 (infinite) or an integer 0..10000.');
  expect(synth.output).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(changedFiles(before, sourceTree(repo))).toEqual([]);
  fs.writeFileSync(path.join(repo, '.projenrc.ts'), original);
});

test('editing options regenerates managed files and leaves every sample file byte-identical', () => {
  // the user's own code, which must survive every synth
  fs.appendFileSync(path.join(repo, 'src/handlers/processor.ts'), '\n// my own change\n');
  const samples = ['src/main.ts', 'src/handlers/processor.ts', 'test/processor.test.ts'];
  const before = sourceTree(repo);

  editProjenrc(repo, 'retryAttempts: 5,', 'retryAttempts: 3,');
  editProjenrc(
    repo,
    /\n  \],\n\}\);/,
    '\n    {\n      name: "audit",\n      failureDestination: FailureDestination.SNS,\n      maxRecordAgeSeconds: 900,\n    },\n  ],\n});',
  );
  expectSuccess(npx('projen'));

  const after = sourceTree(repo);
  for (const file of samples) expect(after[file]).toBe(before[file]);
  expect(read('src/generated/processor/config.ts')).toContain('retryAttempts: 3,');
  expect(read('test/generated/stack.test.ts')).toContain('MaximumRetryAttempts: 3,');
  expect(read('src/generated/audit/config.ts')).toContain('failureDestination: "SNS",');
  expect(exists('src/handlers/audit.ts')).toBe(true);
  expect(changedFiles(before, after)).toEqual(
    expect.arrayContaining(['src/generated/processor/config.ts', 'src/generated/stack.ts', 'src/generated/audit/config.ts']),
  );
  expectSuccess(npx('projen', 'build'));
});

test('removing a consumer deletes its managed files, keeps its handler, and synth says it is unused', () => {
  editProjenrc(repo, /\n    \{\n      name: "audit",[\s\S]*?\n    \},/, '');
  const synth = npx('projen');
  expectSuccess(synth);

  expect(exists('src/generated/audit/config.ts')).toBe(false);
  expect(exists('src/generated/audit')).toBe(false);
  expect(exists('src/handlers/audit.ts')).toBe(true);
  expect(synth.output).toContain('src/handlers/audit.ts is no longer used: no consumer named "audit" in .projenrc.ts');
  expect(synth.output).toContain('delete it (and test/audit.test.ts, test/audit.emulator.test.ts)');
  // the user acts on the message
  for (const file of ['src/handlers/audit.ts', 'test/audit.test.ts', 'test/audit.emulator.test.ts']) fs.rmSync(path.join(repo, file));
});

test('upgrading to a template that moves a pin updates managed files and the pin, keeps user files, and builds green', () => {
  const marker = '// Template upgrade marker: this line comes from the next version of ddb-stream-template.';
  // aws-cdk-lib 2.278.0 knows Node.js 26: the moved pin also moves the default runtime, as cdk-nag then asks
  const next = upgradedTarball(tarball, work, marker, { 'aws-cdk-lib': '2.278.0' });
  // user code that builds on the stable generated contract
  fs.writeFileSync(
    path.join(repo, 'src/extra.ts'),
    'import { appConfig, StreamConsumerStack } from "./generated";\n\nexport const consumerCount = appConfig.consumers.length;\nexport type Deployed = StreamConsumerStack;\n',
  );
  const userFiles = ['src/main.ts', 'src/handlers/processor.ts', 'test/processor.test.ts', 'src/extra.ts'];
  // the stack as it stands is deployed, recorded as a pipeline that runs cdk deploy itself records it
  expectSuccess(npx('projen', 'record-deployment'));
  const before = sourceTree(repo);

  editProjenrc(repo, `ddb-stream-template@file:${tarball}`, `ddb-stream-template@file:${next}`);
  // projen runs .projenrc.ts with the installed version, then installs the new one: a manual bump takes two runs
  const synths = [npx('projen'), npx('projen')];
  synths.forEach(expectSuccess);
  // the synth that renders with the new version tells what the next deployment changes, against what is deployed
  expect(synths[1].output).toContain('consumers.processor.runtime: nodejs24.x -> nodejs26.x: in place');

  const after = sourceTree(repo);
  for (const file of userFiles) expect(after[file]).toBe(before[file]);
  expect(read('src/generated/stack.ts')).toContain(marker);
  expect(JSON.parse(read('node_modules/ddb-stream-template/package.json')).version).toBe('0.0.1-upgrade.0');
  expect(JSON.parse(read('package.json')).dependencies['aws-cdk-lib']).toBe('2.278.0');
  expect(JSON.parse(read('node_modules/aws-cdk-lib/package.json')).version).toBe('2.278.0');
  expect(read('src/generated/processor/consumer.ts')).toContain('runtime: lambda.Runtime.NODEJS_26_X,');
  expectSuccess(npx('projen', 'build'));
});

test('after all that, two builds in a row still change no file', () => {
  const before = sourceTree(repo);
  expectSuccess(npx('projen', 'build'));
  expect(changedFiles(before, sourceTree(repo))).toEqual([]);
});
