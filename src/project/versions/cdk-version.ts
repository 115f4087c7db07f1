import { TESTED_VERSIONS } from './tested-versions';
import type { ProblemCollector } from '../shared/checks';

/** The aws-cdk-lib release new projects get, and the oldest one `cdkVersion` may name. */
export const TESTED_CDK_VERSION = TESTED_VERSIONS['aws-cdk-lib'];
/** The oldest aws-cdk-lib the generated code is verified against; older ones lack event source mapping metrics. */
export const MIN_CDK_VERSION = '2.276.0';

/** `[major, minor, patch]` of `1.2.3`, `^1.2.3` or `~1.2.3`; undefined when unreadable. */
export function parseVersion(version: string): [number, number, number] | undefined {
  const parts = /^[\^~]?(\d+)\.(\d+)\.(\d+)/.exec(version);
  return parts ? [Number(parts[1]), Number(parts[2]), Number(parts[3])] : undefined;
}

/** Negative when `a` is older than `b`, 0 when equal, positive when newer (both must be readable). */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  if (!x || !y) throw new Error(`not a version: ${x ? b : a}`);
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** Whether a `cdkVersion` is unreadable, or another major than 2, or older than the oldest we support. */
export function isUnsupportedCdkVersion(cdkVersion: string): boolean {
  const given = parseVersion(cdkVersion);
  return !given || given[0] !== 2 || compareVersions(cdkVersion, MIN_CDK_VERSION) < 0;
}

/**
 * The exact aws-cdk-lib a project depends on. `cdkVersion` is projen's "minimum version of the AWS CDK"; the
 * generated code needs at least the release it was tested with, so an older minimum (as written by an earlier
 * template version) gets that release, and a newer one is the user raising the pin themselves.
 */
export function pinnedCdkVersion(cdkVersion: string): string {
  const minimum = cdkVersion.replace(/^[\^~]/, '');
  return compareVersions(minimum, TESTED_CDK_VERSION) > 0 ? minimum : TESTED_CDK_VERSION;
}

export function checkCdkVersion(problems: ProblemCollector, cdkVersion: string | undefined): void {
  if (cdkVersion === undefined) return;
  if (isUnsupportedCdkVersion(cdkVersion)) {
    problems.add({
      option: 'cdkVersion',
      value: cdkVersion,
      reason: 'The generated stack uses event source mapping metrics and Node.js runtimes of newer releases',
      allowed: `aws-cdk-lib ${MIN_CDK_VERSION} or a newer 2.x release`,
      fix: `set cdkVersion: '${TESTED_CDK_VERSION}'`,
    });
  }
}
