#!/usr/bin/env node
/**
 * `ddb-stream-local`: runs the consumers of a generated repository against DynamoDB Local. See docs/local-runner.md.
 */
import { parseArgs } from 'util';
import { integer, optionArguments, parsed, rerunCommand, runCli, sourceLayout } from './common';
import type { ConsumerConfig, StreamAppConfig } from '../config';
import type { StreamHandler } from '../emulator/types';
import { UsageError } from '../errors';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/local-endpoint';
import { formatRunSummary } from '../local/pipeline/progress';
import { loadAppConfig, loadHandler } from '../local/runner/module-loader';
import { selectConsumer, startLocalRunners } from '../local/runner/runner';
import { readSeedItems } from '../local/runner/seed-items';
import { resetStateDir } from '../local/state/state-dir';

const PROGRAM = 'ddb-stream-local';

/** The usage text, naming the command the user ran (the projen task in a generated repository). */
export const localHelp = (command: string): string => `Usage: ${command} [options]

Runs consumers against DynamoDB Local: starts DynamoDB Local (Java 17+), creates the table from the config,
polls its stream and feeds the records to each consumer's handler with its real event source mapping settings
(batching, retries, bisect, batch item failures, filters). Without --consumer every consumer of the config runs at
once on the same stream, as on AWS, each with its own position. Failed batches go to
<state-dir>/failures/<consumer>.jsonl in the failure destination's message shape; checkpoints in
<state-dir>/checkpoints/ survive restarts and kill -9. One runner at a time uses a state dir (it is locked).
Write items to the printed endpoint while it runs; it needs no AWS profile, any keys and region will do, e.g.
  AWS_ACCESS_KEY_ID=${LOCAL_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${LOCAL_CREDENTIALS.secretAccessKey} aws dynamodb put-item --region ${LOCAL_REGION} \\
    --endpoint-url http://localhost:8000 --table-name local-table --item '{"pk":{"S":"a"}}'
Ctrl-C stops after the batch in flight (twice: at once).

Options:
  --srcdir <dir>               the project's source folder (projen's srcdir), where the default config and
                               handlers are (default: src; the generated tasks pass another)
  --config <file[#export]>     module exporting the StreamAppConfig (default: <srcdir>/generated/config.ts;
                               export appConfig, config or default). .ts files are loaded with ts-node.
  --consumer <name>            run only this consumer (default: all of them, at once)
  --handler <file[#export]>    module exporting the handler, with --consumer or a single consumer
                               (default: <srcdir>/handlers/<consumer>.ts, export handler)
  --state-dir <dir>            DynamoDB Local database, checkpoints and failures (default: .local)
  --table <name>               local table name (default: local-table)
  --port <n>                   port for DynamoDB Local, 0 picks a free one (default: 8000)
  --endpoint <url>             use a DynamoDB Local that is already running instead of starting one
  --seed <n>                   write n sample changes shaped by the table and the consumer's filters: inserts,
                               modifications and removals it receives; again on an existing table adds new items
  --seed-items <file[#export]> write your own items instead (put, in order): a .json file holding an array of
                               plain items ([{"pk": "a", "total": 12}]), or a module exporting \`items\`: an array,
                               or a function ({ count, table }) => items (may be async; count is --seed <n>).
                               Each item needs the table's keys and declared attributes of their type (B as
                               base64); one bad item stops the run before anything is written.
                               The seed line says how many changes each consumer receives after its filters.
  --stop-when-idle <seconds>   exit once nothing new arrived for that long and everything read is done
  --retry-delay-ms <ms>        fixed delay before each retry (default: 1 s doubling up to 60 s, as the emulator)
  --reset                      delete the state dir first: fresh table, stream, checkpoints and failures
                               (only a folder the runner created; never the current folder or a parent)
  -h, --help                   show this help

Exit codes: 0 stopped cleanly, 1 runtime error, 2 bad arguments or configuration.`;

