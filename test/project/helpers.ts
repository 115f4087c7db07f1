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
  return new DdbStreamApp({
    name: 'orders-consumer',
    defaultReleaseBranch: 'main',
    cdkVersion: '2.276.0',
    outdir,
    ...options,
  });
}

/** The synthesized files, keyed by path: text for most, parsed objects for JSON files. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function synthFiles(options: TestOptions = {}): Record<string, any> {
  return Testing.synth(testApp(options));
}

/** Every file and its bytes under a folder, to prove that nothing was written. */
export function snapshotTree(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else result[path.relative(dir, p)] = fs.readFileSync(p, 'base64');
    }
  };
  walk(dir);
  return result;
}
