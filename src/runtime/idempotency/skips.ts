import type { DynamoDBStreamRecord } from '../records/types';

/**
 * Where a generated repository's `src/generated/idempotency.ts` reports a record skipped as already completed (the
 * same key, `Symbol.for`, is written there): the handler never saw it, and a tool that invoked the handler should say
 * so rather than count the record as processed. A global symbol rather than an import: the function's bundle must not
 * carry the runtime kit.
 */
const SKIP_LISTENER = Symbol.for('ddb-stream-template.idempotency.skipped');

type SkipListener = (consumer: string, record: DynamoDBStreamRecord) => void;

/** Runs `invoke` and returns, with its result, the records of `consumer` that idempotency skipped during it. */
export async function withIdempotencySkips<T>(
  consumer: string,
  invoke: () => Promise<T>,
): Promise<{ readonly result: T; readonly skipped: readonly DynamoDBStreamRecord[] }> {
  const slot = globalThis as unknown as Record<symbol, SkipListener | undefined>;
  const outer = slot[SKIP_LISTENER];
  const skipped: DynamoDBStreamRecord[] = [];
  slot[SKIP_LISTENER] = (name, record) => {
    if (name === consumer) skipped.push(record);
    outer?.(name, record);
  };
  try {
    return { result: await invoke(), skipped };
  } finally {
    slot[SKIP_LISTENER] = outer;
  }
}
