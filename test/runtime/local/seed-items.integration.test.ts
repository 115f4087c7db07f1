/**
 * Seeds through the real CLI on DynamoDB Local: the user's own items (`--seed-items` a JSON file, or a generator
 * module with `--seed n`), checked before anything is written; and a seed line that says how many changes each
 * consumer receives after its filters, which is what its handler then really gets.
 */
import { existsSync } from 'fs';
import { basename, join } from 'path';
import { FIXTURES, readHandlerLog, runCli, tempDir, tempRepoWithHandlers } from './helpers';
import { type DynamoDbLocal, freePort, startDynamoDbLocal } from '../../../src/runtime/local';

// Several runs on a loaded machine.
jest.setTimeout(600_000);

// One DynamoDB Local for the file, a table per state dir: how the runner starts its own is not what these test.
let ddb: DynamoDbLocal;
beforeAll(async () => {
  ddb = await startDynamoDbLocal({ dbPath: join(tempDir('seed-items-ddb'), 'ddb'), port: await freePort() });
});
afterAll(async () => {
  await ddb?.stop();
});

const CONFIG = join(FIXTURES, 'orders-config.ts');

/** One run of both consumers (audit filters PAID, stats takes all) until idle, with the validating handler. */
async function seedRun(stateDir: string, repo: string, seedArgs: readonly string[]) {
  const log = join(stateDir, '{consumer}.log');
  const before = { audit: handled(stateDir, 'audit'), stats: handled(stateDir, 'stats') };
  const database = ['--endpoint', ddb.endpoint, '--table', basename(stateDir)];
  const run = runCli('local', ['--config', CONFIG, '--state-dir', stateDir, ...database, '--stop-when-idle', '2', ...seedArgs], { HANDLER_LOG: log }, repo);
  const code = await run.exited;
  const lines = run.stderr().split('\n').filter((l) => /seeded|stopped|failed|sent/.test(l));
  const seeded = lines.find((l) => l.startsWith('seeded')) ?? '';
  const got = { audit: handled(stateDir, 'audit') - before.audit, stats: handled(stateDir, 'stats') - before.stats };
  return { code, stderr: run.stderr(), lines, seeded, got };
}

const handled = (stateDir: string, consumer: string) => readHandlerLog(join(stateDir, `${consumer}.log`)).length;

/** `audit receives 3 (2 filtered out), stats receives 5` -> { audit: 3, stats: 5 } */
function receives(seeded: string): Record<string, number> {
  return Object.fromEntries([...seeded.matchAll(/(\w+) receives (\d+)/g)].map((m) => [m[1], Number(m[2])]));
}

test('--seed-items writes the items of a JSON file; the seed line says what each consumer receives, and that is what it gets', async () => {
  const stateDir = tempDir('seed-items');
  const repo = tempRepoWithHandlers(['audit', 'stats'], join(FIXTURES, 'validating-handler'));
  const file = join(FIXTURES, 'seed-orders.json');

  // WHEN the file's five puts are seeded: four new orders and one order written again as PAID
  const first = await seedRun(stateDir, repo, ['--seed-items', file]);
  process.stdout.write(`--seed-items seed-orders.json:\n${first.lines.join('\n')}\n`);

  // THEN the line counts the changes DynamoDB made, and each consumer's share after its filters
  expect(first.code).toBe(0);
  expect(first.seeded).toBe(`seeded 5 changes (4 inserts, 1 modification) into "${basename(stateDir)}": audit receives 3 (2 filtered out), stats receives 5`);
  // AND the handlers got exactly that, and the validating handler accepted every item: nothing failed
  expect(first.got).toEqual(receives(first.seeded));
  expect(first.stderr).toMatch(/audit: stopped \(idle\): read 5 records; the handler got 3 in \d+ invocations?; none failed, 2 filtered out/);
  expect(first.stderr).toMatch(/stats: stopped \(idle\): read 5 records; the handler got 5 in \d+ invocations?; none failed, none filtered out/);
  expect(existsSync(join(stateDir, 'failures', 'stats.jsonl'))).toBe(false);

  // WHEN the same file is seeded again: o-1 goes back to NEW and then to PAID, the others are already as given
  const second = await seedRun(stateDir, repo, ['--seed-items', file]);
  process.stdout.write(`--seed-items seed-orders.json again:\n${second.lines.join('\n')}\n`);

  // THEN only the puts that changed an item count (DynamoDB streams nothing for the others; 12.50 is stored as 12.5)
  expect(second.code).toBe(0);
  expect(second.seeded).toBe(
    `seeded 2 changes (2 modifications; 3 puts changed nothing (the item was already as given), so no stream record) into "${basename(stateDir)}": audit receives 1 (1 filtered out), stats receives 2`,
  );
  expect(second.got).toEqual(receives(second.seeded));
});

