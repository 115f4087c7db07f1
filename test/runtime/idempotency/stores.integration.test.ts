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
import { Gate, waitFor } from '../../conditions';

jest.setTimeout(180_000);

let local: LocalIdempotencyTable;
beforeAll(async () => {
  local = await startLocalIdempotencyTable();
});
afterAll(async () => {
  await local?.stop();
});

const deadline = (ms: number) => ({ getRemainingTimeInMillis: () => ms }) as Context;
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
    // The first run is held in its callback (so its record is in progress) until the second delivery was refused.
    const started = new Gate();
    const release = new Gate();
    const { run, runs } = once(storeOf(), async (id) => {
      started.open();
      await release.wait({ what: 'the test to let the first run finish' });
      return id;
    });

    const first = run({ eventID: 'e-1' });
    await started.wait({ what: "the first run's callback to start" });
    await expect(run({ eventID: 'e-1' })).rejects.toBeInstanceOf(IdempotencyAlreadyInProgressError);
    release.open();
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
    const store = storeOf();
    const { run, runs } = once(store, async (id) => id, { expirySeconds: 1 });

    await run({ eventID: 'e-1' });
    // Expiry is on the wall clock (both stores read Date.now(), neither takes a clock): wait until the record the
    // store holds says it has expired, which is the stores' own condition, and no longer.
    const record = await store.getRecord({ eventID: 'e-1' });
    await waitFor(() => record.isExpired(), { what: `the record of e-1 to expire (expiry ${record.expiryTimestamp} s)`, timeoutMs: 5000 });
    await run({ eventID: 'e-1' });

    expect(runs).toEqual(['e-1', 'e-1']);
  });

  test("past the invocation's deadline an in-progress record is taken over", async () => {
    // Each run is held in its callback until the test lets it finish: the first until the second has taken over.
    const store = storeOf();
    const started = [new Gate(), new Gate()];
    const release = [new Gate(), new Gate()];
    const { run, runs } = once(
      store,
      async (id) => {
        const n = runs.length - 1;
        started[n].open();
        await release[n].wait({ what: `the test to let run ${n + 1} finish` });
        return id;
      },
      { deadlineMs: 100 },
    );

    const first = run({ eventID: 'e-1' });
    await started[0].wait({ what: "the first run's callback to start" });
    // The in-progress expiry is the invocation's deadline on the wall clock: wait until it has passed, and no longer.
    const inProgress = await store.getRecord({ eventID: 'e-1' });
    await waitFor(() => Date.now() > inProgress.inProgressExpiryTimestamp!, { what: "the first invocation's deadline to pass", timeoutMs: 5000 });
    const second = run({ eventID: 'e-1' });
    await started[1].wait({ what: "the second run's callback to start (it takes the record over)" });
    release[0].open();
    release[1].open();

    await expect(Promise.all([first, second])).resolves.toEqual(['e-1', 'e-1']);
    expect(runs).toEqual(['e-1', 'e-1']);
  });
});
