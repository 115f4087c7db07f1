import type { ConsumerConfig } from '../../runtime/config';
import { defaultRetryBackoffMs } from '../../runtime/emulator/policy';
import type { DiscardCondition } from '../../runtime/emulator/types';
import { ageIsInfinite, retriesAreInfinite } from '../../runtime/rules/consumer-rules';

/** What the failure destination's message says about the sample's poison record: why, and after how many tries. */
export interface PoisonDiscard {
  readonly condition: DiscardCondition;
  /** `approximateInvokeCount`: the invocations of the batch it was discarded with. */
  readonly invocations: number;
  /** Why that many: the lines of the sample test's comment, without their `// `. */
  readonly why: readonly string[];
}

/**
 * The sample emulator test's poison record, written with the others at its start, is first tried when the batching
 * window closes, then after each of the emulator's retry delays (defaultRetryBackoffMs), until its retries are used
 * or it is older than maxRecordAgeSeconds: whichever comes first names the discard. Undefined when neither ever
 * comes (infinite retries and age: it blocks its shard).
 */
export function poisonDiscard(consumer: ConsumerConfig): PoisonDiscard | undefined {
  const infiniteRetries = retriesAreInfinite(consumer);
  if (infiniteRetries && ageIsInfinite(consumer)) return undefined;
  const ageMs = ageIsInfinite(consumer) ? Infinity : consumer.maxRecordAgeSeconds * 1000;
  const windowMs = consumer.maxBatchingWindowSeconds * 1000;
  let invocations = 0;
  // "older than": the emulator discards a record once now - arrival > maxRecordAgeSeconds
  for (let atMs = windowMs; atMs <= ageMs; atMs += defaultRetryBackoffMs(invocations)) {
    invocations++;
    if (!infiniteRetries && invocations === consumer.retryAttempts + 1) {
      const retries = consumer.retryAttempts === 0 ? 'retryAttempts 0: no retry' : `then its ${consumer.retryAttempts} retries`;
      return { condition: 'RetryAttemptsExhausted', invocations, why: [`its first try, ${retries}`] };
    }
  }
  const first = windowMs > 0 ? `the first when the ${consumer.maxBatchingWindowSeconds} s batching window closes` : 'the first at once';
  return {
    condition: 'RecordAgeExceeded',
    invocations,
    why: wrap(`its tries before it is ${consumer.maxRecordAgeSeconds} s old: ${first}, then one after each retry delay (1 s, doubling up to 60 s)`),
  };
}

/** Comment lines of at most 80 characters, so that the comment stays within prettier's print width. */
function wrap(text: string): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= 80) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}