test('--seed n --seed-items <module> calls the module\'s function for n items; a generated --seed says each consumer\'s share too', async () => {
  const stateDir = tempDir('seed-generator');
  const repo = tempRepoWithHandlers(['audit', 'stats'], join(FIXTURES, 'validating-handler'));

  // WHEN a generator module makes the items
  const generated = await seedRun(stateDir, repo, ['--seed', '5', '--seed-items', join(FIXTURES, 'seed-orders.ts')]);
  process.stdout.write(`--seed 5 --seed-items seed-orders.ts:\n${generated.lines.join('\n')}\n`);

  // THEN five orders are written, three of them PAID, and each consumer gets its share
  expect(generated.code).toBe(0);
  expect(generated.seeded).toBe(`seeded 5 changes (5 inserts) into "${basename(stateDir)}": audit receives 3 (2 filtered out), stats receives 5`);
  expect(generated.got).toEqual(receives(generated.seeded));

  // WHEN the runner generates the changes itself (--seed alone), with the plain fixture handler
  const plain = tempRepoWithHandlers(['audit', 'stats']);
  const sampled = await seedRun(stateDir, plain, ['--seed', '6']);
  process.stdout.write(`--seed 6:\n${sampled.lines.join('\n')}\n`);

  // THEN the line says how many of the 6 changes each consumer receives, and that is what each handler gets
  expect(sampled.code).toBe(0);
  expect(sampled.seeded).toMatch(/^seeded 6 changes \(.*\) into "seed-generator-\w+": audit receives \d+( \(\d+ filtered out\))?, stats receives 6$/);
  expect(sampled.got).toEqual(receives(sampled.seeded));
});

describe('bad seed items stop the run before anything is written', () => {
  test.each([
    [
      'an item without the partition key',
      ['--seed-items', join(FIXTURES, 'seed-bad.json')],
      `--seed-items ${join(FIXTURES, 'seed-bad.json')}: item 2 has no "pk" (the table's partition key, type S): every item needs the table's keys (pk S); nothing was written`,
    ],
    [
      '--seed n with a file, which is written whole',
      ['--seed', '3', '--seed-items', join(FIXTURES, 'seed-orders.json')],
      `--seed 3 with --seed-items ${join(FIXTURES, 'seed-orders.json')}: the items given are written whole (5 of them), so there is no count to apply: drop --seed, or export a function ({ count }) => items to make n items`,
    ],
    [
      'a module without the export',
      ['--seed-items', `${join(FIXTURES, 'seed-orders.ts')}#orders`],
      `--seed-items ${join(FIXTURES, 'seed-orders.ts')}#orders: the module has no export "orders" (exports: items): export the items (an array, or a function returning them) as \`items\`, or name the export with path#exportName`,
    ],
  ])('%s', async (_, args, message) => {
    const stateDir = join(tempDir('seed-bad'), 'state');
    const run = runCli('local', ['--config', join(FIXTURES, 'app-config.ts'), '--handler', join(FIXTURES, 'handler.ts'), '--state-dir', stateDir, '--port', '0', ...args]);

    expect(await run.exited).toBe(2);
    expect(run.stderr().trim()).toBe(`ddb-stream-local: ${message}`);
    // nothing was started or written: not even the state dir exists
    expect(existsSync(stateDir)).toBe(false);
  });
});
