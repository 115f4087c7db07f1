import type { Baseline } from './baseline';
import { showValue, type DeploymentChange } from './effects';

/**
 * The safety net under the specific summaries: every leaf of the baseline that changed and that no specific line
 * accounts for is reported with its old and new value. An option added to the baseline tomorrow is then listed from
 * its first day, before anyone writes its effect in words.
 */
export function unlistedChanges(before: Baseline, after: Baseline, listed: readonly DeploymentChange[]): DeploymentChange[] {
  const old = optionLeaves(before);
  const now = optionLeaves(after);
  const paths = [...new Set([...old.keys(), ...now.keys()])];
  return paths
    .filter((p) => JSON.stringify(old.get(p)) !== JSON.stringify(now.get(p)))
    .filter((p) => !listed.some((c) => accounts(c, p)))
    .filter((p) => reachesStack(before, p) || reachesStack(after, p))
    .map((p) => ({
      change: p,
      from: showValue(old.get(p)),
      to: showValue(now.get(p)),
      effect: 'the generated stack changes with it: run npx cdk diff to see what that does in AWS',
      risky: false,
      resources: [],
    }));
}

/** Whether a change's line already tells the reader about this option path. */
export function accounts(change: DeploymentChange, path: string): boolean {
  const within = (prefix: string) => path === prefix || path.startsWith(`${prefix}.`);
  return within(change.change) || (change.covers ?? []).some(within);
}

/**
 * The baseline's leaves, named as the summary and `acknowledgedChanges` name options: `table.*` for the table and its
 * deployment settings, `consumers.<name>.*` for a consumer (its function settings at the consumer's level, as in
 * `.projenrc.ts`), `monitoring.*`. Arrays are single values (a filter list changes as a whole). Consumers are keyed by
 * name: a consumer added, removed or renamed has its own line, which accounts for all of its options.
 */
export function optionLeaves(baseline: Baseline): Map<string, unknown> {
  const leaves = new Map<string, unknown>();
  const walk = (prefix: string, value: unknown): void => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) walk(`${prefix}.${key}`, inner);
    } else if (value !== undefined) {
      leaves.set(prefix, value);
    }
  };
  walk('table', baseline.table);
  walk('table', baseline.deployment);
  for (const { function: fn, ...consumer } of baseline.consumers) {
    walk(`consumers.${consumer.name}`, { ...consumer, ...fn });
  }
  walk('monitoring', baseline.monitoring);
  return leaves;
}

/**
 * Whether an option path reaches the synthesized stack in this state of the options: a few are read only in some
 * states, and a change to them otherwise changes nothing in AWS.
 */
export function reachesStack(baseline: Baseline, path: string): boolean {
  const d = baseline.deployment;
  if (/^table\.(readCapacity|writeCapacity)$/.test(path)) return d.billingMode === 'PROVISIONED';
  // an imported table is not the stack's: its billing, backups, protection and encryption are set where it lives
  if (/^table\.(billingMode|pointInTimeRecovery|deletionProtection|removalPolicy|encryption|tableName)$/.test(path)) return d.tableArn === undefined;
  const alarm = /^consumers\.(.+)\.alarms\.(iteratorAgeSeconds|functionErrors|functionThrottles)$/.exec(path);
  if (alarm) return baseline.consumers.find((c) => c.name === alarm[1])?.alarms?.enabled === true;
  return true;
}
