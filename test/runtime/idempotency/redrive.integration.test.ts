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

async function redriveOverlapping(idempotency: boolean): Promise<number[]> {
  const project = writeSideEffectProject(idempotency);
  const stateDir = tempDir(`redrive-idempotency-${idempotency ? 'on' : 'off'}`);
  const failures = join(stateDir, 'failures.jsonl');
  const effects = join(stateDir, 'side-effects.log');
  writeFileSync(failures, `${JSON.stringify(message([1, 2]))}\n${JSON.stringify(message([2, 3]))}\n`);

  const run = runCli('redrive', ['--config', project.config, '--handler', project.handler, '--from', failures, '--state-dir', stateDir], {
    [SIDE_EFFECTS_ENV]: effects,
    [WORK_MS_ENV]: '0',
  });

  expect(await run.exited).toBe(0);
  expect(run.stderr()).toMatch(/2 redriven, 0 still pending/);
  return readHandlerLog(effects).map((line) => line.version);
}

test('idempotency off: the record in both ranges runs twice', async () => {
  expect(await redriveOverlapping(false)).toEqual([1, 2, 2, 3]);
});

test("idempotency on: each record runs once, remembered in the state folder's DynamoDB Local", async () => {
  expect(await redriveOverlapping(true)).toEqual([1, 2, 3]);
});
