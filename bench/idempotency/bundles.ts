/**
 * The generated handler bundled as the generated stack's NodejsFunction bundles it for Node.js 24: esbuild with
 * --bundle --target=node24 --platform=node --minify --sourcemap --external:@aws-sdk/* (CDK's default externals
 * for a Node 18+ runtime without the @smithy feature flag, which generated repositories do not set: the Lambda
 * runtime provides the AWS SDK v3). Output CommonJS, index.js plus index.js.map, as NodejsFunction writes them.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { build, type Metafile } from 'esbuild';

export interface BundleSize {
  /** index.js as deployed (minified; ends with its sourceMappingURL comment). */
  readonly js: number;
  /** index.js.map, deployed beside it (the stack turns sourceMap on, sources included). */
  readonly map: number;
  /** index.js's bytes by where they come from: a package under node_modules, or "generated code". */
  readonly bySource: Record<string, number>;
}

export const NODEJS_FUNCTION_FLAGS = '--bundle --target=node24 --platform=node --minify --sourcemap --external:@aws-sdk/*';

export async function bundleLikeNodejsFunction(entry: string, outdir: string, alias: Record<string, string> = {}): Promise<BundleSize> {
  fs.rmSync(outdir, { recursive: true, force: true });
  const outfile = path.join(outdir, 'index.js');
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    target: 'node24',
    platform: 'node',
    minify: true,
    sourcemap: true,
    external: ['@aws-sdk/*'],
    alias,
    metafile: true,
    logLevel: 'error',
  });
  return { js: fs.statSync(outfile).size, map: fs.statSync(`${outfile}.map`).size, bySource: bytesBySource(result.metafile, outfile) };
}

function bytesBySource(metafile: Metafile, outfile: string): Record<string, number> {
  const output = Object.entries(metafile.outputs).find(([file]) => path.resolve(file) === path.resolve(outfile))?.[1];
  const totals: Record<string, number> = {};
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? 'generated code';
    totals[pkg] = (totals[pkg] ?? 0) + bytesInOutput;
  }
  return totals;
}

/**
 * How long a fresh Node process takes to `require` a bundle (or a package), after requiring `preload`: the part of a
 * cold start that the module adds, since Lambda loads the handler module during init. Packages load from `cwd`'s
 * node_modules.
 */
export function requireMs(specifier: string, cwd: string, preload: readonly string[] = []): number {
  const script = [
    ...preload.map((p) => `require(${JSON.stringify(p)});`),
    'const t = process.hrtime.bigint();',
    `require(${JSON.stringify(specifier)});`,
    'console.log(Number(process.hrtime.bigint() - t) / 1e6);',
  ].join(' ');
  return Number(execFileSync(process.execPath, ['-e', script], { cwd, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
}
