/**
 * The event source mapping re-invokes records that already succeeded: a retried batch runs again from its first
 * record, bisection runs each half again, and with batch item failures the records of other partition keys that ran
 * after the failed one run again on the retry. These scenarios run the generated contract through the emulator,
 * once with `idempotency` off (the side effects repeat) and once on, with Powertools' DynamoDB store on DynamoDB
 * Local (each good record's side effect happens once).
 *
 * AWS, "Configuring partial batch response with DynamoDB and Lambda" (services-ddb-batchfailurereporting, quoted
 * in docs/aws-semantics.md): "Lambda treats all other results as a complete failure and retries processing the
 * batch up to the retry limit"; "If the `batchItemFailures` array contains multiple items, Lambda uses the record
 * with the lowest sequence number as the checkpoint. Lambda then retries all records starting from that
 * checkpoint." And CreateEventSourceMapping: "BisectBatchOnFunctionError – If the function returns an error, split
 * the batch in two and retry."
 */
import * as path from 'path';
import { startLocalIdempotencyTable, type LocalIdempotencyTable } from './local-store';
import { AttributeType } from '../../../src';
import { camelCase, pascalCase } from '../../../src/project/shared/names';
import type { ConsumerConfig, TableConfig } from '../../../src/runtime/config';
import { emulateEventSourceMapping, type EmulatedEvent, type StreamHandler } from '../../../src/runtime/emulator';
import { StreamFixtures } from '../../../src/runtime/records/fixtures';
import { writeGeneratedProject } from '../../project/generated-code';
import type { TestOptions } from '../../project/helpers';

jest.setTimeout(240_000);

const table = { partitionKey: { name: 'pk', type: AttributeType.STRING }, attributes: [{ name: 'poison', type: AttributeType.BOOLEAN }] };

/** Two consumers: one whose failures throw (whole-batch retries, bisection), one reporting batch item failures with keys run in parallel. */
function project(idempotency: boolean): TestOptions {
  const once = idempotency ? { idempotency: { enabled: true } } : {};
  return {
    table,
    consumers: [
      { name: 'whole-batch', reportBatchItemFailures: false, ...once },
      { name: 'item-failures', parallelizationFactor: 2, ...once },
    ],
  };
}

interface Rendered {
  readonly tableConfig: TableConfig;
  readonly handler: (consumer: string, onRecord: (sequenceNumber: string) => void) => StreamHandler;
  readonly config: (consumer: string) => ConsumerConfig;
  readonly useStore?: (factory: () => unknown) => void;
}

function render(idempotency: boolean): Rendered {
  const dir = writeGeneratedProject(project(idempotency));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = (file: string) => require(path.join(dir, 'src/generated', file));
  return {
    tableConfig: load('config.ts').tableConfig,
    // the user's callback: some asynchronous work (partition keys interleave), then a side effect; the poison throws
    handler: (consumer, onRecord) =>
      load(`${consumer}/contract.ts`)[`define${pascalCase(consumer)}Handler`]({
        onInsert: async (change: { sequenceNumber: string; keys: { pk: string }; newImage: { poison?: boolean } }) => {
          await new Promise((r) => setImmediate(r));
          if (change.newImage.poison) throw new Error(`poison ${change.keys.pk}`);
          onRecord(change.sequenceNumber);
        },
      }),
    config: (consumer) => load(`${consumer}/config.ts`)[`${camelCase(consumer)}Config`],
    ...(idempotency ? { useStore: load('idempotency.ts').useIdempotencyStore } : {}),
  };
}

let local: LocalIdempotencyTable;
const rendered: Record<'off' | 'on', Rendered> = {} as never;
let firstSequence = 1_000_000n;

