import { BASELINE_FILE, DEPLOYED_FILE } from './baseline';
import type { DeploymentChange } from './effects';
import type { ChangeAcknowledgement } from '../options/acknowledgement-options';
import { tsString } from '../render/ts-literal';

/** The acknowledgement a change needs, as a line of `.projenrc.ts`. */
export function acknowledgementLine(change: Pick<DeploymentChange, 'change' | 'from' | 'to'>): string {
  return `{ change: ${tsString(change.change)}, from: ${tsString(change.from)}, to: ${tsString(change.to)} },`;
}

export function isAcknowledged(change: DeploymentChange, acknowledged: readonly ChangeAcknowledgement[]): boolean {
  return acknowledged.some((a) => a.change === change.change && a.from === change.from && a.to === change.to);
}

/**
 * Acknowledgements that match no pending change (from what is deployed, or from the last synth when no deployment is
 * recorded): their change was deployed, undone, or the options moved on. Either way they accept nothing now.
 */
export function unusedAcknowledgements(
  changes: readonly DeploymentChange[],
  acknowledged: readonly ChangeAcknowledgement[],
  why = 'matches no pending change (the change it accepted is deployed, undone or different now): remove it from .projenrc.ts',
): string[] {
  return acknowledged
    .map((a, i) => ({ a, i }))
    .filter(({ a }) => !changes.some((c) => c.risky && c.change === a.change && c.from === a.from && c.to === a.to))
    .map(
      ({ a, i }) => `acknowledgedChanges[${i}] ${acknowledgementLine(a).replace(/,$/, '')} ${why}`,
    );
}

/**
 * Thrown before any file is written when a change would lose data or make a mapping reprocess or skip records and
 * `.projenrc.ts` does not acknowledge it. Since nothing is written, the baselines stay, and every later synth refuses
 * the same change until it is acknowledged or undone. `judgedAgainst` says what the change was measured from: what is
 * deployed, or (no deployment recorded) the last synth; the advice says which, so that "undo" means what it does.
 */
export class DeploymentChangeRefusedError extends Error {
  public declare readonly changes: readonly DeploymentChange[];

  constructor(changes: readonly DeploymentChange[], judgedAgainst: 'deployed' | 'last-synth' = 'deployed') {
    const count = changes.length === 1 ? '1 change' : `${changes.length} changes`;
    super(
      [
        `${count} in .projenrc.ts would lose stored data or make a mapping reprocess or skip records; nothing was written:`,
        ...changes.map((c) => `  - ${c.change}: ${c.from} -> ${c.to}: ${c.effect}.`),
        'To deploy anyway, add to the DdbStreamApp options in .projenrc.ts, and remove it after the deployment:',
        '  acknowledgedChanges: [',
        ...changes.map((c) => `    ${acknowledgementLine(c)}`),
        '  ],',
        ...(judgedAgainst === 'deployed'
          ? [`Or undo the change: the options then match what is deployed (${DEPLOYED_FILE}) again.`]
          : [
            `Or undo the change: the options then match the last synth (${BASELINE_FILE}) again.`,
            `No deployment is recorded (${DEPLOYED_FILE}), so this is judged against the last synth. If the last synth is what is deployed,`,
            '  run npx projen record-deployment once: from then on changes are judged against what is deployed.',
            '  If this stack was never deployed, the change replaces nothing in AWS: acknowledge it, or write',
            `  {"version": 1, "deployed": false} to ${DEPLOYED_FILE} (then nothing is refused until the first npx projen deploy).`,
          ]),
      ].join('\n'),
    );
    this.name = 'DeploymentChangeRefusedError';
    Object.defineProperty(this, 'changes', { value: changes, enumerable: false });
    // the frames point into this package, which helps nobody editing .projenrc.ts
    this.stack = `${this.name}: ${this.message}`;
  }
}
