/**
 * The rules module's functions, case by case: what -1 means, and what one poison record does under each retry
 * policy (the sample emulator test and synth's warnings rest on it; sample-policy-matrix.test.ts runs them).
 */
import { ageIsInfinite, poisonOutcome, retriesAreInfinite, type PoisonOutcome } from '../../../src/runtime/rules/consumer-rules';

describe('-1 is "no limit", and only -1', () => {
  test.each([
    [-1, true],
    [0, false],
    [1, false],
    [-2, false],
    ['-1', false],
    [undefined, false],
  ])('retryAttempts %p: infinite %p', (retryAttempts, infinite) => {
    expect(retriesAreInfinite({ retryAttempts })).toBe(infinite);
  });

  test.each([
    [-1, true],
    [60, false],
    [0, false],
    [-2, false],
    ['-1', false],
    [undefined, false],
  ])('maxRecordAgeSeconds %p: infinite %p', (maxRecordAgeSeconds, infinite) => {
    expect(ageIsInfinite({ maxRecordAgeSeconds })).toBe(infinite);
  });
});

describe('what one poison record does under a retry policy', () => {
  /** [retryAttempts, maxRecordAgeSeconds, bisectBatchOnError, reportBatchItemFailures, outcome] */
  const POLICIES: Array<[number, number, boolean, boolean, PoisonOutcome]> = [
    [5, 3600, true, true, 'isolated'],
    [5, 3600, true, false, 'isolated'],
    [5, 3600, false, true, 'isolated'],
    [0, -1, false, true, 'isolated'],
    [5, 3600, false, false, 'discardsBatch'],
    [0, -1, false, false, 'discardsBatch'],
    // infinite retries: bisect and batch item failures narrow nothing, the record's age alone ends the retries
    [-1, 3600, true, true, 'expiresWithFollowers'],
    [-1, 60, false, false, 'expiresWithFollowers'],
    [-1, -1, true, true, 'blocks'],
    [-1, -1, false, false, 'blocks'],
  ];

  test.each(POLICIES)('retryAttempts %i, maxRecordAgeSeconds %i, bisect %p, batch item failures %p: %s', (retryAttempts, maxRecordAgeSeconds, bisectBatchOnError, reportBatchItemFailures, outcome) => {
    expect(poisonOutcome({ retryAttempts, maxRecordAgeSeconds, bisectBatchOnError, reportBatchItemFailures })).toBe(outcome);
  });
});
