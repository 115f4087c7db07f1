import * as path from 'path';
import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { writeGeneratedProject } from '../generated-code';
import type { TestOptions } from '../helpers';

/** The CloudFormation template the generated stack synthesizes for these options (bundling skipped). */
export function synthTemplate(options: TestOptions): { Resources: Record<string, { Type: string }> } {
  const dir = writeGeneratedProject(options);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { StreamConsumerStack } = require(path.join(dir, 'src/generated/stack.ts'));
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return Template.fromStack(new StreamConsumerStack(app, 'Test')).toJSON() as never;
}

/** One resource as `cdk diff --template <before>` reports it. */
export interface ResourceDiff {
  readonly logicalId: string;
  readonly type: string;
  readonly impact: ResourceImpact;
  /** Properties whose change the diff reports, with the impact of each. */
  readonly properties: Record<string, ResourceImpact>;
}

/**
 * The CDK's offline diff of two templates: `fullDiff` is what `cdk diff --template before.json` runs. Only resources
 * with a change are returned.
 */
export function cloudFormationDiff(before: object, after: object): ResourceDiff[] {
  const diff = fullDiff(before as never, after as never);
  const result: ResourceDiff[] = [];
  diff.resources.forEachDifference((logicalId, change) => {
    if (change.changeImpact === ResourceImpact.NO_CHANGE) return;
    const properties: Record<string, ResourceImpact> = {};
    for (const [name, property] of Object.entries(change.propertyUpdates)) properties[name] = property.changeImpact!;
    result.push({ logicalId, type: (change.newResourceType ?? change.oldResourceType)!, impact: change.changeImpact, properties });
  });
  return result;
}
