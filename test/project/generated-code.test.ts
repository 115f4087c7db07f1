import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CONFIGURATIONS } from './configurations';
import { generatedTsconfig, writeGeneratedProject } from './generated-code';
import { emptyDir, ROOT } from './helpers';

test('the generated code of every configuration type-checks with the generated repo compiler options', () => {
  const dir = emptyDir('ddb-stream-typecheck-');
  const names = Object.keys(CONFIGURATIONS).map((_, i) => `config-${i}`);
  Object.values(CONFIGURATIONS).forEach((options, i) => writeGeneratedProject(options, path.join(dir, names[i])));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(generatedTsconfig(names.map((n) => `${n}/**/*.ts`))));

  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', dir], { encoding: 'utf-8' });

  expect(tsc.stdout + tsc.stderr).toBe('');
  expect(tsc.status).toBe(0);
});

test('under KEYS_ONLY a handler that reads newImage fails the type check, and the error names the view type', () => {
  const dir = writeGeneratedProject(CONFIGURATIONS['keys only, number key, no destination']);
  fs.writeFileSync(
    path.join(dir, 'src/handlers/pinger.ts'),
    [
      'import { definePingerHandler } from "../generated/pinger/contract";',
      '',
      'export const handler = definePingerHandler({',
      '  onInsert(change) {',
      '    console.log(change.newImage?.status);',
      '  },',
      '});',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(generatedTsconfig(['src/**/*.ts'])));

  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', dir], { encoding: 'utf-8' });

  expect(tsc.status).not.toBe(0);
  expect(tsc.stdout).toContain(
    "src/handlers/pinger.ts(5,34): error TS2339: Property 'status' does not exist on type 'NewImageNotDelivered_StreamViewTypeIs_KEYS_ONLY'.",
  );
});

describe('an imported stream fixes the region the stack deploys to', () => {
  // a generated repository's App, as `cdk synth` runs it with a profile's region, and as the generated tests run it
  const dir = writeGeneratedProject(CONFIGURATIONS['an imported table with new images']);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { StreamConsumerStack } = require(path.join(dir, 'src/generated/stack.ts'));
  const synth = (region?: string) =>
    Template.fromStack(new StreamConsumerStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test', region ? { env: { region } } : {}));

  test('GIVEN the stream in eu-west-1 WHEN the stack targets us-east-1 THEN synth stops, naming both regions and the fix', () => {
    expect(() => synth('us-east-1')).toThrow(
      "The stack targets us-east-1, but table.streamArn in .projenrc.ts is a stream in eu-west-1: an event source mapping must be in its stream's region. " +
        "Deploy to eu-west-1 (CDK_DEFAULT_REGION, AWS_REGION or your profile's region, or env.region in src/main.ts).",
    );
  });

  test('WHEN the stack targets the stream region, or no region (env-agnostic) THEN it synthesizes the mapping', () => {
    for (const region of ['eu-west-1', undefined]) {
      synth(region).resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    }
  });
});

describe('two consumers with a sort key, filters, SNS on one and S3 on the other', () => {
  const dir = writeGeneratedProject(CONFIGURATIONS['two consumers, sort key, filters, SNS and S3']);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { StreamConsumerStack } = require(path.join(dir, 'src/generated/stack.ts'));
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const template = Template.fromStack(new StreamConsumerStack(app, 'Test'));
  const mappings = template.findResources('AWS::Lambda::EventSourceMapping');
  const mappingOf = (prefix: string) => Object.entries(mappings).find(([id]) => id.startsWith(prefix))![1].Properties;

  test('the table carries the key schema, stream, TTL, capacity, protection and a customer managed key', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'orderId', KeyType: 'HASH' },
        { AttributeName: 'createdAt', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'orderId', AttributeType: 'S' },
        { AttributeName: 'createdAt', AttributeType: 'N' },
      ],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 },
      DeletionProtectionEnabled: true,
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
    });
  });

  test('order-audit: exactly the configured mapping, with SNS as failure destination', () => {
    expect(mappingOf('OrderAuditConsumer')).toEqual({
      FunctionName: { Ref: expect.stringMatching(/^OrderAuditConsumerFunction/) },
      EventSourceArn: { 'Fn::GetAtt': [expect.stringMatching(/^StreamTable/), 'StreamArn'] },
      StartingPosition: 'LATEST',
      BatchSize: 250,
      MaximumBatchingWindowInSeconds: 5,
      MaximumRetryAttempts: 2,
      MaximumRecordAgeInSeconds: 600,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ParallelizationFactor: 4,
      Enabled: true,
      MetricsConfig: { Metrics: ['EventCount'] },
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT', 'MODIFY'],
              dynamodb: { NewImage: { status: { S: ['PAID', 'SHIPPED'] }, priority: { BOOL: [true] } } },
            }),
          },
          { Pattern: JSON.stringify({ dynamodb: { Keys: { orderId: { S: [{ prefix: 'vip-' }] } } } }) },
        ],
      },
      DestinationConfig: { OnFailure: { Destination: { Ref: expect.stringMatching(/^OrderAuditConsumerFailureTopic/) } } },
    });
  });

  test('search-indexer: exactly the configured mapping, with S3 as failure destination', () => {
    expect(mappingOf('SearchIndexerConsumer')).toEqual({
      FunctionName: { Ref: expect.stringMatching(/^SearchIndexerConsumerFunction/) },
      EventSourceArn: { 'Fn::GetAtt': [expect.stringMatching(/^StreamTable/), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 0,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 3600,
      BisectBatchOnFunctionError: false,
      ParallelizationFactor: 1,
      TumblingWindowInSeconds: 60,
      Enabled: true,
      FilterCriteria: {
        Filters: [{ Pattern: JSON.stringify({ dynamodb: { OldImage: { status: { S: [{ 'anything-but': ['DRAFT'] }] } } } }) }],
      },
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [expect.stringMatching(/^SearchIndexerConsumerFailureBucket/), 'Arn'] } },
      },
    });
  });

  test('the functions carry their memory, timeout, architecture, environment and Node.js 24', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['x86_64'],
      MemorySize: 512,
      Timeout: 60,
      Environment: { Variables: Match.objectLike({ LOG_LEVEL: 'debug' }) },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', Architectures: ['arm64'], MemorySize: 256, Timeout: 30 });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 14 });
  });

  test('the destinations are encrypted and reject plain HTTP', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: Match.anyValue(),
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    template.resourceCountIs('AWS::SQS::Queue', 0);
  });
});

// The generated repo's own tests (the managed stack assertions and the sample handler tests), run here for every
// configuration: they must pass as generated, whatever the options.
describe.each(Object.entries(CONFIGURATIONS))('the generated tests pass with %s', (_name, options) => {
  const dir = writeGeneratedProject(options);
  const testFiles = fs.readdirSync(path.join(dir, 'test'), { recursive: true, encoding: 'utf-8' }).filter((f) => f.endsWith('.test.ts'));
  expect(testFiles.length).toBeGreaterThanOrEqual(2);
  // what the generated jest config runs first (setupFilesAfterEnv), when the project has one
  const setup = path.join(dir, 'test/generated/idempotency-setup.ts');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (fs.existsSync(setup)) require(setup);
  for (const file of testFiles) {
    describe(file, () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(path.join(dir, 'test', file));
    });
  }
});
