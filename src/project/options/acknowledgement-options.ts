/**
 * A deployment change you accept although it loses stored data or makes a mapping reprocess or skip records. It
 * names one change exactly, as the refusal printed it: any other value of that option is refused again. Remove it
 * once the change is deployed.
 */
export interface ChangeAcknowledgement {
  /** The changed option, as the refusal names it, e.g. `table.partitionKey.name` or `consumers.audit.startingPosition`. */
  readonly change: string;
  /** The value before the change (what is deployed, or the last synth when no deployment is recorded), as the refusal prints it. */
  readonly from: string;
  /** The new value, as the refusal prints it. */
  readonly to: string;
}
