/**
 * Issue 19 item 1: `ddb-stream-redrive --s3` on an object in the shape AWS writes to an S3 destination
 * (services-dynamodb-errors): "the `payload` field contains the original invocation record as an escaped JSON
 * string". The object is AWS's documented example, its `<Whole Event>` filled with an event of one record, served by
 * fauxqs (a real S3 protocol server) to the CLI, which hands the record to the handler module once.
 */
import { join } from 'path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type Fauxqs, FAUXQS_SKIP_REASON, FAUXQS_SUPPORTED, startFauxqs } from './fauxqs';
import { legacyPayloadMessage } from './payload-message';
import { PAGES, s3RecordWithWholeEvent } from '../aws-examples/examples';
import { readHandlerLog, runCli, tempDir } from '../local/helpers';

jest.setTimeout(120_000);

if (!FAUXQS_SUPPORTED) {
  test.skip(FAUXQS_SKIP_REASON, () => undefined);
  process.stdout.write(`${FAUXQS_SKIP_REASON}: test/runtime/redrive/s3-aws-shape.fauxqs.test.ts\n`);
}

(FAUXQS_SUPPORTED ? describe : describe.skip)(`redrive --s3 of AWS's S3 invocation record (${PAGES.dynamodbErrors})`, () => {
  let fauxqs: Fauxqs;

  beforeAll(async () => {
    fauxqs = await startFauxqs();
  });

  afterAll(async () => {
    await fauxqs?.stop();
  });

  test('the CLI reads the payload string and hands its record to the handler once; a second run redrives nothing', async () => {
    // GIVEN AWS's S3 example whose payload is the escaped JSON of an event of one record (pk "p", version 3, seq 100)
    const event = JSON.stringify({ Records: legacyPayloadMessage().payload.Records });
    const body = s3RecordWithWholeEvent(event);
    expect(typeof JSON.parse(body).payload).toBe('string');
    const s3 = new S3Client(fauxqs.clientConfig);
    await s3.send(new CreateBucketCommand({ Bucket: 'aws-shaped' }));
    const key = 'aws/lambda/f89f8514-cdd9-4602-9e1f-01a5b77d449b/shardId-00000001573689847184-864758bb/2019/11/14/2019-11-14T00.13.49-2b4e8ee3-9c0b-4b4f-9f4e-2d3c4b5a6e7f';
    await s3.send(new PutObjectCommand({ Bucket: 'aws-shaped', Key: key, Body: body }));
    s3.destroy();
    const stateDir = tempDir('s3-aws-shape');
    const log = join(stateDir, 'handler.log');
    const env = {
      HANDLER_LOG: log,
      AWS_ENDPOINT_URL_S3: fauxqs.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    };
    const args = ['--config', 'test/runtime/local/fixtures/app-config.ts', '--handler', 'test/runtime/local/fixtures/handler.ts', '--state-dir', stateDir, '--s3', 's3://aws-shaped/aws/lambda/'];

    // WHEN the redrive CLI reads the bucket
    const run = runCli('redrive', args, env);
    const code = await run.exited;
    process.stdout.write(`ddb-stream-redrive --s3 (AWS-shaped object), exit ${code}:\n${run.stderr()}`);

    // THEN the record was handed to the handler once and the object is done
    expect(code).toBe(0);
    expect(readHandlerLog(log)).toEqual([{ pk: 'p', version: 3, seq: '100' }]);
    expect(run.stderr()).toMatch(/1 redriven, 0 still pending, 0 unreadable/);
    // AND a second run finds it done
    const again = runCli('redrive', args, env);
    expect(await again.exited).toBe(0);
    expect(again.stderr()).toMatch(/0 redriven, 0 still pending, 0 unreadable \(skipped\), 1 already done before/);
    expect(readHandlerLog(log)).toHaveLength(1);
  });
});
