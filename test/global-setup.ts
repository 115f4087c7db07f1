/**
 * Builds the package once before any test file runs, when src/ changed since the last build: projen's `new` resolves
 * `ddb-stream-template/.jsii` to render `.projenrc.ts` (project and formatting tests), and end-to-end files that
 * pack at the same time must not compile into lib/ at the same time.
 */
import * as path from 'path';

export default function globalSetup(): void {
  // on an unsupported Node every project test would fail with the same line: say it once, before anything runs
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { checkNodeVersion } = require(path.join(__dirname, '..', 'scripts', 'node-version.js')) as { checkNodeVersion: () => void };
  checkNodeVersion();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildIfStale } = require(path.join(__dirname, '..', 'scripts', 'pack.js')) as { buildIfStale: (o: { quiet: boolean }) => void };
  buildIfStale({ quiet: true });
}
