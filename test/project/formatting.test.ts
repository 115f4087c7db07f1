import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CONFIGURATIONS } from './configurations';
import { emptyDir, synthFiles } from './helpers';

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
