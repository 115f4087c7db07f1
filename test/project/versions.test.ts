import * as fs from 'fs';
import * as path from 'path';
import { emptyDir, ROOT, synthFiles, testApp } from './helpers';
import { NodejsRuntime } from '../../src';
import { pinnedCdkVersion } from '../../src/project/versions/cdk-version';
import { handInstalledCdkLibAdvice, installedCdkLib, outdatedRuntimeProblem } from '../../src/project/versions/lambda-runtime';
import { TESTED_VERSIONS } from '../../src/project/versions/tested-versions';
import { unsupportedNodeMessage } from '../../src/runtime/node-support';

const IDEMPOTENT = { consumers: [{ name: 'audit', idempotency: { enabled: true } }] };

describe('a generated repository depends on exactly what this release was tested with', () => {
  const pkg = synthFiles(IDEMPOTENT)['package.json'];

  test.each([
    ['aws-cdk-lib', 'dependencies'],
    ['cdk-nag', 'dependencies'],
    ['@aws-sdk/util-dynamodb', 'dependencies'],
    ['@aws-lambda-powertools/idempotency', 'dependencies'],
    ['aws-cdk', 'devDependencies'],
    ['esbuild', 'devDependencies'],
    ['typescript', 'devDependencies'],
  ] as const)('%s is pinned in %s', (name, field) => {
    expect(pkg[field][name]).toBe(TESTED_VERSIONS[name]);
  });

  test('the template runs its own tests on the same versions (its lock file holds the pins)', () => {
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf-8'));
    const ownTested = Object.keys(TESTED_VERSIONS).filter((name) => name !== 'aws-cdk');
    for (const name of ownTested) {
      expect([name, lock.packages[`node_modules/${name}`]?.version]).toEqual([name, TESTED_VERSIONS[name as keyof typeof TESTED_VERSIONS]]);
    }
  });

  test('engines name the supported Node.js floor, and @types/node is of the oldest supported line', () => {
    expect(pkg.engines).toEqual({ node: '>= 22.22.2' });
    expect(pkg.devDependencies['@types/node']).toBe('^22');
  });

  test('a user raises a pin in .projenrc.ts: cdkVersion, deps and bundlerOptions win over ours', () => {
    const raised = synthFiles({ cdkVersion: '2.278.0', deps: ['cdk-nag@2.38.2'], bundlerOptions: { esbuildVersion: '0.28.9' } })['package.json'];
    expect([raised.dependencies['aws-cdk-lib'], raised.dependencies['cdk-nag'], raised.devDependencies.esbuild]).toEqual(['2.278.0', '2.38.2', '0.28.9']);
  });
});

describe('cdkVersion is the minimum: the pin is the newer of it and the tested release', () => {
  test.each([
    ['2.276.0', TESTED_VERSIONS['aws-cdk-lib']],
    ['^2.276.0', TESTED_VERSIONS['aws-cdk-lib']],
    ['2.278.0', '2.278.0'],
    ['2.300.1', '2.300.1'],
  ])('cdkVersion %s pins aws-cdk-lib %s', (given, expected) => {
    expect(pinnedCdkVersion(given)).toBe(expected);
  });
});

describe('the Lambda runtime', () => {
  test('defaults to the newest the pinned aws-cdk-lib knows, and the bundle targets it', () => {
    const files = synthFiles();
    expect(files['src/generated/processor/consumer.ts']).toContain('runtime: lambda.Runtime.NODEJS_24_X,');
    expect(files['src/generated/processor/consumer.ts']).toContain('target: "node24"');
    expect(files['test/generated/stack.test.ts']).toContain('Runtime: "nodejs24.x",');
    // the default is the newest: nothing to accept from cdk-nag
    expect(files['src/generated/nag.ts']).not.toContain('AwsSolutions-L1');
  });

  test('raising cdkVersion to a release that knows Node.js 26 moves a defaulted consumer to it', () => {
    const files = synthFiles({ cdkVersion: '2.278.0' });
    expect(files['src/generated/processor/consumer.ts']).toContain('runtime: lambda.Runtime.NODEJS_26_X,');
    expect(files['src/generated/processor/consumer.ts']).toContain('target: "node26"');
  });

  test('a chosen runtime is kept, and cdk-nag is told why it may not be the newest', () => {
    const files = synthFiles({ cdkVersion: '2.278.0', consumers: [{ name: 'audit', runtime: NodejsRuntime.NODEJS_24_X }] });
    expect(files['src/generated/audit/consumer.ts']).toContain('runtime: lambda.Runtime.NODEJS_24_X,');
    expect(files['src/generated/nag.ts']).toContain(
      'id: "AwsSolutions-L1",\n  reason:\n    "consumers[0].runtime is set to nodejs24.x in .projenrc.ts: a chosen runtime is kept when aws-cdk-lib knows a newer one.",',
    );
    expect(files['src/generated/nag.ts']).toContain('LIST_STREAMS, auditChosenRuntime);');
  });

  test('fails if the runtime is newer than the pinned aws-cdk-lib knows, naming the release that knows it', () => {
    expect(() => testApp({ consumers: [{ name: 'audit', runtime: NodejsRuntime.NODEJS_26_X }] })).toThrow(
      'consumers[0].runtime: got "nodejs26.x". aws-cdk-lib 2.276.0 (cdkVersion) does not know it; 2.277.0 is the first release that does. ' +
        "Allowed: NodejsRuntime.NODEJS_22_X, NodejsRuntime.NODEJS_24_X. Fix: raise cdkVersion to '2.277.0' or later, or choose one of those.",
    );
  });

  test('fails if the runtime is not a Node.js runtime we offer', () => {
    expect(() => testApp({ consumers: [{ name: 'audit', runtime: 'nodejs20.x' as NodejsRuntime }] })).toThrow(
      'consumers[0].runtime: got "nodejs20.x". Allowed: NodejsRuntime.NODEJS_22_X, NodejsRuntime.NODEJS_24_X. Fix: choose one of those, or leave runtime out for the newest.',
    );
  });
});