export async function localMain(argv: readonly string[]): Promise<number> {
  const { values } = parsed(() => parseArgs({
    args: optionArguments(argv),
    strict: true,
    allowPositionals: false,
    options: {
      'srcdir': { type: 'string' },
      'config': { type: 'string' },
      'consumer': { type: 'string' },
      'handler': { type: 'string' },
      'state-dir': { type: 'string' },
      'table': { type: 'string' },
      'port': { type: 'string' },
      'endpoint': { type: 'string' },
      'seed': { type: 'string' },
      'seed-items': { type: 'string' },
      'stop-when-idle': { type: 'string' },
      'retry-delay-ms': { type: 'string' },
      'reset': { type: 'boolean' },
      'help': { type: 'boolean', short: 'h' },
    },
  }));
  if (values.help) {
    process.stdout.write(`${localHelp(rerunCommand())}\n`);
    return 0;
  }
  const port = integer('--port', values.port, 0, 65535, 8000);
  const seed = integer('--seed', values.seed, 0, 1_000_000, 0);
  const idle = integer('--stop-when-idle', values['stop-when-idle'], 1, 86_400);
  const retryDelay = integer('--retry-delay-ms', values['retry-delay-ms'], 0, 3_600_000);
  if (values.endpoint !== undefined && !/^https?:\/\/[^/]+/.test(values.endpoint)) {
    throw new UsageError(`--endpoint ${JSON.stringify(values.endpoint)} is not an http(s) URL: pass e.g. --endpoint http://localhost:8000`);
  }
  if (values.endpoint !== undefined && values.port !== undefined) {
    throw new UsageError(`--port ${values.port} has no effect with --endpoint ${values.endpoint} (the runner starts no DynamoDB Local then): pass one of them`);
  }
  const stateDir = values['state-dir'] ?? '.local';
  const layout = sourceLayout(values.srcdir);
  const app = loadAppConfig(values.config ?? layout.config);
  const handlers = loadHandlers(app, values.consumer, values.handler, layout.handler);
  // Read and checked before --reset and before DynamoDB Local starts: bad items change nothing.
  const seedSpec = values['seed-items'];
  const seedItems = seedSpec === undefined ? undefined : await readSeedItems(seedSpec, app.table, values.seed === undefined ? undefined : seed);
  if (values.reset) {
    const flag = values['state-dir'] === undefined ? `the state dir ${stateDir}` : `--state-dir ${stateDir}`;
    if (resetStateDir(stateDir, { flag }) === 'deleted') process.stderr.write(`${PROGRAM}: --reset: deleted ${stateDir} (the runner's state folder)\n`);
  }

  const runner = await startLocalRunners({
    app,
    handlers,
    stateDir,
    ...(values.table ? { tableName: values.table } : {}),
    ...(values.endpoint ? { endpoint: values.endpoint } : { port }),
    ...(seedItems ? { seedItems, seedItemsSource: `--seed-items ${seedSpec}` } : { seed }),
    ...(idle !== undefined ? { stopWhenIdleMs: idle * 1000 } : {}),
    ...(retryDelay !== undefined ? { retryBackoffMs: () => retryDelay } : {}),
  });
  let received = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    received++;
    if (received > 1) {
      // Checkpoints are written after every batch, so leaving now loses nothing; the batch in flight runs again.
      process.stderr.write(`\n${PROGRAM}: ${signal} again, exiting now; the batch in flight will be redelivered on the next start\n`);
      process.exit(130);
    }
    process.stderr.write(`\n${PROGRAM}: ${signal}: finishing the batch in flight, writing checkpoints, stopping DynamoDB Local (again to force)\n`);
    void runner.stop();
  };
  // SIGHUP: the terminal was closed; DynamoDB Local runs in its own process group and would not get it.
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, onSignal);
  const summaries = await runner.done;
  for (const signal of signals) process.off(signal, onSignal);
  const several = Object.keys(summaries).length > 1;
  for (const [name, summary] of Object.entries(summaries)) {
    process.stderr.write(`${PROGRAM}: ${several ? `${name}: ` : ''}${formatRunSummary(summary)}\n`);
  }
  return 0;
}

/** The consumer named by --consumer, or every consumer of the config, each with its handler module. */
function loadHandlers(
  app: StreamAppConfig,
  consumerFlag: string | undefined,
  handlerFlag: string | undefined,
  defaultHandler: (consumer: string) => string,
): Record<string, StreamHandler> {
  const one = consumerFlag !== undefined || app.consumers.length <= 1;
  const consumers: readonly ConsumerConfig[] = one ? [selectConsumer(app, consumerFlag)] : app.consumers;
  if (handlerFlag !== undefined && consumers.length > 1) {
    throw new UsageError(
      `--handler ${handlerFlag} names one handler but ${consumers.length} consumers run (${consumers.map((c) => c.name).join(', ')}): add --consumer <name>, or drop --handler to use ${defaultHandler('<consumer>')} for each`,
    );
  }
  return Object.fromEntries(consumers.map((c) => [c.name, loadHandler(handlerFlag ?? defaultHandler(c.name))]));
}

if (require.main === module) runCli(PROGRAM, () => localMain(process.argv.slice(2)));
