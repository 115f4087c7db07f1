/**
 * Builds the package once before any test file runs, when src/ changed since the last build: projen's `new` resolves
 * `ddb-stream-template/.jsii` to render `.projenrc.ts` (project and formatting tests), and end-to-end files that
 * pack at the same time must not compile into lib/ at the same time.
 */
import * as path from 'path';

export default function globalSetup(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildIfStale } = require(path.join(__dirname, '..', 'scripts', 'pack.js')) as { buildIfStale: (o: { quiet: boolean }) => void };
  buildIfStale({ quiet: true });
}
