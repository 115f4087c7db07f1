/**
 * A repository whose projen `srcdir` is not `src`: `npx projen local` finds its config and handler under that folder.
 * The CLIs used to hard-code `src/generated/config.ts` and `src/handlers/<consumer>.ts`; the generated tasks now pass
 * `--srcdir` when the project's differs.
 *
 * `source`, not `lib`: projen's TypeScript projects compile into `lib` (their libdir) and git-ignore `/lib/`, so a
 * `lib` srcdir would compile into itself and leave the handlers out of git.
 *
 * The repository is the synthesized one, run as a user runs it: `npx projen local` (projen's task runner reads
 * .projen/tasks.json), with this package installed in its node_modules as the compiled lib/ (jest's globalSetup
 * builds it) and the generated files importing `ddb-stream-template/lib/runtime` from there.
 */
import { spawn } from 'child_process';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { readHandlerLog, REPO, tempDir } from './helpers';
import { AttributeType } from '../../../src';
import { TASK_ENV } from '../../../src/runtime/cli/common';
import { synthFiles } from '../../project/helpers';

jest.setTimeout(180_000);

const SRCDIR = 'source';

/** The user's handler: one line per record, in the shape readHandlerLog reads. */
const HANDLER = `import { appendFileSync } from "fs";
import type { Change } from "../generated/changes";
import { defineAuditHandler } from "../generated/audit/contract";

function record(change: Change): void {
  appendFileSync(process.env.HANDLER_LOG!, \`\${String(change.keys.pk)} 1 \${change.sequenceNumber}\\n\`);
}

export const handler = defineAuditHandler({ onInsert: record, onModify: record, onRemove: record });
`;

test('`npx projen local` of a repository with srcdir "source" loads source/generated/config.ts and source/handlers/audit.ts', async () => {
  // GIVEN the synthesized repository, with its own handler, and this package installed
  const repo = tempDir('srcdir-repo');
  const files = synthFiles({
    srcdir: SRCDIR,
    table: { partitionKey: { name: 'pk', type: AttributeType.STRING } },
    consumers: [{ name: 'audit' }],
  });
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    writeFileSync(join(repo, file), typeof content === 'string' ? content : JSON.stringify(content, undefined, 2));
  }
  writeFileSync(join(repo, SRCDIR, 'handlers', 'audit.ts'), HANDLER);
  installNodeModules(repo);
  const task = files['.projen/tasks.json'].tasks.local;
  // (the task passes the folder; a src/ repository's task is unchanged, see test/project)
  expect(task.steps[0].exec).toBe(`node node_modules/ddb-stream-template/lib/runtime/cli/local.js --consumer audit --srcdir ${SRCDIR}`);
  expect(task.env).toEqual({ [TASK_ENV]: 'local' });

  // WHEN the user runs the task, with a few sample items
  const stateDir = join(repo, '.local');
  const log = join(repo, 'handler.log');
  const { code, stderr } = await run(
    process.execPath,
    [join(repo, 'node_modules', 'projen', 'bin', 'projen'), 'local', '--', '--port', '0', '--seed', '3', '--stop-when-idle', '2', '--state-dir', stateDir],
    repo,
    { HANDLER_LOG: log },
  );

  // THEN it ran the handler under source/ on the table of the config under source/
  process.stdout.write(`${stderr}\n`);
  expect(code).toBe(0);
  expect(stderr).toMatch(/ddb-stream-local: stopped \(idle\): read 3 records; the handler got 3 in \d+ invocations?; none failed/);
  expect(new Set(readHandlerLog(log).map((l) => l.seq)).size).toBe(3);
});

/** node_modules as `npm install` leaves it: this repository's dependencies, and this package itself. */
function installNodeModules(repo: string): void {
  const modules = join(repo, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(join(REPO, 'node_modules'))) symlinkSync(join(REPO, 'node_modules', entry), join(modules, entry));
  symlinkSync(REPO, join(modules, 'ddb-stream-template'), 'dir');
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    // without jest's worker id, as in a terminal: the program loads .ts files with ts-node only outside jest
    const { JEST_WORKER_ID: _jest, ...inherited } = process.env;
    const child = spawn(command, args, { cwd, env: { ...inherited, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.once('close', (code) => resolve({ code, stderr }));
  });
}
