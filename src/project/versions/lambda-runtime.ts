import * as fs from 'fs';
import * as path from 'path';
import { compareVersions } from './cdk-version';
import { NodejsRuntime } from '../options/enums';
import type { ProblemCollector } from '../shared/checks';

/**
 * The runtimes we offer, oldest first, with the first aws-cdk-lib release that has each (read off the published
 * packages' `aws-lambda/lib/runtime.d.ts`: 2.276.0 has NODEJS_24_X as its newest, 2.277.0 adds NODEJS_26_X). No
 * `since`: every aws-cdk-lib we support has it.
 */
const RUNTIMES: readonly { readonly runtime: NodejsRuntime; readonly since?: string }[] = [
  { runtime: NodejsRuntime.NODEJS_22_X },
  { runtime: NodejsRuntime.NODEJS_24_X },
  { runtime: NodejsRuntime.NODEJS_26_X, since: '2.277.0' },
];

/** The runtimes an aws-cdk-lib release knows, of those we offer, oldest first. */
export function runtimesKnownBy(cdkLibVersion: string): NodejsRuntime[] {
  return RUNTIMES.filter((r) => r.since === undefined || compareVersions(cdkLibVersion, r.since) >= 0).map((r) => r.runtime);
}

/**
 * The newest runtime the pinned aws-cdk-lib knows: cdk-nag's AwsSolutions-L1 asks for exactly that, so raising
 * `cdkVersion` moves a consumer that does not choose its runtime to the newest one (a change the summary shows).
 */
export function defaultRuntime(cdkLibVersion: string): NodejsRuntime {
  const known = runtimesKnownBy(cdkLibVersion);
  return known[known.length - 1];
}

export function checkRuntime(problems: ProblemCollector, at: string, runtime: unknown, cdkLibVersion: string): void {
  if (runtime === undefined) return;
  const known = runtimesKnownBy(cdkLibVersion);
  if (known.includes(runtime as NodejsRuntime)) return;
  const offered = RUNTIMES.find((r) => r.runtime === runtime);
  problems.add({
    option: at,
    value: runtime,
    reason: offered ? `aws-cdk-lib ${cdkLibVersion} (cdkVersion) does not know it; ${offered.since} is the first release that does` : undefined,
    allowed: known.map((r) => `NodejsRuntime.${constantOf(r)}`).join(', '),
    fix: offered ? `raise cdkVersion to '${offered.since}' or later, or choose one of those` : 'choose one of those, or leave runtime out for the newest',
  });
}

/** `NODEJS_24_X`: the name of the runtime's constant, in our enum and in aws-cdk-lib's `lambda.Runtime`. */
export function constantOf(runtime: string): string {
  return `NODEJS_${majorOf(runtime)}_X`;
}

/** 24 for `nodejs24.x`. */
export function majorOf(runtime: string): number {
  const major = /^nodejs(\d+)\.x$/.exec(runtime);
  if (!major) throw new Error(`not a Node.js runtime name: ${runtime}`);
  return Number(major[1]);
}

/** What the aws-cdk-lib installed in a project is, and the newest Node.js runtime it knows. */
export interface InstalledCdkLib {
  readonly version: string;
  readonly newestNodeRuntime: string;
}

/**
 * Read from the installed package's manifest and type declarations rather than by loading it: `npx projen` runs
 * on every edit, and loading aws-cdk-lib's Lambda module would cost it a second.
 */
export function installedCdkLib(outdir: string): InstalledCdkLib | undefined {
  const root = path.join(outdir, 'node_modules', 'aws-cdk-lib');
  try {
    const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf-8')) as { version: string }).version;
    const declarations = fs.readFileSync(path.join(root, 'aws-lambda', 'lib', 'runtime.d.ts'), 'utf-8');
    const majors = [...declarations.matchAll(/static readonly NODEJS_(\d+)_X: Runtime;/g)].map((m) => Number(m[1]));
    if (majors.length === 0) return undefined;
    return { version, newestNodeRuntime: `nodejs${Math.max(...majors)}.x` };
  } catch {
    return undefined;
  }
}

/**
 * When a user installed a newer aws-cdk-lib by hand (`npm install aws-cdk-lib@latest`): projen writes the pinned
 * version back and installs it, so say how to keep the newer one. Undefined when the installed one is not newer.
 */
export function handInstalledCdkLibAdvice(installed: InstalledCdkLib | undefined, pinnedVersion: string): string | undefined {
  if (!installed || compareVersions(installed.version, pinnedVersion) <= 0) return undefined;
  const runtime = majorOf(installed.newestNodeRuntime) > majorOf(defaultRuntime(pinnedVersion))
    ? `; consumers without a runtime option then run ${installed.newestNodeRuntime}, the newest it knows, as cdk-nag asks`
    : '';
  return (
    `aws-cdk-lib ${installed.version} is installed, but cdkVersion pins ${pinnedVersion}, so npx projen installs ${pinnedVersion} again: ` +
    `to move to ${installed.version}, set cdkVersion: "${installed.version}" in .projenrc.ts${runtime}.`
  );
}

/**
 * The installed (pinned) aws-cdk-lib knows a newer Node.js runtime than a consumer that does not choose one runs:
 * only possible when `cdkVersion` names a release newer than this template knows. cdk-nag's AwsSolutions-L1 would
 * fail the build's stack test on it; this says the same in the options' terms, before the tests run.
 */
export function outdatedRuntimeProblem(
  installed: InstalledCdkLib | undefined,
  pinnedVersion: string,
  consumers: readonly { readonly option: string; readonly runtime: string; readonly chosen: boolean }[],
): string | undefined {
  if (!installed || installed.version !== pinnedVersion) return undefined;
  const newest = installed.newestNodeRuntime;
  const behind = consumers.find((c) => !c.chosen && majorOf(c.runtime) < majorOf(newest));
  if (!behind) return undefined;
  return (
    `${behind.option}: aws-cdk-lib ${installed.version} knows ${newest}, newer than ${behind.runtime}, the newest this version of ` +
    'ddb-stream-template offers, and cdk-nag\'s AwsSolutions-L1 fails a function that does not run the newest. Upgrade ' +
    `ddb-stream-template, or keep ${behind.runtime} with runtime: NodejsRuntime.${constantOf(behind.runtime)} in .projenrc.ts ` +
    '(the stack then accepts the L1 finding with that choice as the reason).'
  );
}
