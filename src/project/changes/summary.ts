import type { Project } from 'projen';
import { isAcknowledged, unusedAcknowledgements, DeploymentChangeRefusedError } from './acknowledgements';
import { addBaselineFile, baselineOf, readBaseline, BASELINE_FILE, type Baseline } from './baseline';
import { added, consumerChanges } from './diff-consumers';
import { monitoringChanges } from './diff-monitoring';
import { tableChanges } from './diff-table';
import { unlistedChanges } from './diff-unlisted';
import type { DeploymentChange } from './effects';
import type { ChangeAcknowledgement } from '../options/acknowledgement-options';
import type { ResolvedOptions } from '../resolve/resolve-options';

/**
 * Every change between two baselines: table and stream first, then consumers, then monitoring, then any changed
 * option none of them words (old and new value only), so that no change of the baseline goes unsaid.
 */
export function deploymentChanges(before: Baseline, after: Baseline): DeploymentChange[] {
  const listed = [...tableChanges(before, after), ...consumerChanges(before, after), ...monitoringChanges(before, after)];
  return [...listed, ...unlistedChanges(before, after, listed)];
}

/** What this synth will deploy differently, checked against the acknowledgements. */
export interface DeploymentPlan {
  /** The baseline this synth writes. */
  readonly baseline: Baseline;
  /** The summary to print, or undefined when there is no baseline yet or nothing changed. */
  readonly summary?: string;
  /** Acknowledgements that accept nothing any more. */
  readonly unusedAcknowledgements: readonly string[];
}

/**
 * Compares the options with the baseline of the last successful synth in `outdir`. Throws
 * `DeploymentChangeRefusedError` for an unacknowledged risky change, before anything is written.
 */
export function planDeployment(
  outdir: string,
  resolved: ResolvedOptions,
  acknowledged: readonly ChangeAcknowledgement[],
): DeploymentPlan {
  const baseline = baselineOf(resolved);
  const before = readBaseline(outdir);
  const changes = before ? deploymentChanges(before, baseline) : firstDeploymentOnExistingTable(baseline);
  const refused = changes.filter((c) => c.risky && !isAcknowledged(c, acknowledged));
  if (refused.length > 0) throw new DeploymentChangeRefusedError(refused);
  return {
    baseline,
    summary: changes.length > 0 ? formatSummary(changes, before ? SINCE_LAST_SYNTH : FIRST_ON_EXISTING_TABLE) : undefined,
    unusedAcknowledgements: unusedAcknowledgements(changes, acknowledged),
  };
}

/**
 * With no baseline, a stack on a table it creates starts from nothing; one on an existing (imported) table does
 * not: its stream already holds up to 24 hours of changes, which a TRIM_HORIZON mapping processes on its first
 * deploy. Each consumer is said as a consumer added to a deployed table is.
 */
function firstDeploymentOnExistingTable(baseline: Baseline): DeploymentChange[] {
  return baseline.deployment.tableArn === undefined ? [] : baseline.consumers.map(added);
}

const SINCE_LAST_SYNTH = `What the next deployment changes in AWS (since the last synth, ${BASELINE_FILE}):`;
const FIRST_ON_EXISTING_TABLE = `What the first deployment changes in AWS, on the existing table (no ${BASELINE_FILE} yet):`;

/** The summary, the acknowledged (risky) changes first: they are what a reader must not miss. */
export function formatSummary(changes: readonly DeploymentChange[], heading = SINCE_LAST_SYNTH): string {
  const ordered = [...changes.filter((c) => c.risky), ...changes.filter((c) => !c.risky)];
  return [
    heading,
    ...ordered.map((c) => `  - ${c.change}: ${c.from} -> ${c.to}: ${c.effect}${c.risky ? ' [acknowledged]' : ''}.`),
  ].join('\n');
}

/** Says what will deploy differently, and has the project write the new baseline with its other files. */
export function applyDeploymentPlan(project: Project, plan: DeploymentPlan): void {
  if (plan.summary) project.logger.info(plan.summary);
  for (const warning of plan.unusedAcknowledgements) project.logger.warn(warning);
  addBaselineFile(project, plan.baseline);
}
