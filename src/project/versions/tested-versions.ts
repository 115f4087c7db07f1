/**
 * The exact versions a generated repository depends on for everything that decides what it synthesizes, bundles or
 * checks: the versions this template release was tested with (its own devDependencies are these, and the end-to-end
 * tests scaffold and build a repository with them). A range here would let the registry change a scaffold made on
 * another day: a new aws-cdk-lib once knew a newer Lambda runtime and cdk-nag failed every new repository's build.
 *
 * A template version bump moves these; `npm run canary` builds a scaffold with the newest releases instead and says
 * what would change. The template's .projenrc.ts reads them too, so its own tests run on the same versions.
 */
export const TESTED_VERSIONS = {
  /** Synthesizes the stack; the Lambda runtimes it knows decide cdk-nag's AwsSolutions-L1. */
  'aws-cdk-lib': '2.276.0',
  /** `cdk synth` / `cdk diff` / `cdk deploy`: reads the cloud assembly aws-cdk-lib writes. */
  'aws-cdk': '2.1149.0',
  /** The AwsSolutions checks of the generated stack test; a new release can add a rule. */
  'cdk-nag': '2.37.55',
  /** Bundled into a consumer's function when `idempotency` is on (generated code calls its API). */
  '@aws-lambda-powertools/idempotency': '2.35.0',
  /** Bundled into every consumer's function (the generated handler contract unmarshalls with it). */
  '@aws-sdk/util-dynamodb': '3.996.9',
  /** Bundles the functions (NodejsFunction runs the project's esbuild). */
  'esbuild': '0.28.2',
  /** Type-checks the handlers against their generated contracts in every build. */
  'typescript': '6.0.3',
} as const;

export type PinnedPackage = keyof typeof TESTED_VERSIONS;

/** `name@version` for projen's dependency lists. */
export function pinned(name: PinnedPackage): string {
  return `${name}@${TESTED_VERSIONS[name]}`;
}
