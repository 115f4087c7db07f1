#!/usr/bin/env node
/**
 * `ddb-stream-explain`: prints what one poison record does under a consumer's retry policy, by running the emulator
 * on it (virtual clock): the same timeline the generated README draws. See docs/retry-policy.md.
 */
import { parseArgs } from 'util';
import { integer, optionArguments, parsed, rerunCommand, runCli, sourceLayout } from './common';
import { UsageError } from '../errors';
import { MAX_SCENARIO_RECORDS, poisonText, poisonTimeline } from '../explain';
import { loadAppConfig } from '../local/runner/module-loader';
import { selectConsumer } from '../local/runner/runner';

const PROGRAM = 'ddb-stream-explain';

/** The usage text, naming the command the user ran (the projen task in a generated repository). */
export const explainHelp = (command: string): string => `Usage: ${command} [options]

Shows what one poison record (a record the handler always fails on) does under the consumer's retry policy:
writes a batch of records to an emulated shard, fails the handler on one of them as the generated contract
does (reported in batchItemFailures, or thrown without reportBatchItemFailures), and prints every invocation,
bisect, retry and discard on the emulator's virtual clock, how long the shard was held and where the records
went. Nothing is deployed or started; retry waits follow the emulator's backoff (1 s doubling up to 60 s), as
AWS does not document its own. Filters are left out: the records are ones the consumer receives.

Options:
  --batch <n>                  records written at once, 1 to ${MAX_SCENARIO_RECORDS} (default: the consumer's batchSize)
  --poison-at <n>              the poison record's position among them, 1 to --batch (default: the middle)
  --consumer <name>            the consumer whose policy to run (required with several consumers)
  --srcdir <dir>               the project's source folder (projen's srcdir), where the default config is
                               (default: src; the generated tasks pass another)
  --config <file[#export]>     module exporting the StreamAppConfig (default: <srcdir>/generated/config.ts)
  -h, --help                   show this help

Exit codes: 0 printed, 2 bad arguments or configuration.`;

export async function explainMain(argv: readonly string[]): Promise<number> {
  const { values } = parsed(() => parseArgs({
    args: optionArguments(argv),
    strict: true,
    allowPositionals: false,
    options: {
      'batch': { type: 'string' },
      'poison-at': { type: 'string' },
      'consumer': { type: 'string' },
      'srcdir': { type: 'string' },
      'config': { type: 'string' },
      'help': { type: 'boolean', short: 'h' },
    },
  }));
  if (values.help) {
    process.stdout.write(`${explainHelp(rerunCommand())}\n`);
    return 0;
  }
  // Checked before the config is loaded: a typo in a number needs no project to be reported.
  const batch = integer('--batch', values.batch, 1, MAX_SCENARIO_RECORDS);
  const poisonAt = integer('--poison-at', values['poison-at'], 1, MAX_SCENARIO_RECORDS);
  const consumer = selectConsumer(loadAppConfig(values.config ?? sourceLayout(values.srcdir).config), values.consumer);
  const records = batch ?? consumer.batchSize;
  if (poisonAt !== undefined && poisonAt > records) {
    const given = batch === undefined ? `the consumer's batchSize, ${records}` : `--batch ${records}`;
    throw new UsageError(`--poison-at ${poisonAt} is past the last record written (${given}): pass --poison-at between 1 and ${records}, or a --batch of at least ${poisonAt}`);
  }
  const timeline = poisonTimeline(consumer, { records, poisonAt: poisonAt ?? Math.ceil(records / 2) });
  process.stdout.write(poisonText(timeline));
  return 0;
}

if (require.main === module) runCli(PROGRAM, () => explainMain(process.argv.slice(2)));
