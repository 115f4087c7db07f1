/**
 * `ddb-stream-explain` (`npx projen explain:<consumer>`): the timeline of a poison record under a consumer's policy,
 * from the config module a generated repository has, with `--poison-at N --batch M`; bad input is refused before
 * anything runs, naming the argument, the value, what is allowed and what to pass.
 */
import { explainMain } from '../../../src/runtime/cli/explain';
import { UsageError } from '../../../src/runtime/errors';
import { poisonText, poisonTimeline } from '../../../src/runtime/explain';
import { appConfig } from '../local/fixtures/app-config';
import { runCli } from '../local/helpers';

const CONFIG = ['--config', 'test/runtime/local/fixtures/app-config.ts'];

/** Runs the program's main in this process, as its file does, and returns what it printed. */
async function explain(args: string[]): Promise<string> {
  let out = '';
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  try {
    expect(await explainMain(args)).toBe(0);
  } finally {
    write.mockRestore();
  }
  return out;
}

test('prints the timeline of the consumer\'s own policy: a full batch, its middle record poison', async () => {
  const consumer = appConfig.consumers[0];
  const out = await explain([...CONFIG, '--consumer', 'audit']);

  expect(out).toBe(poisonText(poisonTimeline(consumer, { records: 10, poisonAt: 5 })));
  expect(out).toContain('Scenario: 10 records written at once, record 5 always fails (--batch 10 --poison-at 5)\n');
  expect(out).toContain('discard record 5 to the SQS failure queue (RetryAttemptsExhausted, 2 invocations)');
});

test('--poison-at and --batch try other positions, also after the "--" projen passes on', async () => {
  const out = await explain([...CONFIG, '--consumer', 'audit', '--', '--poison-at', '1', '--batch', '3']);

  expect(out).toContain('Scenario: 3 records written at once, record 1 always fails (--batch 3 --poison-at 1)\n');
  expect(out).toContain('Of 3 records: 2 processed, 1 sent to the SQS failure queue, 0 lost.');
});

test.each([
  [['--poison-at', '0'], '--poison-at "0" is not an integer between 1 and 10000: pass e.g. --poison-at 1'],
  [['--batch', 'ten'], '--batch "ten" is not an integer between 1 and 10000: pass e.g. --batch 1'],
  [['--poison-at', '12'], "--poison-at 12 is past the last record written (the consumer's batchSize, 10): pass --poison-at between 1 and 10, or a --batch of at least 12"],
  [['--poison-at', '7', '--batch', '5'], '--poison-at 7 is past the last record written (--batch 5): pass --poison-at between 1 and 5, or a --batch of at least 7'],
  [['--consumer', 'audti'], '--consumer audti is not a consumer in the config (allowed: audit): pass one of those names'],
])('%j is refused: %s', async (args, message) => {
  await expect(explainMain([...CONFIG, ...args])).rejects.toThrow(new UsageError(message));
});

test('run as a program, bad input is one line on stderr naming the argument, exit code 2', async () => {
  const run = runCli('explain', [...CONFIG, '--poison-at', '0']);

  expect(await run.exited).toBe(2);
  expect(run.stderr()).toBe('ddb-stream-explain: --poison-at "0" is not an integer between 1 and 10000: pass e.g. --poison-at 1\n');
});
