/**
 * A poison timeline for the terminal (`npx projen explain:<consumer>`): the same rows and words as the README's
 * diagram (mermaid.ts), one line each, times on the left.
 */
import type { PoisonTimeline } from './poison-timeline';
import { discard, duration, policy, request, response, retries, scenario, summary, trim } from './words';
import { POISON_OUTCOME_WORDS } from '../rules/consumer-rules';

export function poisonText(t: PoisonTimeline): string {
  const rows = t.rows.map((row): [string, string] => {
    switch (row.kind) {
      case 'invoke':
        return [duration(row.atMs), `invoke ${request(row.range, row.reason)} -> ${response(row.range, row.result)}`];
      case 'retries':
        return [`${duration(row.fromMs)} to ${duration(row.toMs)}`, `${retries(row, false)} -> each ${response(row.range, row.result)}`];
      case 'discard':
        return [duration(row.atMs), `discard ${discard(row)}`];
      case 'trim':
        return [duration(row.atMs), `trim ${trim(row)}`];
    }
  });
  const width = Math.max(...rows.map(([at]) => at.length));
  return [
    `Consumer "${t.consumer}": a poison record through its retry policy, emulated on the virtual clock (times from the records' arrival)`,
    `Scenario: ${scenario(t)} (--batch ${t.scenario.records} --poison-at ${t.scenario.poisonAt})`,
    `Policy: ${policy(t)}`,
    '',
    ...rows.map(([at, text]) => `  ${at.padStart(width)}  ${text}`),
    '',
    summary(t),
    `Outcome (${t.outcome}): ${POISON_OUTCOME_WORDS[t.outcome]}.`,
    '',
  ].join('\n');
}
