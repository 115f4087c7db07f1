#!/usr/bin/env node
/**
 * `ddb-stream-redrive`: re-invokes a consumer with batches from its failure destination. See docs/local-runner.md.
 */
import { existsSync } from 'fs';
import { parseArgs } from 'util';
import { integer, oneOf, optionArguments, parsed, rerunCommand, runCli, sourceLayout } from './common';
import { RedriveError, UsageError } from '../errors';
import { loadAppConfig, loadHandler } from '../local/runner/module-loader';
import { selectConsumer } from '../local/runner/runner';
import { failureFilePath } from '../local/state/failure-file';
import { redrive, type RedriveItemReport, type RedriveReport, windowRefusal } from '../redrive/redrive';
import { s3Source } from '../redrive/s3-source';
import { fileSource, type FailureSource } from '../redrive/sources';
import { sqsSource } from '../redrive/sqs-source';
import { lambdaTarget, localTarget } from '../redrive/targets';

const PROGRAM = 'ddb-stream-redrive';

/** The usage text, naming the command the user ran (the projen task in a generated repository). */
export const redriveHelp = (command: string): string => `Usage: ${command} [options]

Redrives failed batches of one consumer: reads on-failure messages a page at a time, gets their records (the S3
payload, or re-read from the stream by shard and sequence range while they are within its 24 h retention), invokes
the handler once per message, and marks the message done right after it succeeds, so running it twice redrives
nothing twice. A message it cannot handle (not an on-failure record, records it cannot re-read, a failing
target) is reported with where it is and why, left in the source, and the run goes on with the next.
A tumbling-window consumer is refused (a failure message has no window state) unless --handler names a handler
of plain { Records } events.

Source (one; default: the local runner's file):
  --from <file>                JSON-lines failure file (default: <state-dir>/failures/<consumer>.jsonl);
                               done messages are listed in <file>.redriven
  --sqs <queue-url>            an SQS queue (SQS destination or SNS subscription), 10 messages per page, kept
                               invisible while waiting and worked on; each is deleted right after its success.
                               Needs @aws-sdk/client-sqs and AWS credentials.
  --visibility-timeout <s>     with --sqs: how long a received message stays hidden (default: 60; extended
                               every third of it while redrive works)
  --s3 <s3://bucket/prefix>    an S3 destination; done keys are listed in <state-dir>/redriven/s3.jsonl.
                               Needs @aws-sdk/client-s3 and AWS credentials.
Target:
  --target <local|lambda>      local: the handler module (default); lambda: the deployed function
  --handler <file[#export]>    handler module for --target local (default: <srcdir>/handlers/<consumer>.ts)
  --function <name|arn>        function for --target lambda. Needs @aws-sdk/client-lambda and AWS credentials.
Other options:
  --srcdir <dir>               the project's source folder (projen's srcdir), where the default config and
                               handlers are (default: src; the generated tasks pass another)
  --config <file[#export]>     module exporting the StreamAppConfig (default: <srcdir>/generated/config.ts)
  --consumer <name>            consumer whose filters and response rules apply (required with several consumers)
  --state-dir <dir>            the local runner's state dir, for its stream and default file (default: .local)
  --endpoint <url>             re-read local streams from this running DynamoDB Local instead of starting one
  --dry-run                    read each message and its records as a run would, invoke and mark nothing
  -h, --help                   show this help

Exit codes: 0 everything pending was redriven (or nothing was pending), 1 some message was left in the source
(still fails, records unavailable, unreadable, not marked done: listed in the last line), 2 bad arguments or configuration.`;

