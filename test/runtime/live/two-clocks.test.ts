/**
 * One scenario table, two clocks: every scenario of two-clocks/scenarios.ts runs through the emulator on the
 * virtual clock and through the local runner on a real DynamoDB Local with the system clock, and both must agree:
 * the same records delivered per key and in order, the same batches, the same destination messages (ignoring
 * timestamps, request ids, shard ids and arrival times) and the same final checkpoint. Where AWS documents the
 * result, the scenario also checks it.
 *
 * The table (scenario | virtual clock | system clock) is printed after the run:
 *   npx jest test/runtime/live/two-clocks.test.ts
 * Retry backoff is 100 ms (400 ms for the parallel-lanes scenario) on both clocks, so the suite takes about a
 * minute and a half.
 */
import { join } from 'path';
import { normalise, type Outcome, summarise } from './two-clocks/outcome';
import { runSystem, runVirtual } from './two-clocks/run';
import { SCENARIOS } from './two-clocks/scenarios';
import { type DynamoDbLocal, freePort, startDynamoDbLocal } from '../../../src/runtime/local';
import { tempDir } from '../local/helpers';

jest.setTimeout(60_000);

let ddb: DynamoDbLocal;
let dir: string;
/** Table rows by scenario index, printed in scenario order. */
const rows: string[] = [];

beforeAll(async () => {
  dir = tempDir('two-clocks');
  ddb = await startDynamoDbLocal({ dbPath: join(dir, 'ddb'), port: await freePort() });
}, 60_000);

afterAll(async () => {
  await ddb?.stop();
  const header = ['| scenario | virtual clock | system clock |', '| --- | --- | --- |'];
  process.stdout.write(`\n${[...header, ...rows.filter((r) => r !== undefined)].join('\n')}\n\n`);
});

SCENARIOS.forEach((scenario, i) => {
  test(scenario.name, async () => {
    let virtual: Outcome | undefined;
    let system: Outcome | undefined;
    try {
      // GIVEN the scenario WHEN it runs on the virtual clock and on the system clock
      virtual = normalise(await runVirtual(scenario), scenario.facts);
      system = normalise(await runSystem(scenario, ddb.endpoint, join(dir, `s${i}`), `two-clocks-${i}`), scenario.facts);
      // THEN both agree, and agree with what AWS documents
      expect(system).toEqual(virtual);
      scenario.expect?.(virtual);
      rows[i] = `| ${scenario.name} | ✓ ${summarise(virtual)} | ✓ ${summarise(system)} |`;
    } catch (error) {
      rows[i] = `| ${scenario.name} | ${virtual ? summarise(virtual) : 'error'} | ✗ ${system ? summarise(system) : 'error'} |`;
      throw error;
    }
  });
});
