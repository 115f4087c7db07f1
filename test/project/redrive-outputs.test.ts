/**
 * Issue 25 item 5: the generated stack outputs each consumer's failure destination (and the function redrive
 * invokes), and the generated README's runbook prints, per destination kind, the redrive command that reads them.
 * The outputs are checked on the synthesized template of the generated code (CDK assertions), the commands against
 * that template (every output they read exists) and against the redrive CLI (every option they pass is one of its
 * options; the S3 URL is one `--s3` accepts).
 */
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CONFIGURATIONS } from './configurations';
import { writeGeneratedProject } from './generated-code';
import { synthFiles, type TestOptions } from './helpers';
import { FailureDestination } from '../../src';
import { redriveHelp } from '../../src/runtime/cli/redrive';
import { s3Source } from '../../src/runtime/redrive';

const SQS = CONFIGURATIONS['the defaults'];
const SNS_AND_S3 = CONFIGURATIONS['two consumers, sort key, filters, SNS and S3'];
const NO_DESTINATION = CONFIGURATIONS['keys only, number key, no destination'];
/** An S3 destination on a consumer without a tumbling window: redrive may invoke its deployed function. */
const S3: TestOptions = { consumers: [{ name: 'archiver', failureDestination: FailureDestination.S3 }] };

function synthStack(options: TestOptions): Template {
  const dir = writeGeneratedProject(options);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { StreamConsumerStack } = require(path.join(dir, 'src/generated/stack.ts'));
  return Template.fromStack(new StreamConsumerStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test'));
}

/** The runbook's section on redriving the deployed destinations, up to the next section. */
function runbookSection(options: TestOptions): string {
  const readme: string = synthFiles(options)['README.md'];
  const start = readme.indexOf('### Redrive from the deployed destination');
  return start < 0 ? '' : readme.slice(start, readme.indexOf('\n### ', start + 1));
}

/** The shell lines of the section's code blocks that run redrive. */
function redriveCommands(section: string): string[] {
  return section.split('\n').filter((line) => line.startsWith('npx projen redrive'));
}

/** Any logical id, with no export: nothing outside the stack may come to depend on an output. */
const NOT_EXPORTED = { Export: Match.absent() };

describe('an SQS destination', () => {
  const template = synthStack(SQS);

  test('the stack outputs the queue URL and ARN, and the function name, under stable logical ids, not exported', () => {
    template.hasOutput('ProcessorFailureQueueUrl', {
      Description: 'Where the processor mapping sends the batches it gives up on: redrive --sqs reads this queue URL.',
      Value: { Ref: Match.stringLikeRegexp('^ProcessorConsumerFailureQueue') },
      ...NOT_EXPORTED,
    });
    template.hasOutput('ProcessorFailureQueueArn', {
      Description: 'The ARN of the processor failure queue, for IAM policies and alarms.',
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ProcessorConsumerFailureQueue'), 'Arn'] },
      ...NOT_EXPORTED,
    });
    template.hasOutput('ProcessorFunctionName', {
      Description: "The processor consumer's function: redrive --target lambda --function invokes it with the failed batches.",
      Value: { Ref: Match.stringLikeRegexp('^ProcessorConsumerFunction') },
      ...NOT_EXPORTED,
    });
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual(['ProcessorFailureQueueArn', 'ProcessorFailureQueueUrl', 'ProcessorFunctionName']);
  });

  test('the runbook redrives the deployed function from the queue URL output', () => {
    expect(redriveCommands(runbookSection(SQS))).toEqual([
      'npx projen redrive -- --target lambda --function "$(output ProcessorFunctionName)" --sqs "$(output ProcessorFailureQueueUrl)"',
    ]);
  });
});

describe('an SNS and an S3 destination (the S3 consumer aggregates tumbling windows)', () => {
  const template = synthStack(SNS_AND_S3);

  test('the stack outputs the topic ARN and the bucket name; the function name only of the consumer redrive may invoke', () => {
    template.hasOutput('OrderAuditFailureTopicArn', {
      Description: 'Where the order-audit mapping publishes the batches it gives up on; a topic keeps nothing: redrive reads an SQS queue subscribed to it.',
      Value: { Ref: Match.stringLikeRegexp('^OrderAuditConsumerFailureTopic') },
      ...NOT_EXPORTED,
    });
    template.hasOutput('SearchIndexerFailureBucketName', {
      Description: 'Where the search-indexer mapping writes the batches it gives up on, under aws/lambda/: redrive --s3 s3://<this bucket>/aws/lambda/ reads them.',
      Value: { Ref: Match.stringLikeRegexp('^SearchIndexerConsumerFailureBucket') },
      ...NOT_EXPORTED,
    });
    template.hasOutput('OrderAuditFunctionName', { Value: { Ref: Match.stringLikeRegexp('^OrderAuditConsumerFunction') }, ...NOT_EXPORTED });
    // A failure message carries no window state: redrive refuses --target lambda for this consumer, so no output for it.
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual(['OrderAuditFailureTopicArn', 'OrderAuditFunctionName', 'SearchIndexerFailureBucketName']);
  });

  test('the runbook subscribes a queue to the topic, says a topic keeps nothing, and redrives that queue', () => {
    const section = runbookSection(SNS_AND_S3);
    expect(section).toContain('aws sns subscribe --topic-arn "$(output OrderAuditFailureTopicArn)" --protocol sqs --notification-endpoint <queue-arn>');
    expect(section).toMatch(/a topic keeps nothing\. It delivers each failure record\nto the subscriptions it has when the mapping publishes it/);
    expect(section).toContain('Records published\nwhile no queue was subscribed reached no one and cannot be redriven');
    expect(redriveCommands(section)).toEqual([
      'npx projen redrive:order-audit -- --target lambda --function "$(output OrderAuditFunctionName)" --sqs <queue-url>',
      'npx projen redrive:search-indexer -- --handler <file#export> --s3 "s3://$(output SearchIndexerFailureBucketName)/aws/lambda/"',
    ]);
  });

  test('the S3 form is one --s3 accepts: the bucket, then the prefix Lambda writes under', () => {
    const [, s3] = redriveCommands(runbookSection(SNS_AND_S3));
    const url = /--s3 "(s3:\/\/\$\(output \w+\)\/aws\/lambda\/)"/.exec(s3)![1].replace(/\$\(output \w+\)/, 'orders-consumer-dev-failurebucket-1a2b3c');
    expect(s3Source(url).description).toBe('s3://orders-consumer-dev-failurebucket-1a2b3c/aws/lambda/');
  });
});

describe('an S3 destination of a consumer redrive may invoke', () => {
  const template = synthStack(S3);

  test('the stack outputs the bucket name and the function name', () => {
    template.hasOutput('ArchiverFailureBucketName', { Value: { Ref: Match.stringLikeRegexp('^ArchiverConsumerFailureBucket') }, ...NOT_EXPORTED });
    template.hasOutput('ArchiverFunctionName', { Value: { Ref: Match.stringLikeRegexp('^ArchiverConsumerFunction') }, ...NOT_EXPORTED });
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual(['ArchiverFailureBucketName', 'ArchiverFunctionName']);
  });

  test('the runbook redrives the deployed function from s3://<bucket>/aws/lambda/', () => {
    expect(redriveCommands(runbookSection(S3))).toEqual([
      'npx projen redrive -- --target lambda --function "$(output ArchiverFunctionName)" --s3 "s3://$(output ArchiverFailureBucketName)/aws/lambda/"',
    ]);
  });
});

describe.each([
  ['the defaults', SQS],
  ['SNS and S3', SNS_AND_S3],
  ['S3', S3],
])('the runbook of %s', (_name, options) => {
  const section = runbookSection(options);
  const template = synthStack(options);

  test('reads only outputs the stack has, through describe-stacks on the stack src/main.ts names', () => {
    const read = [...section.matchAll(/\$\(output (\w+)\)/g)].map((m) => m[1]);
    expect(read.length).toBeGreaterThan(0);
    for (const id of read) expect(Object.keys(template.findOutputs(id))).toEqual([id]);
    expect(section).toContain(
      "output() { aws cloudformation describe-stacks --stack-name orders-consumer-dev --query \"Stacks[0].Outputs[?OutputKey=='$1'].OutputValue\" --output text; }",
    );
    expect(synthFiles(options)['src/main.ts']).toContain('new StreamConsumerStack(app, "orders-consumer-dev", {');
  });

  test('passes only options of the redrive CLI', () => {
    const help = redriveHelp('redrive');
    for (const command of redriveCommands(section)) {
      for (const [flag] of command.matchAll(/--[a-z][a-z0-9-]*/g)) expect({ command, flag, known: help.includes(`\n  ${flag} `) }).toEqual({ command, flag, known: true });
    }
  });

  test('says how to point redrive at a local SQS/S3 server', () => {
    expect(section).toContain('AWS_ENDPOINT_URL_SQS=http://127.0.0.1:4566 AWS_ENDPOINT_URL_S3=http://127.0.0.1:4566');
  });
});

test('without a failure destination: no output, no CfnOutput import, no deployed-redrive section', () => {
  expect(synthStack(NO_DESTINATION).findOutputs('*')).toEqual({});
  const files = synthFiles(NO_DESTINATION);
  expect(files['src/generated/stack.ts']).toContain('import { Stack, type StackProps } from "aws-cdk-lib";');
  expect(files['README.md']).not.toContain('### Redrive from the deployed destination');
  expect(files['README.md']).toContain('Redrive now (see [Poison\nrecord](#poison-record))');
});

test('the outputs and the runbook are the same bytes on every synth', () => {
  const [first, second] = [synthFiles(SNS_AND_S3), synthFiles(SNS_AND_S3)];
  expect(second['src/generated/stack.ts']).toBe(first['src/generated/stack.ts']);
  expect(second['README.md']).toBe(first['README.md']);
});