export async function redriveMain(argv: readonly string[]): Promise<number> {
  const { values } = parsed(() => parseArgs({
    args: optionArguments(argv),
    strict: true,
    allowPositionals: false,
    options: {
      'from': { type: 'string' },
      'sqs': { type: 'string' },
      's3': { type: 'string' },
      'target': { type: 'string' },
      'handler': { type: 'string' },
      'function': { type: 'string' },
      'srcdir': { type: 'string' },
      'config': { type: 'string' },
      'consumer': { type: 'string' },
      'state-dir': { type: 'string' },
      'endpoint': { type: 'string' },
      'visibility-timeout': { type: 'string' },
      'dry-run': { type: 'boolean' },
      'help': { type: 'boolean', short: 'h' },
    },
  }));
  if (values.help) {
    process.stdout.write(`${redriveHelp(rerunCommand())}\n`);
    return 0;
  }
  const given = (['from', 'sqs', 's3'] as const).filter((k) => values[k] !== undefined);
  if (given.length > 1) {
    throw new UsageError(`${given.map((k) => `--${k}`).join(' and ')} were both given (allowed: one of --from, --sqs, --s3): pass a single source`);
  }
  const target = oneOf('--target', values.target, ['local', 'lambda'] as const, 'local');
  if (target === 'lambda' && !values.function) {
    throw new UsageError('--target lambda needs --function <name|arn> (given none): pass the deployed function, e.g. --function orders-audit');
  }
  if (target === 'local' && values.function) {
    throw new UsageError(`--function ${values.function} is only used with --target lambda (given --target local): add --target lambda, or drop --function`);
  }
  const visibility = integer('--visibility-timeout', values['visibility-timeout'], 1, 43_200);
  if (visibility !== undefined && !values.sqs) {
    throw new UsageError(`--visibility-timeout ${visibility} is only used with --sqs (given ${given.length ? `--${given[0]}` : 'the local failure file'}): add --sqs <queue-url>, or drop it`);
  }
  const stateDir = values['state-dir'] ?? '.local';
  const layout = sourceLayout(values.srcdir);
  const app = loadAppConfig(values.config ?? layout.config);
  const consumer = selectConsumer(app, values.consumer);
  // Only a handler the user names can take plain { Records } for a tumbling-window consumer (see redrive.ts).
  const plainHandler = target === 'local' && values.handler !== undefined;
  if (consumer.tumblingWindowSeconds > 0 && !plainHandler) throw new RedriveError(windowRefusal(consumer));
  const defaultFile = failureFilePath(stateDir, consumer.name);
  if (given.length === 0 && !existsSync(defaultFile)) {
    // the local runner writes this file when a batch fails: none means nothing failed locally, not a usage error
    process.stderr.write(`${PROGRAM}: nothing to redrive: no failure file at ${defaultFile} (the local runner writes it when a batch fails)\n`);
    return 0;
  }
  const source: FailureSource = values.sqs
    ? sqsSource(values.sqs, { stateDir, ...(visibility !== undefined ? { visibilityTimeoutSeconds: visibility } : {}) })
    : values.s3
      ? s3Source(values.s3, { stateDir })
      : fileSource(values.from ?? defaultFile);
  const handlerSpec = values.handler ?? layout.handler(consumer.name);
  const redriveTarget = target === 'lambda'
    ? lambdaTarget(values.function!, consumer)
    : localTarget(values['dry-run'] ? () => undefined : loadHandler(handlerSpec), consumer, `handler ${handlerSpec}`);
  const report = await redrive({
    source,
    target: redriveTarget,
    consumer,
    stateDir,
    ...(values.endpoint ? { endpoint: values.endpoint } : {}),
    dryRun: values['dry-run'] === true,
    plainHandler,
  });
  const done = values['dry-run']
    ? `${report.items.filter((i) => i.status === 'would-redrive').length} would be redriven, ${report.failed} could not be (records unavailable)`
    : `${report.redriven} redriven, ${report.failed} still pending`;
  const stale = report.stale > 0 ? `, ${report.stale} redriven with a stale SQS receipt handle (deleted when they come back)` : '';
  const skipped = report.idempotencySkipped;
  const once = skipped.length > 0 ? `; idempotency skipped ${skipped.length} record(s) already completed, which the handler did not see (sequence numbers ${skipped.join(', ')})` : '';
  process.stderr.write(`${PROGRAM}: ${done}, ${report.unreadable} unreadable (skipped), ${report.alreadyDone} already done before${stale}${once}\n`);
  const left = leftInSource(report, values['dry-run'] === true);
  if (left !== undefined) process.stderr.write(`${PROGRAM}: ${left}\n`);
  return report.failed + report.unreadable > 0 ? 1 : 0;
}

/** The messages a run left in the source, where each is and why in a word: the lines above have the reasons. */
export function leftInSource(report: RedriveReport, dryRun: boolean, most = 10): string | undefined {
  const word: Partial<Record<RedriveItemReport['status'], string>> = {
    failed: 'still failing',
    unavailable: 'records unavailable',
    unreadable: 'unreadable',
    unmarked: 'redriven, not marked done',
  };
  const left = report.items.filter((i) => word[i.status] !== undefined);
  if (left.length === 0) return undefined;
  const shown = left.slice(0, most).map((i) => `${i.origin} (${word[i.status]})`);
  const more = left.length > most ? `, and ${left.length - most} more (see above)` : '';
  return `${left.length} message(s) ${dryRun ? 'a run would leave' : 'left'} in the source, for a run after the fix: ${shown.join(', ')}${more}`;
}

if (require.main === module) runCli(PROGRAM, () => redriveMain(process.argv.slice(2)));
