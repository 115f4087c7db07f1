/**
 * Loads the user's config and handler modules. TypeScript files are compiled on the fly with ts-node (a
 * devDependency of every projen TypeScript project), transpile-only so that start-up stays fast; type errors are
 * the build's job.
 */
import { existsSync } from 'fs';
import { resolve } from 'path';
import type { StreamAppConfig } from '../../config';
import type { StreamHandler } from '../../emulator/types';
import { ModuleLoadError } from '../../errors';

let tsRegistered = false;

export interface LoadedModule {
  readonly exports: Record<string, unknown>;
  readonly path: string;
  readonly exportName?: string;
}

/** `path` or `path#exportName`, resolved from `cwd`. */
export function loadModule(spec: string, what: string, flag: string, cwd = process.cwd()): LoadedModule {
  const [file, exportName] = spec.split('#');
  const path = resolve(cwd, file);
  if (!existsSync(path)) {
    throw new ModuleLoadError(`${flag} ${spec}: ${what} file ${path} does not exist: pass the path of the ${what} module, relative to ${cwd}`);
  }
  if (/\.[cm]?tsx?$/.test(path)) registerTypeScript(flag, spec);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return { exports: require(path) as Record<string, unknown>, path, ...(exportName ? { exportName } : {}) };
  } catch (error) {
    throw new ModuleLoadError(`${flag} ${spec}: loading the ${what} module failed: ${(error as Error).message.split('\n')[0]}`);
  }
}

function registerTypeScript(flag: string, spec: string): void {
  // Already running under ts-node, or under a module system of its own (jest) that compiles TypeScript itself.
  const extensions = require.extensions as Record<string, unknown> | undefined;
  if (tsRegistered || typeof extensions !== 'object' || extensions['.ts'] !== undefined || process.env.JEST_WORKER_ID !== undefined) return;
  let tsNode: { register(options: object): unknown };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    tsNode = require(require.resolve('ts-node', { paths: [process.cwd(), __dirname] })) as typeof tsNode;
  } catch {
    throw new ModuleLoadError(`${flag} ${spec}: loading a .ts file needs ts-node, which is not installed: run \`npm install --save-dev ts-node\`, or pass compiled .js files`);
  }
  // NodeNext compiles .ts files of a package without "type": "module" to CommonJS, as generated repos configure it
  tsNode.register({ transpileOnly: true, compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } });
  tsRegistered = true;
}

/** The StreamAppConfig export: the one named after `#`, else `appConfig`, `config` or `default`. */
export function loadAppConfig(spec: string, cwd?: string): StreamAppConfig {
  const { exports, exportName } = loadModule(spec, 'config', '--config', cwd);
  const names = exportName ? [exportName] : ['appConfig', 'config', 'default'];
  for (const name of names) {
    const value = exports[name] as Partial<StreamAppConfig> | undefined;
    if (value && typeof value === 'object' && value.table && Array.isArray(value.consumers)) return value as StreamAppConfig;
  }
  throw new ModuleLoadError(
    `--config ${spec}: no export ${names.map((n) => JSON.stringify(n)).join(' or ')} with { table, consumers } (exports: ${Object.keys(exports).join(', ') || 'none'}): point --config at the generated config (generated/config.ts in the project's srcdir, src/ by default), or name the export with path#exportName`,
  );
}

/** The handler export: the one named after `#`, else `handler`. */
export function loadHandler(spec: string, cwd?: string): StreamHandler {
  const { exports, exportName } = loadModule(spec, 'handler', '--handler', cwd);
  const name = exportName ?? 'handler';
  const handler = exports[name];
  if (typeof handler !== 'function') {
    throw new ModuleLoadError(
      `--handler ${spec}: export "${name}" is ${typeof handler}, not a function (exports: ${Object.keys(exports).join(', ') || 'none'}): export the Lambda handler as \`handler\`, or name it with path#exportName`,
    );
  }
  return handler as StreamHandler;
}
