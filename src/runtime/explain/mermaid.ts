/**
 * A poison timeline as a Mermaid sequence diagram (GitHub renders ```mermaid blocks): the stream, the event source
 * mapping, the consumer's function and its failure destination, with each invocation, its answer, the retries as a
 * loop, the discards and trims, and a closing note on how long the shard was held.
 */
import type { PoisonTimeline } from './poison-timeline';
import { DESTINATION_NAMES, discard, duration, policy, request, response, retries, scenario, summary, trim } from './words';

export function poisonDiagram(t: PoisonTimeline): string {
  const lines = [
    'sequenceDiagram',
    '  participant Stream as Stream shard',
    '  participant Mapping as Event source mapping',
    `  participant Handler as ${t.consumer} function`,
    `  participant Failures as ${DESTINATION_NAMES[t.destination]}`,
    `  Note over Stream,Handler: ${scenario(t)}`,
  ];
  for (const row of t.rows) {
    switch (row.kind) {
      case 'invoke':
        lines.push(`  Mapping->>Handler: ${duration(row.atMs)}: ${request(row.range, row.reason)}`);
        lines.push(`  Handler-->>Mapping: ${response(row.range, row.result)}`);
        break;
      case 'retries':
        lines.push(`  loop ${retries(row)}`);
        lines.push(`    Mapping->>Handler: ${request(row.range, { kind: 'first' })}`);
        lines.push(`    Handler-->>Mapping: ${response(row.range, row.result)}`);
        lines.push('  end');
        break;
      case 'discard':
        lines.push(`  Mapping-)Failures: ${duration(row.atMs)}: ${discard(row)}`);
        break;
      case 'trim':
        lines.push(`  Note over Stream: ${duration(row.atMs)}: ${trim(row)}`);
        break;
    }
  }
  lines.push(`  Note over Stream,Failures: ${summary(t)}`);
  lines.push(`  Note over Stream,Failures: ${policy(t)}`);
  return `${lines.join('\n')}\n`;
}
