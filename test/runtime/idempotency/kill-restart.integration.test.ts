/**
 * kill -9 of the local runner (the real CLI, on a generated project) mid-stream with 400 items, then a restart:
 * with idempotency on, the records the restart redelivers do not run their side effect again; with it off, those
 * that had run before the kill do. The handler's side effect is not idempotent by itself: it appends a line per
 * record to a file.
 *
 * The one physical limit. Powertools marks a record INPROGRESS, runs the callback, then writes COMPLETED. A kill
 * after the side effect and before the COMPLETED write has left the process leaves the record INPROGRESS with its
 * side effect done; the restart releases that lock (the killed invocation is over) and the record runs again.
 * Nothing tells "killed just before the append" from "killed just after it": keeping the lock instead would lose
 * the side effect in the first case. No store closes that window for a file append (or an email): only a side
 * effect that is itself conditional on the record (a DynamoDB write with attribute_not_exists keyed by eventID)
 * does. With keyConcurrency 1 one record at a time is in progress, so at most one record runs twice: exactly the one
 * in progress at the kill whose side effect was already written, and the test asserts that. The window is short
 * (from the append until the SDK has sent the UpdateItem; a request already sent still lands after the kill), so
 * most runs show none; a handler that SIGKILLs its own process right after an append shows that one record twice.
 */
import { rmSync } from 'fs';
import { killAndRestart, type KillRestartRun } from './kill-scenario';
import { writeSideEffectProject, type SideEffectProject } from './side-effect-project';
import { firstSeenOrder } from '../local/helpers';

// Four DynamoDB Local starts, 400 records with two idempotency writes each: minutes on a loaded machine.
jest.setTimeout(400_000);

/**
 * 40 keys × 10 versions; the kill comes after 150 side effects and a random delay below 80 ms (about one record's
 * run with idempotency on, on this machine), so that it lands anywhere in a record's run.
 */
const SCENARIO = { keys: 40, versions: 10, killAfter: 150, killJitterMs: 80, workMs: 10 };

const projects: SideEffectProject[] = [];
afterAll(() => {
  for (const p of projects) rmSync(p.dir, { recursive: true, force: true });
});

async function killAndRestartWith(idempotency: boolean): Promise<KillRestartRun> {
  const project = writeSideEffectProject(idempotency);
  projects.push(project);
  const run = await killAndRestart(project, SCENARIO);
  process.stdout.write(
    `idempotency ${idempotency ? 'on' : 'off'}:\n${run.commands.join('\n')}\n${run.restartLog}\n` +
      `kill -9 after ${run.effectsAtKill} side effects of ${run.written} records; in progress at the kill: ${run.inProgressAtKill.length}; ` +
      `redelivered ${run.redelivered}, locks released ${run.releasedLocks}; side effects ${run.effects.length}, records ran twice ${run.repeated.length}\n`,
  );
  return run;
}

function expectEveryRecordRanInKeyOrder(run: KillRestartRun): void {
  expect(new Set(run.effects.map((e) => e.seq)).size).toBe(run.written);
  const firstRuns = firstSeenOrder(run.effects);
  expect(firstRuns.size).toBe(SCENARIO.keys);
  for (const versions of firstRuns.values()) expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
}

test('kill -9 with idempotency on: redelivered records do not run again, but for one in progress at the kill after its side effect', async () => {
  // GIVEN a consumer with idempotency on, WHEN 400 items are written, the runner is killed mid-stream and restarted
  const run = await killAndRestartWith(true);

  // THEN the restart redelivered records, and every record had its side effect, in order per key
  expect(run.written).toBe(400);
  expect(run.redelivered).toBeGreaterThan(0);
  expectEveryRecordRanInKeyOrder(run);
  // AND at most one record was in progress at the kill (one at a time), whose lock the restart released
  expect(run.inProgressAtKill.length).toBeLessThanOrEqual(1);
  expect(run.releasedLocks).toBe(run.inProgressAtKill.length);
  // AND a record ran twice only if it is that one and its side effect was the last before the kill
  const inWindow = run.inProgressAtKill.filter((seq) => seq === run.lastBeforeKill.seq);
  expect(run.repeated.map((e) => e.seq)).toEqual(inWindow);
  expect(run.effects.length).toBe(run.written + inWindow.length);
});

test('kill -9 with idempotency off: the redelivered records that had run before the kill run again', async () => {
  // GIVEN the same handler with idempotency off, WHEN the same happens
  const run = await killAndRestartWith(false);

  // THEN every record had its side effect, in order per key
  expect(run.written).toBe(400);
  expectEveryRecordRanInKeyOrder(run);
  // AND the records that ran twice are redelivered ones that had run before the kill
  expect(run.redelivered).toBeGreaterThan(0);
  expect(run.repeated.length).toBeGreaterThan(0);
  expect(run.repeated.length).toBeLessThanOrEqual(run.redelivered);
  const beforeKill = new Set(run.effects.slice(0, run.effectsAtKill).map((e) => e.seq));
  for (const again of run.repeated) expect(beforeKill).toContain(again.seq);
  expect(run.effects.length).toBe(run.written + run.repeated.length);
});
