/**
 * Issue 25 item 4: a failure message redrive cannot handle does not end the run. Three messages, the second
 * unreadable (its sequence numbers are not numbers: before, re-reading it threw a SyntaxError that ended the run as
 * "unexpected error (a bug ...)", on every run, and the third was never reached; `--dry-run` called it fine).
 * Now the real CLI, on fauxqs (SQS, S3) and DynamoDB Local: the first and third are redriven, the second is reported
 * with its origin and reason and left in the source, the run exits 1 with a summary line; and its dry run reports
 * the same second message as unreadable.
 *
 * The CLI reaches fauxqs through AWS_ENDPOINT_URL_SQS / AWS_ENDPOINT_URL_S3, the service-specific endpoint
 * variables the AWS SDK for JavaScript v3 reads, as docs/redrive.md tells users to point redrive at a local server.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type Fauxqs, FAUXQS_SKIP_REASON, FAUXQS_SUPPORTED, startFauxqs } from './fauxqs';
import { payloadMessage } from './payload-message';
import { type DynamoDbLocal, freePort, localClients, startDynamoDbLocal, startLocalRunner } from '../../../src/runtime/local';
import { consumerConfig, tableConfig } from '../local/fixtures/app-config';
import { readHandlerLog, runCli, tempDir, writeVersions } from '../local/helpers';

jest.setTimeout(240_000);

if (!FAUXQS_SUPPORTED) {
  test.skip(FAUXQS_SKIP_REASON, () => undefined);
  process.stdout.write(`${FAUXQS_SKIP_REASON}: test/runtime/redrive/goes-on.fauxqs.test.ts\n`);
}

/** An on-failure message whose sequence numbers are not numbers: nothing can re-read it. */
function unreadableCopy(body: string): string {
  const message = JSON.parse(body);
  return JSON.stringify({ ...message, requestContext: { ...message.requestContext, requestId: 'edited' }, DDBStreamBatchInfo: { ...message.DDBStreamBatchInfo, endSequenceNumber: 'last' } });
}

