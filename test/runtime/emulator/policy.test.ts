/**
 * The retry policy's decision after one invocation, branch by branch at its edges (one retry left, none left, a batch
 * of one, a report at either end of the batch): the emulator tests drive it through whole scenarios, where an
 * off-by-one at an edge can hide behind a later retry (mutation testing found such edges untested).
 */
import { defaultRetryBackoffMs, nextStep, type PolicyInput } from '../../../src/runtime/emulator/policy';

const failure = { kind: 'failure', reason: 'the function threw' } as const;
const partial = (lowest: number, highest: number) => ({ kind: 'partial', lowest, highest }) as const;
const input = (overrides: Partial<PolicyInput>): PolicyInput => ({
  reading: failure,
  batchLength: 10,
  retriesUsed: 0,
  retryAttempts: 2,
  bisect: false,
  ...overrides,
});

describe('a success', () => {
  test('checkpoints past the batch, whatever the retries used', () => {
    expect(nextStep(input({ reading: { kind: 'success' }, retriesUsed: 2 }))).toEqual({ kind: 'done' });
  });
});

describe('a function error', () => {
  test('with bisect and more than one record: split, whatever the retries used', () => {
    expect(nextStep(input({ bisect: true, batchLength: 2, retriesUsed: 2 }))).toEqual({ kind: 'bisect' });
  });

  test('with bisect and one record: retried while retries are left', () => {
    expect(nextStep(input({ bisect: true, batchLength: 1, retriesUsed: 1 }))).toEqual({ kind: 'retry', from: 0 });
  });

  test('one retry left: retried', () => {
    expect(nextStep(input({ retriesUsed: 1 }))).toEqual({ kind: 'retry', from: 0 });
  });

  test('no retry left: the whole batch is discarded', () => {
    expect(nextStep(input({ retriesUsed: 2 }))).toEqual({ kind: 'discard', from: 0, to: 9 });
  });

  test('retryAttempts 0: discarded after the first try', () => {
    expect(nextStep(input({ retryAttempts: 0 }))).toEqual({ kind: 'discard', from: 0, to: 9 });
  });

  test('retryAttempts -1: retried however many retries were used', () => {
    expect(nextStep(input({ retryAttempts: -1, retriesUsed: 10_000 }))).toEqual({ kind: 'retry', from: 0 });
  });
});

describe('reported batch item failures', () => {
  test('without bisect, a report after the first record checkpoints before it (no retry consumed)', () => {
    expect(nextStep(input({ reading: partial(1, 1), retriesUsed: 2 }))).toEqual({ kind: 'checkpoint', from: 1 });
  });

  test('without bisect, a report of the first record is retried while retries are left', () => {
    expect(nextStep(input({ reading: partial(0, 3), retriesUsed: 1 }))).toEqual({ kind: 'retry', from: 0 });
  });

  test('without bisect, a report of the first record with no retry left discards up to the highest reported', () => {
    expect(nextStep(input({ reading: partial(0, 3), retriesUsed: 2 }))).toEqual({ kind: 'discard', from: 0, to: 3 });
  });

  test('with bisect, a report narrower than the batch splits it to the reported range', () => {
    expect(nextStep(input({ bisect: true, reading: partial(0, 8) }))).toEqual({ kind: 'split', from: 0, to: 8 });
    expect(nextStep(input({ bisect: true, reading: partial(1, 9) }))).toEqual({ kind: 'split', from: 1, to: 9 });
  });

  test('with bisect, a report of the whole batch bisects it', () => {
    expect(nextStep(input({ bisect: true, reading: partial(0, 9) }))).toEqual({ kind: 'bisect' });
  });

  test('with bisect, a report of a batch of one is retried, then discarded', () => {
    expect(nextStep(input({ bisect: true, batchLength: 1, reading: partial(0, 0), retriesUsed: 1 }))).toEqual({ kind: 'retry', from: 0 });
    expect(nextStep(input({ bisect: true, batchLength: 1, reading: partial(0, 0), retriesUsed: 2 }))).toEqual({ kind: 'discard', from: 0, to: 0 });
  });
});

describe("the emulator's retry delay (our choice: AWS does not document it)", () => {
  test.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [6, 32_000],
    [7, 60_000],
    [1000, 60_000],
  ])('retry %i waits %i ms', (retry, ms) => {
    expect(defaultRetryBackoffMs(retry)).toBe(ms);
  });
});
