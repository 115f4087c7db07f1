/**
 * The runtime kit's MemoryIdempotencyStore (for unit tests) behaves as Powertools' DynamoDB store does, on DynamoDB
 * Local: the same scenarios, through Powertools' own makeIdempotent, keyed by the record's eventID as the generated
 * code keys it.
 */
import { IdempotencyAlreadyInProgressError, IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context } from 'aws-lambda';
import { startLocalIdempotencyTable, type LocalIdempotencyTable } from './local-store';
import { MemoryIdempotencyStore } from '../../../src/runtime/idempotency';

jest.setTimeout(180_000);

let local: LocalIdempotencyTable;
beforeAll(async () => {
  local = await startLocalIdempotencyTable();
});
afterAll(async () => {
  await local?.stop();
});

const deadline = (ms: number) => ({ getRemainingTimeInMillis: () => ms }) as Context;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let keys = 0;

/** A record's callback made idempotent as the generated `oncePerRecord` makes it; `runs` counts the real runs. */
type Options = { expirySeconds?: number; deadlineMs?: number };
function once(store: BasePersistenceLayer, work: (eventID: string) => Promise<string>, options: Options = {}) {
  const config = new IdempotencyConfig({ eventKeyJmesPath: 'eventID', throwOnNoIdempotencyKey: true, expiresAfterSeconds: options.expirySeconds ?? 3600 });
  config.registerLambdaContext(deadline(options.deadlineMs ?? 30_000));
  const runs: string[] = [];
  const run = makeIdempotent(
    async (record: { eventID: string }) => {
      runs.push(record.eventID);
      return work(record.eventID);
    },
    { persistenceStore: store, config, keyPrefix: `consumer-${++keys}` },
  );
  return { run, runs };
}

describe.each([
  ['MemoryIdempotencyStore', () => new MemoryIdempotencyStore()],
  ['DynamoDBPersistenceLayer on DynamoDB Local', () => local.store()],
])('%s', (_name, storeOf: () => BasePersistenceLayer) => {
  test('a record delivered twice runs once; the second delivery gets the first result', async () => {
    const { run, runs } = once(storeOf(), async (id) => `done ${id}`);

    await expect(run({ eventID: 'e-1' })).resolves.toBe('done e-1');
    await expect(run({ eventID: 'e-1' })).resolves.toBe('done e-1');
    await expect(run({ eventID: 'e-2' })).resolves.toBe('done e-2');

    expect(runs).toEqual(['e-1', 'e-2']);
  });

  test('while a record is in progress, a second delivery fails with IdempotencyAlreadyInProgressError', async () => {
    const { run, runs } = once(storeOf(), async (id) => {
      await sleep(300);
      return id;
    });

    const first = run({ eventID: 'e-1' });
    await sleep(100);
    await expect(run({ eventID: 'e-1' })).rejects.toBeInstanceOf(IdempotencyAlreadyInProgressError);
    await expect(first).resolves.toBe('e-1');

    expect(runs).toEqual(['e-1']);
  });

  test('a failed run leaves no record: the retry runs again', async () => {
    let attempts = 0;
    const { run, runs } = once(storeOf(), async (id) => {
      if (++attempts === 1) throw new Error('poison');
      return id;
    });

    await expect(run({ eventID: 'e-1' })).rejects.toThrow('poison');
    await expect(run({ eventID: 'e-1' })).resolves.toBe('e-1');

    expect(runs).toEqual(['e-1', 'e-1']);
  });

  test('after expirySeconds a record runs again', async () => {
    const { run, runs } = once(storeOf(), async (id) => id, { expirySeconds: 1 });

    await run({ eventID: 'e-1' });
    await sleep(2100);
    await run({ eventID: 'e-1' });

    expect(runs).toEqual(['e-1', 'e-1']);
  });

  test("past the invocation's deadline an in-progress record is taken over", async () => {
    const { run, runs } = once(
      storeOf(),
      async (id) => {
        await sleep(400);
        return id;
      },
      { deadlineMs: 100 },
    );

    const first = run({ eventID: 'e-1' });
    await sleep(250);
    const second = run({ eventID: 'e-1' });

    await expect(Promise.all([first, second])).resolves.toEqual(['e-1', 'e-1']);
    expect(runs).toEqual(['e-1', 'e-1']);
  });
});