(FAUXQS_SUPPORTED ? describe : describe.skip)('redrive goes on past a message it cannot handle (CLI, fauxqs, DynamoDB Local)', () => {
  let fauxqs: Fauxqs;
  let ddb: DynamoDbLocal;
  /** Two on-failure messages (SQS shape, no payload) the local runner wrote, for records "key-0" and "key-1". */
  let bodies: string[];
  let env: NodeJS.ProcessEnv;
  const common = ['--config', 'test/runtime/local/fixtures/app-config.ts', '--handler', 'test/runtime/local/fixtures/handler.ts'];

  beforeAll(async () => {
    const stateDir = tempDir('goes-on');
    [fauxqs, ddb] = await Promise.all([startFauxqs(), freePort().then((port) => startDynamoDbLocal({ dbPath: join(stateDir, 'ddb'), port }))]);
    const runner = await startLocalRunner({
      app: { table: tableConfig, consumers: [consumerConfig({ batchSize: 1, retryAttempts: 0, bisectBatchOnError: false })] },
      handler: () => {
        throw new Error('poison');
      },
      stateDir,
      endpoint: ddb.endpoint,
      progress: false,
      log: () => undefined,
    });
    const clients = localClients(ddb.endpoint);
    await writeVersions(clients.dynamodb, runner.tableName, 2, 1);
    clients.destroy();
    while (runner.metrics.deliveredToDestinationEvents < 2) await new Promise((r) => setTimeout(r, 100));
    bodies = readFileSync((await runner.stop()).failuresFile, 'utf8').trim().split('\n');
    expect(bodies).toHaveLength(2);
    env = {
      AWS_ENDPOINT_URL_SQS: fauxqs.endpoint,
      AWS_ENDPOINT_URL_S3: fauxqs.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    };
  });

  afterAll(async () => {
    await Promise.all([fauxqs?.stop(), ddb?.stop()]);
  });

  test('SQS: the first and third are redriven and deleted, the second is reported and stays in the queue; exit 1', async () => {
    // GIVEN a queue holding a message, an unreadable one, and another message, in that order
    const sqs = new SQSClient(fauxqs.clientConfig);
    const created = (await sqs.send(new CreateQueueCommand({ QueueName: 'goes-on' }))).QueueUrl!;
    // The URL on the server's own host and port, as a user copies it from a local server: fauxqs answers
    // `sqs.<region>.127.0.0.1`, which is no valid URL host, and the SDK warns about it on every call.
    const queueUrl = `${fauxqs.endpoint}${new URL(created.replace(/^http:\/\/[^/]+/, 'http://h')).pathname}`;
    const bad = unreadableCopy(bodies[0]);
    for (const body of [bodies[0], bad, bodies[1]]) await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    const stateDir = tempDir('goes-on-sqs');
    const log = join(stateDir, 'handler.log');
    const args = [...common, '--state-dir', stateDir, '--endpoint', ddb.endpoint, '--sqs', queueUrl];

    // WHEN the dry run reads the queue
    const dry = runCli('redrive', [...args, '--dry-run'], { ...env, HANDLER_LOG: log });
    const dryCode = await dry.exited;
    process.stdout.write(`ddb-stream-redrive --sqs --dry-run, exit ${dryCode}:\n${dry.stderr()}`);
    // THEN it re-reads the first and third from the stream, and reports the second as unreadable, as the run will
    expect(dryCode).toBe(1);
    expect(dry.stderr().match(/would redrive \d+\.\.\d+ of \S+ \(RetryAttemptsExhausted, sqs message [\w-]+\): re-read 1 record\(s\)/g)).toHaveLength(2);
    expect(dry.stderr()).toMatch(/skipped sqs message [\w-]+: not an on-failure message of a DynamoDB stream \(DDBStreamBatchInfo\.endSequenceNumber "last" is not a sequence number of decimal digits\)/);
    expect(dry.stderr()).toMatch(/: 2 would be redriven, 0 could not be \(records unavailable\), 1 unreadable \(skipped\), 0 already done before\n/);
    expect(dry.stderr()).toMatch(/: 1 message\(s\) a run would leave in the source, for a run after the fix: sqs message [\w-]+ \(unreadable\)\n/);
    expect(readHandlerLog(log)).toEqual([]);

    // WHEN redrive runs
    const run = runCli('redrive', args, { ...env, HANDLER_LOG: log });
    const code = await run.exited;
    process.stdout.write(`ddb-stream-redrive --sqs, exit ${code}:\n${run.stderr()}`);

    // THEN it went on past the second: the first and third were handled, once each
    expect(code).toBe(1);
    expect(run.stderr()).not.toMatch(/a bug/);
    expect(readHandlerLog(log).map((l) => l.pk)).toEqual(['key-0', 'key-1']);
    // AND the second was reported with its origin (the SQS message id) and reason, and the summary says what is left
    const badId = /skipped sqs message ([\w-]+): not an on-failure message/.exec(run.stderr())?.[1];
    expect(badId).toBeDefined();
    expect(run.stderr()).toMatch(/: 2 redriven, 0 still pending, 1 unreadable \(skipped\), 0 already done before\n/);
    expect(run.stderr()).toContain(`: 1 message(s) left in the source, for a run after the fix: sqs message ${badId} (unreadable)\n`);
    // AND only the second is left in the queue, visible again at once
    const rest = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect(rest.Messages?.map((m) => [m.MessageId, m.Body])).toEqual([[badId, bad]]);
    sqs.destroy();
  });

  test('S3: the first and third objects are redriven, the second is reported by its key and stays unredriven; exit 1', async () => {
    // GIVEN a bucket holding an S3-shaped object (payload), an unreadable one, and another, listed in that order
    const s3 = new S3Client(fauxqs.clientConfig);
    await s3.send(new CreateBucketCommand({ Bucket: 'goes-on' }));
    const first = payloadMessage();
    const third = { ...first, requestContext: { ...first.requestContext, requestId: 'r3' } };
    const prefix = 'aws/lambda/11111111-2222-3333-4444-555555555555/shardId-1/2024/01/01/';
    const keys = ['2024-01-01T00.00.01-a', '2024-01-01T00.00.02-b', '2024-01-01T00.00.03-c'].map((k) => `${prefix}${k}`);
    const objects = [JSON.stringify(first), unreadableCopy(bodies[0]), JSON.stringify(third)];
    for (const [i, key] of keys.entries()) await s3.send(new PutObjectCommand({ Bucket: 'goes-on', Key: key, Body: objects[i] }));
    const stateDir = tempDir('goes-on-s3');
    const log = join(stateDir, 'handler.log');
    // The form the generated README's runbook prints: the bucket and the prefix Lambda writes under.
    const args = [...common, '--state-dir', stateDir, '--s3', 's3://goes-on/aws/lambda/'];

    // WHEN the dry run reads the bucket
    const dry = runCli('redrive', [...args, '--dry-run'], { ...env, HANDLER_LOG: log });
    const dryCode = await dry.exited;
    process.stdout.write(`ddb-stream-redrive --s3 --dry-run, exit ${dryCode}:\n${dry.stderr()}`);
    // THEN it reports the second as unreadable, by its key, and would redrive the others from their payloads
    expect(dryCode).toBe(1);
    expect(dry.stderr().match(/would redrive 100\.\.100 of shardId-1 \(RetryAttemptsExhausted, s3:\/\/goes-on\/\S+\): 1 record\(s\) from the message payload/g)).toHaveLength(2);
    expect(dry.stderr()).toContain(`skipped s3://goes-on/${keys[1]}: not an on-failure message of a DynamoDB stream (DDBStreamBatchInfo.endSequenceNumber "last" is not a sequence number of decimal digits)`);
    expect(dry.stderr()).toContain(`: 1 message(s) a run would leave in the source, for a run after the fix: s3://goes-on/${keys[1]} (unreadable)\n`);
    expect(readHandlerLog(log)).toEqual([]);

    // WHEN redrive runs
    const run = runCli('redrive', args, { ...env, HANDLER_LOG: log });
    const code = await run.exited;
    process.stdout.write(`ddb-stream-redrive --s3, exit ${code}:\n${run.stderr()}`);

    // THEN the first and third were handled, the second reported with its key and reason; exit 1 with the summary
    expect(code).toBe(1);
    expect(run.stderr()).not.toMatch(/a bug/);
    expect(readHandlerLog(log)).toEqual([
      { pk: 'p', version: 3, seq: '100' },
      { pk: 'p', version: 3, seq: '100' },
    ]);
    expect(run.stderr()).toMatch(new RegExp(`redriven 1 record\\(s\\) 100\\.\\.100 of shardId-1 \\(s3://goes-on/${keys[0]}\\)`));
    expect(run.stderr()).toMatch(new RegExp(`redriven 1 record\\(s\\) 100\\.\\.100 of shardId-1 \\(s3://goes-on/${keys[2]}\\)`));
    expect(run.stderr()).toContain(`skipped s3://goes-on/${keys[1]}: not an on-failure message`);
    expect(run.stderr()).toMatch(/: 2 redriven, 0 still pending, 1 unreadable \(skipped\), 0 already done before\n/);
    expect(run.stderr()).toContain(`: 1 message(s) left in the source, for a run after the fix: s3://goes-on/${keys[1]} (unreadable)\n`);
    // AND the objects stay in the bucket (redrive never deletes there), and a second run redrives only what is left:
    // nothing it can read, the second again reported
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'goes-on' }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual(keys);
    s3.destroy();
    const again = runCli('redrive', args, { ...env, HANDLER_LOG: log });
    expect(await again.exited).toBe(1);
    expect(again.stderr()).toMatch(/: 0 redriven, 0 still pending, 1 unreadable \(skipped\), 2 already done before\n/);
    expect(readHandlerLog(log)).toHaveLength(2);
  });

  test('SQS: a message whose records the Streams API refuses to give is reported with the API\'s words and stays; the run goes on', async () => {
    // GIVEN a queue holding a message, one whose stream is in us-east-1, and another message; and a "DynamoDB
    // Streams" endpoint for us-east-1 that is no such thing (fauxqs): every call there is refused
    const sqs = new SQSClient(fauxqs.clientConfig);
    const created = (await sqs.send(new CreateQueueCommand({ QueueName: 'goes-on-refused' }))).QueueUrl!;
    const queueUrl = `${fauxqs.endpoint}${new URL(created.replace(/^http:\/\/[^/]+/, 'http://h')).pathname}`;
    const message = JSON.parse(bodies[0]);
    const elsewhere = JSON.stringify({
      ...message,
      requestContext: { ...message.requestContext, requestId: 'elsewhere' },
      DDBStreamBatchInfo: { ...message.DDBStreamBatchInfo, streamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000' },
    });
    for (const body of [bodies[0], elsewhere, bodies[1]]) await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    const stateDir = tempDir('goes-on-refused');
    const log = join(stateDir, 'handler.log');

    // WHEN redrive runs
    const run = runCli('redrive', [...common, '--state-dir', stateDir, '--endpoint', ddb.endpoint, '--sqs', queueUrl], {
      ...env,
      HANDLER_LOG: log,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: fauxqs.endpoint,
    });
    const code = await run.exited;
    process.stdout.write(`ddb-stream-redrive --sqs (a refused re-read), exit ${code}:\n${run.stderr()}`);

    // THEN the second is reported with the API's answer and left in the queue; the first and third were redriven
    expect(code).toBe(1);
    expect(run.stderr()).not.toMatch(/a bug/);
    expect(run.stderr()).toMatch(/cannot redrive \d+\.\.\d+ of \S+ \(sqs message [\w-]+\): records .* cannot be re-read from arn:aws:dynamodb:us-east-1:\S+: DynamoDB Streams GetShardIterator failed \(\w+: .*\): fix the access/);
    expect(run.stderr()).toMatch(/: 2 redriven, 1 still pending, 0 unreadable \(skipped\), 0 already done before\n/);
    expect(run.stderr()).toMatch(/: 1 message\(s\) left in the source, for a run after the fix: sqs message [\w-]+ \(records unavailable\)\n/);
    expect(readHandlerLog(log).map((l) => l.pk)).toEqual(['key-0', 'key-1']);
    const rest = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect(rest.Messages?.map((m) => m.Body)).toEqual([elsewhere]);
    sqs.destroy();
  });
});
