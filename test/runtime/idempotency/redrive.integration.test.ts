/**
 * Redrive re-runs whole batch ranges, so records that completed before their batch failed run again, unless the
 * consumer has idempotency on: redrive's local handler then remembers records in the state folder's DynamoDB Local,
 * in the table `npx projen local` uses. Two failure messages whose ranges overlap (as a bisected batch's do) are
 * redriven by the real CLI; the overlapping record's side effect happens once with idempotency on, twice with it off.
 */
import { writeFileSync } from 'fs';
import { join } from 'path';
import { SIDE_EFFECTS_ENV, WORK_MS_ENV, writeSideEffectProject } from './side-effect-project';
import { readHandlerLog, runCli, tempDir } from '../local/helpers';
import { legacyPayloadMessage } from '../redrive/payload-message';

jest.setTimeout(240_000);

/** A payload message (S3 shape) holding the records of `versions` of key "p", sequence numbers 100 + version. */
function message(versions: number[]): object {
  const base = legacyPayloadMessage();
  const [template] = base.payload.Records;
  const records = versions.map((v) => ({
    ...template,
    eventID: `event-${v}`,
    dynamodb: { ...template.dynamodb, NewImage: { pk: { S: 'p' }, version: { N: String(v) } }, SequenceNumber: String(100 + v) },
  }));
  const info = {
    ...base.DDBStreamBatchInfo,
    startSequenceNumber: String(100 + versions[0]),
    endSequenceNumber: String(100 + versions.at(-1)!),
    batchSize: versions.length,
  };
  return { ...base, DDBStreamBatchInfo: info, payload: JSON.stringify({ Records: records }) };
}

async function redrive(idempotency: boolean, batches: number[][]): Promise<{ versions: number[]; stderr: string }> {
  const project = writeSideEffectProject(idempotency);
  const stateDir = tempDir(`redrive-idempotency-${idempotency ? 'on' : 'off'}`);
  const failures = join(stateDir, 'failures.jsonl');
  const effects = join(stateDir, 'side-effects.log');
  writeFileSync(failures, batches.map((versions) => `${JSON.stringify(message(versions))}\n`).join(''));

  const run = runCli('redrive', ['--config', project.config, '--handler', project.handler, '--from', failures, '--state-dir', stateDir], {
    [SIDE_EFFECTS_ENV]: effects,
    [WORK_MS_ENV]: '0',
  });

  expect(await run.exited).toBe(0);
  expect(run.stderr()).toContain(`${batches.length} redriven, 0 still pending`);
  return { versions: readHandlerLog(effects).map((line) => line.version), stderr: run.stderr() };
}

test('idempotency off: the record in both ranges runs twice', async () => {
  const { versions, stderr } = await redrive(false, [[1, 2], [2, 3]]);
  expect(versions).toEqual([1, 2, 2, 3]);
  expect(stderr).not.toContain('idempotency skipped');
});

test("idempotency on: each record runs once, remembered in the state folder's DynamoDB Local, and the skip is reported", async () => {
  const { versions, stderr } = await redrive(true, [[1, 2], [2, 3]]);
  expect(versions).toEqual([1, 2, 3]);
  expect(stderr).toContain('redriven 2 record(s) 102..103 of ');
  expect(stderr).toContain(': the handler saw 1; idempotency skipped 1 as already completed (sequence numbers 102)');
  expect(stderr).toMatch(/2 redriven, 0 still pending, .*; idempotency skipped 1 record\(s\) already completed, which the handler did not see \(sequence numbers 102\)\n/);
});

test('GIVEN idempotency on WHEN every record of a batch was already completed THEN redrive says the handler saw none of them, and which', async () => {
  const { versions, stderr } = await redrive(true, [[1, 2], [1, 2]]);
  expect(versions).toEqual([1, 2]);
  expect(stderr).toContain(': the handler saw none; idempotency skipped 2 as already completed (sequence numbers 101, 102)');
  expect(stderr).toContain('idempotency skipped 2 record(s) already completed, which the handler did not see (sequence numbers 101, 102)');
});
