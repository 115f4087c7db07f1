/**
 * Each consumer's retry policy as a picture (issue 21, item 8): the generated README draws a poison record going
 * through the consumer's own policy, made by the emulator at synth, and `explain:<consumer>` prints the same timeline.
 */
import { synthFiles, type TestOptions } from './helpers';
import type { ConsumerConfig } from '../../src/runtime/config';
import { poisonDiagram, poisonTimeline } from '../../src/runtime/explain';
import { CONSUMER_DEFAULTS, FUNCTION_DEFAULTS } from '../../src/runtime/rules/consumer-rules';

const consumer = (name: string, overrides: Partial<ConsumerConfig> = {}): ConsumerConfig => ({
  ...CONSUMER_DEFAULTS,
  name,
  function: { ...FUNCTION_DEFAULTS, runtime: 'nodejs24.x' },
  ...overrides,
});

/** The ```mermaid blocks of the generated README, in order. */
function diagrams(options: TestOptions): string[] {
  const readme = synthFiles(options)['README.md'] as string;
  return [...readme.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);
}

test('the default consumer: the README draws the emulator\'s timeline of its policy, byte for byte', () => {
  expect(diagrams({})).toEqual([poisonDiagram(poisonTimeline(consumer('processor')))]);
});

test('the same options draw the same picture on every synth', () => {
  const options: TestOptions = { consumers: [{ name: 'orders', retryAttempts: -1, maxRecordAgeSeconds: 7200, bisectBatchOnError: false }] };
  expect(diagrams(options)).toEqual(diagrams(options));
});

test('each consumer gets the picture of its own policy, under its own name', () => {
  const [strict, forever] = diagrams({
    consumers: [
      { name: 'strict', retryAttempts: 2, reportBatchItemFailures: false, bisectBatchOnError: false, batchSize: 10 },
      { name: 'forever', retryAttempts: -1, maxRecordAgeSeconds: -1 },
    ],
  });

  expect(strict).toContain('  participant Handler as strict function\n');
  expect(strict).toContain('  Mapping-)Failures: 3 s: records 1–10 to the SQS failure queue (RetryAttemptsExhausted, 3 invocations)\n');
  expect(forever).toContain('  participant Handler as forever function\n');
  expect(forever).toContain("  Note over Stream: 24 h: records 50–100 trimmed by the stream's 24 h retention: lost, no destination gets them\n");
});

test('explain:<consumer> runs the explain program on that consumer, one task per consumer, with or without others', () => {
  for (const names of [['processor'], ['audit', 'indexer']]) {
    const tasks = synthFiles({ consumers: names.map((name) => ({ name })) })['.projen/tasks.json'].tasks;
    for (const name of names) {
      expect(tasks[`explain:${name}`]).toMatchObject({
        name: `explain:${name}`,
        env: { DDB_STREAM_TASK: `explain:${name}` },
        steps: [{ exec: `node node_modules/ddb-stream-template/lib/runtime/cli/explain.js --consumer ${name}`, receiveArgs: true }],
      });
    }
  }
});
