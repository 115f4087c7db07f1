/**
 * A poison record goes to the local failure file (metadata only, like an SQS destination), the handler is fixed,
 * and redrive re-reads the record from the stream of the runner's DynamoDB Local and processes it, once.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync, appendFileSync } from 'fs';
import { join } from 'path';
import { legacyPayloadMessage, payloadMessage } from './payload-message';
import { localClients, startLocalRunner } from '../../../src/runtime/local';
import { waitFor } from '../../conditions';
import { consumerConfig, tableConfig } from '../local/fixtures/app-config';
import { handler } from '../local/fixtures/handler';
import { readHandlerLog, runCli, tempDir, writeVersions } from '../local/helpers';

// Five DynamoDB Local starts (the runner, then each redrive re-reading the stream): minutes on a loaded machine.
jest.setTimeout(400_000);

test('a poison record goes to the local destination file; after the fix, redrive processes it once', async () => {
  // GIVEN the runner with retryAttempts 1 and bisect, and 30 items of which one is poison
  const stateDir = tempDir('redrive');
  const log = join(stateDir, 'handler.log');
  process.env.HANDLER_LOG = log;
  const runner = await startLocalRunner({
    app: { table: tableConfig, consumers: [consumerConfig()] },
    handler,
    stateDir,
    port: 0,
    progress: false,
    log: () => undefined,
    retryBackoffMs: () => 10,
  });
  const clients = localClients(runner.endpoint);
  await writeVersions(clients.dynamodb, runner.tableName, 30, 1, (pk) => (pk === 'key-7' ? { poison: { BOOL: true } } : {}));
  clients.destroy();
  // Waits for the work rather than for idleness: on a loaded machine a fixed idle time can end the run early.
  const m = runner.metrics;
  await waitFor(() => m.polledEvents >= 30 && m.deliveredToDestinationEvents >= 1, {
    what: 'the runner to read the 30 records and send the poison one to the failure destination',
    timeoutMs: 300_000,
    everyMs: 100,
    detail: () => JSON.stringify(m),
  });
  const summary = await runner.stop();
  delete process.env.HANDLER_LOG;

  // THEN only the poison record was discarded, to the failure file, in the SQS message shape
  expect(summary.metrics).toMatchObject({ deliveredToDestinationEvents: 1, droppedEvents: 0 });
  const lines = readFileSync(summary.failuresFile, 'utf8').trim().split('\n');
  expect(lines).toHaveLength(1);
  const message = JSON.parse(lines[0]);
  expect(message).toMatchObject({
    requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2 },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    DDBStreamBatchInfo: { batchSize: 1, streamArn: runner.streamArn },
  });
  expect(message.payload).toBeUndefined();
  const poisonSeq: string = message.DDBStreamBatchInfo.startSequenceNumber;
  const common = ['--config', 'test/runtime/local/fixtures/app-config.ts', '--handler', 'test/runtime/local/fixtures/handler.ts', '--state-dir', stateDir];

  // WHEN redrive runs with --dry-run: it lists the message and changes nothing
  const dry = runCli('redrive', [...common, '--dry-run']);
  expect(await dry.exited).toBe(0);
  expect(dry.stderr()).toMatch(new RegExp(`would redrive ${poisonSeq}\\.\\.${poisonSeq} .*re-read 1 record`));
  expect(existsSync(`${summary.failuresFile}.redriven`)).toBe(false);

  // WHEN redrive runs before the fix, on a copy that also holds a message whose shard no longer exists
  const copy = join(stateDir, 'copy.jsonl');
  copyFileSync(summary.failuresFile, copy);
  const gone = { ...message, DDBStreamBatchInfo: { ...message.DDBStreamBatchInfo, shardId: 'shardId-00000000000000000000-deadbeef' } };
  appendFileSync(copy, `${JSON.stringify(gone)}\n`);
  const broken = runCli('redrive', [...common, '--from', copy], { HANDLER_LOG: log });
  // THEN it exits 1: the poison still fails and stays pending, the gone shard is reported as unavailable
  expect(await broken.exited).toBe(1);
  expect(broken.stderr()).toMatch(/still failing .*poison record/);
  expect(broken.stderr()).toMatch(/cannot redrive .*deadbeef.*cannot be re-read/);
  expect(broken.stderr()).toMatch(/0 redriven, 2 still pending/);

  // WHEN the handler is fixed and redrive runs on the runner's failure file
  const fixed = runCli('redrive', common, { HANDLER_LOG: log, HANDLER_FIXED: '1' });
  // THEN the record is re-read from the stream, handled, and the message marked done
  expect(await fixed.exited).toBe(0);
  expect(fixed.stderr()).toMatch(/1 redriven, 0 still pending/);
  const handled = readHandlerLog(log).filter((l) => l.seq === poisonSeq);
  // Seen by the runner (two attempts plus bisect halves), by the broken redrive, then once by the fixed one.
  expect(handled.length).toBeGreaterThanOrEqual(2);
  expect(handled[handled.length - 1].pk).toBe('key-7');

  // WHEN redrive runs again THEN nothing is left to do
  const again = runCli('redrive', common, { HANDLER_FIXED: '1' });
  expect(await again.exited).toBe(0);
  expect(again.stderr()).toMatch(/0 redriven, 0 still pending, 0 unreadable \(skipped\), 1 already done before/);
});

test('redrive of a payload message (S3 destination shape) needs no stream', async () => {
  const stateDir = tempDir('redrive-s3');
  const file = join(stateDir, 'failures.jsonl');
  const message = payloadMessage();
  // A torn last line, as a crash mid-append leaves it, is skipped.
  writeFileSync(file, `${JSON.stringify(message)}\n{"requestContext":`);
  const log = join(stateDir, 'handler.log');
  const run = runCli('redrive', ['--config', 'test/runtime/local/fixtures/app-config.ts', '--handler', 'test/runtime/local/fixtures/handler.ts', '--from', file], { HANDLER_LOG: log });
  expect(await run.exited).toBe(0);
  expect(readHandlerLog(log)).toEqual([{ pk: 'p', version: 3, seq: '100' }]);
});

test('a failure file an earlier local runner wrote (payload as an event object) still redrives', async () => {
  const stateDir = tempDir('redrive-legacy');
  const file = join(stateDir, 'failures.jsonl');
  writeFileSync(file, `${JSON.stringify(legacyPayloadMessage())}\n`);
  const log = join(stateDir, 'handler.log');
  const run = runCli('redrive', ['--config', 'test/runtime/local/fixtures/app-config.ts', '--handler', 'test/runtime/local/fixtures/handler.ts', '--from', file], { HANDLER_LOG: log });
  expect(await run.exited).toBe(0);
  expect(readHandlerLog(log)).toEqual([{ pk: 'p', version: 3, seq: '100' }]);
});
