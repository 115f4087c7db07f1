import * as fs from 'fs';
import * as path from 'path';
import { ROOT, synthFiles, type TestOptions } from './helpers';

/**
 * Writes a project's generated files to a folder that can compile and run them against this repository's
 * aws-cdk-lib: node_modules is linked, and the runtime kit resolves to this checkout's source.
 */
export function writeGeneratedProject(options: TestOptions, dir = scratchDir()): string {
  for (const [file, content] of Object.entries(synthFiles(options))) {
    if (!/^(src|test)\/.*\.ts$/.test(file)) continue;
    const target = path.join(dir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // A generated repo installs this package; here its runtime kit is this checkout's source (jest and tsc alike).
    const runtime = path.relative(path.dirname(target), path.join(ROOT, 'src', 'runtime')).split(path.sep).join('/');
    fs.writeFileSync(target, (content as string).replace(/"ddb-stream-template\/lib\/runtime(\/[a-z-]+)?"/g, (_m, sub: string | undefined) => JSON.stringify(runtime + (sub ?? ''))));
  }
  if (!fs.existsSync(path.join(dir, 'node_modules'))) {
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  }
  return dir;
}

/** jest resolves no package named ddb-stream-template here (this checkout is not installed): import the source. */
export function withRuntimeFromSource(code: string): string {
  return code.replace(/from "ddb-stream-template\/lib\/runtime(\/[a-z-]+)?"/g, (_m, sub: string | undefined) => `from ${JSON.stringify(path.join(ROOT, 'src/runtime') + (sub ?? ''))}`);
}

/**
 * NodejsFunction requires its entry under the project root it derives from the cwd's lock file, so projects that
 * the CDK instantiates live in this repository's (ignored) scratch folder.
 */
export function scratchDir(): string {
  const base = path.join(ROOT, '.scratch');
  fs.mkdirSync(base, { recursive: true });
  return fs.mkdtempSync(path.join(base, 'generated-'));
}

/** The compiler options of a generated repository, plus a path to this checkout's runtime kit. */
export function generatedTsconfig(include: string[]): object {
  return {
    compilerOptions: {
      module: 'NodeNext',
      moduleResolution: 'nodenext',
      target: 'ES2022',
      lib: ['es2022'],
      strict: true,
      noImplicitAny: true,
      noImplicitReturns: true,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['jest', 'node'],
      typeRoots: [path.join(ROOT, 'node_modules/@types')],
      paths: {
        'ddb-stream-template/lib/runtime': [path.join(ROOT, 'src/runtime/index.ts')],
        'ddb-stream-template/lib/runtime/*': [path.join(ROOT, 'src/runtime/*')],
      },
    },
    include,
  };
}
