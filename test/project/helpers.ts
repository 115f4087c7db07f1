import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'projen/lib/testing';
import { DdbStreamApp, type DdbStreamAppOptions } from '../../src';

export const ROOT = path.join(__dirname, '..', '..');

export type TestOptions = Partial<DdbStreamAppOptions>;

/** A fresh, empty folder: projen must never synthesize into the cwd (it would clean it). */
export function emptyDir(prefix = 'ddb-stream-app-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Required options filled in, so each test states only what it is about. */
export function testApp(options: TestOptions = {}, outdir = emptyDir()): DdbStreamApp {
  const app = new DdbStreamApp({
    name: 'orders-consumer',
    defaultReleaseBranch: 'main',
    cdkVersion: '2.276.0',
    outdir,
    ...options,
  });
  recordGeneratedFiles(app);
  return app;
}

/**
 * With GENERATED_FILES_DIR set, every synthesized tree is copied there under its content hash, so a refactoring can
 * prove that the files generated for every option set the tests use are byte-identical before and after
 * (`diff -r` of two runs' folders).
 */
function recordGeneratedFiles(app: DdbStreamApp): void {
  const into = process.env.GENERATED_FILES_DIR;
  if (!into) return;
  const synth = app.synth.bind(app);
  app.synth = () => {
    synth();
    const files = Object.entries(snapshotTree(app.outdir, ['node_modules', '.git'])).sort(([a], [b]) => a.localeCompare(b));
    const hash = crypto.createHash('sha256');
    for (const [file, bytes] of files) hash.update(`${file}\0${bytes}\0`);
    const tree = path.join(into, hash.digest('hex').slice(0, 16));
    if (fs.existsSync(tree)) return;
    for (const [file, bytes] of files) {
      fs.mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
      fs.writeFileSync(path.join(tree, file), Buffer.from(bytes, 'base64'));
    }
  };
}

/** The synthesized files, keyed by path: text for most, parsed objects for JSON files. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function synthFiles(options: TestOptions = {}): Record<string, any> {
  return Testing.synth(testApp(options));
}

/** Every file and its bytes under a folder, to prove that nothing was written. */
export function snapshotTree(dir: string, skip: string[] = []): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (skip.includes(entry.name)) continue;
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else result[path.relative(dir, p)] = fs.readFileSync(p, 'base64');
    }
  };
  walk(dir);
  return result;
}
