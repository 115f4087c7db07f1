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

// Generated code must pass the generated repo's prettier as written: projen's synth cannot run prettier (its API
// is asynchronous), and a build whose eslint --fix reformatted read-only files would fail or churn.
test.each(Object.entries(CONFIGURATIONS))('with %s, every generated TypeScript file is prettier-formatted', (_name, options) => {
  const files = synthFiles(options);
  const typescript = Object.fromEntries(Object.entries(files).filter(([f]) => /^(src|test)\/.*\.ts$/.test(f)));
  expect(Object.keys(typescript).length).toBeGreaterThan(8);
  expect(filesPrettierWouldChange(typescript)).toEqual([]);
});

test('the .projenrc.ts that projen new writes is prettier-formatted', () => {
  const outdir = emptyDir();
  const args = { name: 'orders-consumer', defaultReleaseBranch: 'main', cdkVersion: '2.189.1', packageManager: 'npm', projenrcTs: true, devDeps: ['ddb-stream-template@file:/tmp/ddb-stream-template-0.0.0.tgz'] };
  process.env.PROJEN_DISABLE_POST = 'true';
  testApp({ ...args, __new__: { args, fqn: 'ddb-stream-template.DdbStreamApp' } } as unknown as TestOptions, outdir).synth();
  expect(filesPrettierWouldChange({ '.projenrc.ts': fs.readFileSync(path.join(outdir, '.projenrc.ts'), 'utf-8') })).toEqual([]);
});
