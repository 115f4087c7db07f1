/**
 * The command-line contract: --help, one-line errors naming the argument, value, allowed values and fix, exit
 * codes, and no stack traces for user errors.
 */
import { mkdirSync, symlinkSync } from 'fs';
import { join } from 'path';
import { runCli, tempDir } from './helpers';

const CONFIG = ['--config', 'test/runtime/local/fixtures/app-config.ts', '--handler', 'test/runtime/local/fixtures/handler.ts'];

async function run(cli: 'local' | 'redrive', args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = runCli(cli, args, env);
  const code = await r.exited;
  return { code, stderr: r.stderr() };
}

function expectOneLine(stderr: string) {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('ddb-stream-local', () => {
  test('--help prints usage and exits 0', async () => {
    const r = runCli('local', ['--help']);
    let out = '';
    r.child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    expect(await r.exited).toBe(0);
    expect(out).toMatch(/Usage: node src\/runtime\/cli\/local.ts \[options\]/);
    expect(out).toMatch(/--stop-when-idle <seconds>/);
  });

  test('fails with exit 2 on an unknown option', async () => {
    const { code, stderr } = await run('local', ['--prot', '1']);
    expect(code).toBe(2);
    expectOneLine(stderr);
    expect(stderr).toMatch(/Unknown option '--prot'.*--help/);
  });

  test('GIVEN it runs as a projen task WHEN an option is unknown THEN the advice names that task, which exists in the repository', async () => {
    const { code, stderr } = await run('local', ['--consumer', 'audit', '--sed', '5'], { DDB_STREAM_TASK: 'local:audit' });
    expect(code).toBe(2);
    expect(stderr.trim()).toBe("ddb-stream-local: Unknown option '--sed': run `npx projen local:audit -- --help` for the options");
  });

  test('GIVEN it runs as a projen task WHEN --help is given THEN the usage names that task', async () => {
    const r = runCli('redrive', ['--help'], { DDB_STREAM_TASK: 'redrive:audit' });
    let out = '';
    r.child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    expect(await r.exited).toBe(0);
    expect(out.split('\n')[0]).toBe('Usage: npx projen redrive:audit -- [options]');
  });

  test('fails with exit 2 on a port out of range, naming the value and the range', async () => {
    const { code, stderr } = await run('local', [...CONFIG, '--port', '70000']);
    expect(code).toBe(2);
    expectOneLine(stderr);
    expect(stderr).toContain('--port "70000" is not an integer between 0 and 65535');
  });

  test('fails with exit 2 on an unknown consumer, listing the allowed ones', async () => {
    const { code, stderr } = await run('local', [...CONFIG, '--consumer', 'nope']);
    expect(code).toBe(2);
    expectOneLine(stderr);
    expect(stderr).toContain('--consumer nope is not a consumer in the config (allowed: audit)');
  });

  test('fails with exit 2 when the config module does not exist', async () => {
    const { code, stderr } = await run('local', ['--config', 'src/generated/missing.ts']);
    expect(code).toBe(2);
    expectOneLine(stderr);
    expect(stderr).toMatch(/--config src\/generated\/missing.ts: config file .* does not exist/);
  });

  test('says in one line that Java is missing, and how to fix it', async () => {
    // GIVEN a PATH with node but no java
    const bin = join(tempDir('nojava'), 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const { code, stderr } = await run('local', [...CONFIG, '--state-dir', tempDir('nojava-state'), '--port', '0'], { PATH: bin });
    expect(code).toBe(1);
    expectOneLine(stderr);
    expect(stderr).toMatch(/DynamoDB Local needs Java 17\+ but `java` was not found .*install a Java 17\+ runtime/);
  });
});

describe('ddb-stream-redrive', () => {
  test('fails with exit 2 on a bad --target, listing the allowed values', async () => {
    const { code, stderr } = await run('redrive', [...CONFIG, '--target', 'sqs']);
    expect(code).toBe(2);
    expectOneLine(stderr);
    expect(stderr).toContain('--target "sqs" is not allowed (allowed: local, lambda)');
  });

  test('fails with exit 2 on two sources', async () => {
    const { code, stderr } = await run('redrive', [...CONFIG, '--from', 'a.jsonl', '--sqs', 'https://sqs.example/q']);
    expect(code).toBe(2);
    expect(stderr).toContain('--from and --sqs were both given');
  });

  test('fails with exit 1 when the failure file given does not exist, naming the fix', async () => {
    const { code, stderr } = await run('redrive', [...CONFIG, '--from', join(tempDir('empty'), 'failures.jsonl')]);
    expect(code).toBe(1);
    expectOneLine(stderr);
    expect(stderr).toMatch(/the failure file does not exist: run the local runner first/);
  });

  test('says there is nothing to redrive (exit 0) when the local runner never wrote a failure file', async () => {
    const stateDir = tempDir('empty');
    const { code, stderr } = await run('redrive', [...CONFIG, '--state-dir', stateDir, '--dry-run']);
    expect(code).toBe(0);
    expectOneLine(stderr);
    expect(stderr).toContain(`nothing to redrive: no failure file at ${join(stateDir, 'failures', 'audit.jsonl')}`);
  });

  test('fails with exit 2 on --visibility-timeout without --sqs', async () => {
    const { code, stderr } = await run('redrive', [...CONFIG, '--visibility-timeout', '30']);
    expect(code).toBe(2);
    expectOneLine(stderr);
    expect(stderr).toContain('--visibility-timeout 30 is only used with --sqs (given the local failure file): add --sqs <queue-url>, or drop it');
  });
});
