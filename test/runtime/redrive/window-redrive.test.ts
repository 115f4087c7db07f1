/**
 * Issue 10 item 5: a tumbling-window consumer's failure messages carry records but not the window's state, so its
 * window handler cannot be re-invoked with a true aggregate. Redrive refuses up front, in one line, with the
 * alternative (a handler of plain { Records } events), and leaves every message pending and untouched; with such a
 * handler it redrives.
 */
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { payloadMessage } from './payload-message';
import { fileSource, localTarget, redrive, windowRefusal } from '../../../src/runtime/redrive';
import { consumerConfig } from '../local/fixtures/app-config';
import { readHandlerLog, runCli, tempDir } from '../local/helpers';

const FIXTURES = join(__dirname, '..', 'local', 'fixtures');

/** A failure file with one S3-shaped message (payload included), so no stream is needed. */
function failureFile(): string {
  const dir = tempDir('window-redrive');
  const file = join(dir, 'failures.jsonl');
  const message = payloadMessage();
  writeFileSync(file, `${JSON.stringify(message)}\n`);
  return file;
}

test('redrive() refuses a tumbling-window consumer before reading anything', async () => {
  const file = failureFile();
  const windowed = consumerConfig({ tumblingWindowSeconds: 60 });
  const invoked: unknown[] = [];
  await expect(redrive({ source: fileSource(file), target: localTarget((e) => void invoked.push(e), windowed, 'h'), consumer: windowed })).rejects.toThrow(
    windowRefusal(windowed),
  );
  expect(windowRefusal(windowed).split('\n')).toHaveLength(1);
  expect(invoked).toHaveLength(0);
  expect(existsSync(`${file}.redriven`)).toBe(false);
});

test('the CLI refuses it in one line naming the reason and the alternative; with --handler of plain events it redrives', async () => {
  // GIVEN a failure file of a consumer with tumblingWindowSeconds 60
  const file = failureFile();
  const before = readFileSync(file, 'utf8');
  // WHEN redrive runs with the consumer's own (window) handler
  const refused = runCli('redrive', ['--config', join(FIXTURES, 'window-config.ts'), '--from', file]);
  const code = await refused.exited;
  // THEN it refuses in one line, and the message stays pending, untouched
  process.stdout.write(`window redrive -> exit ${code}: ${refused.stderr()}`);
  expect(code).toBe(1);
  expect(refused.stderr().trim().split('\n')).toHaveLength(1);
  expect(refused.stderr()).toMatch(
    /^ddb-stream-redrive: consumer "audit" aggregates tumbling windows \(tumblingWindowSeconds 60\), .*nothing was read or changed: pass --handler <file#export> with a handler of plain \{ Records \} events/,
  );
  expect(readFileSync(file, 'utf8')).toBe(before);
  expect(existsSync(`${file}.redriven`)).toBe(false);

  // WHEN the user names a handler of plain { Records } events
  const log = join(tempDir('window-log'), 'handler.log');
  const plain = runCli('redrive', ['--config', join(FIXTURES, 'window-config.ts'), '--from', file, '--handler', join(FIXTURES, 'handler.ts')], { HANDLER_LOG: log });
  // THEN the records are redriven through it, and the message is done
  expect(await plain.exited).toBe(0);
  expect(readHandlerLog(log)).toEqual([{ pk: 'p', version: 3, seq: '100' }]);
  expect(plain.stderr()).toMatch(/1 redriven, 0 still pending/);
});
