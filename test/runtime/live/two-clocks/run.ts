/**
 * Runs one scenario on each clock.
 *
 * - Virtual: the scenario's writes become fixture records (a pause moves the fixture clock), fed to
 *   `emulateEventSourceMapping` on a VirtualClock.
 * - System: the writes go to a real DynamoDB Local table; the local runner (`startLocalRunner`, SystemClock) polls
 *   its stream. Writes before the first pause happen before the runner starts, so they are read as one page, as
 *   the virtual run gets them; the rest are written while it runs. The run ends once every record was read, the
 *   scenario's `until` holds and nothing was invoked for a quiet spell; then the runner is stopped and its
 *   destination file, checkpoint file and the stream itself are read back.
 */
import { existsSync, readFileSync } from 'fs';
import { DeleteItemCommand, type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, type DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { marshall } from '@aws-sdk/util-dynamodb';
import { type Observed, labelOf, recordingHandler, type SeenInvocation } from './outcome';
import { BASE_CONSUMER, type Scenario, type Step } from './scenarios';
import type { ConsumerConfig, TableConfig } from '../../../../src/runtime/config';
import { SystemClock } from '../../../../src/runtime/emulator/clock';
import { emulateEventSourceMapping } from '../../../../src/runtime/emulator/emulate';
import type { OnFailureMessage } from '../../../../src/runtime/emulator/types';
import { ensureTable, localClients, parseJsonLines, startLocalRunner } from '../../../../src/runtime/local';
import { toLambdaRecord } from '../../../../src/runtime/records/convert';
import { StreamFixtures } from '../../../../src/runtime/records/fixtures';
import { waitFor } from '../../../conditions';

export const TABLE: TableConfig = {
  partitionKey: { name: 'pk', type: 'S' },
  attributes: [{ name: 'v', type: 'N' }],
  streamViewType: 'NEW_AND_OLD_IMAGES',
};

/** The runner's function ARN; the virtual run uses the same so the destination messages compare whole. */
const functionArn = (name: string) => `arn:aws:lambda:ddblocal:000000000000:function:${name}`;
const QUIET_MS = 1500;
const DEADLINE_MS = 30_000;

export function consumerOf(scenario: Scenario): ConsumerConfig {
  return { ...BASE_CONSUMER, ...scenario.consumer };
}

function itemOf(step: { put: string; extra?: Record<string, unknown> }): Record<string, unknown> {
  const [pk, v] = step.put.split('#');
  return { pk, v: Number(v), ...step.extra };
}

export async function runVirtual(scenario: Scenario): Promise<Observed> {
  const config = consumerOf(scenario);
  // A round start time, so a 2 s tumbling window holds every record written without a pause.
  const stream = new StreamFixtures({ table: TABLE, startTimeMs: Date.UTC(2024, 0, 1) });
  const items = new Map<string, Record<string, unknown>>();
  const records = [];
  for (const step of scenario.steps) {
    if ('pause' in step) {
      stream.advance(step.pause);
    } else if ('put' in step) {
      const item = itemOf(step);
      const old = items.get(item.pk as string);
      records.push(old ? stream.modify(old, item) : stream.insert(item));
      items.set(item.pk as string, item);
    } else {
      records.push(stream.remove(items.get(step.del)!));
      items.delete(step.del);
    }
  }
  const seen: SeenInvocation[] = [];
  const trace = await emulateEventSourceMapping({
    records,
    config,
    handler: recordingHandler(scenario.handler(), seen),
    table: TABLE,
    functionArn: functionArn(config.name),
    retryBackoffMs: () => scenario.retryBackoffMs ?? 100,
    invocationDurationMs: scenario.invocationTakesMs ?? 0,
  });
  return {
    invocations: seen,
    messages: trace.failures.map((f) => f.message),
    checkpoint: Object.values(trace.checkpoints)[0],
    labels: new Map(records.map((r) => [r.dynamodb.SequenceNumber, labelOf(r)])),
  };
}

/** A SystemClock that a test moves forward: "this invocation took 61 s" without waiting 61 s. */
class JumpingClock extends SystemClock {
  private offsetMs = 0;

  public now(): number {
    return Date.now() + this.offsetMs;
  }

  public jump(ms: number): void {
    this.offsetMs += ms;
  }
}

export async function runSystem(scenario: Scenario, endpoint: string, stateDir: string, tableName: string): Promise<Observed> {
  const config = consumerOf(scenario);
  const clients = localClients(endpoint);
  try {
    await ensureTable(clients.dynamodb, tableName, TABLE, stateDir);
    const firstPause = scenario.steps.findIndex((s) => 'pause' in s);
    const before = firstPause < 0 ? scenario.steps : scenario.steps.slice(0, firstPause);
    const after = firstPause < 0 ? [] : scenario.steps.slice(firstPause);
    if (scenario.alignToTumblingWindow) await startOfWindow(config.tumblingWindowSeconds * 1000);
    await write(clients.dynamodb, tableName, before);

    const seen: SeenInvocation[] = [];
    let lastActivity = Date.now();
    const clock = new JumpingClock();
    const handler = recordingHandler(scenario.handler(), seen, () => {
      lastActivity = Date.now();
      if (scenario.invocationTakesMs) clock.jump(scenario.invocationTakesMs);
    });
    const runner = await startLocalRunner({
      app: { table: TABLE, consumers: [config] },
      handler: (event, context) => {
        lastActivity = Date.now();
        return handler(event, context);
      },
      stateDir,
      endpoint,
      tableName,
      progress: false,
      log: () => undefined,
      retryBackoffMs: () => scenario.retryBackoffMs ?? 100,
      clock,
    });
    try {
      await write(clients.dynamodb, tableName, after);
      lastActivity = Date.now();
      // Quiet for longer than a batching window, so a partial batch still waiting for it is not cut off.
      const quietMs = QUIET_MS + config.maxBatchingWindowSeconds * 1000;
      const total = scenario.steps.filter((s) => !('pause' in s)).length;
      // The quiet spell is measured on the wall clock, as the runner's retries and windows are: nothing left to
      // happen is only observable as nothing happening for longer than any of them waits.
      await waitFor(() => runner.metrics.polledEvents >= total && Date.now() - lastActivity >= quietMs && (scenario.until?.(seen) ?? true), {
        what: `every record read (${total}), the scenario's end condition and ${quietMs} ms without an invocation`,
        timeoutMs: DEADLINE_MS,
        everyMs: 100,
        detail: () => `polled ${runner.metrics.polledEvents}, ${seen.length} invocations, the last ${Date.now() - lastActivity} ms ago`,
      });
    } finally {
      await runner.stop().catch(() => undefined);
    }
    const summary = await runner.done;
    return {
      invocations: seen,
      messages: existsSync(summary.failuresFile) ? (parseJsonLines(readFileSync(summary.failuresFile, 'utf8')).values as OnFailureMessage[]) : [],
      checkpoint: Object.values(summary.checkpoints)[0],
      labels: await streamLabels(clients.streams, runner.streamArn),
    };
  } finally {
    clients.destroy();
  }
}

async function write(client: DynamoDBClient, tableName: string, steps: readonly Step[]): Promise<void> {
  for (const step of steps) {
    // A pause between writes is the scenario itself (records that arrive seconds apart on the wall clock), not a wait.
    if ('pause' in step) await sleep(step.pause * 1000);
    else if ('put' in step) await client.send(new PutItemCommand({ TableName: tableName, Item: marshall(itemOf(step)) }));
    else await client.send(new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: step.del } } }));
  }
}

/**
 * Waits for the start of a tumbling window, leaving most of it for the writes: a condition on the wall clock itself
 * (the windows are aligned to it), so the pauses are computed to land on the boundary.
 */
async function startOfWindow(windowMs: number): Promise<void> {
  while (Date.now() % windowMs > 100) await sleep(Math.min(50, windowMs - (Date.now() % windowMs)));
}

/** SequenceNumber -> label for every record of the stream, read with a bare GetRecords loop. */
async function streamLabels(streams: DynamoDBStreamsClient, streamArn: string): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription?.Shards ?? [];
  for (const shard of shards) {
    let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' })))
      .ShardIterator;
    while (iterator) {
      const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      for (const r of out.Records ?? []) {
        const record = toLambdaRecord(r, { streamArn });
        labels.set(record.dynamodb.SequenceNumber, labelOf(record));
      }
      if ((out.Records ?? []).length === 0) break;
      iterator = out.NextShardIterator;
    }
  }
  return labels;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
