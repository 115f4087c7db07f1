/**
 * A generated repository with one consumer whose handler has a side effect that is not idempotent by itself: it
 * appends a line per record to a file, in the shape readHandlerLog reads (pk, version, sequence number, and the
 * eventID the idempotency key is made of). Each line counts one run of a record's callback, so the file tells how
 * often each record really ran.
 */
import { writeFileSync } from 'fs';
import { join } from 'path';
import { AttributeType } from '../../../src';
import { writeGeneratedProject } from '../../project/generated-code';
import type { LogLine } from '../local/helpers';

export const CONSUMER = 'ledger';

/** The env variables the handler reads. */
export const SIDE_EFFECTS_ENV = 'SIDE_EFFECTS_FILE';
export const WORK_MS_ENV = 'SIDE_EFFECT_WORK_MS';

/**
 * The user's handler, as one writes it in src/handlers/ledger.ts: a little work (an await, as a call to another
 * service would be), then the side effect. It sees only the generated contract: idempotency, when on, is the
 * contract's doing.
 */
const HANDLER = `import { appendFileSync } from "fs";
import type { Insert, Modify } from "../generated/changes";
import { defineLedgerHandler } from "../generated/ledger/contract";

const file = process.env.${SIDE_EFFECTS_ENV} ?? "side-effects.log";
const workMs = Number(process.env.${WORK_MS_ENV} ?? 10);

/** One line per run: the record's key, the version it carries, its sequence number and its eventID. */
async function sideEffect(change: Insert | Modify): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, workMs));
  const { keys, newImage, sequenceNumber, record } = change;
  appendFileSync(file, \`\${String(keys.pk)} \${String(newImage.version)} \${sequenceNumber} \${record.eventID}\\n\`);
}

export const handler = defineLedgerHandler({ onInsert: sideEffect, onModify: sideEffect });
`;

export interface SideEffectProject {
  readonly dir: string;
  readonly idempotency: boolean;
  /** --config and --handler for the local runner. */
  readonly config: string;
  readonly handler: string;
}

/** Renders the project (a table with pk (S) and version (N), as writeVersions writes) and writes its handler. */
export function writeSideEffectProject(idempotency: boolean): SideEffectProject {
  const dir = writeGeneratedProject({
    table: { partitionKey: { name: 'pk', type: AttributeType.STRING }, attributes: [{ name: 'version', type: AttributeType.NUMBER }] },
    consumers: [{ name: CONSUMER, idempotency: { enabled: idempotency } }],
  });
  const handler = join(dir, 'src', 'handlers', `${CONSUMER}.ts`);
  writeFileSync(handler, HANDLER);
  return { dir, idempotency, config: join(dir, 'src', 'generated', 'config.ts'), handler };
}

/** Runs beyond each record's first, in file order. */
export function repeatedRuns(effects: readonly LogLine[]): LogLine[] {
  const seen = new Set<string>();
  const repeated: LogLine[] = [];
  for (const effect of effects) {
    if (seen.has(effect.seq)) repeated.push(effect);
    seen.add(effect.seq);
  }
  return repeated;
}
