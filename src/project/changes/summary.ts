import type { Project } from 'projen';
import { isAcknowledged, unusedAcknowledgements, DeploymentChangeRefusedError } from './acknowledgements';
import {
  addBaselineFile,
  baselineOf,
  isNewRepository,
  readBaseline,
  readDeployment,
  recordNeverDeployed,
  BASELINE_FILE,
  DEPLOYED_FILE,
  type Baseline,
} from './baseline';
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
  /** The summary to print, or undefined when nothing changed since the last synth (or there is nothing to say). */
  readonly summary?: string;
  /** Acknowledgements that accept nothing any more. */
  readonly unusedAcknowledgements: readonly string[];
  /** True on a new repository's first synth (`projen new`): it records that nothing is deployed yet. */
  readonly recordNeverDeployed: boolean;
}

/**
 * Compares the options with what is deployed (`.projen/deployed-baseline.json`) when that is known, else with the
 * last successful synth in `outdir`. Throws `DeploymentChangeRefusedError` for an unacknowledged risky change, before
 * anything is written. A stack recorded as never deployed refuses nothing: there is nothing in AWS to replace.
 */
export function planDeployment(
  outdir: string,
  resolved: ResolvedOptions,
  acknowledged: readonly ChangeAcknowledgement[],
): DeploymentPlan {
  const baseline = baselineOf(resolved);
  const lastSynth = readBaseline(outdir);
  const deployment = readDeployment(outdir);
  const sinceLastSynth = lastSynth ? deploymentChanges(lastSynth, baseline) : undefined;

  if (deployment.kind === 'never') {
    return {
      baseline,
      summary: sinceLastSynth?.length ? formatNotDeployed(sinceLastSynth) : undefined,
      unusedAcknowledgements: unusedAcknowledgements([], acknowledged, NOT_NEEDED_WHEN_NEVER_DEPLOYED),
      recordNeverDeployed: false,
    };
  }

  const deployed = deployment.kind === 'deployed' ? deployment.baseline : undefined;
  const reference = deployed ?? lastSynth;
  // what the next deployment changes: from what is deployed, or (unknown) from the last synth
  const pending = reference ? deploymentChanges(reference, baseline) : firstDeploymentOnExistingTable(baseline);
  const refused = pending.filter((c) => c.risky && !isAcknowledged(c, acknowledged));
  if (refused.length > 0) throw new DeploymentChangeRefusedError(refused, deployed ? 'deployed' : 'last-synth');

  let summary: string | undefined;
  if (!reference) {
    summary = pending.length > 0 ? formatSummary(pending, FIRST_ON_EXISTING_TABLE) : undefined;
  } else if (!deployed) {
    summary = pending.length > 0 ? formatSummary(pending, SINCE_LAST_SYNTH) : undefined;
  } else if (sinceLastSynth === undefined || sinceLastSynth.length > 0) {
    // something changed since the last synth: say everything the next deployment does, or that it does nothing
    summary = pending.length > 0 ? formatSummary(pending, SINCE_DEPLOYED) : BACK_TO_DEPLOYED;
  }
  return {
    baseline,
    summary,
    unusedAcknowledgements: unusedAcknowledgements(pending, acknowledged),
    recordNeverDeployed: deployment.kind === 'unknown' && isNewRepository(outdir),
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

const SINCE_LAST_SYNTH =
  `What the next deployment changes in AWS (since the last synth, ${BASELINE_FILE}; no deployment is recorded in ${DEPLOYED_FILE}):`;
const SINCE_DEPLOYED = `What the next deployment changes in AWS (since the last deployment, ${DEPLOYED_FILE}):`;
const BACK_TO_DEPLOYED = `The options are back to what is deployed (${DEPLOYED_FILE}): the next deployment changes nothing in AWS.`;
const NOT_NEEDED_WHEN_NEVER_DEPLOYED =
  `is not needed: this stack has never been deployed (${DEPLOYED_FILE}), so no change replaces anything in AWS; remove it from .projenrc.ts`;
const FIRST_ON_EXISTING_TABLE = `What the first deployment changes in AWS, on the existing table (no ${BASELINE_FILE} yet):`;

/**
 * Before the first deployment a change replaces nothing in AWS: the first `npx projen deploy` creates the stack as
 * the options then say. The lines name the change only; what it would do to a deployed stack does not apply.
 */
function formatNotDeployed(changes: readonly DeploymentChange[]): string {
  return [
    `Changed since the last synth (${BASELINE_FILE}). This stack has never been deployed (${DEPLOYED_FILE}): ` +
      'the first npx projen deploy creates it as now configured, so nothing is replaced or lost in AWS:',
    ...changes.map((c) => `  - ${c.change}: ${c.from} -> ${c.to}.`),
  ].join('\n');
}

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
  if (plan.recordNeverDeployed) recordNeverDeployed(project);
}
