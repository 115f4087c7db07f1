/**
 * Arguments as npm and projen users type them: `npx projen local:audit -- --seed 5` reaches the program as
 * `--consumer audit -- --seed 5` (projen passes a lone `--` through), `npm run x -- --seed 5` without it. Both
 * forms mean the same to both programs.
 */
import { runCli } from './helpers';
import { optionArguments } from '../../../src/runtime/cli/common';

const CONFIG = ['--config', 'test/runtime/local/fixtures/app-config.ts', '--handler', 'test/runtime/local/fixtures/handler.ts'];

async function stderrOf(cli: 'local' | 'redrive', args: string[]) {
  const r = runCli(cli, args);
  const code = await r.exited;
  return { code, stderr: r.stderr() };
}

describe('optionArguments', () => {
  test('drops a lone "--" wherever it stands and keeps everything else in order', () => {
    expect(optionArguments(['--consumer', 'audit', '--', '--seed', '5'])).toEqual(['--consumer', 'audit', '--seed', '5']);
    expect(optionArguments(['--', '--', '--dry-run'])).toEqual(['--dry-run']);
    expect(optionArguments(['--seed', '5'])).toEqual(['--seed', '5']);
  });

  test('keeps values that only start with "--"', () => {
    expect(optionArguments(['--table', '--x'])).toEqual(['--table', '--x']);
  });
});

describe.each(['local', 'redrive'] as const)('ddb-stream-%s after "--"', (cli) => {
  test('reads --help after the separator (exit 0, usage on stdout)', async () => {
    const r = runCli(cli, ['--consumer', 'audit', '--', '--help']);
    let out = '';
    r.child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    expect(await r.exited).toBe(0);
    expect(out).toContain(`Usage: node src/runtime/cli/${cli}.ts [options]`);
  });

  test('parses the options after the separator: a bad value is named, not called a positional argument', async () => {
    const bad = cli === 'local' ? ['--port', '70000'] : ['--target', 'sqs'];
    const { code, stderr } = await stderrOf(cli, [...CONFIG, '--', ...bad]);
    expect(code).toBe(2);
    expect(stderr).not.toContain('positional');
    expect(stderr).toContain(cli === 'local' ? '--port "70000" is not an integer between 0 and 65535' : '--target "sqs" is not allowed');
  });
});
