import { RedriveError } from '../local/errors';

/**
 * Loads an AWS SDK client that only some redrive paths need (SQS, S3, Lambda). They are not dependencies of this
 * package: a repository that redrives from SQS adds `@aws-sdk/client-sqs` itself.
 */
export function optionalModule<T>(name: string, neededFor: string): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(require.resolve(name, { paths: [process.cwd(), __dirname] })) as T;
  } catch {
    throw new RedriveError(`${neededFor} needs ${name}, which is not installed: run \`npm install --save-dev ${name}\``);
  }
}
