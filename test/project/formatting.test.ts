import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CONFIGURATIONS } from './configurations';
import { emptyDir, synthFiles, testApp, type TestOptions } from './helpers';

const PRETTIER = require.resolve('prettier/bin/prettier.cjs');

/** Runs prettier (as the generated repo runs it, default options) and returns the files it would change. */
function filesPrettierWouldChange(files: Record<string, string>): string[] {
  const dir = emptyDir('ddb-stream-format-');
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  fs.writeFileSync(path.join(dir, '.prettierrc.json'), '{}');
  const result = spawnSync(process.execPath, [PRETTIER, '--list-different', ...Object.keys(files)], { cwd: dir, encoding: 'utf-8' });
  if (result.status !== 0 && result.status !== 1) throw new Error(result.stderr);
  return result.stdout.split('\n').filter(Boolean);
}

const isManaged = (file: string) => /^(src|test)\/generated\//.test(file);

// Managed files are read-only: the generated repo's formatter and linter must never judge them (a prettier or eslint
// upgrade, or the user's prettierOptions, would fail the build on files the user cannot fix). Sample files are the
// user's: they pass the repo's prettier as written.
test.each(Object.entries(CONFIGURATIONS))('with %s, every sample file is prettier-formatted as written', (_name, options) => {
  const files = synthFiles(options);
  const samples = Object.fromEntries(Object.entries(files).filter(([f]) => /^(src|test)\/.*\.ts$/.test(f) && !isManaged(f)));
  expect(Object.keys(samples).length).toBeGreaterThanOrEqual(3);
  expect(filesPrettierWouldChange(samples)).toEqual([]);
});

test('managed files are in the prettier and eslint ignore lists, and out of coverage', () => {
  const files = synthFiles();
  expect(files['.prettierignore'].split('\n')).toEqual(expect.arrayContaining(['src/generated/', 'test/generated/']));
  expect(files['.eslintrc.json'].ignorePatterns).toEqual(expect.arrayContaining(['src/generated/', 'test/generated/']));
  expect(files['package.json'].jest.coveragePathIgnorePatterns).toEqual(['/node_modules/', '/src/generated/', '/test/generated/']);
});

test('the build type-checks src and test, whether or not a test imports a file', () => {
  // the dev config here is test/tsconfig.json (tests only, as without a .projenrc.ts): src is checked on its own
  const tasks = synthFiles()['.projen/tasks.json'].tasks;
  expect(tasks.compile.steps).toEqual([
    expect.objectContaining({ exec: 'tsc --noEmit -p tsconfig.json' }),
    expect.objectContaining({ exec: 'tsc --noEmit -p test/tsconfig.json' }),
  ]);
  expect(tasks.build.steps).toEqual(expect.arrayContaining([{ spawn: 'compile' }]));
});

test('prettier itself skips the managed files: their layout is ours, whatever the settings', () => {
  const files = synthFiles(CONFIGURATIONS['two consumers, sort key, filters, SNS and S3']);
  const managed = Object.fromEntries(Object.entries(files).filter(([f]) => isManaged(f) && f.endsWith('.ts')));
  const dir = emptyDir('ddb-stream-ignore-');
  for (const [file, content] of Object.entries({ ...managed, '.prettierignore': files['.prettierignore'] })) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  fs.writeFileSync(path.join(dir, '.prettierrc.json'), JSON.stringify({ printWidth: 120, singleQuote: true }));
  const result = spawnSync(process.execPath, [PRETTIER, '--list-different', ...Object.keys(managed)], { cwd: dir, encoding: 'utf-8' });
  expect(result.stdout).toBe('');
  expect(result.status).toBe(0);
});

test('the .projenrc.ts that projen new writes is prettier-formatted', () => {
  const outdir = emptyDir();
  const args = { name: 'orders-consumer', defaultReleaseBranch: 'main', cdkVersion: '2.189.1', packageManager: 'npm', projenrcTs: true, devDeps: ['ddb-stream-template@file:/tmp/ddb-stream-template-0.0.0.tgz'] };
  process.env.PROJEN_DISABLE_POST = 'true';
  testApp({ ...args, __new__: { args, fqn: 'ddb-stream-template.DdbStreamApp' } } as unknown as TestOptions, outdir).synth();
  expect(filesPrettierWouldChange({ '.projenrc.ts': fs.readFileSync(path.join(outdir, '.projenrc.ts'), 'utf-8') })).toEqual([]);
});
