/**
 * Shared setup for the local runner and redrive tests: temp folders, item writers, the CLIs as real child
 * processes, and reading the handler's log.
 */
import { type ChildProcess, spawn } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';

export const REPO = resolve(__dirname, '..', '..', '..');
export const FIXTURES = join(__dirname, 'fixtures');

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `${prefix}-`));
}

/**
 * A folder with src/handlers/<name>.ts re-exporting a fixture handler, as a generated repository has: with several
 * consumers the runner takes no --handler and loads each consumer's own module.
 */
export function tempRepoWithHandlers(names: readonly string[], handlerModule: string = join(FIXTURES, 'handler')): string {
  const repo = tempDir('repo-two-consumers');
  mkdirSync(join(repo, 'src', 'handlers'), { recursive: true });
  for (const name of names) {
    writeFileSync(join(repo, 'src', 'handlers', `${name}.ts`), `export { handler } from ${JSON.stringify(handlerModule)};\n`);
  }
  return repo;
}

/** Items with a version per key: key k gets versions 1..versions, written in that order. */
export async function writeVersions(
  client: DynamoDBClient,
  tableName: string,
  keys: number,
  versions: number,
  extra: (pk: string, v: number) => object = () => ({}),
): Promise<number> {
  const requests: WriteRequest[] = [];
  for (let v = 1; v <= versions; v++) {
    for (let k = 0; k < keys; k++) {
      const pk = `key-${k}`;
      requests.push({ PutRequest: { Item: { pk: { S: pk }, version: { N: String(v) }, ...extra(pk, v) } } });
    }
  }
  // A round holds each key once, and rounds go one after the other, so each key's versions are written in order.
  for (let round = 0; round < requests.length; round += keys) {
    const chunk = requests.slice(round, round + keys);
    for (let j = 0; j < chunk.length; j += 25) {
      let part = chunk.slice(j, j + 25);
      while (part.length > 0) {
        const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: part } }));
        part = out.UnprocessedItems?.[tableName] ?? [];
      }
    }
  }
  return requests.length;
}

export interface LogLine {
  readonly pk: string;
  readonly version: number;
  readonly seq: string;
  /** A fourth field, where the handler writes one (the idempotency tests: the record's eventID). */
  readonly eventID?: string;
}

export function readHandlerLog(path: string): LogLine[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [pk, version, seq, eventID] = l.split(' ');
      return { pk, version: Number(version), seq, ...(eventID ? { eventID } : {}) };
    });
}

/** Asserts per-key order: each key's versions appear increasing, ignoring redeliveries (a restart replays a suffix). */
export function firstSeenOrder(lines: readonly LogLine[]): Map<string, number[]> {
  const seen = new Set<string>();
  const byKey = new Map<string, number[]>();
  for (const line of lines) {
    if (seen.has(line.seq)) continue;
    seen.add(line.seq);
    const list = byKey.get(line.pk) ?? [];
    list.push(line.version);
    byKey.set(line.pk, list);
  }
  return byKey;
}

export interface CliRun {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves when stderr matches, rejects if the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

/** Runs a CLI from source (ts-node, transpile-only), as `npx projen local` would run the compiled one. */
export function runCli(
  cli: 'local' | 'redrive' | 'explain',
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  cwd: string = REPO,
  /** `detached`: in its own process group, as a terminal runs a foreground job (a Ctrl-C signals the whole group). */
  options: { readonly detached?: boolean } = {},
): CliRun {
  const child = spawn(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), join(REPO, 'src', 'runtime', 'cli', `${cli}.ts`), ...args], {
    cwd,
    // ts-node looks for tsconfig.json from the cwd: from another folder, point it at the repository's.
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...(cwd === REPO ? {} : { TS_NODE_PROJECT: join(REPO, 'tsconfig.json') }), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached === true,
  });
  let err = '';
  const listeners = new Set<() => void>();
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString('utf8');
    for (const l of listeners) l();
  });
  child.stdout!.resume();
  // 'close', not 'exit': the child's last stderr lines may arrive after it exited.
  const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  return {
    child,
    stderr: () => err,
    exited,
    waitFor: (pattern, timeoutMs = 45_000) =>
      new Promise((resolveMatch, reject) => {
        const check = () => {
          const m = pattern.exec(err);
          if (m) {
            listeners.delete(check);
            clearTimeout(timer);
            resolveMatch(m);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${pattern} in:\n${err}`));
        }, timeoutMs);
        void exited.then((code) => {
          if (listeners.has(check)) {
            listeners.delete(check);
            clearTimeout(timer);
            check();
            if (!pattern.exec(err)) reject(new Error(`exited with ${code} before ${pattern}:\n${err}`));
          }
        });
        listeners.add(check);
        check();
      }),
  };
}