beforeAll(async () => {
  local = await startLocalIdempotencyTable();
  rendered.off = render(false);
  rendered.on = render(true);
  rendered.on.useStore!(() => local.store());
});
afterAll(async () => {
  await local?.stop();
});
beforeEach(() => {
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

/** Runs the scenario; returns how often each good record's side effect happened, and what reached the destination. */
async function sideEffects(mode: 'off' | 'on', consumer: string, mapping: Partial<ConsumerConfig>, keys: string[], poisonAt: number) {
  // fresh eventIDs per run: the idempotency table is shared by the scenarios
  const { tableConfig } = rendered[mode];
  const stream = new StreamFixtures({ table: tableConfig, firstSequenceNumber: (firstSequence += 1_000_000n) });
  const records = keys.map((pk, i) => stream.insert({ pk, ...(i === poisonAt ? { poison: true } : {}) }));
  // side effects per record, labelled "<key>#<index>"
  const labels = new Map(records.map((r, i) => [r.dynamodb.SequenceNumber, `${keys[i]}#${i}`]));
  const counts = new Map<string, number>();
  const handler = rendered[mode].handler(consumer, (seq) => counts.set(labels.get(seq)!, (counts.get(labels.get(seq)!) ?? 0) + 1));
  const invoked: string[][] = [];
  const trace = await emulateEventSourceMapping({
    records,
    config: { ...rendered[mode].config(consumer), ...mapping },
    table: tableConfig,
    handler: (event: EmulatedEvent, context) => {
      invoked.push(event.Records.map((r) => labels.get(r.dynamodb.SequenceNumber)!));
      return handler(event, context);
    },
  });
  const discarded = trace.failures.flatMap((f) => f.records.map((r) => labels.get(r.dynamodb.SequenceNumber)!));
  const result = { counts, invoked, discarded, reinvoked: invoked.flat().length - new Set(invoked.flat()).size };
  const effects = [...counts.values()];
  process.stdout.write(
    `${consumer} ${JSON.stringify(mapping)}, idempotency ${mode}: ${invoked.length} invocations, ${result.reinvoked} records re-invoked, ` +
      `${effects.reduce((a, b) => a + b, 0)} side effects for ${effects.length} records (at most ${Math.max(0, ...effects)} per record)\n`,
  );
  return result;
}


describe.each([
  ['bisection halves run again', 'whole-batch', { bisectBatchOnError: true, retryAttempts: 2 }],
  ['a whole-batch retry runs every record again', 'whole-batch', { bisectBatchOnError: false, retryAttempts: 3 }],
])('%s', (_scenario, consumer, mapping) => {
  const keys = Array.from({ length: 10 }, (_, i) => `key-${i}`);
  const poisonAt = 6;

  test('idempotency off: good records that ran before the failure run again', async () => {
    const off = await sideEffects('off', consumer, mapping, keys, poisonAt);

    expect(off.reinvoked).toBeGreaterThan(0);
    expect(Math.max(...off.counts.values())).toBeGreaterThan(1);
  });

  test('idempotency on: each good record completes once, the poison record still reaches the destination', async () => {
    const on = await sideEffects('on', consumer, mapping, keys, poisonAt);

    expect(on.reinvoked).toBeGreaterThan(0);
    // the records before the poison ran (once); those after it run only where bisection puts them in a half of
    // their own, and a discarded batch takes the rest to the destination: whatever ran, ran once
    expect([...on.counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    for (let i = 0; i < poisonAt; i++) expect(on.counts.get(`${keys[i]}#${i}`)).toBe(1);
    expect(on.discarded).toContain(`${keys[poisonAt]}#${poisonAt}`);
  });
});

describe('batch item failures with partition keys in parallel: other keys after the failure run again on the retry', () => {
  // key-a's second record is the poison; the other keys' records come after it in the batch and run concurrently
  // (factor 2: key-a and key-e share a lane, key-b and key-d take the other; see ids.ts)
  const keys = ['key-a', 'key-a', 'key-b', 'key-e', 'key-b', 'key-e', 'key-d', 'key-d'];
  const poisonAt = 1;
  const good = keys.map((k, i) => `${k}#${i}`).filter((_, i) => i !== poisonAt);

  test('idempotency off: records of other keys run twice', async () => {
    const off = await sideEffects('off', 'item-failures', { retryAttempts: 1 }, keys, poisonAt);

    expect(off.reinvoked).toBeGreaterThan(0);
    expect([...off.counts.values()].some((n) => n > 1)).toBe(true);
  });

  test('idempotency on: every good record of every key completes once', async () => {
    const on = await sideEffects('on', 'item-failures', { retryAttempts: 1 }, keys, poisonAt);

    expect(on.reinvoked).toBeGreaterThan(0);
    expect(on.counts).toEqual(new Map(good.map((label) => [label, 1])));
    expect(on.discarded).toEqual([`key-a#${poisonAt}`]);
  });
});
