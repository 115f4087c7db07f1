import { requireTool } from '../tools/install';

/**
 * Loads an AWS SDK client that only some redrive paths need (SQS, S3, Lambda): from the repository when it has it,
 * else installed on first use into the tools cache (see tools/install.ts).
 */
export function optionalModule<T>(name: string, neededFor: string): T {
  return requireTool<T>(name, { program: `redrive ${neededFor}` });
}