/** A project folder whose node_modules holds an aws-cdk-lib manifest and runtime declarations, as npm installs them. */
function withInstalledCdkLib(version: string, nodeMajors: number[]): string {
  const dir = emptyDir('ddb-stream-installed-');
  const lib = path.join(dir, 'node_modules', 'aws-cdk-lib');
  fs.mkdirSync(path.join(lib, 'aws-lambda', 'lib'), { recursive: true });
  fs.writeFileSync(path.join(lib, 'package.json'), JSON.stringify({ name: 'aws-cdk-lib', version }));
  const real = fs.readFileSync(path.join(ROOT, 'node_modules', 'aws-cdk-lib', 'aws-lambda', 'lib', 'runtime.d.ts'), 'utf-8');
  const extra = nodeMajors.map((m) => `    static readonly NODEJS_${m}_X: Runtime;\n`).join('');
  fs.writeFileSync(path.join(lib, 'aws-lambda', 'lib', 'runtime.d.ts'), real.replace(/(export declare class Runtime \{\n)/, `$1${extra}`));
  return dir;
}

describe('an aws-cdk-lib newer than the pin', () => {
  test('the installed one is read from its own declarations', () => {
    expect(installedCdkLib(ROOT)).toEqual({ version: TESTED_VERSIONS['aws-cdk-lib'], newestNodeRuntime: 'nodejs24.x' });
    expect(installedCdkLib(emptyDir())).toBeUndefined();
  });

  test('installed by hand: one line says how to keep it, and which runtime then becomes the default', () => {
    const dir = withInstalledCdkLib('2.278.0', [26]);
    expect(handInstalledCdkLibAdvice(installedCdkLib(dir), '2.276.0')).toBe(
      'aws-cdk-lib 2.278.0 is installed, but cdkVersion pins 2.276.0, so npx projen installs 2.276.0 again: to move to 2.278.0, ' +
        'set cdkVersion: "2.278.0" in .projenrc.ts; consumers without a runtime option then run nodejs26.x, the newest it knows, as cdk-nag asks.',
    );
    expect(handInstalledCdkLibAdvice(installedCdkLib(dir), '2.278.0')).toBeUndefined();
  });

  test('pinned, but knowing a runtime this template does not offer yet: the build stops with the way out', () => {
    const dir = withInstalledCdkLib('2.290.0', [26, 28]);
    const consumers = [{ option: 'consumers[0].runtime', runtime: 'nodejs26.x', chosen: false }];
    expect(outdatedRuntimeProblem(installedCdkLib(dir), '2.290.0', consumers)).toBe(
      "consumers[0].runtime: aws-cdk-lib 2.290.0 knows nodejs28.x, newer than nodejs26.x, the newest this version of ddb-stream-template offers, and cdk-nag's " +
        'AwsSolutions-L1 fails a function that does not run the newest. Upgrade ddb-stream-template, or keep nodejs26.x with runtime: NodejsRuntime.NODEJS_26_X ' +
        'in .projenrc.ts (the stack then accepts the L1 finding with that choice as the reason).',
    );
    expect(outdatedRuntimeProblem(installedCdkLib(dir), '2.290.0', [{ ...consumers[0], chosen: true }])).toBeUndefined();
    // not yet installed (npx projen installs the pin after this check could run): nothing to say
    expect(outdatedRuntimeProblem(installedCdkLib(dir), '2.291.0', consumers)).toBeUndefined();
  });
});

describe('Node.js support: 22 (from 22.22.2), 24 and 26', () => {
  test.each(['22.22.2', '22.23.5', '24.22.3', '26.12.1', 'v28.0.0'])('%s is supported', (version) => {
    expect(unsupportedNodeMessage(version)).toBeUndefined();
  });

  test.each(['20.20.2', '22.22.1', '18.0.0'])('%s gets one line saying what is supported', (version) => {
    expect(unsupportedNodeMessage(version)).toBe(
      `ddb-stream-template needs Node.js 22 (22.22.2 or later), 24 or 26, the maintained LTS lines; this is Node.js ${version}. ` +
        'Install one of them (https://nodejs.org) and run the command again.',
    );
  });

  test.each(['20.20.2', '22.22.1', '22.22.2', '26.12.1'])('the scripts (scaffold, canary, tests) say the same for %s', (version) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const scripts = require(path.join(ROOT, 'scripts', 'node-version.js')) as { unsupportedMessage: (v: string) => string | undefined };
    expect(scripts.unsupportedMessage(version)).toBe(unsupportedNodeMessage(version));
  });
});
