/**
 * What a scenario run produced, in a form both clocks can be compared on: records named by label (`<pk>#<v>`)
 * instead of sequence numbers, destination messages without timestamps, request ids, shard ids, stream ARNs or
 * arrival times (they differ between fixtures and DynamoDB Local by nature).
 */
import type { EmulatedContext, EmulatedEvent, OnFailureMessage } from '../../../../src/runtime/emulator/types';
import type { DynamoDBStreamRecord } from '../../../../src/runtime/records/types';

/** One invocation as the handler saw it. */
export interface SeenInvocation {
  readonly labels: readonly string[];
  readonly lane: number;
  readonly attempt: number;
  /** Tumbling windows only. */
  readonly window?: { readonly state: unknown; readonly final: boolean; readonly terminatedEarly: boolean };
}

/** What one run observed, before normalisation. */
export interface Observed {
  readonly invocations: readonly SeenInvocation[];
  readonly messages: readonly OnFailureMessage[];
  readonly checkpoint: string | undefined;
  /** SequenceNumber -> label for every record in the stream. */
  readonly labels: ReadonlyMap<string, string>;
}

/** The comparable result. */
export interface Outcome {
  /** Per partition key, the labels in delivery order (retries included). */
  readonly perKey: Readonly<Record<string, readonly string[]>>;
  /** Every batch (labels, and window state in/final flag), in invocation order for one lane, sorted across lanes. */
  readonly batches: readonly string[];
  readonly destination: readonly unknown[];
  /** Label of the record the final checkpoint names, or "none". */
  readonly checkpoint: string;
  /** Scenario-specific facts (e.g. whether the failing lane held the others). */
  readonly facts: Readonly<Record<string, unknown>>;
}

export function labelOf(record: DynamoDBStreamRecord): string {
  const d = record.dynamodb;
  const image = d.NewImage ?? d.OldImage;
  const v = image?.v?.N ?? '?';
  return `${d.Keys.pk.S}#${v}${record.eventName === 'REMOVE' ? '-del' : ''}`;
}

/** Wraps a scenario's handler to record what it saw; `after` runs once it returned or threw. */
export function recordingHandler(
  handler: (event: EmulatedEvent) => unknown,
  seen: SeenInvocation[],
  after?: () => void,
): (event: EmulatedEvent, context: EmulatedContext) => Promise<unknown> {
  return async (event, context) => {
    seen.push({
      labels: event.Records.map(labelOf),
      lane: context.emulator.lane,
      attempt: context.emulator.attempt,
      ...(event.window
        ? { window: { state: event.state, final: event.isFinalInvokeForWindow === true, terminatedEarly: event.isWindowTerminatedEarly === true } }
        : {}),
    });
    try {
      return await handler(event);
    } finally {
      after?.();
    }
  };
}

export function normalise(observed: Observed, facts: (o: Observed) => Record<string, unknown> = () => ({})): Outcome {
  const perKey: Record<string, string[]> = {};
  for (const inv of observed.invocations) {
    for (const label of inv.labels) (perKey[label.split('#')[0]] ??= []).push(label);
  }
  const batches = observed.invocations
    .map((inv) => `${inv.labels.join(',') || '(none)'}${inv.window ? ` state=${JSON.stringify(inv.window.state)}${inv.window.final ? ' final' : ''}` : ''}`)
    .sort();
  const label = (seq: string) => observed.labels.get(seq) ?? `unknown ${seq}`;
  const destination = observed.messages
    .map((m) => ({
      condition: m.requestContext.condition,
      approximateInvokeCount: m.requestContext.approximateInvokeCount,
      functionArn: m.requestContext.functionArn,
      responseContext: m.responseContext,
      version: m.version,
      first: label(m.DDBStreamBatchInfo.startSequenceNumber),
      last: label(m.DDBStreamBatchInfo.endSequenceNumber),
      batchSize: m.DDBStreamBatchInfo.batchSize,
    }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return {
    perKey,
    batches,
    destination,
    checkpoint: observed.checkpoint === undefined ? 'none' : label(observed.checkpoint),
    facts: facts(observed),
  };
}

/** One line for the table: invocations, destination messages, checkpoint. */
export function summarise(outcome: Outcome): string {
  const invocations = outcome.batches.length;
  const facts = Object.entries(outcome.facts).map(([k, v]) => ` ${k}=${JSON.stringify(v)}`).join('');
  return `${invocations} inv, ${outcome.destination.length} dest, checkpoint ${outcome.checkpoint}${facts}`;
}
