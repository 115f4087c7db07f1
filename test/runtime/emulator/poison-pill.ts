/**
 * The poison-pill comparison (issue 4): one bad record among 300, our defaults against AWS's.
 * Run `npx ts-node --transpile-only test/runtime/emulator/poison-pill.ts` to print the table in docs/emulator.md.
 */
import { awsDefaults, ids, orders, ourDefaults } from './helpers';
import type { ConsumerConfig } from '../../../src/runtime/config';
import { emulateEventSourceMapping, type EmulatedEvent } from '../../../src/runtime/emulator';

export interface PoisonPillRow {
  readonly config: string;
  readonly handler: string;
  readonly invocationsUntilShardMovesOn: number;
  readonly hoursBlocked: number;
  readonly deliveredToDestination: number;
  readonly lost: number;
  /** Good records invoked more than once. */
  readonly recordsReprocessed: number;
  /** Sum over good records of (times invoked - 1). */
  readonly extraDeliveries: number;
}

const POISON = 'o150';

const throwing = (event: EmulatedEvent): void => {
  if (ids(event).includes(POISON)) throw new Error('poison');
};
const reporting = (event: EmulatedEvent) => ({
  batchItemFailures: event.Records.filter((r) => r.dynamodb.Keys.orderId.S === POISON).map((r) => ({ itemIdentifier: r.dynamodb.SequenceNumber })),
});

export async function poisonPillRow(name: string, config: ConsumerConfig, handlerName: 'throws' | 'reports'): Promise<PoisonPillRow> {
  const records = orders(300);
  const trace = await emulateEventSourceMapping({ records, config, handler: handlerName === 'throws' ? throwing : reporting });
  const poisonInvocations = trace.invocations.filter((i) => ids(i.event).includes(POISON));
  const lastPoison = poisonInvocations[poisonInvocations.length - 1];
  const counts = new Map<string, number>();
  for (const inv of trace.invocations) for (const id of ids(inv.event)) if (id !== POISON) counts.set(id, (counts.get(id) ?? 0) + 1);
  const extra = [...counts.values()].filter((n) => n > 1);
  return {
    config: name,
    handler: handlerName,
    invocationsUntilShardMovesOn: trace.invocations.indexOf(lastPoison) + 1,
    hoursBlocked: Math.round(((lastPoison.atMs - trace.invocations[0].atMs) / 3_600_000) * 100) / 100,
    deliveredToDestination: trace.metrics.deliveredToDestinationEvents,
    lost: trace.metrics.trimmedEvents + (config.failureDestination === 'NONE' ? trace.metrics.droppedEvents : 0),
    recordsReprocessed: extra.length,
    extraDeliveries: extra.reduce((n, c) => n + c - 1, 0),
  };
}

export async function poisonPillTable(): Promise<PoisonPillRow[]> {
  return [
    await poisonPillRow('ours (100, 5 retries, 3600 s, bisect, BIF, SQS)', ourDefaults(), 'throws'),
    await poisonPillRow('ours (100, 5 retries, 3600 s, bisect, BIF, SQS)', ourDefaults(), 'reports'),
    await poisonPillRow('AWS defaults (100, -1, -1, no bisect, no BIF)', awsDefaults(), 'throws'),
    await poisonPillRow('AWS defaults (100, -1, -1, no bisect, no BIF)', awsDefaults(), 'reports'),
  ];
}

export function toMarkdown(rows: readonly PoisonPillRow[]): string {
  const head = '| configuration | handler | invocations until the shard moves on | hours blocked | records to destination | records lost | good records reprocessed | extra deliveries |';
  const sep = '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |';
  const body = rows.map((r) => `| ${r.config} | ${r.handler} | ${r.invocationsUntilShardMovesOn} | ${r.hoursBlocked} | ${r.deliveredToDestination} | ${r.lost} | ${r.recordsReprocessed} | ${r.extraDeliveries} |`);
  return [head, sep, ...body].join('\n');
}

if (require.main === module) {
  void poisonPillTable().then((rows) => console.log(toMarkdown(rows)));
}
