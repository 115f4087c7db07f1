/**
 * What the local runner prints: a failing record's error in full once, then one line per later attempt; and a
 * summary line that reads as a sentence.
 */
import type { InvocationTrace } from '../../../src/runtime/emulator/types';
import { formatRunSummary, type RunFigures } from '../../../src/runtime/local/pipeline/progress';
import { RepeatedErrors } from '../../../src/runtime/local/pipeline/repeated-errors';

function failedInvocation(attempt: number, error: unknown): InvocationTrace {
  return {
    index: attempt - 1,
    requestId: `req-${attempt}`,
    shardId: 'shardId-1',
    lane: 0,
    atMs: 0,
    attempt,
    event: { Records: [] },
    outcome: { kind: 'threw', error },
    verdict: 'failure',
    reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  };
}

describe('RepeatedErrors', () => {
  test('an invocation that throws is logged with its stack once, then in one line', () => {
    const errors = new RepeatedErrors(() => undefined);
    const poison = new Error('poison record 42');

    const first = errors.invocationLine(failedInvocation(1, poison));
    const second = errors.invocationLine(failedInvocation(2, poison));

    expect(first).toContain('invocation req-1 on shardId-1 (attempt 1, 0 records): failure: Error: poison record 42\n    at ');
    expect(second).toBe('invocation req-2 on shardId-1 (attempt 2, 0 records): failure: Error: poison record 42 (again; printed in full above)');
  });

  test('a different error is printed in full again', () => {
    const errors = new RepeatedErrors(() => undefined);
    errors.invocationLine(failedInvocation(1, new Error('one')));
    expect(errors.invocationLine(failedInvocation(2, new Error('two')))).toContain('Error: two\n    at ');
  });

  test("the handler's console.error goes to the log, in full once, then as a note; console.error is put back", async () => {
    const logged: string[] = [];
    const errors = new RepeatedErrors((m) => logged.push(m));
    const original = console.error;
    const error = new Error('poison');
    const handler = errors.wrap(async () => {
      console.error('Record failed; reporting the batch checkpoint', { itemIdentifier: '300', error });
      return { batchItemFailures: [{ itemIdentifier: '300' }] };
    });
    const context = {} as Parameters<typeof handler>[1];

    await handler({ Records: [] }, context);
    await handler({ Records: [] }, context);

    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatch(/^Record failed; reporting the batch checkpoint \{\n\s+itemIdentifier: '300',\n\s+error: Error: poison\n\s+at /);
    expect(logged[1]).toBe("Record failed; reporting the batch checkpoint { itemIdentifier: '300', error: Error: poison } (again; printed in full above)");
    expect(console.error).toBe(original);
  });

  test('overlapping invocations (parallel lanes) share one replacement and restore console.error at the end', async () => {
    const errors = new RepeatedErrors(() => undefined);
    const original = console.error;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = errors.wrap(async () => gate);
    const fast = errors.wrap(async () => undefined);
    const context = {} as Parameters<typeof slow>[1];

    const pending = slow({ Records: [] }, context);
    await fast({ Records: [] }, context);
    expect(console.error).not.toBe(original);
    release();
    await pending;

    expect(console.error).toBe(original);
  });
});

describe('formatRunSummary', () => {
  const base: RunFigures = {
    reason: 'idle',
    metrics: {
      polledEvents: 7,
      invokedEvents: 7,
      invocations: 3,
      failedInvokeEvents: 0,
      filteredOutEvents: 0,
      deliveredToDestinationEvents: 0,
      droppedEvents: 0,
    },
    redelivered: 0,
    redeliveredTotal: 0,
    failuresFile: '.local/failures/audit.jsonl',
    checkpointFile: '.local/checkpoints/audit.json',
  };

  test('a clean run reads as a sentence, without zero counts that say nothing', () => {
    expect(formatRunSummary(base)).toBe(
      'stopped (idle): read 7 records; the handler got 7 in 3 invocations; none failed, none filtered out; checkpoints in .local/checkpoints/audit.json',
    );
  });

  test('retries, failures, filtering, the failure file and redeliveries are said when they happened', () => {
    const text = formatRunSummary({
      ...base,
      reason: 'stopped',
      metrics: {
        polledEvents: 10,
        invokedEvents: 14,
        invocations: 6,
        failedInvokeEvents: 5,
        filteredOutEvents: 2,
        deliveredToDestinationEvents: 1,
        droppedEvents: 0,
      },
      redelivered: 3,
      redeliveredTotal: 4,
    });
    expect(text).toBe(
      'stopped on request: read 10 records; the handler got 14 in 6 invocations (retries count again); 5 failed, 2 filtered out; ' +
        '1 record sent to .local/failures/audit.jsonl; 3 redelivered after the previous unclean stop (4 over all runs); checkpoints in .local/checkpoints/audit.json',
    );
  });

  test('records dropped without a destination are said to be dropped', () => {
    const text = formatRunSummary({ ...base, metrics: { ...base.metrics, failedInvokeEvents: 1, droppedEvents: 1 } });
    expect(text).toContain('1 failed, none filtered out; 1 record dropped (failureDestination NONE)');
  });
});
