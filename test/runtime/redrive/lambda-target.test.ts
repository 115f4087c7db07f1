/**
 * `redrive --target lambda` through the real CLI and the real `@aws-sdk/client-lambda`, against a local endpoint
 * that speaks Lambda's Invoke API (lambda-endpoint.ts): what the deployed function is sent, and how its answer
 * (a result, batch item failures, a function error, a missing function) decides what stays pending.
 */
import { writeFileSync } from 'fs';
import { join } from 'path';
import { type DeployedFunction, type LambdaEndpoint, RawPayload, startLambdaEndpoint } from './lambda-endpoint';
import { payloadMessage } from './payload-message';
import { runCli, tempDir } from '../local/helpers';

jest.setTimeout(120_000);

const FUNCTION = 'orders-audit';

/** An S3-shaped on-failure message (the payload carries the record, so no stream is read) for sequence number `seq`. */
function messageFor(seq: string): string {
  const message = payloadMessage();
  type Event = { Records: Array<{ eventID: string; dynamodb: { SequenceNumber: string; Keys: object; NewImage: object } }> };
  const event = JSON.parse(message.payload) as Event;
  const record = event.Records[0];
  record.eventID = seq;
  record.dynamodb.SequenceNumber = seq;
  record.dynamodb.Keys = { pk: { S: `p${seq}` } };
  record.dynamodb.NewImage = { pk: { S: `p${seq}` }, version: { N: '1' } };
  const batch = { ...message.DDBStreamBatchInfo, startSequenceNumber: seq, endSequenceNumber: seq };
  return JSON.stringify({ ...message, requestContext: { ...message.requestContext, requestId: `request-${seq}` }, DDBStreamBatchInfo: batch, payload: JSON.stringify(event) });
}

function keysOf(event: unknown): string[] {
  return (event as { Records: Array<{ dynamodb: { Keys: { pk: { S: string } } } }> }).Records.map((r) => r.dynamodb.Keys.pk.S);
}

describe('redrive --target lambda against a local Lambda Invoke endpoint', () => {
  let endpoint: LambdaEndpoint;
  let behaviour: DeployedFunction;

  beforeAll(async () => {
    endpoint = await startLambdaEndpoint({ [FUNCTION]: (event) => behaviour(event) });
  });
  afterAll(() => endpoint?.stop());
  beforeEach(() => endpoint.requests.splice(0));

  /** A failure file of messages for these sequence numbers, and a state folder of its own. */
  function failureFile(...seqs: string[]): { file: string; stateDir: string } {
    const dir = tempDir('lambda-target');
    const file = join(dir, 'failures.jsonl');
    writeFileSync(file, seqs.map(messageFor).join('\n') + '\n');
    return { file, stateDir: join(dir, 'state') };
  }

  async function redriveToLambda(from: { file: string; stateDir: string }, functionName = FUNCTION) {
    const run = runCli(
      'redrive',
      ['--config', 'test/runtime/local/fixtures/app-config.ts', '--consumer', 'audit', '--from', from.file, '--state-dir', from.stateDir, '--target', 'lambda', '--function', functionName],
      // no AWS profile: a region and dummy credentials, which the SDK signs with; the endpoint is the local one
      { AWS_ENDPOINT_URL_LAMBDA: endpoint.url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_PROFILE: '', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
    );
    const code = await run.exited;
    return { code, stderr: run.stderr() };
  }

  test('GIVEN the function succeeds WHEN two messages are redriven THEN each batch is one signed RequestResponse Invoke of the records, and a second run sends nothing', async () => {
    behaviour = async () => null;
    const from = failureFile('101', '102');

    const first = await redriveToLambda(from);

    expect(first.code).toBe(0);
    expect(first.stderr).toContain('2 redriven, 0 still pending');
    expect(endpoint.requests.map((r) => [r.functionName, r.invocationType, keysOf(r.event)])).toEqual([
      [FUNCTION, 'RequestResponse', ['p101']],
      [FUNCTION, 'RequestResponse', ['p102']],
    ]);
    expect(endpoint.requests[0].authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/us-east-1\/lambda\/aws4_request/);
    expect(endpoint.requests[0].event).toEqual(JSON.parse(JSON.parse(messageFor('101')).payload));

    const second = await redriveToLambda(from);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('0 redriven, 0 still pending, 0 unreadable (skipped), 2 already done before');
    expect(endpoint.requests).toHaveLength(2);
  });

  test('GIVEN the function throws for one record WHEN redriven THEN that message stays pending with the X-Amz-Function-Error and the error message, and the next run retries only it', async () => {
    behaviour = async (event) => {
      if (keysOf(event).includes('p202')) throw new TypeError('cannot read property "total" of undefined');
      return null;
    };
    const from = failureFile('201', '202', '203');

    const first = await redriveToLambda(from);

    expect(first.code).toBe(1);
    expect(first.stderr).toContain('2 redriven, 1 still pending');
    expect(first.stderr).toContain('the function failed (Unhandled): {"errorType":"TypeError","errorMessage":"cannot read property \\"total\\" of undefined"');
    behaviour = async () => null;
    const second = await redriveToLambda(from);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('1 redriven, 0 still pending, 0 unreadable (skipped), 2 already done before');
    expect(endpoint.requests.map((r) => keysOf(r.event)[0])).toEqual(['p201', 'p202', 'p203', 'p202']);
  });

  test('GIVEN the function reports a batch item failure WHEN redriven THEN the message stays pending, as the mapping would retry it', async () => {
    behaviour = async (event) => {
      const first = (event as { Records: Array<{ dynamodb: { SequenceNumber: string } }> }).Records[0];
      return { batchItemFailures: [{ itemIdentifier: first.dynamodb.SequenceNumber }] };
    };
    const from = failureFile('301');

    const run = await redriveToLambda(from);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('0 redriven, 1 still pending');
    expect(run.stderr).toContain('the handler reported batch item failures from {"batchItemFailures":[{"itemIdentifier":"301"}]}');
  });

  test('GIVEN a function name that does not exist WHEN redriven THEN the 404 ResourceNotFoundException is reported with the name, and every message stays pending', async () => {
    behaviour = async () => null;
    const from = failureFile('401', '402');

    const run = await redriveToLambda(from, 'orders-adit');

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('0 redriven, 2 still pending');
    expect(run.stderr).toContain('ResourceNotFoundException');
    expect(run.stderr).toContain('Function not found: arn:aws:lambda:us-east-1:123456789012:function:orders-adit');
    expect(run.stderr).not.toContain('a bug');
    expect(endpoint.requests).toHaveLength(0);
  });

  // Issue 25: JSON.parse of such an answer threw a SyntaxError that ended the run as "a bug", before the third message.
  test('GIVEN the function answers a payload that is not JSON for one batch WHEN redriven with batch item failures on THEN that message stays pending, saying why, and the run goes on', async () => {
    behaviour = async (event) => (keysOf(event).includes('p502') ? new RawPayload('OK') : null);
    const from = failureFile('501', '502', '503');

    const run = await redriveToLambda(from);

    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain('a bug');
    expect(run.stderr).toContain('still failing 502..502 of shardId-1');
    expect(run.stderr).toContain('the function returned "OK", not JSON, so its batch item failures cannot be read; the message stays pending');
    expect(run.stderr).toContain('2 redriven, 1 still pending');
    expect(run.stderr).toMatch(/: 1 message\(s\) left in the source, for a run after the fix: \S+failures\.jsonl:2 \(still failing\)\n/);
    expect(endpoint.requests.map((r) => keysOf(r.event)[0])).toEqual(['p501', 'p502', 'p503']);
  });
});
