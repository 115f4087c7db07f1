import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { emptyDir, ROOT, synthFiles } from './helpers';

/**
 * `npx projen` in a generated repository runs `.projenrc.ts` with ts-node, type-checked. A misspelt option name must
 * read as one line naming it and the closest valid name, without ts-node's stack, and nothing may be written.
 */
function runProjenrc(body: string): { status: number | null; stderr: string; outdir: string } {
  const outdir = path.join(emptyDir('ddb-stream-projenrc-'), 'repo');
  fs.mkdirSync(path.join(ROOT, '.scratch'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(ROOT, '.scratch', 'projenrc-'));
  const file = path.join(dir, '.projenrc.ts');
  fs.writeFileSync(
    file,
    `import { DdbStreamApp } from ${JSON.stringify(path.join(ROOT, 'src'))};\n` +
      `${body.replace('OPTIONS', `name: "orders-consumer", defaultReleaseBranch: "main", cdkVersion: "2.276.0", outdir: ${JSON.stringify(outdir)}`)}\n`,
  );
  const r = spawnSync(
    process.execPath,
    [require.resolve('ts-node/dist/bin'), '--require', path.join(ROOT, 'src', 'project', 'projenrc-errors.ts'), '-P', path.join(ROOT, 'tsconfig.json'), file],
    { cwd: dir, encoding: 'utf-8', env: { ...process.env, PROJEN_DISABLE_POST: 'true' } },
  );
  return { status: r.status, stderr: r.stderr, outdir };
}

test('GIVEN the default task of a generated repository THEN ts-node preloads the error reporter', () => {
  const steps = synthFiles({ projenrcTs: true })['.projen/tasks.json'].tasks.default.steps;
  expect(steps.find((s: { execArgs?: string[] }) => s.execArgs?.[0] === 'ts-node').execArgs.slice(0, 3)).toEqual([
    'ts-node',
    '--require',
    'ddb-stream-template/lib/project/projenrc-errors',
  ]);
});

test('GIVEN a misspelt consumer option in .projenrc.ts WHEN npx projen runs it THEN one line names it and the closest valid name, no stack, nothing written', () => {
  const { status, stderr, outdir } = runProjenrc('new DdbStreamApp({ OPTIONS, consumers: [{ name: "audit", retyrAttempts: 3 }] }).synth();');

  expect(status).toBe(1);
  expect(stderr.trim().split('\n')).toEqual([
    '.projenrc.ts does not compile; nothing was written:',
    expect.stringMatching(
      /^ {2}\.projenrc\.ts\(2,\d+\): error TS2561: Object literal may only specify known properties, but 'retyrAttempts' does not exist in type 'ConsumerOptions'\. Did you mean to write 'retryAttempts'\?$/,
    ),
  ]);
  expect(fs.existsSync(outdir)).toBe(false);
}, 60_000);

test('GIVEN a misspelt option TypeScript lets through (a consumer kept in a variable) THEN the options check names it, no stack, nothing written', () => {
  const { status, stderr, outdir } = runProjenrc('const audit = { name: "audit", retyrAttempts: 3 };\nnew DdbStreamApp({ OPTIONS, consumers: [audit] }).synth();');

  expect(status).toBe(1);
  expect(stderr).toContain('  - consumers[0].retyrAttempts: got 3. ConsumerOptions has no option "retyrAttempts": it would be ignored.');
  expect(stderr).toContain('Fix: did you mean retryAttempts? Rename it.');
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(fs.existsSync(outdir)).toBe(false);
}, 60_000);
